package dev.driftwatch.streams.internals;

import dev.driftwatch.streams.Signals;
import dev.driftwatch.streams.Validators;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Whether the operational values of an event (latency, tokens in and out, cost, error code) are drift subjects of
 * their own ({@code output.latency_ms}, ... see {@link EventFeatures}). On in driftwatch's configuration
 * ({@code subjects.operational.enabled=true} by default); off for settings built without it
 * ({@link Signals#none()}), as every signal.
 *
 * @param enabled whether the operational values are subjects
 */
public record OperationalSubjects(boolean enabled) implements Signals.Settings {
    public static final String ENABLED_CONFIG = "subjects.operational.enabled";

    /** The setting among {@code signals}; off when none was set. */
    public static OperationalSubjects of(Signals signals) {
        return signals.get(OperationalSubjects.class, () -> new OperationalSubjects(false));
    }

    /** Declares the setting in driftwatch's configuration. */
    public static void define(ConfigDef def) {
        def.define(ENABLED_CONFIG, ConfigDef.Type.BOOLEAN, true, Validators.bool(), ConfigDef.Importance.MEDIUM,
                "Whether latency, tokens in and out, cost per call and the error code are drift subjects"
                        + " (output.latency_ms, output.tokens_in, output.tokens_out, output.cost and the categorical"
                        + " output.error), tested against their baselines like features.", "Subjects", 1,
                ConfigDef.Width.SHORT, ENABLED_CONFIG);
    }

    /** The setting from a parsed configuration that {@link #define} declared. */
    public static OperationalSubjects from(AbstractConfig config) {
        return new OperationalSubjects(config.getBoolean(ENABLED_CONFIG));
    }
}
