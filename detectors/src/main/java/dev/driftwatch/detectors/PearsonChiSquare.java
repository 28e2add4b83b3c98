package dev.driftwatch.detectors;

import java.util.EnumSet;
import java.util.List;

/**
 * Pearson chi-square test of the current category counts O against E = r̂·n_current, Σ (O − E)²/E,
 * with categories − 1 degrees of freedom and its upper-tail p-value. Statistic in [0, +∞), p-value in
 * [0, 1]; with a single category there is no degree of freedom and no p-value. The significance gate of
 * categorical columns.
 *
 * <p>Streaming form: the same test on the exact category counts (error bound 0).
 */
final class PearsonChiSquare extends CountBasedDriftTest {

    PearsonChiSquare() {
        super("chisq", "CHI_SQUARE", Kind.SIGNIFICANCE, EnumSet.of(ColumnKind.CATEGORICAL));
    }

    @Override
    TestResult onCounts(long[] reference, long[] current) {
        return DriftStatistics.chiSquare(reference, current);
    }

    @Override
    public boolean isSignificanceGate() {
        return true;
    }

    @Override
    public boolean alwaysHasPValue() {
        return false; // one category: no degree of freedom
    }

    @Override
    public List<String> reportColumns() {
        return List.of("chi2", "chi2_p");
    }

    @Override
    public String explanation() {
        return "Chi-square test of the current category counts against the reference shares, with a"
                + " p-value; the categorical counterpart of KS.";
    }
}
