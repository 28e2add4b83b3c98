package dev.driftwatch.streams.multivariate;

import dev.driftwatch.streams.Signals;
import dev.driftwatch.streams.Validators;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * How a window's mean reconstruction error is judged against the model version's {@code *multivariate*}
 * baseline (see {@link MultivariateSignal}).
 *
 * <p>A window with at least {@code minEvents} scored events drifts when its mean error is outside the reference
 * band m ± {@code thresholdWidth}·s_n (m the reference chunks' mean error, s_n their spread scaled to the
 * window's size) <em>and</em> its relative change |mean − m| / m reaches {@code changeWarning} (WARNING) or
 * {@code changeCritical} (CRITICAL): significance and effect size together.
 *
 * @param enabled        whether the signal runs ({@code multivariate.enabled})
 * @param thresholdWidth the band's half-width in standard errors, &gt; 0; typically 3
 * @param changeWarning  relative change of the mean error from which an outside window is a WARNING, &gt; 0
 * @param changeCritical relative change from which it is CRITICAL, ≥ changeWarning
 * @param minEvents      fewest scored events for a window to be judged, ≥ 1
 */
public record MultivariateSettings(boolean enabled, double thresholdWidth, double changeWarning, double changeCritical,
                                   long minEvents) implements Signals.Settings {
    public static final String ENABLED_CONFIG = "multivariate.enabled";
    public static final String THRESHOLD_WIDTH_CONFIG = "multivariate.threshold.width";
    public static final double DEFAULT_THRESHOLD_WIDTH = 3.0;
    public static final String CHANGE_WARNING_CONFIG = "multivariate.change.warning";
    public static final double DEFAULT_CHANGE_WARNING = 0.1;
    public static final String CHANGE_CRITICAL_CONFIG = "multivariate.change.critical";
    public static final double DEFAULT_CHANGE_CRITICAL = 0.5;
    public static final String MIN_EVENTS_CONFIG = "multivariate.min.events";
    public static final long DEFAULT_MIN_EVENTS = 100;
    private static final String GROUP = "Multivariate drift";

    public MultivariateSettings {
        if (!(thresholdWidth > 0) || !(changeWarning > 0) || !(changeCritical >= changeWarning) || minEvents < 1) {
            throw new IllegalArgumentException("multivariate settings need " + THRESHOLD_WIDTH_CONFIG + " > 0 (got "
                    + thresholdWidth + "), " + CHANGE_WARNING_CONFIG + " > 0 (got " + changeWarning + "), "
                    + CHANGE_CRITICAL_CONFIG + " >= the warning (got " + changeCritical + ") and " + MIN_EVENTS_CONFIG
                    + " >= 1 (got " + minEvents + ")");
        }
    }

    /** The settings of this signal among {@code signals}; disabled when none were set. */
    public static MultivariateSettings of(Signals signals) {
        return signals.get(MultivariateSettings.class, MultivariateSettings::disabled);
    }

    /** Off, with the default levels. */
    public static MultivariateSettings disabled() {
        return new MultivariateSettings(false, DEFAULT_THRESHOLD_WIDTH, DEFAULT_CHANGE_WARNING, DEFAULT_CHANGE_CRITICAL,
                DEFAULT_MIN_EVENTS);
    }

    /** On, with the default levels. */
    public static MultivariateSettings enabledWithDefaults() {
        return new MultivariateSettings(true, DEFAULT_THRESHOLD_WIDTH, DEFAULT_CHANGE_WARNING, DEFAULT_CHANGE_CRITICAL,
                DEFAULT_MIN_EVENTS);
    }

    /** These settings with another minimum of events per judged window. */
    public MultivariateSettings withMinEvents(long min) {
        return new MultivariateSettings(enabled, thresholdWidth, changeWarning, changeCritical, min);
    }

    /** Declares the settings in driftwatch's configuration. */
    public static void define(ConfigDef def) {
        def.define(ENABLED_CONFIG, ConfigDef.Type.BOOLEAN, false, Validators.bool(), ConfigDef.Importance.MEDIUM,
                "Whether to watch the joint distribution of the features by PCA data reconstruction: each event's"
                        + " reconstruction error on the model version's *multivariate* baseline (built by baseline"
                        + " --input with --multivariate), per window its mean against the reference's window means.",
                GROUP, 1, ConfigDef.Width.SHORT, ENABLED_CONFIG);
        def.define(THRESHOLD_WIDTH_CONFIG, ConfigDef.Type.DOUBLE, DEFAULT_THRESHOLD_WIDTH,
                ConfigDef.Range.atLeast(1e-9), ConfigDef.Importance.LOW,
                "Half-width, in standard errors of a window of its size, of the band of reference window means"
                        + " outside which a window's mean reconstruction error is significant.",
                GROUP, 2, ConfigDef.Width.SHORT, THRESHOLD_WIDTH_CONFIG);
        def.define(CHANGE_WARNING_CONFIG, ConfigDef.Type.DOUBLE, DEFAULT_CHANGE_WARNING, ConfigDef.Range.atLeast(1e-9),
                ConfigDef.Importance.LOW, "Relative change of a window's mean reconstruction error from the"
                        + " reference's (e.g. 0.1 for 10 %) from which a window outside the band drifts (WARNING).",
                GROUP, 3, ConfigDef.Width.SHORT, CHANGE_WARNING_CONFIG);
        def.define(CHANGE_CRITICAL_CONFIG, ConfigDef.Type.DOUBLE, DEFAULT_CHANGE_CRITICAL, ConfigDef.Range.atLeast(1e-9),
                ConfigDef.Importance.LOW, "Relative change of the mean reconstruction error from which a drifted"
                        + " window is CRITICAL; at least " + CHANGE_WARNING_CONFIG + ".",
                GROUP, 4, ConfigDef.Width.SHORT, CHANGE_CRITICAL_CONFIG);
        def.define(MIN_EVENTS_CONFIG, ConfigDef.Type.LONG, DEFAULT_MIN_EVENTS, ConfigDef.Range.atLeast(1),
                ConfigDef.Importance.LOW, "Fewest events with a reconstruction error for a window to be judged;"
                        + " a smaller window neither fires nor resolves.",
                GROUP, 5, ConfigDef.Width.SHORT, MIN_EVENTS_CONFIG);
    }

    /** The settings from a parsed configuration that {@link #define} declared. */
    public static MultivariateSettings from(AbstractConfig config) {
        return new MultivariateSettings(config.getBoolean(ENABLED_CONFIG), config.getDouble(THRESHOLD_WIDTH_CONFIG),
                config.getDouble(CHANGE_WARNING_CONFIG), config.getDouble(CHANGE_CRITICAL_CONFIG),
                config.getLong(MIN_EVENTS_CONFIG));
    }
}
