package dev.driftwatch.detectors.summary;

import dev.driftwatch.detectors.ColumnComparison;
import dev.driftwatch.detectors.ColumnKind;
import dev.driftwatch.detectors.Comparisons;
import dev.driftwatch.detectors.DriftTest;
import dev.driftwatch.detectors.KolmogorovSmirnov;
import dev.driftwatch.detectors.TestResult;
import dev.driftwatch.detectors.Wasserstein;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Drift statistics of a window summary against its baseline, as the pipeline computes them.
 *
 * <p>PSI, KL, JS and chi-square come from exact counts and equal {@link Comparisons} on the raw values.
 * KS D is computed at every cell boundary of the grid: it never exceeds the exact D and falls short of
 * it by less than the largest reference mass in one open cell, below 1/G (G the grid resolution;
 * 0.0025 by default). Its p-value is computed from that D with the true sample sizes. Wasserstein
 * places each cell's mass at the mean of its values; it is exact wherever only one of the two
 * distributions has mass in an open cell, and otherwise off by at most the cell's width times the
 * smaller of the two masses in it.
 */
public final class SummaryComparisons {
    private SummaryComparisons() {
    }

    /** Every numeric statistic of a window against its baseline. */
    public static ColumnComparison numeric(NumericBaseline baseline, NumericSummary window) {
        NumericSummary ref = baseline.referenceView();
        if (window.grid().fingerprint() != baseline.grid().fingerprint()) {
            throw new IllegalArgumentException("window summary is on another grid than baseline " + baseline.id());
        }
        if (window.count() == 0) {
            return undefinedColumn(ColumnKind.NUMERIC, ref.count(), 0, ref.missing(), window.missing());
        }
        Map<DriftTest, TestResult> tests = new EnumMap<>(DriftTest.class);
        ColumnComparison binned = Comparisons.categorical(ref.binCounts(), window.binCounts(), ref.missing(),
                window.missing());
        tests.put(DriftTest.PSI, binned.test(DriftTest.PSI));
        tests.put(DriftTest.KL, binned.test(DriftTest.KL));
        tests.put(DriftTest.JS, binned.test(DriftTest.JS));
        KolmogorovSmirnov.Result ks = KolmogorovSmirnov.fromStatistic(ksStatistic(ref, window), ref.count(),
                window.count());
        tests.put(DriftTest.KS, ks.toTestResult());
        tests.put(DriftTest.WASSERSTEIN, wasserstein(ref, window));
        return new ColumnComparison(ColumnKind.NUMERIC, ref.count(), window.count(), ref.missing(),
                window.missing(), tests, ks.method());
    }

    /** Every categorical statistic of a window against its baseline, on the union of categories. */
    public static ColumnComparison categorical(CategoricalBaseline baseline, CategoricalSummary window) {
        CategoricalSummary ref = baseline.referenceView();
        long[][] counts = countsOnUnion(ref, window);
        return Comparisons.categorical(counts[0], counts[1], ref.missing(), window.missing());
    }

    private static ColumnComparison undefinedColumn(ColumnKind kind, long refCount, long curCount, long refMissing,
                                                    long curMissing) {
        return ColumnComparison.undefined(kind, refCount, curCount, refMissing, curMissing,
                ColumnComparison.emptyReason(refCount, curCount));
    }

    /** max over cell boundaries of |F_ref − F_cur|. */
    static double ksStatistic(NumericSummary ref, NumericSummary cur) {
        int cells = ref.grid().cellCount();
        double n = ref.count();
        double m = cur.count();
        long cumRef = 0;
        long cumCur = 0;
        double d = 0;
        for (int c = 0; c < cells; c++) {
            cumRef += ref.cellCount(c);
            cumCur += cur.cellCount(c);
            d = Math.max(d, Math.abs(cumRef / n - cumCur / m));
        }
        return Math.min(1.0, d);
    }

    static TestResult wasserstein(NumericSummary ref, NumericSummary cur) {
        double std = ref.populationStd();
        if (!(std > 0)) {
            return TestResult.undefined(DriftTest.WASSERSTEIN,
                    "reference standard deviation is 0 (constant reference); Wasserstein cannot be normalised");
        }
        int cells = ref.grid().cellCount();
        double[][] a = masses(ref, cells);
        double[][] b = masses(cur, cells);
        return TestResult.of(DriftTest.WASSERSTEIN, Wasserstein.weightedDistance(a[0], a[1], b[0], b[1]) / std);
    }

    private static double[][] masses(NumericSummary s, int cells) {
        int k = 0;
        for (int c = 0; c < cells; c++) {
            if (s.cellCount(c) > 0) {
                k++;
            }
        }
        double[] loc = new double[k];
        double[] weight = new double[k];
        int w = 0;
        for (int c = 0; c < cells; c++) {
            long n = s.cellCount(c);
            if (n > 0) {
                loc[w] = s.cellMean(c);
                weight[w] = n;
                w++;
            }
        }
        return new double[][] {loc, weight};
    }

    /**
     * The counts of {@code ref} and {@code window} on the union of their categories, in the categories'
     * sorted order: {@code [0]} the reference's, {@code [1]} the window's (0 where a side lacks one).
     */
    static long[][] countsOnUnion(CategoricalSummary ref, CategoricalSummary window) {
        TreeSet<String> union = new TreeSet<>(ref.counts().keySet());
        union.addAll(window.counts().keySet());
        long[][] counts = new long[2][union.size()];
        int i = 0;
        for (String category : union) {
            counts[0][i] = ref.count(category);
            counts[1][i] = window.count(category);
            i++;
        }
        return counts;
    }
}
