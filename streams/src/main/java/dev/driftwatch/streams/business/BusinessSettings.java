package dev.driftwatch.streams.business;

import dev.driftwatch.streams.config.Validators;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * How outcome events are joined to inferences and turned into CTR, conversion rate and their alerts.
 *
 * @param enabled whether the pipeline does this at all ({@code business.enabled})
 */
public record BusinessSettings(boolean enabled) {
    public static final String ENABLED_CONFIG = "business.enabled";
    private static final String GROUP = "Business";

    /** Off: the pipeline neither reads nor writes anything for it. */
    public static BusinessSettings disabled() {
        return new BusinessSettings(false);
    }

    /** Declares the settings in driftwatch's configuration. */
    public static void define(ConfigDef def) {
        def.define(ENABLED_CONFIG, ConfigDef.Type.BOOLEAN, false, Validators.bool(), ConfigDef.Importance.MEDIUM,
                "Whether to join outcome-events to inferences by request id and publish windowed CTR and conversion rate, with CTR alerts.", GROUP, 1, ConfigDef.Width.SHORT, ENABLED_CONFIG);
    }

    /** The settings from a parsed configuration that {@link #define} declared. */
    public static BusinessSettings from(AbstractConfig config) {
        return new BusinessSettings(config.getBoolean(ENABLED_CONFIG));
    }
}
