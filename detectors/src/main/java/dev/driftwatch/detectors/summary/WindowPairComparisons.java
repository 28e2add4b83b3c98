package dev.driftwatch.detectors.summary;

import dev.driftwatch.detectors.ColumnComparison;
import dev.driftwatch.detectors.ColumnKind;
import dev.driftwatch.detectors.DriftTests;
import dev.driftwatch.detectors.StreamingInput;

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
        return SummaryComparisons.streaming(reference, current);
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
        return DriftTests.KS.errorBound(input(reference, current));
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
        if (reference.count() == 0 || current.count() == 0) {
            return Double.NaN;
        }
        return DriftTests.WASSERSTEIN.errorBound(input(reference, current));
    }

    /**
     * Every categorical statistic of {@code current} against {@code reference} on the union of their
     * categories: PSI, KL, JS and chi-square (with its p-value, df = categories − 1).
     */
    public static ColumnComparison categorical(CategoricalSummary reference, CategoricalSummary current) {
        return SummaryComparisons.streaming(reference, current);
    }

    private static StreamingInput input(NumericSummary reference, NumericSummary current) {
        return new StreamingInput(ColumnKind.NUMERIC, reference.binCounts(), current.binCounts(), reference,
                current);
    }

    private static void checkSameGrid(NumericSummary a, NumericSummary b) {
        if (a.grid().fingerprint() != b.grid().fingerprint()) {
            throw new IllegalArgumentException("cannot compare summaries on different grids ("
                    + Long.toHexString(a.grid().fingerprint()) + " vs " + Long.toHexString(b.grid().fingerprint())
                    + "); summarise both on the same baseline's grid");
        }
    }
}
