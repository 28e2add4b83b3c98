package dev.driftwatch.streams.slo;

import dev.driftwatch.detectors.slo.BurnRateRule;
import dev.driftwatch.detectors.slo.BurnRates;
import dev.driftwatch.streams.config.DriftwatchConfig;
import dev.driftwatch.streams.config.Validators;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * Operational service-level indicators per window and the service-level objectives judged on them.
 *
 * @param enabled    whether the pipeline does this at all ({@code slo.enabled})
 * @param objectives the objectives ({@code slo.objectives}), see {@link ServiceLevelObjective}
 * @param rules      the burn-rate alerting rules ({@code slo.burn.rules}), see {@link BurnRateRule}
 */
public record ServiceLevelSettings(boolean enabled, List<ServiceLevelObjective> objectives, List<BurnRateRule> rules) {
    public static final String ENABLED_CONFIG = "slo.enabled";
    public static final String OBJECTIVES_CONFIG = "slo.objectives";
    public static final String OBJECTIVES_DOC = "Service-level objectives, comma-separated, each"
            + " NAME:INDICATOR<=BOUND[@TARGET]. Indicators: latency.p50, latency.p95, latency.p99 (ms; window-based:"
            + " a window is good when the percentile is at most the bound, TARGET = share of good windows),"
            + " error.rate (request-based: at most BOUND of the calls fail; no TARGET, it is 1 - BOUND),"
            + " low.confidence.share (window-based: at most BOUND of the outputs below review.confidence.threshold).";
    public static final String DEFAULT_OBJECTIVES = "latency:latency.p95<=800@0.99,errors:error.rate<=0.01";
    public static final String BURN_RULES_CONFIG = "slo.burn.rules";
    public static final String BURN_RULES_DOC = "Multi-window burn-rate alert rules, comma-separated, each"
            + " LONG/SHORT@FACTOR[:SEVERITY]: an objective's alert fires when its error budget burns faster than"
            + " FACTOR over both the LONG and the SHORT window, and resolves when no rule fires. Windows (units ms,"
            + " s, m, h, d) must be multiples of the window advance (window.advance.ms, or window.size.ms for"
            + " tumbling windows).";
    public static final String DEFAULT_BURN_RULES = "1h/5m@14.4:CRITICAL,6h/30m@6:WARNING";
    /** Most window steps an objective's history keeps (the longest long window over the window advance). */
    public static final int MAX_HISTORY_STEPS = 100_000;
    private static final String GROUP = "Service levels";

    public ServiceLevelSettings {
        objectives = List.copyOf(objectives);
        rules = List.copyOf(rules);
        if (enabled && (objectives.isEmpty() || rules.isEmpty())) {
            throw new IllegalArgumentException("service levels need at least one objective and one burn-rate rule");
        }
        for (ServiceLevelObjective o : objectives) {
            for (BurnRateRule r : rules) {
                // The fastest possible burn (every event bad) is 1 / (1 - target).
                double most = 1 / o.budget();
                if (enabled && !(r.factor() < most)) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "burn-rate rule %s can never fire"
                            + " for objective %s: with a target of %s the burn rate is at most %.4g; lower the"
                            + " factor below it or raise the target", r.text(), o.name(), o.target(), most));
                }
            }
        }
    }

    /** Off, with the default objectives and rules. */
    public static ServiceLevelSettings disabled() {
        return new ServiceLevelSettings(false, ServiceLevelObjective.parseAll(DEFAULT_OBJECTIVES),
                BurnRateRule.parseAll(DEFAULT_BURN_RULES));
    }

    /** On, with the default objectives and rules. */
    public static ServiceLevelSettings defaults() {
        return disabled().withEnabled(true);
    }

    public ServiceLevelSettings withEnabled(boolean e) {
        return new ServiceLevelSettings(e, objectives, rules);
    }

    /** The same settings with objectives and rules written as in the configuration. */
    public ServiceLevelSettings with(String objectivesSpec, String rulesSpec) {
        return new ServiceLevelSettings(enabled, ServiceLevelObjective.parseAll(objectivesSpec),
                BurnRateRule.parseAll(rulesSpec));
    }

    /** The rules as written in the configuration (the "policy version" of SLO alerts). */
    public String rulesText() {
        return String.join(",", rules.stream().map(BurnRateRule::text).toList());
    }

    /**
     * Checks that every rule's windows are multiples of the window advance, so that a rule covers whole
     * windows.
     *
     * @throws IllegalArgumentException naming the rule and the fix
     */
    public void checkWindows(long advanceMillis) {
        for (BurnRateRule r : rules) {
            int steps;
            try {
                steps = BurnRates.steps(r.longWindowMillis(), advanceMillis);
                BurnRates.steps(r.shortWindowMillis(), advanceMillis);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new IllegalArgumentException("burn-rate rule " + r.text() + ": " + e.getMessage()
                        + "; make both windows multiples of " + BurnRateRule.duration(advanceMillis)
                        + " or change the window advance", e);
            }
            if (steps > MAX_HISTORY_STEPS) {
                throw new IllegalArgumentException("burn-rate rule " + r.text() + " spans " + steps + " windows of "
                        + BurnRateRule.duration(advanceMillis) + ", more than the " + MAX_HISTORY_STEPS + " an objective"
                        + " keeps; shorten the long window or lengthen the window advance");
            }
        }
    }

    /** Declares the settings in driftwatch's configuration. */
    public static void define(ConfigDef def) {
        def.define(ENABLED_CONFIG, ConfigDef.Type.BOOLEAN, false, Validators.bool(), ConfigDef.Importance.MEDIUM,
                "Whether to publish operational indicators per window (driftwatch-service-levels) and alert on fast"
                        + " error-budget burn of the objectives.", GROUP, 1, ConfigDef.Width.SHORT, ENABLED_CONFIG);
        def.define(OBJECTIVES_CONFIG, ConfigDef.Type.STRING, DEFAULT_OBJECTIVES,
                parsing("NAME:INDICATOR<=BOUND[@TARGET],...", ServiceLevelObjective::parseAll),
                ConfigDef.Importance.MEDIUM, OBJECTIVES_DOC, GROUP, 2, ConfigDef.Width.LONG, OBJECTIVES_CONFIG);
        def.define(BURN_RULES_CONFIG, ConfigDef.Type.STRING, DEFAULT_BURN_RULES,
                parsing("LONG/SHORT@FACTOR[:SEVERITY],...", BurnRateRule::parseAll),
                ConfigDef.Importance.MEDIUM, BURN_RULES_DOC, GROUP, 3, ConfigDef.Width.LONG, BURN_RULES_CONFIG);
    }

    private static ConfigDef.Validator parsing(String accepts, Function<String, ?> parser) {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            try {
                parser.apply((String) value);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        }, () -> accepts);
    }

    /**
     * The settings from a parsed configuration that {@link #define} declared. When enabled, the rules are
     * checked against the window advance ({@code window.advance.ms}, or {@code window.size.ms} when 0)
     * if the configuration has those keys.
     *
     * @throws ConfigException naming the key, the bad value and the fix
     */
    public static ServiceLevelSettings from(AbstractConfig config) {
        boolean enabled = config.getBoolean(ENABLED_CONFIG);
        String objectives = config.getString(OBJECTIVES_CONFIG);
        String rules = config.getString(BURN_RULES_CONFIG);
        ServiceLevelSettings s;
        try {
            s = new ServiceLevelSettings(enabled, ServiceLevelObjective.parseAll(objectives),
                    BurnRateRule.parseAll(rules));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(BURN_RULES_CONFIG, rules, e.getMessage() + " (objectives: " + objectives + ")");
        }
        String sizeKey = DriftwatchConfig.WINDOW_SIZE_MS_CONFIG;
        String advanceKey = DriftwatchConfig.WINDOW_ADVANCE_MS_CONFIG;
        if (enabled && config.values().containsKey(sizeKey) && config.values().containsKey(advanceKey)) {
            long advance = Objects.requireNonNullElse(config.getLong(advanceKey), 0L);
            long step = advance == 0 ? config.getLong(sizeKey) : advance;
            try {
                s.checkWindows(step);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(BURN_RULES_CONFIG, rules, e.getMessage());
            }
        }
        return s;
    }
}
