package dev.driftwatch.streams.business;

import dev.driftwatch.streams.Signals;
import dev.driftwatch.streams.Validators;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import java.time.Duration;

/**
 * How outcome events are joined to inferences and turned into CTR, conversion rate and their alerts.
 *
 * <p>An outcome joins the inference of the same request id when both fall within {@code joinWindow}
 * of event time. Outcomes reach the broker later than the inferences they follow (a click is logged
 * after the page was served), so the join waits a further {@code joinGrace} of stream time: a request
 * is final once its partition's stream time has reached its inference time plus the join window plus
 * the grace, and an outcome is late (joins nothing) once stream time has reached its own time plus the
 * join window plus the grace. Windows therefore close {@code joinWindow + joinGrace} later than they
 * would without business outcomes, so that their counts are complete when they are evaluated.
 *
 * <p>A CTR drop is an alert when the window has at least {@code minImpressions} impressions, the
 * one-sided pooled two-proportion z-test of "window CTR &lt; baseline CTR" has a p-value at most
 * {@code alpha}, and the relative drop {@code 1 - ctr / baselineCtr} reaches {@code dropWarning}
 * (WARNING) or {@code dropCritical} (CRITICAL). FIRING and RESOLVED follow the model version's
 * persistence rule (m of n windows), like every other subject.
 *
 * <p>The join follows the order in which Kafka Streams hands over the records of the two topics (by
 * timestamp, among the records fetched). Whether an outcome joins depends only on the partition's stream
 * time when it is read (the largest inference event time read so far), never on timing within the
 * process. A live run therefore gives the same result as a replay when every outcome is read before
 * the partition's stream time reaches its request's inference time + joinWindow + joinGrace: that is,
 * when outcomes are delivered, and read, at most {@code joinGrace} of event time behind the inferences
 * that were written after them. An outcome read later is counted as late, not joined. When business
 * outcomes are enabled, {@code max.task.idle.ms} defaults to {@link #DEFAULT_MAX_TASK_IDLE_MS} so that a
 * task waits for an outcome partition that has data on the broker but none fetched yet.
 *
 * @param enabled        whether the pipeline does this at all ({@code business.enabled})
 * @param joinWindow     how long after an inference (and before it) its outcomes may arrive, in event
 *                       time ({@code business.join.window.ms}); typically minutes
 * @param joinGrace      how much longer (in stream time) a request stays open for outcomes that are
 *                       delivered late ({@code business.join.grace.ms}); typically seconds
 * @param minImpressions fewest impressions in a window for its CTR to be tested
 *                       ({@code business.ctr.min.impressions})
 * @param dropWarning    relative CTR drop, in (0, 1], from which a significant drop is a WARNING
 *                       ({@code business.ctr.drop.warning}), e.g. 0.1 for 10 % below baseline
 * @param dropCritical   relative CTR drop, in [dropWarning, 1], from which it is CRITICAL
 *                       ({@code business.ctr.drop.critical})
 * @param alpha          significance level of the one-sided two-proportion test, in (0, 1)
 *                       ({@code business.ctr.alpha})
 * @param outcomes       how the other outcomes (conversion rate, negative feedback, success rate, value per
 *                       request) are tested ({@code business.outcomes.*})
 */
public record BusinessSettings(boolean enabled, Duration joinWindow, Duration joinGrace, long minImpressions,
                               double dropWarning, double dropCritical, double alpha, OutcomeTests outcomes)
        implements Signals.Settings {
    public static final String ENABLED_CONFIG = "business.enabled";
    public static final String JOIN_WINDOW_MS_CONFIG = "business.join.window.ms";
    public static final long DEFAULT_JOIN_WINDOW_MS = 300_000L;
    public static final String JOIN_GRACE_MS_CONFIG = "business.join.grace.ms";
    public static final long DEFAULT_JOIN_GRACE_MS = 30_000L;
    public static final String MIN_IMPRESSIONS_CONFIG = "business.ctr.min.impressions";
    public static final long DEFAULT_MIN_IMPRESSIONS = 200;
    public static final String DROP_WARNING_CONFIG = "business.ctr.drop.warning";
    public static final double DEFAULT_DROP_WARNING = 0.1;
    public static final String DROP_CRITICAL_CONFIG = "business.ctr.drop.critical";
    public static final double DEFAULT_DROP_CRITICAL = 0.25;
    public static final String ALPHA_CONFIG = "business.ctr.alpha";
    public static final double DEFAULT_ALPHA = 0.01;
    /**
     * Kafka Streams' {@code max.task.idle.ms} when business outcomes are enabled and it is not set: a task
     * waits this long for an outcome partition that has data on the broker but none fetched yet, instead
     * of running its inferences ahead and ending their joins before their outcomes are read.
     */
    public static final long DEFAULT_MAX_TASK_IDLE_MS = 500L;
    public static final String OUTCOMES_MIN_COUNT_CONFIG = "business.outcomes.min.count";
    public static final long DEFAULT_OUTCOMES_MIN_COUNT = 100;
    public static final String OUTCOMES_CHANGE_WARNING_CONFIG = "business.outcomes.change.warning";
    public static final double DEFAULT_OUTCOMES_CHANGE_WARNING = 0.1;
    public static final String OUTCOMES_CHANGE_CRITICAL_CONFIG = "business.outcomes.change.critical";
    public static final double DEFAULT_OUTCOMES_CHANGE_CRITICAL = 0.25;
    public static final String OUTCOMES_ALPHA_CONFIG = "business.outcomes.alpha";
    public static final double DEFAULT_OUTCOMES_ALPHA = 0.01;
    private static final String GROUP = "Business";

    /**
     * How the outcomes besides the CTR are tested against their baselines: the conversion rate, the
     * negative-feedback rate and the success rate by the one-sided pooled two-proportion z-test, the value per
     * request by Welch's one-sided t-test on means. A window is tested when it has at least {@code minCount}
     * trials (clicks; requests with feedback; requests with SUCCESS or FAILURE; valued requests); its verdict is
     * WARNING when p &le; {@code alpha} and the relative change in the bad direction (a drop, or for negative
     * feedback a rise: rate / baseline − 1) reaches {@code changeWarning}, CRITICAL from {@code changeCritical}.
     *
     * @param minCount       fewest trials for a test, &ge; 2 ({@code business.outcomes.min.count})
     * @param changeWarning  relative change from which a significant one is a WARNING, &gt; 0
     *                       ({@code business.outcomes.change.warning})
     * @param changeCritical relative change from which it is CRITICAL, &ge; changeWarning
     *                       ({@code business.outcomes.change.critical})
     * @param alpha          significance level, in (0, 1) ({@code business.outcomes.alpha})
     */
    public record OutcomeTests(long minCount, double changeWarning, double changeCritical, double alpha) {
        public OutcomeTests {
            if (minCount < 2) {
                throw new IllegalArgumentException(OUTCOMES_MIN_COUNT_CONFIG + " must be >= 2, got " + minCount);
            }
            if (!(changeWarning > 0)) {
                throw new IllegalArgumentException(OUTCOMES_CHANGE_WARNING_CONFIG + " must be > 0, got "
                        + changeWarning);
            }
            if (!(changeCritical >= changeWarning)) {
                throw new IllegalArgumentException(OUTCOMES_CHANGE_CRITICAL_CONFIG + "=" + changeCritical
                        + " must be at least " + OUTCOMES_CHANGE_WARNING_CONFIG + "=" + changeWarning
                        + "; raise it or lower the warning level");
            }
            if (!(alpha > 0 && alpha < 1)) {
                throw new IllegalArgumentException(OUTCOMES_ALPHA_CONFIG + " must be in (0, 1), got " + alpha);
            }
        }

        /** The defaults. */
        public static OutcomeTests defaults() {
            return new OutcomeTests(DEFAULT_OUTCOMES_MIN_COUNT, DEFAULT_OUTCOMES_CHANGE_WARNING,
                    DEFAULT_OUTCOMES_CHANGE_CRITICAL, DEFAULT_OUTCOMES_ALPHA);
        }
    }

    /** The settings with the default tests of the outcomes besides the CTR. */
    public BusinessSettings(boolean enabled, Duration joinWindow, Duration joinGrace, long minImpressions,
                            double dropWarning, double dropCritical, double alpha) {
        this(enabled, joinWindow, joinGrace, minImpressions, dropWarning, dropCritical, alpha, OutcomeTests.defaults());
    }

    public BusinessSettings {
        if (joinWindow == null || joinWindow.isNegative() || joinWindow.isZero()) {
            throw new IllegalArgumentException(JOIN_WINDOW_MS_CONFIG + " must be > 0 ms, got " + joinWindow);
        }
        if (joinGrace == null || joinGrace.isNegative()) {
            throw new IllegalArgumentException(JOIN_GRACE_MS_CONFIG + " must be >= 0 ms, got " + joinGrace
                    + "; use 0 for no allowance for late outcome delivery");
        }
        if (minImpressions < 1) {
            throw new IllegalArgumentException(MIN_IMPRESSIONS_CONFIG + " must be >= 1, got " + minImpressions);
        }
        if (!(dropWarning > 0 && dropWarning <= 1)) {
            throw new IllegalArgumentException(DROP_WARNING_CONFIG + " must be in (0, 1], got " + dropWarning);
        }
        if (!(dropCritical >= dropWarning && dropCritical <= 1)) {
            throw new IllegalArgumentException(DROP_CRITICAL_CONFIG + "=" + dropCritical + " must be in ["
                    + DROP_WARNING_CONFIG + "=" + dropWarning + ", 1]; raise it or lower the warning level");
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException(ALPHA_CONFIG + " must be in (0, 1), got " + alpha);
        }
        if (outcomes == null) {
            throw new IllegalArgumentException("the outcome tests are missing; use OutcomeTests.defaults()");
        }
    }

    /** The settings of this signal among {@code signals}; disabled when none were set. */
    public static BusinessSettings of(Signals signals) {
        return signals.get(BusinessSettings.class, BusinessSettings::disabled);
    }

    /** Off: the pipeline neither reads nor writes anything for it. */
    public static BusinessSettings disabled() {
        return new BusinessSettings(false, Duration.ofMillis(DEFAULT_JOIN_WINDOW_MS),
                Duration.ofMillis(DEFAULT_JOIN_GRACE_MS), DEFAULT_MIN_IMPRESSIONS, DEFAULT_DROP_WARNING,
                DEFAULT_DROP_CRITICAL, DEFAULT_ALPHA);
    }

    /**
     * On, with the default thresholds, the given join window and <em>no</em> join grace (exact event-time
     * tests and files; a live pipeline configured through {@link #from} gets
     * {@link #DEFAULT_JOIN_GRACE_MS}). Add one with {@link #withJoinGrace}.
     */
    public static BusinessSettings enabled(Duration joinWindow) {
        return new BusinessSettings(true, joinWindow, Duration.ZERO, DEFAULT_MIN_IMPRESSIONS, DEFAULT_DROP_WARNING,
                DEFAULT_DROP_CRITICAL, DEFAULT_ALPHA);
    }

    public BusinessSettings withJoinGrace(Duration grace) {
        return new BusinessSettings(enabled, joinWindow, grace, minImpressions, dropWarning, dropCritical, alpha,
                outcomes);
    }

    public BusinessSettings withMinImpressions(long n) {
        return new BusinessSettings(enabled, joinWindow, joinGrace, n, dropWarning, dropCritical, alpha, outcomes);
    }

    public BusinessSettings withDrops(double warning, double critical) {
        return new BusinessSettings(enabled, joinWindow, joinGrace, minImpressions, warning, critical, alpha,
                outcomes);
    }

    public BusinessSettings withAlpha(double a) {
        return new BusinessSettings(enabled, joinWindow, joinGrace, minImpressions, dropWarning, dropCritical, a,
                outcomes);
    }

    public BusinessSettings withOutcomeTests(OutcomeTests tests) {
        return new BusinessSettings(enabled, joinWindow, joinGrace, minImpressions, dropWarning, dropCritical, alpha,
                tests);
    }

    /** How long after its inference's event time a request is final: join window plus join grace, in ms. */
    public long finalDelayMs() {
        return joinWindow.toMillis() + joinGrace.toMillis();
    }

    /**
     * How much later a window closes because of the join: the join window plus the join grace when
     * enabled, else zero.
     */
    @Override
    public long closeDelayMs() {
        return enabled ? finalDelayMs() : 0;
    }

    /** Declares the settings in driftwatch's configuration. */
    public static void define(ConfigDef def) {
        def.define(ENABLED_CONFIG, ConfigDef.Type.BOOLEAN, false, Validators.bool(), ConfigDef.Importance.MEDIUM,
                "Whether to join outcome-events to inferences by request id and publish windowed CTR and conversion"
                        + " rate, with CTR alerts. outcome-events must have as many partitions as inference-events"
                        + " (both keyed by request id); windows then close " + JOIN_WINDOW_MS_CONFIG + " later.",
                GROUP, 1, ConfigDef.Width.SHORT, ENABLED_CONFIG);
        def.define(JOIN_WINDOW_MS_CONFIG, ConfigDef.Type.LONG, DEFAULT_JOIN_WINDOW_MS,
                ConfigDef.Range.between(1, 86_400_000L), ConfigDef.Importance.MEDIUM,
                "How far apart in event time an outcome and the inference of its request may be and still join"
                        + " (either order). A request is counted once its partition's stream time reaches its"
                        + " inference time plus this plus " + JOIN_GRACE_MS_CONFIG + "; windows close that much"
                        + " later when " + ENABLED_CONFIG + "=true. State grows with traffic times this window.",
                GROUP, 2, ConfigDef.Width.SHORT, JOIN_WINDOW_MS_CONFIG);
        def.define(JOIN_GRACE_MS_CONFIG, ConfigDef.Type.LONG, DEFAULT_JOIN_GRACE_MS,
                ConfigDef.Range.between(0, 86_400_000L), ConfigDef.Importance.MEDIUM,
                "Allowance for outcomes delivered late: how much further stream time (inference event time) a"
                        + " request stays open after its join window, so that an outcome within the join window"
                        + " that reaches the broker up to this much after later inferences still joins. Live and"
                        + " replayed runs agree when outcomes lag the inferences by less than this. Windows close"
                        + " this much later too.", GROUP, 7, ConfigDef.Width.SHORT, JOIN_GRACE_MS_CONFIG);
        def.define(MIN_IMPRESSIONS_CONFIG, ConfigDef.Type.LONG, DEFAULT_MIN_IMPRESSIONS, ConfigDef.Range.atLeast(1),
                ConfigDef.Importance.LOW, "Fewest impressions in a window of a model version for its CTR to be"
                        + " tested against the baseline; smaller windows are published but never alert.",
                GROUP, 3, ConfigDef.Width.SHORT, MIN_IMPRESSIONS_CONFIG);
        def.define(DROP_WARNING_CONFIG, ConfigDef.Type.DOUBLE, DEFAULT_DROP_WARNING,
                Validators.halfOpenUnitInterval(), ConfigDef.Importance.MEDIUM,
                "Relative CTR drop (1 - ctr / baseline ctr) from which a significant drop is a WARNING alert,"
                        + " e.g. 0.1 = 10 % below the baseline.", GROUP, 4, ConfigDef.Width.SHORT, DROP_WARNING_CONFIG);
        def.define(DROP_CRITICAL_CONFIG, ConfigDef.Type.DOUBLE, DEFAULT_DROP_CRITICAL,
                Validators.halfOpenUnitInterval(), ConfigDef.Importance.MEDIUM,
                "Relative CTR drop from which the alert is CRITICAL; at least " + DROP_WARNING_CONFIG + ".",
                GROUP, 5, ConfigDef.Width.SHORT, DROP_CRITICAL_CONFIG);
        def.define(ALPHA_CONFIG, ConfigDef.Type.DOUBLE, DEFAULT_ALPHA, Validators.openUnitInterval(),
                ConfigDef.Importance.LOW, "Significance level of the one-sided pooled two-proportion z-test of"
                        + " the window's CTR against the baseline's.", GROUP, 6, ConfigDef.Width.SHORT, ALPHA_CONFIG);
        def.define(OUTCOMES_MIN_COUNT_CONFIG, ConfigDef.Type.LONG, DEFAULT_OUTCOMES_MIN_COUNT,
                ConfigDef.Range.atLeast(2), ConfigDef.Importance.LOW, "Fewest trials in a window for the outcomes"
                        + " besides the CTR to be tested against their baselines: clicks (conversion rate), requests"
                        + " with feedback (negative-feedback rate), requests with SUCCESS or FAILURE (success rate),"
                        + " requests with a value (value per request). Smaller windows are published but never"
                        + " alert.", GROUP, 8, ConfigDef.Width.SHORT, OUTCOMES_MIN_COUNT_CONFIG);
        def.define(OUTCOMES_CHANGE_WARNING_CONFIG, ConfigDef.Type.DOUBLE, DEFAULT_OUTCOMES_CHANGE_WARNING,
                ConfigDef.Range.atLeast(Double.MIN_VALUE), ConfigDef.Importance.MEDIUM, "Relative change in the bad"
                        + " direction from which a significant change of the conversion rate, success rate or mean"
                        + " value per request (a drop: 1 - window / baseline) or of the negative-feedback rate (a"
                        + " rise: window / baseline - 1) is a WARNING alert, e.g. 0.1 = 10 %.", GROUP, 9,
                ConfigDef.Width.SHORT, OUTCOMES_CHANGE_WARNING_CONFIG);
        def.define(OUTCOMES_CHANGE_CRITICAL_CONFIG, ConfigDef.Type.DOUBLE, DEFAULT_OUTCOMES_CHANGE_CRITICAL,
                ConfigDef.Range.atLeast(Double.MIN_VALUE), ConfigDef.Importance.MEDIUM, "Relative change from which"
                        + " such an alert is CRITICAL; at least " + OUTCOMES_CHANGE_WARNING_CONFIG + ".", GROUP, 10,
                ConfigDef.Width.SHORT, OUTCOMES_CHANGE_CRITICAL_CONFIG);
        def.define(OUTCOMES_ALPHA_CONFIG, ConfigDef.Type.DOUBLE, DEFAULT_OUTCOMES_ALPHA, Validators.openUnitInterval(),
                ConfigDef.Importance.LOW, "Significance level of the one-sided tests of the outcomes besides the"
                        + " CTR: pooled two-proportion z-tests of the rates, Welch's t-test of the mean value per"
                        + " request.", GROUP, 11, ConfigDef.Width.SHORT, OUTCOMES_ALPHA_CONFIG);
    }

    /** The settings from a parsed configuration that {@link #define} declared. */
    public static BusinessSettings from(AbstractConfig config) {
        double warning = config.getDouble(DROP_WARNING_CONFIG);
        double critical = config.getDouble(DROP_CRITICAL_CONFIG);
        if (critical < warning) {
            throw new ConfigException(DROP_CRITICAL_CONFIG, critical, "must be at least " + DROP_WARNING_CONFIG
                    + "=" + warning + "; raise " + DROP_CRITICAL_CONFIG + " or lower " + DROP_WARNING_CONFIG);
        }
        double changeWarning = config.getDouble(OUTCOMES_CHANGE_WARNING_CONFIG);
        double changeCritical = config.getDouble(OUTCOMES_CHANGE_CRITICAL_CONFIG);
        if (changeCritical < changeWarning) {
            throw new ConfigException(OUTCOMES_CHANGE_CRITICAL_CONFIG, changeCritical, "must be at least "
                    + OUTCOMES_CHANGE_WARNING_CONFIG + "=" + changeWarning + "; raise "
                    + OUTCOMES_CHANGE_CRITICAL_CONFIG + " or lower " + OUTCOMES_CHANGE_WARNING_CONFIG);
        }
        return new BusinessSettings(config.getBoolean(ENABLED_CONFIG),
                Duration.ofMillis(config.getLong(JOIN_WINDOW_MS_CONFIG)),
                Duration.ofMillis(config.getLong(JOIN_GRACE_MS_CONFIG)), config.getLong(MIN_IMPRESSIONS_CONFIG),
                warning, critical, config.getDouble(ALPHA_CONFIG), new OutcomeTests(
                        config.getLong(OUTCOMES_MIN_COUNT_CONFIG), changeWarning, changeCritical,
                        config.getDouble(OUTCOMES_ALPHA_CONFIG)));
    }
}
