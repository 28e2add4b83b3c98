package dev.driftwatch.streams.business;

import dev.driftwatch.schemas.avro.DeadLetter;
import dev.driftwatch.schemas.avro.DeadLetterReason;
import dev.driftwatch.schemas.avro.OutcomeEvent;
import dev.driftwatch.schemas.serde.BadRecordException;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.internals.DeadLetterRecords;
import dev.driftwatch.streams.internals.EventSummarizer;
import dev.driftwatch.streams.internals.WindowStateStore;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.nio.charset.StandardCharsets;

/**
 * Reads outcome events on every input partition, in the same task as the partition's inference
 * events (the processor shares {@link OutcomeJoin#STORE} and the window-state store with
 * {@link EventSummarizer}), and hands them to the {@link OutcomeJoin}. An outcome that cannot be read,
 * or has no record key, no request id, a request id other than its key, no positive event time, or an
 * event time further ahead of the partition's stream time than inferences may be (see
 * {@link dev.driftwatch.streams.PipelineSettings#latestAcceptedTime}), goes to the dead letters with its reason; that is its only output.
 */
public final class OutcomeReader implements Processor<byte[], byte[], String, DeadLetter> {
    private final PipelineSettings settings;
    private final Deserializer<OutcomeEvent> deserializer;
    private ProcessorContext<String, DeadLetter> context;
    private WindowStateStore windows;
    private OutcomeJoin join;

    public OutcomeReader(PipelineSettings settings, Deserializer<OutcomeEvent> deserializer) {
        this.settings = settings;
        this.deserializer = deserializer;
    }

    @Override
    public void init(ProcessorContext<String, DeadLetter> context) {
        this.context = context;
        this.windows = context.getStateStore(EventSummarizer.STORE);
        this.join = new OutcomeJoin(BusinessSettings.of(settings.signals()), settings.metrics(),
                context.getStateStore(OutcomeJoin.STORE), new UnattributedOutcomes(settings, windows)::count);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        OutcomeEvent outcome;
        try {
            String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("outcome-events");
            outcome = deserializer.deserialize(topic, record.headers(), record.value());
            String problem = problem(outcome, record.key(), settings.maxValueLength());
            if (problem != null) {
                deadLetter(record, new IllegalArgumentException(problem), DeadLetterReason.INVALID_CONTENT);
                return;
            }
        } catch (BadRecordException e) {
            deadLetter(record, e, null);
            return;
        } catch (SerializationException e) {
            throw e; // the registry cannot be reached: read the record again rather than dead-letter it
        } catch (RuntimeException e) {
            deadLetter(record, e, DeadLetterReason.MALFORMED_BODY);
            return;
        }
        long streamTime = windows.streamTime();
        long now = context.currentSystemTimeMs();
        long time = outcome.getEventTime().toEpochMilli();
        if (time > settings.latestAcceptedTime(streamTime, now)) {
            // It would wait until stream time caught up (forever, for a time in microseconds).
            deadLetter(record, new IllegalArgumentException("eventTime " + outcome.getEventTime() + " is more than "
                    + settings.maxFutureSkew() + " ahead of stream time " + java.time.Instant.ofEpochMilli(streamTime)
                    + " and of the wall-clock time " + java.time.Instant.ofEpochMilli(now)
                    + "; outcome times must be epoch milliseconds within max.future.skew.ms of now"),
                    DeadLetterReason.INVALID_CONTENT);
            return;
        }
        join.outcome(outcome, streamTime);
    }

    /** What makes a decoded outcome unusable, or null. */
    static String problem(OutcomeEvent o, byte[] key, int maxLabelLength) {
        if (o == null) {
            return "the outcome record has no value (a tombstone)";
        }
        if (o.getRequestId() == null || o.getRequestId().isEmpty() || o.getRequestId().length() > 256) {
            return "requestId is empty or longer than 256 characters; every outcome must name its request";
        }
        if (key == null) {
            return "the outcome record has no key; outcome-events must be keyed by request id ('"
                    + DeadLetterRecords.abbreviate(o.getRequestId())
                    + "'), so that it reaches the partition of its inference";
        }
        if (!o.getRequestId().equals(new String(key, StandardCharsets.UTF_8))) {
            return "the record key is not the outcome's requestId '" + DeadLetterRecords.abbreviate(o.getRequestId())
                    + "'; outcome-events must be keyed by request id, like inference-events";
        }
        long time = o.getEventTime() == null ? 0 : o.getEventTime().toEpochMilli();
        if (time <= 0) {
            return "eventTime " + time + " is not a positive epoch-millisecond time";
        }
        if (o.getLabel() != null && o.getLabel().length() > maxLabelLength) {
            return "label '" + DeadLetterRecords.abbreviate(o.getLabel()) + "' is " + o.getLabel().length()
                    + " characters long, more than max.value.length (" + maxLabelLength + "); a label names a class,"
                    + " like the inference's outputs.label";
        }
        return null;
    }

    private void deadLetter(Record<byte[], byte[]> record, Exception failure, DeadLetterReason reason) {
        DeadLetter letter = DeadLetterRecords.of(context, record, failure, reason, settings);
        context.forward(record.withKey(DeadLetterRecords.key(record)).withHeaders(new RecordHeaders()).withValue(letter));
    }
}
