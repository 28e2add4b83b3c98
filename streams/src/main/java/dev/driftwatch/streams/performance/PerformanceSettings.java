package dev.driftwatch.streams.performance;

import dev.driftwatch.streams.Signals;
import dev.driftwatch.streams.Validators;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * How a probabilistic classifier's performance is measured and judged per window (see {@link PerformanceSignal}).
 *
 * @param enabled             whether the signal runs ({@code performance.enabled})
 * @param bins                score bins on [0, 1] of the window's bounded histograms (1..10,000); the AUC's error
 *                            bound is about 1/(2·bins)
 * @param minLabelled         fewest labelled requests (with an impression) for a window's realized performance to
 *                            be judged
 * @param calibrationWarning  |observed/expected − 1| from which a significant miscalibration is a WARNING, &gt; 0
 * @param calibrationCritical from which it is CRITICAL, ≥ the warning
 * @param alpha               significance level of the calibration test, in (0, 1)
 * @param aucMin              a window whose ROC AUC is below this is degraded (WARNING); 0 turns it off
 * @param logLossMax          a window whose log loss is above this is degraded (WARNING); 0 turns it off
 * @param aucDrop             with a performance baseline: a window whose ROC AUC is this far below the reference's,
 *                            significantly, is degraded (WARNING); 0 turns it off
 * @param aucAlpha            significance level of that one-sided AUC test, in (0, 1)
 * @param logLossRise         with a performance baseline: a window whose log loss exceeds the reference's by this
 *                            share (0.2: 20 % more) is degraded (WARNING); 0 turns it off
 */
public record PerformanceSettings(boolean enabled, int bins, long minLabelled, double calibrationWarning,
                                  double calibrationCritical, double alpha, double aucMin, double logLossMax,
                                  double aucDrop, double aucAlpha, double logLossRise)
        implements Signals.Settings {
    public static final String ENABLED_CONFIG = "performance.enabled";
    public static final String BINS_CONFIG = "performance.score.bins";
    public static final int DEFAULT_BINS = 100;
    public static final String MIN_LABELLED_CONFIG = "performance.min.labelled";
    public static final long DEFAULT_MIN_LABELLED = 200;
    public static final String CALIBRATION_WARNING_CONFIG = "performance.calibration.warning";
    public static final double DEFAULT_CALIBRATION_WARNING = 0.2;
    public static final String CALIBRATION_CRITICAL_CONFIG = "performance.calibration.critical";
    public static final double DEFAULT_CALIBRATION_CRITICAL = 0.5;
    public static final String ALPHA_CONFIG = "performance.calibration.alpha";
    public static final double DEFAULT_ALPHA = 0.01;
    public static final String AUC_MIN_CONFIG = "performance.auc.min";
    public static final String LOG_LOSS_MAX_CONFIG = "performance.log.loss.max";
    public static final String AUC_DROP_CONFIG = "performance.auc.drop";
    public static final double DEFAULT_AUC_DROP = 0.05;
    public static final String AUC_ALPHA_CONFIG = "performance.auc.alpha";
    public static final double DEFAULT_AUC_ALPHA = 0.001;
    public static final String LOG_LOSS_RISE_CONFIG = "performance.log.loss.rise";
    public static final double DEFAULT_LOG_LOSS_RISE = 0.2;
    private static final String GROUP = "Model performance";

    public PerformanceSettings {
        if (bins < 1 || bins > 10_000 || minLabelled < 1 || !(calibrationWarning > 0)
                || !(calibrationCritical >= calibrationWarning) || !(alpha > 0 && alpha < 1) || !(aucMin >= 0 && aucMin <= 1)
                || !(logLossMax >= 0) || !(aucDrop >= 0 && aucDrop <= 1) || !(aucAlpha > 0 && aucAlpha < 1)
                || !(logLossRise >= 0)) {
            throw new IllegalArgumentException("performance settings out of range: bins " + bins + " (1..10000), min"
                    + " labelled " + minLabelled + " (>= 1), calibration warning " + calibrationWarning + " (> 0),"
                    + " critical " + calibrationCritical + " (>= warning), alpha " + alpha + " (0..1), AUC min " + aucMin
                    + " (0..1), log loss max " + logLossMax + " (>= 0), AUC drop " + aucDrop + " (0..1), AUC alpha "
                    + aucAlpha + " (0..1), log loss rise " + logLossRise + " (>= 0)");
        }
    }

    /** The settings of this signal among {@code signals}; disabled when none were set. */
    public static PerformanceSettings of(Signals signals) {
        return signals.get(PerformanceSettings.class, PerformanceSettings::disabled);
    }

    public static PerformanceSettings disabled() {
        return new PerformanceSettings(false, DEFAULT_BINS, DEFAULT_MIN_LABELLED, DEFAULT_CALIBRATION_WARNING,
                DEFAULT_CALIBRATION_CRITICAL, DEFAULT_ALPHA, 0, 0, DEFAULT_AUC_DROP, DEFAULT_AUC_ALPHA,
                DEFAULT_LOG_LOSS_RISE);
    }

    /** On, with the defaults. */
    public static PerformanceSettings enabledWithDefaults() {
        return new PerformanceSettings(true, DEFAULT_BINS, DEFAULT_MIN_LABELLED, DEFAULT_CALIBRATION_WARNING,
                DEFAULT_CALIBRATION_CRITICAL, DEFAULT_ALPHA, 0, 0, DEFAULT_AUC_DROP, DEFAULT_AUC_ALPHA,
                DEFAULT_LOG_LOSS_RISE);
    }

    public PerformanceSettings withMinLabelled(long min) {
        return new PerformanceSettings(enabled, bins, min, calibrationWarning, calibrationCritical, alpha, aucMin,
                logLossMax, aucDrop, aucAlpha, logLossRise);
    }

    public PerformanceSettings withAucMin(double min) {
        return new PerformanceSettings(enabled, bins, minLabelled, calibrationWarning, calibrationCritical, alpha, min,
                logLossMax, aucDrop, aucAlpha, logLossRise);
    }

    /** Declares the settings in driftwatch's configuration. */
    public static void define(ConfigDef def) {
        def.define(ENABLED_CONFIG, ConfigDef.Type.BOOLEAN, false, Validators.bool(), ConfigDef.Importance.MEDIUM,
                "Whether to measure the model's performance from its output.score: estimated (expected accuracy and"
                        + " ROC AUC assuming calibrated scores) on every window, and realized (log loss, Brier, ROC AUC,"
                        + " calibration) on the requests with an impression when business.enabled=true.",
                GROUP, 1, ConfigDef.Width.SHORT, ENABLED_CONFIG);
        def.define(BINS_CONFIG, ConfigDef.Type.INT, DEFAULT_BINS, ConfigDef.Range.between(1, 10_000),
                ConfigDef.Importance.LOW, "Equal score bins on [0, 1] of each window's histograms; the ROC AUC from"
                        + " them is within about 1/(2 bins) of the exact one (the bound is published).",
                GROUP, 2, ConfigDef.Width.SHORT, BINS_CONFIG);
        def.define(MIN_LABELLED_CONFIG, ConfigDef.Type.LONG, DEFAULT_MIN_LABELLED, ConfigDef.Range.atLeast(1),
                ConfigDef.Importance.LOW, "Fewest requests with an impression for a window's realized performance to"
                        + " be judged; a smaller window neither fires nor resolves.",
                GROUP, 3, ConfigDef.Width.SHORT, MIN_LABELLED_CONFIG);
        def.define(CALIBRATION_WARNING_CONFIG, ConfigDef.Type.DOUBLE, DEFAULT_CALIBRATION_WARNING,
                ConfigDef.Range.atLeast(1e-9), ConfigDef.Importance.LOW, "Distance of the calibration (observed clicks"
                        + " / the sum of predicted click probabilities) from 1 from which a significant miscalibration"
                        + " is a WARNING (0.2: 20 % more or fewer clicks than predicted).",
                GROUP, 4, ConfigDef.Width.SHORT, CALIBRATION_WARNING_CONFIG);
        def.define(CALIBRATION_CRITICAL_CONFIG, ConfigDef.Type.DOUBLE, DEFAULT_CALIBRATION_CRITICAL,
                ConfigDef.Range.atLeast(1e-9), ConfigDef.Importance.LOW, "Distance of the calibration from 1 from"
                        + " which it is CRITICAL; at least " + CALIBRATION_WARNING_CONFIG + ".",
                GROUP, 5, ConfigDef.Width.SHORT, CALIBRATION_CRITICAL_CONFIG);
        def.define(ALPHA_CONFIG, ConfigDef.Type.DOUBLE, DEFAULT_ALPHA, ConfigDef.Range.between(1e-12, 0.5),
                ConfigDef.Importance.LOW, "Significance level of the two-sided calibration test (observed clicks"
                        + " against their Poisson-binomial expectation under the predicted probabilities).",
                GROUP, 6, ConfigDef.Width.SHORT, ALPHA_CONFIG);
        def.define(AUC_MIN_CONFIG, ConfigDef.Type.DOUBLE, 0.0, ConfigDef.Range.between(0, 1), ConfigDef.Importance.LOW,
                "A window whose realized ROC AUC is below this is degraded (subject performance.auc); 0 turns the"
                        + " check off.", GROUP, 7, ConfigDef.Width.SHORT, AUC_MIN_CONFIG);
        def.define(LOG_LOSS_MAX_CONFIG, ConfigDef.Type.DOUBLE, 0.0, ConfigDef.Range.atLeast(0), ConfigDef.Importance.LOW,
                "A window whose realized log loss is above this is degraded (subject performance.log_loss); 0 turns"
                        + " the check off.", GROUP, 8, ConfigDef.Width.SHORT, LOG_LOSS_MAX_CONFIG);
        def.define(AUC_DROP_CONFIG, ConfigDef.Type.DOUBLE, DEFAULT_AUC_DROP, ConfigDef.Range.between(0, 1),
                ConfigDef.Importance.LOW, "With a performance baseline (subject *performance*): a window whose realized"
                        + " ROC AUC is at least this much below the reference's, and significantly so (see "
                        + AUC_ALPHA_CONFIG + "), is degraded (subject performance.auc); 0 turns the check off.",
                GROUP, 9, ConfigDef.Width.SHORT, AUC_DROP_CONFIG);
        def.define(AUC_ALPHA_CONFIG, ConfigDef.Type.DOUBLE, DEFAULT_AUC_ALPHA, ConfigDef.Range.between(1e-12, 0.5),
                ConfigDef.Importance.LOW, "Significance level of the one-sided test of a window's ROC AUC against the"
                        + " reference's (z = drop / sqrt(se_window^2 + se_reference^2), Hanley-McNeil standard errors).",
                GROUP, 10, ConfigDef.Width.SHORT, AUC_ALPHA_CONFIG);
        def.define(LOG_LOSS_RISE_CONFIG, ConfigDef.Type.DOUBLE, DEFAULT_LOG_LOSS_RISE, ConfigDef.Range.atLeast(0),
                ConfigDef.Importance.LOW, "With a performance baseline: a window whose realized log loss exceeds the"
                        + " reference's by this share (0.2: 20 % more) is degraded (subject performance.log_loss); 0"
                        + " turns the check off.", GROUP, 11, ConfigDef.Width.SHORT, LOG_LOSS_RISE_CONFIG);
    }

    /** The settings from a parsed configuration that {@link #define} declared. */
    public static PerformanceSettings from(AbstractConfig config) {
        return new PerformanceSettings(config.getBoolean(ENABLED_CONFIG), config.getInt(BINS_CONFIG),
                config.getLong(MIN_LABELLED_CONFIG), config.getDouble(CALIBRATION_WARNING_CONFIG),
                config.getDouble(CALIBRATION_CRITICAL_CONFIG), config.getDouble(ALPHA_CONFIG),
                config.getDouble(AUC_MIN_CONFIG), config.getDouble(LOG_LOSS_MAX_CONFIG),
                config.getDouble(AUC_DROP_CONFIG), config.getDouble(AUC_ALPHA_CONFIG),
                config.getDouble(LOG_LOSS_RISE_CONFIG));
    }
}
