package dev.driftwatch.schemas.registry;

import org.apache.kafka.common.KafkaException;

/**
 * A schema-registry call failed: the registry answered with an error, or could not be reached
 * within the configured time-outs and retries.
 *
 * <p>{@link #httpStatus()} is the HTTP status (or {@link #NO_RESPONSE} when no answer came) and
 * {@link #errorCode()} the registry's {@code error_code} (e.g. 40403 "schema not found", 40401
 * "subject not found", 409 "incompatible schema"; {@link #NO_RESPONSE} when absent).
 */
public class SchemaRegistryException extends KafkaException {
    private static final long serialVersionUID = 1L;

    /** Status and error code of a call that got no answer. */
    public static final int NO_RESPONSE = -1;

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(String message, int httpStatus, int errorCode) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = NO_RESPONSE;
        this.errorCode = NO_RESPONSE;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int errorCode() {
        return errorCode;
    }

    /** True when the subject, version or schema id does not exist (HTTP 404). */
    public boolean isNotFound() {
        return httpStatus == 404;
    }

    /** True when the registry refused the schema as incompatible (HTTP 409). */
    public boolean isIncompatible() {
        return httpStatus == 409;
    }

    /** True when another try may succeed: no answer, 429 or a 5xx status. */
    public boolean isRetriable() {
        return httpStatus == NO_RESPONSE || httpStatus == 429 || httpStatus >= 500;
    }

    static SchemaRegistryException notFound(String what, int errorCode) {
        return new SchemaRegistryException(what + " not found", 404, errorCode);
    }
}
