package dev.driftwatch.detectors.summary;

import dev.driftwatch.detectors.ColumnComparison;
import dev.driftwatch.detectors.DriftTests;
import dev.driftwatch.detectors.GridCells;
import dev.driftwatch.detectors.StreamingInput;
import dev.driftwatch.detectors.TestResult;
import dev.driftwatch.detectors.WindowEvidence;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@link WindowEvidence} of a window summary against its baseline, from the same exact counts as
 * {@link SummaryComparisons}: every test here is a two-sample test, valid whatever the shape of the
 * data (ties, constant stretches, rare categories) and whatever the reference size.
 *
 * <p>Numeric: a value's placement P is the reference mid-distribution of its grid cell (a point cell
 * holds one value, so ties are exact; values in one open cell count as tied, which keeps the tests valid
 * and loses little, each open cell holding under 1/G of the reference). Location and scale z-scores of
 * the window are the placement sums over σ·√(m·(1 + m/n)); their two-sided p-values and the KS p-value
 * of the comparison give the window p-value, min(1, 3·min p). When at least half the reference sits on
 * repeated single values (a constant, integers, a mostly-zero feature), the grid cells are taken as
 * categories and the categorical test below replaces KS, which is blunt on ties and blind on a constant.
 *
 * <p>Categorical: a two-sample chi-square on the table of reference and window counts by category,
 * categories with an expected count below {@value #MIN_EXPECTED} on either side pooled into one group
 * (merged with the smallest other category if it is still too small, and then also tested alone: given
 * its total, its count in the window is binomial with p = m / (n + m); the two p-values Bonferroni), df =
 * groups − 1. Unlike the
 * goodness-of-fit chi-square of {@link SummaryComparisons}, it accounts for the reference's own noise and
 * does not explode on rare categories.
 */
public final class SummaryEvidence {
    /**
     * A numeric reference with at least this share of its values on repeated single values (a constant, an
     * integer feature, a mostly-zero feature) is tested as categories of its grid cells instead of with KS.
     */
    public static final double LOW_CARDINALITY_POINT_MASS = 0.5;

    /** Smallest expected count of a category kept apart in the categorical test. */
    public static final double MIN_EXPECTED = 5.0;

    /**
     * The most category groups a categorical window's evidence carries (and the alert state keeps per window for
     * the test across windows): the {@code MAX_GROUPS − 1} most frequent reference categories apart, every other
     * category (rarer, or unseen in the reference) in one last group.
     */
    public static final int MAX_GROUPS = 32;

    private SummaryEvidence() {
    }

    /**
     * The evidence of a numeric window.
     *
     * @param baseline   the baseline the window was summarised on
     * @param summary    the window's summary
     * @param comparison the window's comparison (its KS p-value is used); may be null
     * @return the evidence; with p-value 1 and no scores when the window is empty
     */
    public static WindowEvidence numeric(NumericBaseline baseline, NumericSummary summary, ColumnComparison comparison) {
        return numeric(baseline.placement(), baseline.referenceView().denseCells(), summary.denseCells(), comparison);
    }

    /**
     * The same, reading the cells the window's comparison read ({@code input}, from
     * {@link SummaryComparisons#numericInput}: dense copies of sparse summaries) instead of copying them again.
     *
     * @param input the window's input to the streaming tests; null when it has none (an empty side)
     */
    public static WindowEvidence numeric(NumericBaseline baseline, NumericSummary summary, ColumnComparison comparison,
                                         StreamingInput input) {
        return input == null ? numeric(baseline, summary, comparison)
                : numeric(baseline.placement(), input.reference(), input.current(), comparison);
    }

    private static WindowEvidence numeric(Placement reference, GridCells ref, GridCells window,
                                          ColumnComparison comparison) {
        long n = ref.count();
        long m = window.count();
        if (n == 0 || m == 0) {
            return WindowEvidence.ofPValue(m, n, 1.0);
        }
        int cells = ref.cells();
        long below = 0;
        double sumL = 0;
        double sumS = 0;
        // A cell without window values adds ±0 to sums that are never −0 (they start at +0, and a sum of two
        // numbers is −0 only when both are), which changes neither: only the window's cells are scored.
        double meanL = reference.meanL();
        double meanS = reference.meanS();
        for (int c = 0; c < cells; c++) {
            long r = ref.cellCount(c);
            long w = window.cellCount(c);
            if (w != 0) {
                double placement = (below + 0.5 * r) / n;
                sumL += w * (placement - meanL);
                sumS += w * (square(placement - 0.5) - meanS);
            }
            below += r;
        }
        double sigmaL = reference.sigmaL();
        double sigmaS = reference.sigmaS();
        double spread = Math.sqrt(m * (1.0 + (double) m / n));
        double pL = sigmaL > 0 ? WindowEvidence.twoSidedPValue(sumL / (sigmaL * spread)) : 1.0;
        double pS = sigmaS > 0 ? WindowEvidence.twoSidedPValue(sumS / (sigmaS * spread)) : 1.0;
        double pShape = 1.0;
        if (reference.pointMass() >= LOW_CARDINALITY_POINT_MASS) {
            // Mostly repeated values: the cells are the categories (a constant reference included, whose
            // placement scores and Wasserstein distance are degenerate).
            long[] refCounts = new long[cells];
            long[] curCounts = new long[cells];
            for (int c = 0; c < cells; c++) {
                refCounts[c] = ref.cellCount(c);
                curCounts[c] = window.cellCount(c);
            }
            pShape = pooledChiSquare(refCounts, curCounts, n, m);
        } else {
            TestResult ks = comparison == null ? null : comparison.test(DriftTests.KS);
            if (ks != null && ks.isDefined() && ks.pValue() != null) {
                pShape = ks.pValue();
            }
        }
        double p = Math.min(1.0, 3.0 * Math.min(pShape, Math.min(pL, pS)));
        return new WindowEvidence(m, n, p, sigmaL > 0 ? sumL : 0, sigmaL, sigmaS > 0 ? sumS : 0, sigmaS);
    }

    /**
     * What the evidence of every window reads of a numeric reference alone: each cell's placement, its midrank in
     * the reference over n, scored for location (the placement, centred) and scale (its squared distance from ½,
     * centred), with the scores' means and standard deviations over the reference, and the reference's share on
     * single values. Computed once per baseline ({@link NumericBaseline#placement}).
     */
    record Placement(double meanL, double meanS, double sigmaL, double sigmaS, double pointMass) {
        static Placement of(NumericSummary ref) {
            long n = ref.count();
            if (n == 0) {
                return new Placement(0, 0, 0, 0, 0);
            }
            // Each cell's placement is computed again in the second pass, by the same expression from the same
            // counts (the same bits), rather than kept in an array of a double a cell: a baseline is built for every
            // stored record the loader reads at start-up.
            int cells = ref.grid().cellCount();
            long below = 0;
            double meanL = 0;
            double meanS = 0;
            for (int c = 0; c < cells; c++) {
                long r = ref.cellCount(c);
                double placement = (below + 0.5 * r) / n;
                below += r;
                meanL += r * placement;
                meanS += r * square(placement - 0.5);
            }
            meanL /= n;
            meanS /= n;
            double varL = 0;
            double varS = 0;
            below = 0;
            for (int c = 0; c < cells; c++) {
                long r = ref.cellCount(c);
                double placement = (below + 0.5 * r) / n;
                below += r;
                double l = placement - meanL;
                double s = square(placement - 0.5) - meanS;
                varL += r * l * l;
                varS += r * s * s;
            }
            return new Placement(meanL, meanS, Math.sqrt(varL / n), Math.sqrt(varS / n), SummaryEvidence.pointMass(ref));
        }
    }

    /**
     * The evidence of a categorical window: the two-sample chi-square described in the class comment.
     *
     * @param baseline the baseline
     * @param window   the window's summary
     * @return the evidence (p-value 1 when fewer than two groups remain)
     */
    public static WindowEvidence categorical(CategoricalBaseline baseline, CategoricalSummary window) {
        CategoricalSummary ref = baseline.referenceView();
        long n = ref.count();
        long m = window.count();
        if (n == 0 || m == 0) {
            return WindowEvidence.ofPValue(m, n, 1.0);
        }
        long[][] counts = SummaryComparisons.countsOnUnion(ref, window);
        long[][] groups = groupCounts(ref, window);
        return WindowEvidence.ofGroups(m, n, pooledChiSquare(counts[0], counts[1], n, m), groups[1], groups[0]);
    }

    /**
     * The reference's and the window's counts on the reference's category groups: the {@link #MAX_GROUPS} − 1
     * most frequent reference categories (ties by name), in that order, then one group for all other categories.
     * The grouping depends on the reference only, so windows compared with one reference line up.
     */
    static long[][] groupCounts(CategoricalSummary ref, CategoricalSummary window) {
        List<Map.Entry<String, Long>> byCount = new ArrayList<>(ref.counts().entrySet());
        byCount.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        int kept = Math.min(byCount.size(), MAX_GROUPS - 1);
        long[][] out = new long[2][kept + 1];
        long refKept = 0;
        long windowKept = 0;
        for (int g = 0; g < kept; g++) {
            String category = byCount.get(g).getKey();
            out[0][g] = ref.count(category);
            out[1][g] = window.count(category);
            refKept += out[0][g];
            windowKept += out[1][g];
        }
        out[0][kept] = ref.count() - refKept;
        out[1][kept] = window.count() - windowKept;
        return out;
    }

    /**
     * The two-sample p-value of pooled window counts against the reference's, on the groups of
     * {@link #groupCounts}: the test of {@link #categorical}, for several windows together.
     *
     * @param referenceGroupCounts the reference's counts by group
     * @param windowGroupCounts    the pooled windows' counts by the same groups
     * @return the p-value in [0, 1]; 1 when either side is empty
     */
    public static double pooledGroupPValue(long[] referenceGroupCounts, long[] windowGroupCounts) {
        long n = 0;
        long m = 0;
        for (int g = 0; g < referenceGroupCounts.length; g++) {
            n += referenceGroupCounts[g];
            m += windowGroupCounts[g];
        }
        return n == 0 || m == 0 ? 1.0 : pooledChiSquare(referenceGroupCounts, windowGroupCounts, n, m);
    }

    /** The share of the reference on single values (point cells) of its grid. */
    static double pointMass(NumericSummary ref) {
        long points = 0;
        for (int c = 1; c < ref.grid().cellCount(); c += 2) {
            points += ref.cellCount(c);
        }
        return (double) points / ref.count();
    }

    /** The two-sample chi-square p-value of two count vectors, small categories pooled (see the class comment). */
    static double pooledChiSquare(long[] refCounts, long[] curCounts, long n, long m) {
        double total = n + m;
        List<long[]> groups = new ArrayList<>();
        long[] pooled = new long[2];
        for (int k = 0; k < refCounts.length; k++) {
            long r = refCounts[k];
            long w = curCounts[k];
            if (r + w == 0) {
                continue;
            }
            if (Math.min(n, m) * (r + w) / total < MIN_EXPECTED) {
                pooled[0] += r;
                pooled[1] += w;
            } else {
                groups.add(new long[] {r, w});
            }
        }
        double pRare = 1.0;
        if (pooled[0] + pooled[1] > 0) {
            if (Math.min(n, m) * (pooled[0] + pooled[1]) / total < MIN_EXPECTED && !groups.isEmpty()) {
                // Too small for the chi-square: its own exact test (given the group's total, the window's share
                // is binomial with p = m / (n + m)), Bonferroni with the chi-square; e.g. values the reference
                // never had.
                pRare = Math.min(1.0, 2 * binomialUpperTail(pooled[1], pooled[0] + pooled[1], m / total));
                long[] smallest = groups.get(0);
                for (long[] g : groups) {
                    if (g[0] + g[1] < smallest[0] + smallest[1]) {
                        smallest = g;
                    }
                }
                smallest[0] += pooled[0];
                smallest[1] += pooled[1];
            } else {
                groups.add(pooled);
            }
        }
        if (groups.size() < 2) {
            return pRare;
        }
        double chi2 = 0;
        for (long[] g : groups) {
            double share = (g[0] + g[1]) / total;
            chi2 += square(g[0] - n * share) / (n * share) + square(g[1] - m * share) / (m * share);
        }
        double p = Gamma.regularizedGammaQ((groups.size() - 1) / 2.0, chi2 / 2.0);
        p = Double.isNaN(p) ? 0.0 : Math.max(0.0, Math.min(1.0, p));
        return pRare < 1.0 ? Math.min(pRare, Math.min(1.0, 2 * p)) : p;
    }

    /** P(X ≥ k) for X ~ Binomial(trials, q), accurate in the far tail. */
    static double binomialUpperTail(long k, long trials, double q) {
        if (k <= 0) {
            return 1.0;
        }
        return Beta.regularizedBeta(q, k, trials - k + 1.0);
    }

    private static double square(double x) {
        return x * x;
    }
}
