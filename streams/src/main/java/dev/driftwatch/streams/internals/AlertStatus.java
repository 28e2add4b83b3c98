package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.policy.PersistenceState;

/**
 * The current drift state of one subject, read from the alert-state store
 * ({@link WindowEvaluator#ALERTS_STORE}) for {@code GET /status}.
 *
 * @param model             model id
 * @param version           model version
 * @param segment           segment value, {@code *} when windows are not split by segment
 * @param subject           feature, output ({@code output.score}) or {@code *dataset*}
 * @param firing            whether the subject's alert is firing
 * @param severity          NONE, WARNING or CRITICAL (the severity it fired with; NONE when not firing)
 * @param test              the test that fired (e.g. {@code psi}), or null
 * @param windowsObserved   windows evaluated for the subject, capped at 64
 * @param windowsDrifted    how many of the last {@code persistenceWindows} windows drifted
 * @param latestDrifted     whether the latest window drifted
 */
public record AlertStatus(String model, String version, String segment, String subject, boolean firing,
                          String severity, String test, int windowsObserved, int windowsDrifted,
                          boolean latestDrifted) {

    /**
     * Decodes one entry of the alert-state store.
     *
     * @param key                {@code model|version|segment|subject}
     * @param value              the stored state
     * @param persistenceWindows n of the m-of-n rule, 1..64: how far back {@link #windowsDrifted} counts
     * @throws IllegalArgumentException when the key or value is not of that form
     */
    public static AlertStatus decode(String key, byte[] value, int persistenceWindows) {
        String[] parts = key.split("\\|", 4);
        if (parts.length != 4 || value == null) {
            throw new IllegalArgumentException("not an alert-state entry: key '" + key + "'");
        }
        SubjectAlertState state = SubjectAlertState.fromBytes(value);
        PersistenceState p = state.persistence();
        return new AlertStatus(parts[0], parts[1], parts[2], parts[3], p.isFiring(), state.firingSeverity().name(),
                state.firingTest() == null ? null : state.firingTest().id(), p.windowsObserved(),
                p.driftedInLast(persistenceWindows), (p.history() & 1L) != 0);
    }
}
