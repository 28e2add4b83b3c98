package dev.driftwatch.streams.performance;

import dev.driftwatch.detectors.performance.ConfusionCounts;
import dev.driftwatch.streams.Signals;
import dev.driftwatch.streams.Validators;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * How a model's realized performance against its labelled ground truth ({@code LABEL} outcomes) is measured and
 * judged per window (see {@link LabelSignal}).
 *
 * @param enabled          whether the signal runs ({@code performance.labels.enabled}); it needs the outcome join
 *                         ({@code business.enabled})
 * @param maxClasses       classes named in a window's confusion matrix (1..1000); the others count as "other"
 * @param minLabelled      fewest labelled predictions (of a kind: classification, regression) for a window to be judged
 * @param accuracyBaseline the configured baseline accuracy in (0, 1], or 0 for none (a captured one is preferred)
 * @param f1Baseline       the baseline macro-F1 in (0, 1], or 0 for none
 * @param maeBaseline      the baseline mean absolute error, &gt; 0, or 0 for none
 * @param rmseBaseline     the baseline root mean squared error, &gt; 0, or 0 for none
 * @param dropWarning      relative drop of accuracy or F1 below its baseline (1 − current/baseline) from which a
 *                         window is degraded (WARNING), in (0, 1]
 * @param dropCritical     from which it is CRITICAL, ≥ the warning
 * @param riseWarning      relative rise of MAE or RMSE over its baseline (current/baseline − 1) from which a window
 *                         is degraded (WARNING), &gt; 0
 * @param riseCritical     from which it is CRITICAL, ≥ the warning
 * @param alpha            significance level of the accuracy's one-sided test, in (0, 0.5]
 */
public record LabelSettings(boolean enabled, int maxClasses, long minLabelled, double accuracyBaseline,
                            double f1Baseline, double maeBaseline, double rmseBaseline, double dropWarning,
                            double dropCritical, double riseWarning, double riseCritical, double alpha)
        implements Signals.Settings {
    public static final String ENABLED_CONFIG = "performance.labels.enabled";
    public static final String MAX_CLASSES_CONFIG = "performance.labels.max.classes";
    public static final int DEFAULT_MAX_CLASSES = 20;
    public static final String MIN_LABELLED_CONFIG = "performance.labels.min.labelled";
    public static final long DEFAULT_MIN_LABELLED = 100;
    public static final String ACCURACY_BASELINE_CONFIG = "performance.labels.accuracy.baseline";
    public static final String F1_BASELINE_CONFIG = "performance.labels.f1.baseline";
    public static final String MAE_BASELINE_CONFIG = "performance.labels.mae.baseline";
    public static final String RMSE_BASELINE_CONFIG = "performance.labels.rmse.baseline";
    public static final String DROP_WARNING_CONFIG = "performance.labels.drop.warning";
    public static final double DEFAULT_DROP_WARNING = 0.1;
    public static final String DROP_CRITICAL_CONFIG = "performance.labels.drop.critical";
    public static final double DEFAULT_DROP_CRITICAL = 0.25;
    public static final String RISE_WARNING_CONFIG = "performance.labels.rise.warning";
    public static final double DEFAULT_RISE_WARNING = 0.2;
    public static final String RISE_CRITICAL_CONFIG = "performance.labels.rise.critical";
    public static final double DEFAULT_RISE_CRITICAL = 0.5;
    public static final String ALPHA_CONFIG = "performance.labels.alpha";
    public static final double DEFAULT_ALPHA = 0.01;
    private static final String GROUP = "Model performance from labels";

    public LabelSettings {
        if (maxClasses < 1 || maxClasses > ConfusionCounts.MAX_CLASSES || minLabelled < 1
                || !(accuracyBaseline >= 0 && accuracyBaseline <= 1) || !(f1Baseline >= 0 && f1Baseline <= 1)
                || !(maeBaseline >= 0) || !(rmseBaseline >= 0) || !(dropWarning > 0 && dropWarning <= 1)
                || !(dropCritical >= dropWarning && dropCritical <= 1) || !(riseWarning > 0)
                || !(riseCritical >= riseWarning) || !(alpha > 0 && alpha <= 0.5)) {
            throw new IllegalArgumentException("label performance settings out of range: max classes " + maxClasses
                    + " (1.." + ConfusionCounts.MAX_CLASSES + "), min labelled " + minLabelled + " (>= 1), baselines"
                    + " accuracy " + accuracyBaseline + " and F1 " + f1Baseline + " (0..1), MAE " + maeBaseline
                    + " and RMSE " + rmseBaseline + " (>= 0), drop " + dropWarning + "/" + dropCritical
                    + " (0 < warning <= critical <= 1), rise " + riseWarning + "/" + riseCritical
                    + " (0 < warning <= critical), alpha " + alpha + " (0..0.5)");
        }
    }

    /** The settings of this signal among {@code signals}; disabled when none were set. */
    public static LabelSettings of(Signals signals) {
        return signals.get(LabelSettings.class, LabelSettings::disabled);
    }

    public static LabelSettings disabled() {
        return defaults(false);
    }

    /** On, with the defaults (no configured baseline: only a captured accuracy baseline is judged against). */
    public static LabelSettings enabledWithDefaults() {
        return defaults(true);
    }

    private static LabelSettings defaults(boolean enabled) {
        return new LabelSettings(enabled, DEFAULT_MAX_CLASSES, DEFAULT_MIN_LABELLED, 0, 0, 0, 0, DEFAULT_DROP_WARNING,
                DEFAULT_DROP_CRITICAL, DEFAULT_RISE_WARNING, DEFAULT_RISE_CRITICAL, DEFAULT_ALPHA);
    }

    public LabelSettings withMinLabelled(long min) {
        return new LabelSettings(enabled, maxClasses, min, accuracyBaseline, f1Baseline, maeBaseline, rmseBaseline,
                dropWarning, dropCritical, riseWarning, riseCritical, alpha);
    }

    public LabelSettings withMaxClasses(int max) {
        return new LabelSettings(enabled, max, minLabelled, accuracyBaseline, f1Baseline, maeBaseline, rmseBaseline,
                dropWarning, dropCritical, riseWarning, riseCritical, alpha);
    }

    /** These settings with configured baselines (0 for none). */
    public LabelSettings withBaselines(double accuracy, double f1, double mae, double rmse) {
        return new LabelSettings(enabled, maxClasses, minLabelled, accuracy, f1, mae, rmse, dropWarning, dropCritical,
                riseWarning, riseCritical, alpha);
    }

    /** Declares the settings in driftwatch's configuration. */
    public static void define(ConfigDef def) {
        int order = 0;
        def.define(ENABLED_CONFIG, ConfigDef.Type.BOOLEAN, false, Validators.bool(), ConfigDef.Importance.MEDIUM,
                "Whether to measure the model's realized performance against LABEL outcomes (needs"
                        + " business.enabled=true for the join): accuracy and macro-F1 of outputs.label against the"
                        + " outcome's label (classification), MAE, RMSE and bias of outputs.score against the outcome's"
                        + " value (regression), per window and model version (subject *performance.labels*).",
                GROUP, ++order, ConfigDef.Width.SHORT, ENABLED_CONFIG);
        def.define(MAX_CLASSES_CONFIG, ConfigDef.Type.INT, DEFAULT_MAX_CLASSES,
                ConfigDef.Range.between(1, ConfusionCounts.MAX_CLASSES), ConfigDef.Importance.LOW,
                "Classes named in a window's confusion matrix: the lexicographically smallest names seen; the others"
                        + " are counted as one class, (other). Accuracy stays exact; macro-F1 is exact up to this many"
                        + " classes.", GROUP, ++order, ConfigDef.Width.SHORT, MAX_CLASSES_CONFIG);
        def.define(MIN_LABELLED_CONFIG, ConfigDef.Type.LONG, DEFAULT_MIN_LABELLED, ConfigDef.Range.atLeast(1),
                ConfigDef.Importance.LOW, "Fewest labelled predictions (classification, or regression) for a window's"
                        + " accuracy and F1, or MAE and RMSE, to be judged; a smaller window neither fires nor resolves.",
                GROUP, ++order, ConfigDef.Width.SHORT, MIN_LABELLED_CONFIG);
        def.define(ACCURACY_BASELINE_CONFIG, ConfigDef.Type.DOUBLE, 0.0, ConfigDef.Range.between(0, 1),
                ConfigDef.Importance.MEDIUM, "Baseline accuracy of the model (e.g. from its validation set); 0 for"
                        + " none. A baseline captured from windows (subject performance.accuracy) takes precedence.",
                GROUP, ++order, ConfigDef.Width.SHORT, ACCURACY_BASELINE_CONFIG);
        def.define(F1_BASELINE_CONFIG, ConfigDef.Type.DOUBLE, 0.0, ConfigDef.Range.between(0, 1),
                ConfigDef.Importance.MEDIUM, "Baseline macro-F1 of the model; 0 turns the F1 check off.",
                GROUP, ++order, ConfigDef.Width.SHORT, F1_BASELINE_CONFIG);
        def.define(MAE_BASELINE_CONFIG, ConfigDef.Type.DOUBLE, 0.0, ConfigDef.Range.atLeast(0),
                ConfigDef.Importance.MEDIUM, "Baseline mean absolute error of the regression model, in the target's"
                        + " unit; 0 turns the MAE check off.", GROUP, ++order, ConfigDef.Width.SHORT, MAE_BASELINE_CONFIG);
        def.define(RMSE_BASELINE_CONFIG, ConfigDef.Type.DOUBLE, 0.0, ConfigDef.Range.atLeast(0),
                ConfigDef.Importance.MEDIUM, "Baseline root mean squared error of the regression model; 0 turns the"
                        + " RMSE check off.", GROUP, ++order, ConfigDef.Width.SHORT, RMSE_BASELINE_CONFIG);
        def.define(DROP_WARNING_CONFIG, ConfigDef.Type.DOUBLE, DEFAULT_DROP_WARNING, ConfigDef.Range.between(1e-9, 1),
                ConfigDef.Importance.LOW, "Relative drop of accuracy or macro-F1 below its baseline (1 - current /"
                        + " baseline) from which a window is degraded, WARNING; the accuracy must also be significantly"
                        + " lower (" + ALPHA_CONFIG + ").", GROUP, ++order, ConfigDef.Width.SHORT, DROP_WARNING_CONFIG);
        def.define(DROP_CRITICAL_CONFIG, ConfigDef.Type.DOUBLE, DEFAULT_DROP_CRITICAL, ConfigDef.Range.between(1e-9, 1),
                ConfigDef.Importance.LOW, "Relative drop of accuracy or macro-F1 from which a degraded window is"
                        + " CRITICAL; at least " + DROP_WARNING_CONFIG + ".",
                GROUP, ++order, ConfigDef.Width.SHORT, DROP_CRITICAL_CONFIG);
        def.define(RISE_WARNING_CONFIG, ConfigDef.Type.DOUBLE, DEFAULT_RISE_WARNING, ConfigDef.Range.atLeast(1e-9),
                ConfigDef.Importance.LOW, "Relative rise of MAE or RMSE over its baseline (current / baseline - 1)"
                        + " from which a window is degraded, WARNING.",
                GROUP, ++order, ConfigDef.Width.SHORT, RISE_WARNING_CONFIG);
        def.define(RISE_CRITICAL_CONFIG, ConfigDef.Type.DOUBLE, DEFAULT_RISE_CRITICAL, ConfigDef.Range.atLeast(1e-9),
                ConfigDef.Importance.LOW, "Relative rise of MAE or RMSE from which a degraded window is CRITICAL; at"
                        + " least " + RISE_WARNING_CONFIG + ".", GROUP, ++order, ConfigDef.Width.SHORT,
                RISE_CRITICAL_CONFIG);
        def.define(ALPHA_CONFIG, ConfigDef.Type.DOUBLE, DEFAULT_ALPHA, ConfigDef.Range.between(1e-12, 0.5),
                ConfigDef.Importance.LOW, "Significance level of the one-sided test of a lower accuracy: the"
                        + " two-proportion z-test against a captured baseline, or the one-sample z-test against a"
                        + " configured one.", GROUP, ++order, ConfigDef.Width.SHORT, ALPHA_CONFIG);
    }

    /** The settings from a parsed configuration that {@link #define} declared. */
    public static LabelSettings from(AbstractConfig config) {
        return new LabelSettings(config.getBoolean(ENABLED_CONFIG), config.getInt(MAX_CLASSES_CONFIG),
                config.getLong(MIN_LABELLED_CONFIG), config.getDouble(ACCURACY_BASELINE_CONFIG),
                config.getDouble(F1_BASELINE_CONFIG), config.getDouble(MAE_BASELINE_CONFIG),
                config.getDouble(RMSE_BASELINE_CONFIG), config.getDouble(DROP_WARNING_CONFIG),
                config.getDouble(DROP_CRITICAL_CONFIG), config.getDouble(RISE_WARNING_CONFIG),
                config.getDouble(RISE_CRITICAL_CONFIG), config.getDouble(ALPHA_CONFIG));
    }
}
