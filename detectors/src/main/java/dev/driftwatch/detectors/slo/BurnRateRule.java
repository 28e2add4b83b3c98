package dev.driftwatch.detectors.slo;

import dev.driftwatch.detectors.policy.Severity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One multi-window burn-rate alerting rule (the SRE workbook's "multiwindow, multi-burn-rate alerts"):
 * it fires when the error budget burns faster than {@code factor} both over the long window and over
 * the short one. The long window makes the alert significant (a budget share was really spent), the
 * short one makes it stop soon after the burn stops. Typical rules: {@code 1h/5m@14.4:CRITICAL} (2 % of
 * a 30-day budget in one hour) and {@code 6h/30m@6:WARNING} (5 % in six hours).
 *
 * @param longWindowMillis  the long window, in ms, &gt; the short one
 * @param shortWindowMillis the short window, in ms, &gt; 0
 * @param factor            burn-rate threshold, &gt; 0: 1 spends the budget exactly over the SLO period
 * @param severity          WARNING or CRITICAL
 */
public record BurnRateRule(long longWindowMillis, long shortWindowMillis, double factor, Severity severity) {
    private static final Pattern RULE = Pattern.compile(
            "(\\d+)(ms|s|m|h|d)/(\\d+)(ms|s|m|h|d)@([0-9]*\\.?[0-9]+)(?::([A-Za-z]+))?");

    public BurnRateRule {
        if (shortWindowMillis <= 0 || longWindowMillis <= shortWindowMillis) {
            throw new IllegalArgumentException("a burn-rate rule needs 0 < short window < long window, got long "
                    + longWindowMillis + " ms and short " + shortWindowMillis + " ms");
        }
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("burn-rate factor must be a finite number > 0, got " + factor);
        }
        if (severity == null || severity == Severity.NONE) {
            throw new IllegalArgumentException("burn-rate rule severity must be WARNING or CRITICAL, got " + severity);
        }
    }

    /**
     * Parses rules written as {@code LONG/SHORT@FACTOR[:SEVERITY]} separated by commas, e.g.
     * {@code 1h/5m@14.4:CRITICAL,6h/30m@6:WARNING}. Durations are an integer with a unit ms, s, m, h or d;
     * the severity is WARNING (the default) or CRITICAL.
     *
     * @throws IllegalArgumentException naming the rule that cannot be read and what is expected
     */
    public static List<BurnRateRule> parseAll(String spec) {
        List<BurnRateRule> rules = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("no burn-rate rules; write them as LONG/SHORT@FACTOR[:SEVERITY],"
                    + " e.g. 1h/5m@14.4:CRITICAL,6h/30m@6:WARNING");
        }
        for (String part : spec.split(",")) {
            rules.add(parse(part.trim()));
        }
        return List.copyOf(rules);
    }

    /** Parses one rule, see {@link #parseAll}. */
    public static BurnRateRule parse(String text) {
        Matcher m = RULE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("burn-rate rule '" + text + "' is not LONG/SHORT@FACTOR[:SEVERITY]"
                    + " (e.g. 1h/5m@14.4:CRITICAL; units ms, s, m, h, d)");
        }
        Severity severity = Severity.WARNING;
        if (m.group(6) != null) {
            String s = m.group(6).toUpperCase(Locale.ROOT);
            if (!s.equals("WARNING") && !s.equals("CRITICAL")) {
                throw new IllegalArgumentException("burn-rate rule '" + text + "' has severity '" + m.group(6)
                        + "'; use WARNING or CRITICAL");
            }
            severity = Severity.valueOf(s);
        }
        try {
            return new BurnRateRule(millis(m.group(1), m.group(2)), millis(m.group(3), m.group(4)),
                    Double.parseDouble(m.group(5)), severity);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("burn-rate rule '" + text + "': " + e.getMessage(), e);
        }
    }

    private static long millis(String amount, String unit) {
        long n = Long.parseLong(amount);
        long scale = switch (unit) {
            case "ms" -> 1L;
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            default -> 86_400_000L;
        };
        return Math.multiplyExact(n, scale);
    }

    /** The rule as {@link #parse} reads it, e.g. {@code 1h/5m@14.4:CRITICAL}. */
    public String text() {
        return duration(longWindowMillis) + "/" + duration(shortWindowMillis) + "@" + factorText() + ":" + severity;
    }

    /** The factor without a needless ".0", e.g. 14.4 or 6. */
    public String factorText() {
        return factor == Math.rint(factor) && Math.abs(factor) < 1e15 ? Long.toString((long) factor)
                : Double.toString(factor);
    }

    /** A duration in its largest whole unit, e.g. 3600000 as 1h, 90000 as 90s. */
    public static String duration(long millis) {
        long[] scales = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < scales.length; i++) {
            if (millis % scales[i] == 0) {
                return millis / scales[i] + units[i];
            }
        }
        return millis + "ms";
    }
}
