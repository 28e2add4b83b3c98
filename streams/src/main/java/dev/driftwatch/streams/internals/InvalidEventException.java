package dev.driftwatch.streams.internals;

/** An event that decodes but cannot be used (no model id, bad time, too many features, ...). */
final class InvalidEventException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidEventException(String message) {
        super(message);
    }
}
