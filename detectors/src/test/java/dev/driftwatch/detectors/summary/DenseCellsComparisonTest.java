package dev.driftwatch.detectors.summary;

import dev.driftwatch.detectors.ColumnComparison;
import dev.driftwatch.detectors.StreamingInput;
import dev.driftwatch.detectors.TestResult;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tests walk every cell of the grid several times per comparison, on dense copies of sparse summaries: a
 * window held sparse (a few hundred values or fewer) and a reference read back sparse must give, bit for bit, the
 * statistics, error bounds and evidence of the same values held dense. Seeded, continuous and discrete values.
 */
class DenseCellsComparisonTest {

    @Test
    void shouldGiveTheStatisticsBoundsAndEvidenceOfTheSameValuesHeldDense() {
        Random random = new Random(11);
        int sparseWindows = 0;
        for (int round = 0; round < 40; round++) {
            boolean discrete = round % 3 == 0;
            double[] reference = new double[round % 2 == 0 ? 5_000 : 60];
            for (int i = 0; i < reference.length; i++) {
                reference[i] = value(random, discrete, 0);
            }
            NumericBaseline stored = stored(NumericBaseline.fromSample(reference, 10, NumericGrid.DEFAULT_RESOLUTION,
                    "test", 1L, 2L));
            NumericSummary sparse = stored.newWindow();
            NumericSummary dense = new NumericSummary(stored.grid(), 0);
            int n = 1 + random.nextInt(150);
            double shift = random.nextInt(3) * 0.4;
            for (int i = 0; i < n; i++) {
                double v = value(random, discrete, shift);
                sparse.add(v);
                dense.add(v);
            }
            sparseWindows += sparse.isSparse() ? 1 : 0;
            StreamingInput sparseInput = SummaryComparisons.numericInput(stored, sparse);
            StreamingInput denseInput = SummaryComparisons.numericInput(stored, dense);
            ColumnComparison fromSparse = SummaryComparisons.numeric(stored, sparse, sparseInput);
            ColumnComparison fromDense = SummaryComparisons.numeric(stored, dense, denseInput);
            assertEquals(fromDense, fromSparse, "round " + round);
            assertEquals(fromDense, SummaryComparisons.numeric(stored, sparse), "round " + round);
            for (TestResult r : fromDense.tests().values()) {
                assertEquals(Double.doubleToRawLongBits(r.test().errorBound(denseInput)),
                        Double.doubleToRawLongBits(r.test().errorBound(sparseInput)), r.test().id() + ", round " + round);
            }
            assertEquals(SummaryEvidence.numeric(stored, dense, fromDense),
                    SummaryEvidence.numeric(stored, sparse, fromSparse), "round " + round);
            assertEquals(SummaryEvidence.numeric(stored, dense, fromDense),
                    SummaryEvidence.numeric(stored, sparse, fromSparse, sparseInput), "round " + round);
        }
        assertTrue(sparseWindows >= 20, sparseWindows + " of 40 windows were held sparse");
    }

    private static double value(Random random, boolean discrete, double shift) {
        double v = random.nextGaussian() * 2 + shift;
        return discrete ? Math.round(v * 4) / 4.0 : v;
    }

    /** The baseline as an instance reads it back from its topic: its reference in compact bytes. */
    private static NumericBaseline stored(NumericBaseline built) {
        NumericSummary r = built.reference();
        long[] counts = new long[r.cells()];
        double[] sums = new double[r.grid().pointCount() + 1];
        for (int c = 0; c < counts.length; c++) {
            counts[c] = r.cellCount(c);
            if (c % 2 == 0) {
                sums[c / 2] = r.openCellSum(c);
            }
        }
        return NumericBaseline.restore(r.grid(), counts, sums, r.missing(), r.mean(), r.m2(), r.min(), r.max(),
                built.provenance());
    }
}
