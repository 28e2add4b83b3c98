package dev.driftwatch.detectors.policy;

/**
 * Thrown when an alert-policy setting is invalid: a threshold, significance level, persistence
 * rule, dataset share or version outside its allowed range. The message names the setting, the
 * value given and what would be accepted, so that a rejected policy command can be explained.
 */
public final class IllegalPolicyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong, with the value and what would be right
     */
    public IllegalPolicyException(String message) {
        super(message);
    }
}
