package dev.driftwatch.streams.replay;

/** One record of an events file that cannot be read as an inference event; the message says why. */
public final class BadEventException extends RuntimeException {
    public BadEventException(String message) {
        super(message);
    }
}
