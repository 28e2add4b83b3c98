package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.policy.PersistenceState;

import java.util.List;
import java.util.Optional;

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
 * @param alertId           the id of the open FIRING alert, null when not firing (or when it fired before
 *                          the ids were kept)
 * @param kind              {@value #DRIFT}, or {@value #DATA_QUALITY} for a subject's data-quality alert (kept
 *                          under {@link Subjects#dataQuality}; its test is the check that fired, e.g.
 *                          {@code absent})
 */
public record AlertStatus(String model, String version, String segment, String subject, boolean firing,
                          String severity, String test, int windowsObserved, int windowsDrifted,
                          boolean latestDrifted, String alertId, String kind) {
    /** The kind of every alert state but the data-quality ones. */
    public static final String DRIFT = "drift";
    /** The kind of a subject's data-quality alert state. */
    public static final String DATA_QUALITY = "data_quality";

    /** A drift alert's status. */
    public AlertStatus(String model, String version, String segment, String subject, boolean firing, String severity,
                       String test, int windowsObserved, int windowsDrifted, boolean latestDrifted, String alertId) {
        this(model, version, segment, subject, firing, severity, test, windowsObserved, windowsDrifted, latestDrifted,
                alertId, DRIFT);
    }

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
        boolean quality = parts[3].startsWith(Subjects.DATA_QUALITY_PREFIX);
        String test = quality ? (p.isFiring() ? state.firingOutput() : null)
                : state.firingTest() == null ? null : state.firingTest().id();
        return new AlertStatus(parts[0], parts[1], parts[2],
                quality ? parts[3].substring(Subjects.DATA_QUALITY_PREFIX.length()) : parts[3], p.isFiring(),
                state.firingSeverity().name(), test, p.windowsObserved(), p.driftedInLast(persistenceWindows),
                (p.history() & 1L) != 0, p.isFiring() ? state.firingAlertId() : null, quality ? DATA_QUALITY : DRIFT);
    }

    /**
     * A mute set by a MUTE command, from the mutes store ({@link WindowEvaluator#MUTES_STORE}).
     *
     * @param model   model id
     * @param version model version, {@code *} for every version
     * @param subject subject, {@code *} for every subject
     * @param until   end of the mute in epoch milliseconds (windows ending up to then are muted);
     *                {@link Long#MAX_VALUE} until UNMUTE
     */
    public record Mute(String model, String version, String subject, long until) {
        /** The mute of a store entry: key {@code model|version|subject}, value its end. */
        public static Mute decode(String key, Long until) {
            String[] parts = key.split("\\|", 3);
            if (parts.length != 3 || until == null) {
                throw new IllegalArgumentException("not a mute entry: key '" + key + "'");
            }
            return new Mute(parts[0], parts[1], parts[2], until);
        }

        /** Whether it lasts until UNMUTE. */
        public boolean untilUnmute() {
            return until == Long.MAX_VALUE;
        }

        /** Whether the mute covers the subject of the model version. */
        public boolean covers(String m, String v, String s) {
            return (model.equals(ControlHandler.ANY) || model.equals(m))
                    && (version.equals(ControlHandler.ANY) || version.equals(v))
                    && (subject.equals(ControlHandler.ANY) || subject.equals(s));
        }
    }

    /** The latest end among the mutes that cover the subject and have not ended at {@code nowMillis}. */
    public Optional<Long> mutedUntil(List<Mute> mutes, long nowMillis) {
        return mutes.stream().filter(m -> m.covers(model, version, subject) && m.until() > nowMillis)
                .map(Mute::until).max(Long::compare);
    }

    /**
     * The alert id and acknowledging command of an alert-log entry ({@link WindowEvaluator#ALERT_LOG_STORE}):
     * key {@code time|alertId}; the command id is empty while the alert is not acknowledged.
     *
     * @return {alertId, commandId}
     */
    public static String[] acknowledgement(String key, byte[] value) {
        int bar = key.indexOf('|');
        return new String[] {key.substring(bar + 1), value == null ? "" : ControlHandler.readAck(value)};
    }
}
