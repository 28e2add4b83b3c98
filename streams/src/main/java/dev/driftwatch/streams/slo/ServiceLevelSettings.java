package dev.driftwatch.streams.slo;

import dev.driftwatch.detectors.slo.BurnRateRule;
import dev.driftwatch.detectors.slo.BurnRates;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.Signals;
import dev.driftwatch.streams.business.BusinessSettings;
import dev.driftwatch.streams.Validators;
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
 * @param minEvents  events a rule's long window must hold before the rule may fire ({@code slo.min.events}):
 *                   calls for request-based objectives; judged windows for window-based ones, capped at the
 *                   windows the long window spans
 */
public record ServiceLevelSettings(boolean enabled, List<ServiceLevelObjective> objectives, List<BurnRateRule> rules,
                                   long minEvents) implements Signals.Settings {
    public static final String ENABLED_CONFIG = "slo.enabled";
    public static final String OBJECTIVES_CONFIG = "slo.objectives";
    public static final String OBJECTIVES_DOC = "Service-level objectives, comma-separated, each"
            + " NAME:INDICATOR<=BOUND[@TARGET]. Indicators: latency.p50, latency.p95, latency.p99 (ms; window-based:"
            + " a window is good when the percentile is at most the bound, TARGET = share of good windows),"
            + " error.rate (request-based: at most BOUND of the calls fail; no TARGET, it is 1 - BOUND),"
            + " low.confidence.share (window-based: at most BOUND of the outputs below review.confidence.threshold),"
            + " ctr.ratio>=BOUND (window-based, needs business.enabled: the window's CTR at least BOUND times the"
            + " version's CTR baseline; windows under business.ctr.min.impressions or without a baseline are not"
            + " judged), conversion.ratio>=BOUND (window-based, needs business.enabled: the window's conversions per"
            + " click at least BOUND times the version's business.conversion baseline), feedback.negative<=BOUND"
            + " (window-based, needs business.enabled: at most BOUND of the requests with feedback got"
            + " FEEDBACK_NEGATIVE), success.rate>=BOUND (window-based, needs business.enabled: at least BOUND of the"
            + " requests with SUCCESS or FAILURE succeeded); windows under business.outcomes.min.count clicks or"
            + " requests with such outcomes are not judged.";
    public static final String DEFAULT_OBJECTIVES = "latency:latency.p95<=800@0.99,errors:error.rate<=0.01";
    public static final String BURN_RULES_CONFIG = "slo.burn.rules";
    public static final String BURN_RULES_DOC = "Multi-window burn-rate alert rules, comma-separated, each"
            + " LONG/SHORT@FACTOR[:SEVERITY]: an objective's alert fires when its error budget burns faster than"
            + " FACTOR over both the LONG and the SHORT window, and resolves when no rule fires. Windows (units ms,"
            + " s, m, h, d) must be multiples of the window advance (window.advance.ms, or window.size.ms for"
            + " tumbling windows). Service levels need tumbling windows (window.advance.ms = 0 or window.size.ms).";
    public static final String DEFAULT_BURN_RULES = "1h/5m@14.4:CRITICAL,6h/30m@6:WARNING";
    public static final String MIN_EVENTS_CONFIG = "slo.min.events";
    public static final String MIN_EVENTS_DOC = "Fewest events a burn-rate rule's long window must hold before the"
            + " rule may fire, so that one failed call on a quiet window does not page. Request-based objectives"
            + " (error.rate) count calls. Window-based objectives (latency.pNN, low.confidence.share, ctr.ratio, ...)"
            + " count judged windows, and a long window spans at most LONG / window size of them, so the minimum is"
            + " capped there: with the default, a rule on such an objective fires only once every window of its"
            + " long window was judged (1h of 5-minute windows: 12).";
    public static final long DEFAULT_MIN_EVENTS = 100;
    /** Most window steps an objective's history keeps (the longest long window over the window advance). */
    public static final int MAX_HISTORY_STEPS = 100_000;
    private static final String GROUP = "Service levels";

    public ServiceLevelSettings {
        objectives = List.copyOf(objectives);
        rules = List.copyOf(rules);
        if (minEvents < 0) {
            throw new IllegalArgumentException(MIN_EVENTS_CONFIG + " must be >= 0, got " + minEvents);
        }
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

    /** Settings with the default minimum volume {@value #DEFAULT_MIN_EVENTS}. */
    public ServiceLevelSettings(boolean enabled, List<ServiceLevelObjective> objectives, List<BurnRateRule> rules) {
        this(enabled, objectives, rules, DEFAULT_MIN_EVENTS);
    }

    /** The settings of this signal among {@code signals}; disabled when none were set. */
    public static ServiceLevelSettings of(Signals signals) {
        return signals.get(ServiceLevelSettings.class, ServiceLevelSettings::disabled);
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
        return new ServiceLevelSettings(e, objectives, rules, minEvents);
    }

    /** The same settings with another minimum volume ({@code slo.min.events}). */
    public ServiceLevelSettings withMinEvents(long n) {
        return new ServiceLevelSettings(enabled, objectives, rules, n);
    }

    /** The same settings with objectives and rules written as in the configuration. */
    public ServiceLevelSettings with(String objectivesSpec, String rulesSpec) {
        return new ServiceLevelSettings(enabled, ServiceLevelObjective.parseAll(objectivesSpec),
                BurnRateRule.parseAll(rulesSpec), minEvents);
    }

    /**
     * Refuses hopping windows. A burn-rate history has one slot per window step and adds each window's
     * counts to its slot; with windows longer than their advance every call would be counted in
     * size / advance windows, and the "5m" of a rule would be one window of the full size. Burn rates
     * over overlapping windows are not what an SRE reads in a rule, so service levels need tumbling windows.
     *
     * @throws IllegalArgumentException naming both window keys and the fix
     */
    public void checkTumbling(long sizeMillis, long advanceMillis) {
        if (advanceMillis != 0 && advanceMillis != sizeMillis) {
            throw new IllegalArgumentException(ENABLED_CONFIG + "=true needs tumbling windows, but "
                    + PipelineSettings.WINDOW_ADVANCE_MS_CONFIG + "=" + advanceMillis + " is shorter than "
                    + PipelineSettings.WINDOW_SIZE_MS_CONFIG + "=" + sizeMillis + " (hopping windows): every call"
                    + " would count in " + (sizeMillis / advanceMillis) + " windows and burn-rate windows could not"
                    + " be shorter than " + BurnRateRule.duration(sizeMillis) + "; set "
                    + PipelineSettings.WINDOW_ADVANCE_MS_CONFIG + "=0 (tumbling) or set " + ENABLED_CONFIG + "=false");
        }
    }

    /**
     * Refuses objectives on business outcomes (ctr.ratio, conversion.ratio, feedback.negative, success.rate) when
     * business outcomes are off.
     *
     * @throws IllegalArgumentException naming the objective and the fix
     */
    public void checkBusiness(boolean businessEnabled) {
        if (!enabled || businessEnabled) {
            return;
        }
        for (ServiceLevelObjective o : objectives) {
            if (o.needsBusiness()) {
                throw new IllegalArgumentException("objective " + o.text() + " reads joined outcomes, but "
                        + BusinessSettings.ENABLED_CONFIG + "=false; set " + BusinessSettings.ENABLED_CONFIG
                        + "=true or remove the objective from " + OBJECTIVES_CONFIG);
            }
        }
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
        def.define(MIN_EVENTS_CONFIG, ConfigDef.Type.LONG, DEFAULT_MIN_EVENTS, ConfigDef.Range.atLeast(0),
                ConfigDef.Importance.LOW, MIN_EVENTS_DOC, GROUP, 4, ConfigDef.Width.SHORT, MIN_EVENTS_CONFIG);
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
     * The settings from a parsed configuration that {@link #define} declared. When enabled, the windows
     * are checked ({@code window.advance.ms} must be 0 or {@code window.size.ms}: tumbling windows) and the
     * rules against them, and CTR objectives need {@code business.enabled}, if the configuration has those
     * keys.
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
                    BurnRateRule.parseAll(rules), config.getLong(MIN_EVENTS_CONFIG));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(BURN_RULES_CONFIG, rules, e.getMessage() + " (objectives: " + objectives + ")");
        }
        String sizeKey = PipelineSettings.WINDOW_SIZE_MS_CONFIG;
        String advanceKey = PipelineSettings.WINDOW_ADVANCE_MS_CONFIG;
        if (enabled && config.values().containsKey(sizeKey) && config.values().containsKey(advanceKey)) {
            long advance = Objects.requireNonNullElse(config.getLong(advanceKey), 0L);
            long step = advance == 0 ? config.getLong(sizeKey) : advance;
            try {
                s.checkTumbling(config.getLong(sizeKey), advance);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(advanceKey, advance, e.getMessage());
            }
            try {
                s.checkWindows(step);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(BURN_RULES_CONFIG, rules, e.getMessage());
            }
        }
        if (config.values().containsKey(BusinessSettings.ENABLED_CONFIG)) {
            try {
                s.checkBusiness(config.getBoolean(BusinessSettings.ENABLED_CONFIG));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(OBJECTIVES_CONFIG, objectives, e.getMessage());
            }
        }
        return s;
    }
}
