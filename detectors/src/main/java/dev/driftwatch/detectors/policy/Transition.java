package dev.driftwatch.detectors.policy;

/**
 * The alert state change caused by one window, as decided by {@link Persistence}. An alert fires
 * once and resolves once: windows between the two give {@link #NONE}.
 */
public enum Transition {

    /** The alert state did not change: no alert is emitted for this window. */
    NONE,

    /** The subject was quiet and is now drifting: emit a FIRING alert. */
    FIRING,

    /** The subject was drifting and is now quiet: emit a RESOLVED alert. */
    RESOLVED
}
