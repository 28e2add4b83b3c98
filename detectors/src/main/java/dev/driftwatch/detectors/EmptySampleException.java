package dev.driftwatch.detectors;

/**
 * A statistic was asked of a sample with no usable (non-missing) values.
 */
public final class EmptySampleException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public EmptySampleException(String message) {
        super(message);
    }
}
