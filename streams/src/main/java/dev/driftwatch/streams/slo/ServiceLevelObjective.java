package dev.driftwatch.streams.slo;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One service-level objective: an indicator, its bound and the target share of good events, e.g.
 * "latency p95 at most 800 ms in 99 % of windows" or "at most 1 % of calls fail". Its error budget is
 * {@code 1 − target}; alerts watch how fast it burns ({@link dev.driftwatch.detectors.slo.BurnRates}).
 *
 * <p>Written in {@code slo.objectives} as {@code NAME:INDICATOR<=BOUND[@TARGET]} (or {@code >=} for the
 * indicators that must stay above a bound):
 * <ul>
 *   <li>{@code latency:latency.p95<=800@0.99} — window-based: a window is good when its p95 latency
 *       (p50, p95 or p99, from the bounded summary, within its 1 % relative error) is at most 800 ms;
 *       99 % of windows must be good;</li>
 *   <li>{@code errors:error.rate<=0.01} — request-based: a call is bad when it has an error code; at most
 *       1 % may be bad, so the target is 0.99 (no {@code @TARGET});</li>
 *   <li>{@code confidence:low.confidence.share<=0.2@0.95} — window-based: a window is good when at most
 *       20 % of its outputs are below {@code review.confidence.threshold};</li>
 *   <li>{@code cost:cost.per.call<=0.002@0.99} — window-based: a window is good when its mean cost per call
 *       (of the calls that report a cost) is at most 0.002;</li>
 *   <li>{@code tokens:tokens.out.p95<=800@0.99} — window-based: a window is good when the 95th percentile of
 *       its output tokens per call (within 1 %) is at most 800;</li>
 *   <li>{@code ctr:ctr.ratio>=0.95@0.99} — window-based, needs {@code business.enabled}: a window is good
 *       when its CTR is at least 95 % of the version's CTR baseline; windows with fewer impressions than
 *       {@code business.ctr.min.impressions}, or of a version without a CTR baseline, are not judged;</li>
 *   <li>{@code conversions:conversion.ratio>=0.9@0.99} — window-based, needs {@code business.enabled}: a window is
 *       good when its conversion rate (per click) is at least 90 % of the version's conversion baseline
 *       ({@code business.conversion}); windows with fewer clicks than {@code business.outcomes.min.count}, or
 *       without that baseline, are not judged;</li>
 *   <li>{@code thumbs:feedback.negative<=0.2@0.95} — window-based, needs {@code business.enabled}: a window is good
 *       when at most 20 % of its requests with feedback got a thumbs down;</li>
 *   <li>{@code resolved:success.rate>=0.8@0.95} — window-based, needs {@code business.enabled}: a window is good
 *       when at least 80 % of its requests with SUCCESS or FAILURE succeeded. Windows with fewer such requests
 *       (or requests with feedback) than {@code business.outcomes.min.count} are not judged.</li>
 * </ul>
 *
 * @param name      the objective's name: alerts are about subject {@code slo.NAME}
 * @param indicator what is measured, with its bound
 * @param target    share of good events required, in (0, 1)
 */
public record ServiceLevelObjective(String name, ServiceLevelIndicator indicator, double target) {
    private static final Pattern SPEC = Pattern.compile(
            "([a-z0-9][a-z0-9_-]{0,63}):([a-z0-9.]+)(<=|>=)([0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)(?:@([0-9]*\\.?[0-9]+))?");
    private static final Pattern PERCENTILE = Pattern.compile("latency\\.p(50|95|99)");

    public ServiceLevelObjective {
        if (!(target > 0 && target < 1)) {
            throw new IllegalArgumentException("objective '" + name + "' has target " + target
                    + "; it must be in (0, 1), e.g. 0.99");
        }
    }

    /** The error budget: the share of bad events allowed, {@code 1 − target}. */
    public double budget() {
        return 1 - target;
    }

    /** Whether the objective reads business outcomes (and so needs {@code business.enabled}). */
    public boolean needsBusiness() {
        return indicator.needsBusiness();
    }

    /** The objective as written in the configuration, e.g. {@code latency:latency.p95<=800@0.99}. */
    public String text() {
        return name + ":" + indicator.text()
                + (indicator instanceof Indicators.ErrorRate ? "" : "@" + Indicators.number(target));
    }

    /**
     * Parses objectives separated by commas (see the class comment).
     *
     * @throws IllegalArgumentException naming the objective that cannot be read and what is expected
     */
    public static List<ServiceLevelObjective> parseAll(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("no objectives; write them as NAME:INDICATOR<=BOUND[@TARGET], e.g."
                    + " latency:latency.p95<=800@0.99,errors:error.rate<=0.01");
        }
        List<ServiceLevelObjective> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String part : spec.split(",")) {
            ServiceLevelObjective o = parse(part.trim());
            if (!names.add(o.name())) {
                throw new IllegalArgumentException("objective name '" + o.name() + "' is used twice; give each"
                        + " objective its own name");
            }
            out.add(o);
        }
        return List.copyOf(out);
    }

    /** Parses one objective, see {@link #parseAll}. */
    public static ServiceLevelObjective parse(String text) {
        Matcher m = SPEC.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("objective '" + text + "' is not NAME:INDICATOR<=BOUND[@TARGET]"
                    + " (e.g. latency:latency.p95<=800@0.99 or errors:error.rate<=0.01; NAME of a-z, 0-9, '_', '-')");
        }
        String name = m.group(1);
        double bound = Double.parseDouble(m.group(4));
        Double target = m.group(5) == null ? null : Double.parseDouble(m.group(5));
        try {
            return indicator(name, m.group(2), m.group(3), bound, target);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("objective '" + text + "': " + e.getMessage(), e);
        }
    }

    /**
     * The objective of an indicator name. One case per indicator: to add one, implement
     * {@link ServiceLevelIndicator} and add its case here.
     */
    static ServiceLevelObjective indicator(String name, String indicator, String op, double bound, Double target) {
        Matcher p = PERCENTILE.matcher(indicator);
        if (p.matches()) {
            requireOp(indicator, op, "<=");
            requireTarget(indicator, target);
            if (!(bound > 0)) {
                throw new IllegalArgumentException("the latency bound must be > 0 ms, got " + bound);
            }
            return new ServiceLevelObjective(name, new Indicators.Latency(Integer.parseInt(p.group(1)), bound),
                    target);
        }
        switch (indicator) {
            case "error.rate" -> {
                requireOp(indicator, op, "<=");
                if (target != null) {
                    throw new IllegalArgumentException("error.rate is request-based: its target is 1 - the bound ("
                            + (1 - bound) + "); drop '@" + target + "'");
                }
                if (!(bound > 0 && bound < 1)) {
                    throw new IllegalArgumentException("the error-rate bound must be in (0, 1), e.g. 0.01, got " + bound);
                }
                return new ServiceLevelObjective(name, new Indicators.ErrorRate(bound), 1 - bound);
            }
            case "low.confidence.share" -> {
                requireOp(indicator, op, "<=");
                requireTarget(indicator, target);
                if (!(bound >= 0 && bound < 1)) {
                    throw new IllegalArgumentException("the low-confidence share bound must be in [0, 1), got " + bound);
                }
                return new ServiceLevelObjective(name, new Indicators.LowConfidenceShare(bound), target);
            }
            case "cost.per.call", "tokens.out.p95" -> {
                requireOp(indicator, op, "<=");
                requireTarget(indicator, target);
                if (!(bound > 0)) {
                    throw new IllegalArgumentException(indicator + " needs a bound > 0, got " + bound);
                }
                return new ServiceLevelObjective(name, indicator.equals("cost.per.call")
                        ? new Indicators.CostPerCall(bound) : new Indicators.TokensOutP95(bound), target);
            }
            case "ctr.ratio" -> {
                if (!op.equals(">=")) {
                    throw new IllegalArgumentException("ctr.ratio takes a lower bound: write ctr.ratio>=BOUND"
                            + " (e.g. ctr.ratio>=0.95), not " + op);
                }
                requireTarget(indicator, target);
                if (!(bound > 0)) {
                    throw new IllegalArgumentException("the CTR ratio bound must be > 0, e.g. 0.95 (95 % of the"
                            + " baseline CTR), got " + bound);
                }
                return new ServiceLevelObjective(name, new Indicators.CtrRatio(bound), target);
            }
            case "conversion.ratio" -> {
                requireLowerBound(indicator, op, "0.9 (90 % of the baseline conversion rate)");
                requireTarget(indicator, target);
                if (!(bound > 0)) {
                    throw new IllegalArgumentException("the conversion ratio bound must be > 0, e.g. 0.9 (90 % of the"
                            + " baseline conversion rate), got " + bound);
                }
                return new ServiceLevelObjective(name, new Indicators.ConversionRatio(bound), target);
            }
            case "feedback.negative" -> {
                requireOp(indicator, op, "<=");
                requireTarget(indicator, target);
                if (!(bound >= 0 && bound < 1)) {
                    throw new IllegalArgumentException("the negative-feedback bound must be in [0, 1), e.g. 0.2,"
                            + " got " + bound);
                }
                return new ServiceLevelObjective(name, new Indicators.NegativeFeedback(bound), target);
            }
            case "success.rate" -> {
                requireLowerBound(indicator, op, "0.8");
                requireTarget(indicator, target);
                if (!(bound > 0 && bound <= 1)) {
                    throw new IllegalArgumentException("the success-rate bound must be in (0, 1], e.g. 0.8, got "
                            + bound);
                }
                return new ServiceLevelObjective(name, new Indicators.SuccessRate(bound), target);
            }
            default -> throw new IllegalArgumentException("unknown indicator '" + indicator + "'; known:"
                    + " latency.p50, latency.p95, latency.p99, error.rate, low.confidence.share, ctr.ratio,"
                    + " cost.per.call, tokens.out.p95, conversion.ratio, feedback.negative, success.rate");
        }
    }

    private static void requireOp(String indicator, String op, String expected) {
        if (!op.equals(expected)) {
            throw new IllegalArgumentException(indicator + " takes an upper bound: write " + indicator + expected
                    + "BOUND, not " + op);
        }
    }

    private static void requireLowerBound(String indicator, String op, String example) {
        if (!op.equals(">=")) {
            throw new IllegalArgumentException(indicator + " takes a lower bound: write " + indicator + ">=BOUND"
                    + " (e.g. " + indicator + ">=" + example + "), not " + op);
        }
    }

    private static void requireTarget(String indicator, Double target) {
        if (target == null) {
            throw new IllegalArgumentException(indicator + " is window-based: give the share of good windows,"
                    + " e.g. @0.99");
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (target %s)", text(), target);
    }
}
