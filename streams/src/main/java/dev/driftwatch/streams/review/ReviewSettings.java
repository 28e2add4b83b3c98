package dev.driftwatch.streams.review;

import dev.driftwatch.streams.Signals;
import dev.driftwatch.streams.Validators;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Which inferences are copied to the human-review topic, and what counts as a low-confidence output
 * (also used by the service-level indicators' low-confidence share, whether review is enabled or not).
 *
 * @param enabled             whether low-confidence inferences are copied to the review topic
 *                            ({@code review.enabled})
 * @param confidenceThreshold an output whose confidence is below this is low-confidence
 *                            ({@code review.confidence.threshold})
 */
public record ReviewSettings(boolean enabled, double confidenceThreshold) implements Signals.Settings {
    public static final String ENABLED_CONFIG = "review.enabled";
    public static final String CONFIDENCE_THRESHOLD_CONFIG = "review.confidence.threshold";
    public static final double DEFAULT_CONFIDENCE_THRESHOLD = 0.5;
    private static final String GROUP = "Review";

    public ReviewSettings {
        if (!(confidenceThreshold >= 0 && confidenceThreshold <= 1)) {
            throw new IllegalArgumentException("review confidence threshold must be in [0, 1], got "
                    + confidenceThreshold);
        }
    }

    /** The settings of this signal among {@code signals}; disabled when none were set. */
    public static ReviewSettings of(Signals signals) {
        return signals.get(ReviewSettings.class, ReviewSettings::disabled);
    }

    /** Off: nothing is copied; the low-confidence threshold keeps its default. */
    public static ReviewSettings disabled() {
        return new ReviewSettings(false, DEFAULT_CONFIDENCE_THRESHOLD);
    }

    /** Declares the settings in driftwatch's configuration. */
    public static void define(ConfigDef def) {
        def.define(ENABLED_CONFIG, ConfigDef.Type.BOOLEAN, false, Validators.bool(), ConfigDef.Importance.MEDIUM,
                "Whether to copy inferences that need a person's review (confidence below "
                        + CONFIDENCE_THRESHOLD_CONFIG + ") to the review topic.", GROUP, 1, ConfigDef.Width.SHORT,
                ENABLED_CONFIG);
        def.define(CONFIDENCE_THRESHOLD_CONFIG, ConfigDef.Type.DOUBLE, DEFAULT_CONFIDENCE_THRESHOLD,
                ConfigDef.Range.between(0, 1), ConfigDef.Importance.MEDIUM,
                "An output whose confidence is below this is low-confidence: copied for review when"
                        + " review.enabled=true, and counted in the service levels' low-confidence share.",
                GROUP, 2, ConfigDef.Width.SHORT, CONFIDENCE_THRESHOLD_CONFIG);
    }

    /** The settings from a parsed configuration that {@link #define} declared. */
    public static ReviewSettings from(AbstractConfig config) {
        return new ReviewSettings(config.getBoolean(ENABLED_CONFIG), config.getDouble(CONFIDENCE_THRESHOLD_CONFIG));
    }
}
