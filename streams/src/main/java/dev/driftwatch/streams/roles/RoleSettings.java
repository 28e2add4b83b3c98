package dev.driftwatch.streams.roles;

import dev.driftwatch.streams.config.Validators;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * How shadow and canary versions are compared with the primary version on the same requests.
 *
 * @param enabled whether the pipeline does this at all ({@code roles.enabled})
 */
public record RoleSettings(boolean enabled) {
    public static final String ENABLED_CONFIG = "roles.enabled";
    private static final String GROUP = "Roles";

    /** Off: the pipeline neither reads nor writes anything for it. */
    public static RoleSettings disabled() {
        return new RoleSettings(false);
    }

    /** Declares the settings in driftwatch's configuration. */
    public static void define(ConfigDef def) {
        def.define(ENABLED_CONFIG, ConfigDef.Type.BOOLEAN, false, Validators.bool(), ConfigDef.Importance.MEDIUM,
                "Whether to compare shadow and canary versions with the primary version on the same requests.", GROUP, 1, ConfigDef.Width.SHORT, ENABLED_CONFIG);
    }

    /** The settings from a parsed configuration that {@link #define} declared. */
    public static RoleSettings from(AbstractConfig config) {
        return new RoleSettings(config.getBoolean(ENABLED_CONFIG));
    }
}
