package dev.driftwatch.detectors.summary;

import dev.driftwatch.detectors.ColumnComparison;
import dev.driftwatch.detectors.ColumnKind;
import dev.driftwatch.detectors.Comparisons;
import dev.driftwatch.detectors.DriftTest;
import dev.driftwatch.detectors.KolmogorovSmirnov;
import dev.driftwatch.detectors.TestResult;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Drift statistics of one window summary against another window summary on the same frozen grid, e.g.
 * the scores a shadow model gave on some requests against the scores the primary model gave on the same
 * requests. The first summary plays the reference (the primary), the second the current sample.
 *
 * <p>Unlike {@link SummaryComparisons}, neither side is the sample the grid was built from, so the
 * approximations are bounded by what the two summaries hold:
 * <ul>
 *   <li>PSI, KL and JS come from the exact counts of the grid's coarse bins (ε = 1e-4 for an empty bin):
 *       they equal the offline values on those bins.</li>
 *   <li>KS D is taken at every cell boundary. Inside an open cell both empirical CDFs rise by that cell's
 *       masses only, so the exact D exceeds the grid's D by at most
 *       {@link #ksErrorBound max over open cells of min(reference share, current share)}, and never falls
 *       below it. The p-value is the two-sample KS p-value of the grid's D with the true sample sizes.</li>
 *   <li>Wasserstein puts each cell's mass at the mean of its values and is divided by the reference's
 *       population standard deviation; {@link #wassersteinErrorBound} bounds its error.</li>
 * </ul>
 *
 * <p><b>The KS p-value (and the chi-square p-value of the labels) is indicative only.</b> When the two
 * summaries hold the outputs of two models on the <em>same</em> requests, as for a shadow or canary paired
 * with its primary, they are paired observations, not two independent samples: the two-sample tests assume
 * independence, so their p-values are not valid significance levels (typically far too large for two models
 * that agree request by request, since the shared inputs make the two samples alike). Decide on the effect
 * sizes (PSI, KS D, Wasserstein) and the per-request agreement rate; read the p-values as a rough indication.
 */
public final class WindowPairComparisons {
    private WindowPairComparisons() {
    }

    /**
     * Every numeric statistic of {@code current} against {@code reference}: PSI, KL, JS (typical drift
     * thresholds 0.1-0.25 for PSI), KS D in [0, 1] with its p-value, Wasserstein in reference standard
     * deviations (undefined when the reference is constant).
     *
     * @throws IllegalArgumentException when the two summaries are on different grids
     */
    public static ColumnComparison numeric(NumericSummary reference, NumericSummary current) {
        checkSameGrid(reference, current);
        if (reference.count() == 0 || current.count() == 0) {
            return ColumnComparison.undefined(ColumnKind.NUMERIC, reference.count(), current.count(),
                    reference.missing(), current.missing(),
                    ColumnComparison.emptyReason(reference.count(), current.count()));
        }
        Map<DriftTest, TestResult> tests = new EnumMap<>(DriftTest.class);
        ColumnComparison binned = Comparisons.categorical(reference.binCounts(), current.binCounts(),
                reference.missing(), current.missing());
        tests.put(DriftTest.PSI, binned.test(DriftTest.PSI));
        tests.put(DriftTest.KL, binned.test(DriftTest.KL));
        tests.put(DriftTest.JS, binned.test(DriftTest.JS));
        KolmogorovSmirnov.Result ks = KolmogorovSmirnov.fromStatistic(
                SummaryComparisons.ksStatistic(reference, current), reference.count(), current.count());
        tests.put(DriftTest.KS, ks.toTestResult());
        tests.put(DriftTest.WASSERSTEIN, SummaryComparisons.wasserstein(reference, current));
        return new ColumnComparison(ColumnKind.NUMERIC, reference.count(), current.count(), reference.missing(),
                current.missing(), tests, ks.method());
    }

    /**
     * The bound on the error of the KS D of {@link #numeric}: the exact D over the raw values lies in
     * [D, D + bound]. It is the largest, over the open cells of the grid, of the smaller of the two
     * samples' shares in that cell (0 when every value sits on a grid point). Typically below 1/G of
     * the grid's resolution G when both samples resemble the grid's reference.
     */
    public static double ksErrorBound(NumericSummary reference, NumericSummary current) {
        checkSameGrid(reference, current);
        if (reference.count() == 0 || current.count() == 0) {
            return 0.0;
        }
        double bound = 0;
        for (int c = 0; c < reference.grid().cellCount(); c += 2) {
            double r = reference.cellCount(c) / (double) reference.count();
            double k = current.cellCount(c) / (double) current.count();
            bound = Math.max(bound, Math.min(r, k));
        }
        return bound;
    }

    /**
     * The bound on the error of the Wasserstein value of {@link #numeric} (in reference standard
     * deviations): moving a cell's mass to its mean moves a distribution by at most half the cell's
     * width times that mass, so the error is at most Σ over open cells of width/2 · (reference share +
     * current share), divided by the reference's standard deviation. The outer cells' widths are taken
     * from the smallest and largest value of the two samples. NaN when Wasserstein is undefined.
     */
    public static double wassersteinErrorBound(NumericSummary reference, NumericSummary current) {
        checkSameGrid(reference, current);
        double std = reference.populationStd();
        if (reference.count() == 0 || current.count() == 0 || !(std > 0)) {
            return Double.NaN;
        }
        NumericGrid grid = reference.grid();
        double[] points = grid.points();
        double low = Math.min(reference.min(), current.min());
        double high = Math.max(reference.max(), current.max());
        double sum = 0;
        for (int c = 0; c < grid.cellCount(); c += 2) {
            double r = reference.cellCount(c) / (double) reference.count();
            double k = current.cellCount(c) / (double) current.count();
            if (r == 0 && k == 0) {
                continue;
            }
            int i = c / 2;
            double from = i == 0 ? low : points[i - 1];
            double to = i == points.length ? high : points[i];
            sum += Math.max(0.0, to - from) / 2 * (r + k);
        }
        return sum / std;
    }

    /**
     * Every categorical statistic of {@code current} against {@code reference} on the union of their
     * categories: PSI, KL, JS and chi-square (with its p-value, df = categories − 1).
     */
    public static ColumnComparison categorical(CategoricalSummary reference, CategoricalSummary current) {
        TreeSet<String> union = new TreeSet<>(reference.counts().keySet());
        union.addAll(current.counts().keySet());
        long[] refCounts = new long[union.size()];
        long[] curCounts = new long[union.size()];
        int i = 0;
        for (String category : union) {
            refCounts[i] = reference.count(category);
            curCounts[i] = current.count(category);
            i++;
        }
        return Comparisons.categorical(refCounts, curCounts, reference.missing(), current.missing());
    }

    private static void checkSameGrid(NumericSummary a, NumericSummary b) {
        if (a.grid().fingerprint() != b.grid().fingerprint()) {
            throw new IllegalArgumentException("cannot compare summaries on different grids ("
                    + Long.toHexString(a.grid().fingerprint()) + " vs " + Long.toHexString(b.grid().fingerprint())
                    + "); summarise both on the same baseline's grid");
        }
    }
}
