package dev.driftwatch.schemas.serde;

import dev.driftwatch.schemas.avro.DeadLetter;
import dev.driftwatch.schemas.avro.DeadLetterHeader;
import dev.driftwatch.schemas.avro.DeadLetterReason;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** Builds {@link DeadLetter}s from records that could not be read or processed. */
public final class DeadLetters {
    private DeadLetters() {
    }

    /**
     * The dead letter of a raw record.
     *
     * @param record the record as read, with its original bytes
     * @param failure why it was rejected; a {@link BadRecordException} gives its reason, anything else PROCESSING_ERROR
     * @param application the Kafka Streams application id, or null
     */
    public static DeadLetter of(ConsumerRecord<byte[], byte[]> record, Throwable failure, String application) {
        DeadLetterReason reason = DeadLetterReason.PROCESSING_ERROR;
        Integer schemaId = null;
        if (failure instanceof BadRecordException) {
            BadRecordException bad = (BadRecordException) failure;
            reason = bad.reason().deadLetterReason();
            schemaId = bad.schemaId();
        }
        List<DeadLetterHeader> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            headers.add(new DeadLetterHeader(header.key(), header.value() == null ? null : ByteBuffer.wrap(header.value())));
        }
        Instant time = record.timestamp() < 0 ? null : Instant.ofEpochMilli(record.timestamp());
        return DeadLetter.newBuilder()
                .setOriginalTopic(record.topic())
                .setOriginalPartition(record.partition())
                .setOriginalOffset(record.offset())
                .setOriginalTimestamp(time)
                .setOriginalKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setOriginalValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                .setOriginalHeaders(headers)
                .setReason(reason)
                .setDetail(String.valueOf(failure.getMessage()))
                .setSchemaId(schemaId)
                .setFailedAt(time == null ? Instant.EPOCH : time)
                .setApplication(application)
                .build();
    }
}
