package dev.driftwatch.streams.internals;

import dev.driftwatch.schemas.avro.DeadLetter;
import dev.driftwatch.schemas.avro.DeadLetterReason;
import dev.driftwatch.schemas.serde.DeadLetters;
import dev.driftwatch.streams.PipelineSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Dead letters of the records a processor cannot use (inference events, outcome events): built from
 * the record and where it was read, and counted in the metrics, in one place for every processor.
 */
public final class DeadLetterRecords {
    private DeadLetterRecords() {
    }

    /**
     * The dead letter of a record, counted by reason.
     *
     * @param reason the reason, or null to take it from the failure
     */
    public static DeadLetter of(ProcessorContext<?, ?> context, Record<byte[], byte[]> record, Exception failure,
                                DeadLetterReason reason, PipelineSettings settings) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        ConsumerRecord<byte[], byte[]> raw = new ConsumerRecord<>(
                meta == null ? "unknown" : meta.topic(), meta == null ? -1 : meta.partition(),
                meta == null ? -1 : meta.offset(), record.timestamp(), TimestampType.CREATE_TIME,
                record.key() == null ? -1 : record.key().length, record.value() == null ? -1 : record.value().length,
                record.key(), record.value(), record.headers(), Optional.empty());
        DeadLetter letter = DeadLetters.of(raw, failure, settings.applicationId());
        letter = reason == null ? letter : DeadLetter.newBuilder(letter).setReason(reason).build();
        settings.metrics().deadLetter(letter.getReason().name());
        return letter;
    }

    /** The key of a record's dead letter: the record's key as text, empty without one. */
    public static String key(Record<byte[], byte[]> record) {
        return record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
    }

    /** A value as a rejection message quotes it: at most 64 characters, the rest cut to "...". */
    public static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }
}
