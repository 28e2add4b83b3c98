package dev.driftwatch.streams.slo;

import dev.driftwatch.streams.config.Validators;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Operational service-level indicators per window and the service-level objectives judged on them.
 *
 * @param enabled whether the pipeline does this at all ({@code slo.enabled})
 */
public record ServiceLevelSettings(boolean enabled) {
    public static final String ENABLED_CONFIG = "slo.enabled";
    private static final String GROUP = "Service levels";

    /** Off: the pipeline neither reads nor writes anything for it. */
    public static ServiceLevelSettings disabled() {
        return new ServiceLevelSettings(false);
    }

    /** Declares the settings in driftwatch's configuration. */
    public static void define(ConfigDef def) {
        def.define(ENABLED_CONFIG, ConfigDef.Type.BOOLEAN, false, Validators.bool(), ConfigDef.Importance.MEDIUM,
                "Whether to judge service-level objectives on the windowed indicators and alert on fast error-budget burn.", GROUP, 1, ConfigDef.Width.SHORT, ENABLED_CONFIG);
    }

    /** The settings from a parsed configuration that {@link #define} declared. */
    public static ServiceLevelSettings from(AbstractConfig config) {
        return new ServiceLevelSettings(config.getBoolean(ENABLED_CONFIG));
    }
}
