package dev.driftwatch.streams.roles;

import dev.driftwatch.streams.Signals;
import dev.driftwatch.streams.Validators;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import java.time.Duration;
import java.util.Objects;

/**
 * How shadow and canary versions are compared with the primary version on the same requests.
 *
 * <p>Events of one request share its key (the request id), so a candidate's event and the primary's event
 * of the same model and request meet in the same input partition. They are joined there if the second
 * arrives before stream time passes the first one's event time plus the join window; the pair is counted
 * in the candidate's window. A window closes {@code window.grace.ms} after its end, so the join window must
 * not exceed the grace: then every candidate's pair (or its lack of one) is known before its window closes.
 *
 * @param enabled        whether the pipeline does this at all ({@code roles.enabled})
 * @param joinWindow     how long after a request's first event its other events are still joined to it
 *                       ({@code roles.join.window.ms}); at most the windows' grace
 * @param scoreTolerance two scores agree when they differ by at most this ({@code roles.agreement.score.tolerance});
 *                       used when the two outputs do not both carry a label
 * @param minAgreement   a candidate agreeing with the primary on a smaller share of its paired requests
 *                       differs ({@code roles.agreement.min}, in [0, 1]; 0 turns the check off)
 * @param psiThreshold   PSI of the candidate's scores or labels against the primary's at or over which it
 *                       differs ({@code roles.psi.threshold})
 * @param ksThreshold    KS D of the candidate's scores against the primary's at or over which it differs
 *                       ({@code roles.ks.threshold}, in (0, 1])
 * @param minPairs       fewest paired requests in a window before the candidate can be said to differ
 *                       ({@code roles.min.paired.requests}); the statistics are reported either way
 */
public record RoleSettings(boolean enabled, Duration joinWindow, double scoreTolerance, double minAgreement,
                           double psiThreshold, double ksThreshold, long minPairs) implements Signals.Settings {
    public static final String ENABLED_CONFIG = "roles.enabled";
    public static final String JOIN_WINDOW_MS_CONFIG = "roles.join.window.ms";
    public static final long DEFAULT_JOIN_WINDOW_MS = 30_000L;
    public static final String SCORE_TOLERANCE_CONFIG = "roles.agreement.score.tolerance";
    public static final double DEFAULT_SCORE_TOLERANCE = 0.05;
    public static final String MIN_AGREEMENT_CONFIG = "roles.agreement.min";
    public static final double DEFAULT_MIN_AGREEMENT = 0.8;
    public static final String PSI_THRESHOLD_CONFIG = "roles.psi.threshold";
    public static final double DEFAULT_PSI_THRESHOLD = 0.2;
    public static final String KS_THRESHOLD_CONFIG = "roles.ks.threshold";
    public static final double DEFAULT_KS_THRESHOLD = 0.1;
    public static final String MIN_PAIRS_CONFIG = "roles.min.paired.requests";
    public static final long DEFAULT_MIN_PAIRS = 30;
    /** The pipeline's grace key, which bounds the join window. */
    static final String GRACE_CONFIG = "window.grace.ms";
    private static final String GROUP = "Roles";

    public RoleSettings {
        Objects.requireNonNull(joinWindow, "joinWindow");
        if (joinWindow.isNegative()) {
            throw new IllegalArgumentException(JOIN_WINDOW_MS_CONFIG + " must be >= 0, got " + joinWindow.toMillis());
        }
        if (!(Double.isFinite(scoreTolerance) && scoreTolerance >= 0)) {
            throw new IllegalArgumentException(SCORE_TOLERANCE_CONFIG + " must be a finite number >= 0, got "
                    + scoreTolerance);
        }
        if (!(minAgreement >= 0 && minAgreement <= 1)) {
            throw new IllegalArgumentException(MIN_AGREEMENT_CONFIG + " must be in [0, 1], got " + minAgreement);
        }
        if (!(Double.isFinite(psiThreshold) && psiThreshold > 0)) {
            throw new IllegalArgumentException(PSI_THRESHOLD_CONFIG + " must be a finite number > 0, got "
                    + psiThreshold);
        }
        if (!(ksThreshold > 0 && ksThreshold <= 1)) {
            throw new IllegalArgumentException(KS_THRESHOLD_CONFIG + " must be in (0, 1], got " + ksThreshold);
        }
        if (minPairs < 1) {
            throw new IllegalArgumentException(MIN_PAIRS_CONFIG + " must be >= 1, got " + minPairs);
        }
    }

    /** The settings of this signal among {@code signals}; disabled when none were set. */
    public static RoleSettings of(Signals signals) {
        return signals.get(RoleSettings.class, RoleSettings::disabled);
    }

    /** Off: the pipeline neither reads nor writes anything for it. */
    public static RoleSettings disabled() {
        return defaults(false);
    }

    /** The defaults, on or off. */
    public static RoleSettings defaults(boolean enabled) {
        return new RoleSettings(enabled, Duration.ofMillis(DEFAULT_JOIN_WINDOW_MS), DEFAULT_SCORE_TOLERANCE,
                DEFAULT_MIN_AGREEMENT, DEFAULT_PSI_THRESHOLD, DEFAULT_KS_THRESHOLD, DEFAULT_MIN_PAIRS);
    }

    public RoleSettings withJoinWindow(Duration d) {
        return new RoleSettings(enabled, d, scoreTolerance, minAgreement, psiThreshold, ksThreshold, minPairs);
    }

    public RoleSettings withMinPairs(long n) {
        return new RoleSettings(enabled, joinWindow, scoreTolerance, minAgreement, psiThreshold, ksThreshold, n);
    }

    public RoleSettings withScoreTolerance(double t) {
        return new RoleSettings(enabled, joinWindow, t, minAgreement, psiThreshold, ksThreshold, minPairs);
    }

    public RoleSettings withMinAgreement(double a) {
        return new RoleSettings(enabled, joinWindow, scoreTolerance, a, psiThreshold, ksThreshold, minPairs);
    }

    /** The agreement rule in words, as RoleComparison.agreementRule reports it. */
    public String agreementRule() {
        return "same label when both carry one, else |score difference| <= "
                + java.math.BigDecimal.valueOf(scoreTolerance).stripTrailingZeros().toPlainString();
    }

    /**
     * Checks the join window against the windows' grace.
     *
     * @throws IllegalArgumentException when the join window is longer than the grace
     */
    public void checkAgainstGrace(Duration grace) {
        if (enabled && joinWindow.compareTo(grace) > 0) {
            throw new IllegalArgumentException(JOIN_WINDOW_MS_CONFIG + "=" + joinWindow.toMillis() + " exceeds "
                    + GRACE_CONFIG + "=" + grace.toMillis() + ": a window would close before its candidates' pairs"
                    + " are known; lower " + JOIN_WINDOW_MS_CONFIG + " or raise " + GRACE_CONFIG);
        }
    }

    /** Declares the settings in driftwatch's configuration. */
    public static void define(ConfigDef def) {
        def.define(ENABLED_CONFIG, ConfigDef.Type.BOOLEAN, false, Validators.bool(), ConfigDef.Importance.MEDIUM,
                "Whether to compare shadow and canary versions with the primary version on the same requests"
                        + " (joined on request id) and publish a RoleComparison per candidate and window.",
                GROUP, 1, ConfigDef.Width.SHORT, ENABLED_CONFIG);
        def.define(JOIN_WINDOW_MS_CONFIG, ConfigDef.Type.LONG, DEFAULT_JOIN_WINDOW_MS, ConfigDef.Range.atLeast(0),
                ConfigDef.Importance.MEDIUM, "How long, in event time after a request's first event, the primary's"
                        + " and the candidates' events of the request are still joined; a candidate without a"
                        + " primary by then is counted unpaired. At most " + GRACE_CONFIG + ".",
                GROUP, 2, ConfigDef.Width.SHORT, JOIN_WINDOW_MS_CONFIG);
        def.define(SCORE_TOLERANCE_CONFIG, ConfigDef.Type.DOUBLE, DEFAULT_SCORE_TOLERANCE,
                Validators.nonNegativeFinite(), ConfigDef.Importance.MEDIUM, "A candidate's output agrees with the"
                        + " primary's when both labels are equal or, without two labels, when the scores differ by"
                        + " at most this.", GROUP, 3, ConfigDef.Width.SHORT, SCORE_TOLERANCE_CONFIG);
        def.define(MIN_AGREEMENT_CONFIG, ConfigDef.Type.DOUBLE, DEFAULT_MIN_AGREEMENT, ConfigDef.Range.between(0, 1),
                ConfigDef.Importance.MEDIUM, "A candidate whose agreement rate with the primary is below this"
                        + " differs (0 turns the check off).", GROUP, 4, ConfigDef.Width.SHORT, MIN_AGREEMENT_CONFIG);
        def.define(PSI_THRESHOLD_CONFIG, ConfigDef.Type.DOUBLE, DEFAULT_PSI_THRESHOLD, positiveFinite(),
                ConfigDef.Importance.MEDIUM, "PSI of the candidate's scores or labels against the primary's on the"
                        + " paired requests at or over which the candidate differs.", GROUP, 5,
                ConfigDef.Width.SHORT, PSI_THRESHOLD_CONFIG);
        def.define(KS_THRESHOLD_CONFIG, ConfigDef.Type.DOUBLE, DEFAULT_KS_THRESHOLD, Validators.halfOpenUnitInterval(),
                ConfigDef.Importance.MEDIUM, "KS D of the candidate's scores against the primary's on the paired"
                        + " requests at or over which the candidate differs.", GROUP, 6, ConfigDef.Width.SHORT,
                KS_THRESHOLD_CONFIG);
        def.define(MIN_PAIRS_CONFIG, ConfigDef.Type.LONG, DEFAULT_MIN_PAIRS, ConfigDef.Range.atLeast(1),
                ConfigDef.Importance.LOW, "Fewest paired requests in a window before a candidate can be said to"
                        + " differ; its statistics are published either way.", GROUP, 7, ConfigDef.Width.SHORT,
                MIN_PAIRS_CONFIG);
    }

    private static ConfigDef.Validator positiveFinite() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                double d = (Double) value;
                if (!(Double.isFinite(d) && d > 0)) {
                    throw new ConfigException(name, value, "expected a finite number > 0, e.g. 0.2");
                }
            }

            @Override
            public String toString() {
                return "(0, +inf), finite";
            }
        };
    }

    /**
     * The settings from a parsed configuration that {@link #define} declared.
     *
     * @throws ConfigException when {@code roles.join.window.ms} exceeds {@code window.grace.ms}
     */
    public static RoleSettings from(AbstractConfig config) {
        RoleSettings s = new RoleSettings(config.getBoolean(ENABLED_CONFIG),
                Duration.ofMillis(config.getLong(JOIN_WINDOW_MS_CONFIG)), config.getDouble(SCORE_TOLERANCE_CONFIG),
                config.getDouble(MIN_AGREEMENT_CONFIG), config.getDouble(PSI_THRESHOLD_CONFIG),
                config.getDouble(KS_THRESHOLD_CONFIG), config.getLong(MIN_PAIRS_CONFIG));
        try {
            s.checkAgainstGrace(Duration.ofMillis(config.getLong(GRACE_CONFIG)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(JOIN_WINDOW_MS_CONFIG, config.getLong(JOIN_WINDOW_MS_CONFIG), e.getMessage());
        }
        return s;
    }
}
