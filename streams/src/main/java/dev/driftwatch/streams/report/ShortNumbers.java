package dev.driftwatch.streams.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Numbers as a person reads them on a chart: integers as integers ({@code 22}, not {@code 22.000}),
 * large values with a suffix ({@code 1.2k}, {@code 3.4M}), others with a few significant digits
 * ({@code 0.35}, {@code 28.1}), tiny ones in scientific form ({@code 1.2e-5}).
 */
public final class ShortNumbers {
    private static final String[] SUFFIXES = {"", "k", "M", "B", "T"};

    private ShortNumbers() {
    }

    /** {@code v} with 3 significant digits at most; "—" for NaN and infinities. */
    public static String format(double v) {
        return format(v, 3);
    }

    /**
     * {@code v} with at most {@code digits} significant digits, trailing zeros dropped. Integers below
     * 10,000 are written in full whatever {@code digits} says.
     */
    public static String format(double v, int digits) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "—";
        }
        double a = Math.abs(v);
        if (v == Math.rint(v) && a < 10_000) {
            return Long.toString((long) v);
        }
        if (a >= 1_000) {
            int group = Math.min(SUFFIXES.length - 1, (int) (Math.log10(a) / 3));
            return plain(v / Math.pow(1000, group), digits) + SUFFIXES[group];
        }
        if (a < 1e-3) {
            return String.format(Locale.ROOT, "%." + Math.max(0, digits - 1) + "e", v)
                    .replaceAll("\\.?0+e", "e").replace("e-0", "e-").replace("e+0", "e");
        }
        return plain(v, digits);
    }

    /** A p-value: below 1e-300 it is written as such (a double underflows to 0 there). */
    public static String pValue(Double p) {
        if (p == null) {
            return "—";
        }
        return p < 1e-300 ? "<1e-300" : format(p, 2);
    }

    /** A share in [0, 1] as a percentage, "12.5%". */
    public static String percent(double share) {
        if (Double.isNaN(share)) {
            return "—";
        }
        double pct = share * 100;
        return (pct == Math.rint(pct) ? Long.toString((long) pct) : plain(pct, pct < 1 ? 2 : 3)) + "%";
    }

    /** A count with thousands separators: 20,000. */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /**
     * Labels of the bins cut by {@code edges} (ascending): "&lt; e0", "e0–e1", …, "≥ eLast", each edge
     * written with as few significant digits (3 at least) as keep neighbouring edges apart.
     */
    public static List<String> binLabels(double[] edges) {
        List<String> labels = new ArrayList<>();
        if (edges.length == 0) {
            labels.add("all values");
            return labels;
        }
        String[] e = distinctEdges(edges);
        labels.add("< " + e[0]);
        for (int i = 1; i < e.length; i++) {
            labels.add(e[i - 1] + "–" + e[i]);
        }
        labels.add("≥ " + e[e.length - 1]);
        return labels;
    }

    private static String[] distinctEdges(double[] edges) {
        String[] out = new String[edges.length];
        for (int digits = 3; digits <= 12; digits++) {
            for (int i = 0; i < edges.length; i++) {
                out[i] = format(edges[i], digits);
            }
            boolean distinct = true;
            for (int i = 1; i < out.length && distinct; i++) {
                distinct = !out[i].equals(out[i - 1]);
            }
            if (distinct) {
                break;
            }
        }
        return out;
    }

    private static String plain(double v, int digits) {
        return new BigDecimal(v).round(new MathContext(digits, RoundingMode.HALF_EVEN)).stripTrailingZeros()
                .toPlainString();
    }
}
