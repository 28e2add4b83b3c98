package dev.driftwatch.schemas.serde;

import dev.driftwatch.schemas.avro.DeadLetterReason;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The bytes of a record cannot be read: they are not a Confluent-framed Avro record that this
 * reader can decode. The pipeline turns it into a {@code DeadLetter} with {@link #reason()} and
 * the message, and goes on (see {@link DeadLetters}).
 *
 * <p>It is a {@link SerializationException}, so Kafka Streams hands it to the configured
 * deserialization exception handler. A registry that cannot be reached is not a bad record and
 * raises a plain {@link SerializationException} instead: that record is readable later.
 */
public class BadRecordException extends SerializationException {
    private static final long serialVersionUID = 1L;

    /** Why the bytes cannot be read. */
    public enum Reason {
        /** The first byte is not the magic byte 0 of the Confluent wire format. */
        WRONG_MAGIC_BYTE,
        /** Fewer bytes than the 5-byte header, or than the Avro body needs. */
        TRUNCATED,
        /** The registry has no schema with the id in the header. */
        UNKNOWN_SCHEMA_ID,
        /** The writer schema cannot be resolved to the reader schema (Avro schema resolution fails). */
        SCHEMA_MISMATCH,
        /** The body does not decode with the writer schema (bad union index, bad length, trailing bytes, ...). */
        MALFORMED_BODY;

        /** The same reason on the DeadLetter topic. */
        public DeadLetterReason deadLetterReason() {
            return DeadLetterReason.valueOf(name());
        }
    }

    private final Reason reason;
    private final Integer schemaId;

    public BadRecordException(Reason reason, Integer schemaId, String message) {
        this(reason, schemaId, message, null);
    }

    public BadRecordException(Reason reason, Integer schemaId, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
        this.schemaId = schemaId;
    }

    public Reason reason() {
        return reason;
    }

    /** The schema id read from the header, or null when the header could not be read. */
    public Integer schemaId() {
        return schemaId;
    }
}
