package dev.driftwatch.detectors.summary;

import dev.driftwatch.detectors.ColumnComparison;
import dev.driftwatch.detectors.ColumnKind;
import dev.driftwatch.detectors.DriftTest;
import dev.driftwatch.detectors.DriftTests;
import dev.driftwatch.detectors.ExactInput;
import dev.driftwatch.detectors.GridCells;
import dev.driftwatch.detectors.KolmogorovSmirnov;
import dev.driftwatch.detectors.StreamingInput;
import dev.driftwatch.detectors.TestResult;
import dev.driftwatch.detectors.Wasserstein;
import dev.driftwatch.detectors.WindowEvidence;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The streaming tests' walks over the grid cells skip what cannot change their results (cells without window
 * values, quotients already taken, arrays copied): on seeded windows of every size against continuous and discrete
 * references they must give, bit for bit, what the walks that read every cell gave. The walks as they were are
 * kept here to compare with.
 */
class CellWalksTest {

    @Test
    void shouldGiveTheResultsOfTheWalksOverEveryCell() {
        Random random = new Random(23);
        int[] sizes = {1, 2, 3, 5, 20, 100, 150, 400, 1_000, 3_000};
        for (int round = 0; round < 120; round++) {
            boolean discrete = round % 4 == 0;
            double[] reference = new double[round % 3 == 0 ? 60 : 5_000];
            for (int i = 0; i < reference.length; i++) {
                reference[i] = value(random, discrete, 0, 1);
            }
            NumericBaseline baseline = NumericBaseline.fromSample(reference, 10, NumericGrid.DEFAULT_RESOLUTION,
                    "test", 1L, 2L);
            NumericSummary window = baseline.newWindow();
            int n = sizes[round % sizes.length];
            double shift = random.nextInt(3) * 0.4;
            double scale = 1 + random.nextInt(2) * 0.5;
            for (int i = 0; i < n; i++) {
                // Some values taken from the reference itself: they sit on its grid points.
                window.add(random.nextInt(4) == 0 ? reference[random.nextInt(reference.length)]
                        : value(random, discrete, shift, scale));
            }
            StreamingInput input = SummaryComparisons.numericInput(baseline, window);
            GridCells ref = input.reference();
            GridCells cur = input.current();
            String at = "round " + round + " (" + n + " values)";
            ColumnComparison c = SummaryComparisons.numeric(baseline, window, input);

            assertEquals(KolmogorovSmirnov.fromStatistic(ksStatistic(ref, cur), ref.count(), cur.count()).toTestResult(),
                    c.test(DriftTests.KS), at);
            assertEquals(Double.doubleToRawLongBits(weightedDistance(ref, cur)),
                    Double.doubleToRawLongBits(Wasserstein.weightedDistance(ref, cur)), at);
            assertEquals(Double.doubleToRawLongBits(wassersteinBound(ref, cur)),
                    Double.doubleToRawLongBits(DriftTests.WASSERSTEIN.errorBound(input)), at);
            DriftTest ad = DriftTests.all().get(6);
            assertEquals(ad.exact(cellsAsValues(ref, cur)), c.test(ad), at);
            assertEquals(evidence(baseline.placement(), ref, cur, c), SummaryEvidence.numeric(baseline, window, c,
                    input), at);
        }
    }

    @Test
    void shouldFindTheLargestGapAtTheEdgesOfTheGrid() {
        // All the window's values below the reference's: the gap is largest at the last cell before the reference
        // starts, the end of a run without window values.
        double[] reference = new double[1_000];
        for (int i = 0; i < reference.length; i++) {
            reference[i] = 10 + i * 0.01;
        }
        NumericBaseline baseline = NumericBaseline.fromSample(reference, 10, NumericGrid.DEFAULT_RESOLUTION, "test",
                1L, 2L);
        NumericSummary below = baseline.newWindow();
        NumericSummary above = baseline.newWindow();
        for (int i = 0; i < 50; i++) {
            below.add(-i);
            above.add(100 + i);
        }
        for (NumericSummary window : new NumericSummary[] {below, above}) {
            StreamingInput input = SummaryComparisons.numericInput(baseline, window);
            TestResult ks = SummaryComparisons.numeric(baseline, window, input).test(DriftTests.KS);
            assertEquals(1.0, ks.statistic());
            assertEquals(ksStatistic(input.reference(), input.current()), ks.statistic());
        }
    }

    private static double value(Random random, boolean discrete, double shift, double scale) {
        double v = random.nextGaussian() * 2 * scale + shift;
        return discrete ? Math.round(v * 4) / 4.0 : v;
    }

    /** Each cell's values as that many copies of the cell's index: the exact test then sees each cell as one value. */
    private static ExactInput cellsAsValues(GridCells ref, GridCells cur) {
        return new ExactInput(ColumnKind.NUMERIC, new long[] {ref.count()}, new long[] {cur.count()},
                indexes(ref), indexes(cur));
    }

    private static double[] indexes(GridCells s) {
        double[] out = new double[(int) s.count()];
        int k = 0;
        for (int c = 0; c < s.cells(); c++) {
            Arrays.fill(out, k, k + (int) s.cellCount(c), c);
            k += (int) s.cellCount(c);
        }
        return out;
    }

    /** The KS statistic as it was: the gap computed at every cell. */
    private static double ksStatistic(GridCells ref, GridCells cur) {
        int cells = ref.cells();
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

    /** The weighted Wasserstein distance as it was: both shares divided at every step, totals summed as doubles. */
    private static double weightedDistance(GridCells a, GridCells b) {
        double totalA = 0;
        double totalB = 0;
        for (int c = 0; c < a.cells(); c++) {
            totalA += (double) a.cellCount(c);
            totalB += (double) b.cellCount(c);
        }
        int i = nonEmpty(a, 0);
        int j = nonEmpty(b, 0);
        double locA = a.cellMean(i);
        double locB = b.cellMean(j);
        double cumA = 0;
        double cumB = 0;
        double sum = 0;
        double previous = Math.min(locA, locB);
        while (i < a.cells() || j < b.cells()) {
            double x = i == a.cells() ? locB : j == b.cells() ? locA : Math.min(locA, locB);
            sum += Math.abs(cumA / totalA - cumB / totalB) * (x - previous);
            while (i < a.cells() && locA <= x) {
                cumA += (double) a.cellCount(i);
                i = nonEmpty(a, i + 1);
                locA = i < a.cells() ? a.cellMean(i) : Double.NaN;
            }
            while (j < b.cells() && locB <= x) {
                cumB += (double) b.cellCount(j);
                j = nonEmpty(b, j + 1);
                locB = j < b.cells() ? b.cellMean(j) : Double.NaN;
            }
            previous = x;
        }
        return sum;
    }

    private static int nonEmpty(GridCells s, int from) {
        int c = from;
        while (c < s.cells() && s.cellCount(c) <= 0) {
            c++;
        }
        return c;
    }

    /** Wasserstein's error bound as it was: both shares divided in every open cell. */
    private static double wassersteinBound(GridCells ref, GridCells cur) {
        double std = ref.populationStd();
        if (!(std > 0)) {
            return Double.NaN;
        }
        int points = (ref.cells() - 1) / 2;
        double low = Math.min(ref.min(), cur.min());
        double high = Math.max(ref.max(), cur.max());
        double sum = 0;
        for (int c = 0; c < ref.cells(); c += 2) {
            double r = ref.cellCount(c) / (double) ref.count();
            double k = cur.cellCount(c) / (double) cur.count();
            if (r == 0 && k == 0) {
                continue;
            }
            int i = c / 2;
            double from = i == 0 ? low : ref.gridPoint(i - 1);
            double to = i == points ? high : ref.gridPoint(i);
            sum += Math.max(0.0, to - from) / 2 * (r + k);
        }
        return sum / std;
    }

    /** A numeric window's evidence as it was: every cell scored. */
    private static WindowEvidence evidence(SummaryEvidence.Placement reference, GridCells ref, GridCells window,
                                           ColumnComparison comparison) {
        long n = ref.count();
        long m = window.count();
        int cells = ref.cells();
        long below = 0;
        double sumL = 0;
        double sumS = 0;
        for (int c = 0; c < cells; c++) {
            long r = ref.cellCount(c);
            double placement = (below + 0.5 * r) / n;
            below += r;
            long w = window.cellCount(c);
            sumL += w * (placement - reference.meanL());
            sumS += w * ((placement - 0.5) * (placement - 0.5) - reference.meanS());
        }
        double sigmaL = reference.sigmaL();
        double sigmaS = reference.sigmaS();
        double spread = Math.sqrt(m * (1.0 + (double) m / n));
        double pL = sigmaL > 0 ? WindowEvidence.twoSidedPValue(sumL / (sigmaL * spread)) : 1.0;
        double pS = sigmaS > 0 ? WindowEvidence.twoSidedPValue(sumS / (sigmaS * spread)) : 1.0;
        double pShape = 1.0;
        if (reference.pointMass() >= SummaryEvidence.LOW_CARDINALITY_POINT_MASS) {
            long[] refCounts = new long[cells];
            long[] curCounts = new long[cells];
            for (int c = 0; c < cells; c++) {
                refCounts[c] = ref.cellCount(c);
                curCounts[c] = window.cellCount(c);
            }
            pShape = SummaryEvidence.pooledChiSquare(refCounts, curCounts, n, m);
        } else {
            TestResult ks = comparison.test(DriftTests.KS);
            if (ks != null && ks.isDefined() && ks.pValue() != null) {
                pShape = ks.pValue();
            }
        }
        double p = Math.min(1.0, 3.0 * Math.min(pShape, Math.min(pL, pS)));
        return new WindowEvidence(m, n, p, sigmaL > 0 ? sumL : 0, sigmaL, sigmaS > 0 ? sumS : 0, sigmaS);
    }
}
