package dev.driftwatch.detectors;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Exact comparisons of raw samples: the offline reference against which window summaries are checked,
 * and what {@code driftwatch compare} prints.
 */
public final class Comparisons {
    /** Default number of numeric bins. */
    public static final int DEFAULT_BINS = 10;

    private Comparisons() {
    }

    /**
     * Compares two numeric samples with the exact form of every numeric test of {@link DriftTests}.
     * Missing values (NaN, ±Inf) are counted apart and dropped; binned tests (PSI, KL, JS) use
     * {@code bins} quantile bins of the reference, the others (KS, Wasserstein) the raw values.
     *
     * @param bins requested number of bins (1..10,000; typically 10)
     */
    public static ColumnComparison numeric(double[] reference, double[] current, int bins) {
        BinEdges.checkBins(bins);
        double[] ref = sortedFinite(reference);
        double[] cur = sortedFinite(current);
        return numericSorted(ref, cur, reference.length - ref.length, current.length - cur.length, bins);
    }

    /**
     * {@link #numeric} of samples whose missing values are already counted apart and dropped: {@code ref} and
     * {@code cur} are what {@link #sortedFinite} returns (finite, ascending, no −0.0). They are read, not copied,
     * and must not change while the comparison is used.
     */
    public static ColumnComparison numericSorted(double[] ref, double[] cur, long refMissing, long curMissing,
                                                 int bins) {
        BinEdges.checkBins(bins);
        if (ref.length == 0 || cur.length == 0) {
            return ColumnComparison.undefined(ColumnKind.NUMERIC, ref.length, cur.length, refMissing, curMissing,
                    ColumnComparison.emptyReason(ref.length, cur.length));
        }
        BinEdges edges = BinEdges.fromReference(ref, bins);
        ExactInput input = new ExactInput(ColumnKind.NUMERIC, edges.count(ref), edges.count(cur), ref, cur);
        return ColumnComparison.of(ColumnKind.NUMERIC, ref.length, cur.length, refMissing, curMissing,
                t -> t.exact(input));
    }

    /**
     * Compares two categorical samples on the union of their categories with the exact form of every
     * categorical test of {@link DriftTests}. Null or blank values are missing.
     */
    public static ColumnComparison categorical(String[] reference, String[] current) {
        Map<String, long[]> counts = new TreeMap<>();
        long refMissing = tally(reference, counts, 0);
        long curMissing = tally(current, counts, 1);
        long refCount = reference.length - refMissing;
        long curCount = current.length - curMissing;
        if (refCount == 0 || curCount == 0) {
            return ColumnComparison.undefined(ColumnKind.CATEGORICAL, refCount, curCount, refMissing, curMissing,
                    ColumnComparison.emptyReason(refCount, curCount));
        }
        long[] refCounts = new long[counts.size()];
        long[] curCounts = new long[counts.size()];
        int i = 0;
        for (long[] c : counts.values()) {
            refCounts[i] = c[0];
            curCounts[i] = c[1];
            i++;
        }
        return categorical(refCounts, curCounts, refMissing, curMissing);
    }

    /** Compares aligned category counts (one entry per category of the union). */
    public static ColumnComparison categorical(long[] refCounts, long[] curCounts, long refMissing,
                                               long curMissing) {
        long refCount = Arrays.stream(refCounts).sum();
        long curCount = Arrays.stream(curCounts).sum();
        if (refCount == 0 || curCount == 0) {
            return ColumnComparison.undefined(ColumnKind.CATEGORICAL, refCount, curCount, refMissing, curMissing,
                    ColumnComparison.emptyReason(refCount, curCount));
        }
        ExactInput input = new ExactInput(ColumnKind.CATEGORICAL, refCounts, curCounts, null, null);
        return ColumnComparison.of(ColumnKind.CATEGORICAL, refCount, curCount, refMissing, curMissing,
                t -> t.exact(input));
    }

    private static long tally(String[] values, Map<String, long[]> counts, int side) {
        long missing = 0;
        for (String v : values) {
            if (Missing.isMissing(v)) {
                missing++;
            } else {
                counts.computeIfAbsent(v, k -> new long[2])[side]++;
            }
        }
        return missing;
    }

    /** The finite values of a sample, sorted ascending. */
    public static double[] sortedFinite(double[] values) {
        double[] out = new double[values.length];
        int w = 0;
        for (double v : values) {
            if (!Missing.isMissing(v)) {
                out[w++] = v + 0.0; // -0.0 becomes 0.0: equal values must sort and search as one
            }
        }
        out = Arrays.copyOf(out, w);
        Arrays.sort(out);
        return out;
    }
}
