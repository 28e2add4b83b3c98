package dev.driftwatch.detectors.summary;

import dev.driftwatch.detectors.ColumnComparison;
import dev.driftwatch.detectors.StreamingInput;
import dev.driftwatch.detectors.TestResult;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A numeric baseline read back from storage holds its reference compactly and gives exactly the same reference. */
class StoredNumericBaselineTest {
    private static double[] sample(long seed, int n) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = i % 97 == 0 ? Math.rint(random.nextGaussian()) : random.nextGaussian() * 3 + 10;
        }
        return values;
    }

    /** The stored form of a baseline's reference, as the baselines topic carries it: counts, sums, moments. */
    private record Parts(NumericGrid grid, long[] cells, double[] sums, long missing, double mean, double m2,
                         double min, double max) {
        static Parts of(NumericBaseline b) {
            NumericSummary ref = b.reference();
            NumericGrid grid = b.grid();
            long[] cells = new long[grid.cellCount()];
            double[] sums = new double[grid.pointCount() + 1];
            for (int c = 0; c < cells.length; c++) {
                cells[c] = ref.cellCount(c);
                if (!NumericGrid.isPointCell(c)) {
                    sums[c / 2] = ref.openCellSum(c);
                }
            }
            double std = ref.populationStd();
            return new Parts(grid, cells, sums, ref.missing(), ref.mean(), std * std * ref.count(), ref.min(),
                    ref.max());
        }

        /** As baselines were read back before they were held compactly: a summary restored, then a copy of it. */
        NumericBaseline asSummary(Provenance p) {
            return NumericBaseline.restore(NumericSummary.restore(grid, cells, sums, missing, mean, m2, min, max), p);
        }

        NumericBaseline stored(Provenance p) {
            return NumericBaseline.restore(grid, cells, sums, missing, mean, m2, min, max, p);
        }
    }

    @Test
    void shouldGiveExactlyTheStatisticsOfTheReferenceHeldWhole() {
        NumericBaseline built = NumericBaseline.fromSample(sample(1, 5_000), 10, NumericGrid.DEFAULT_RESOLUTION,
                "test", 1L, 2L);
        Parts parts = Parts.of(built);
        NumericBaseline whole = parts.asSummary(built.provenance());
        NumericBaseline stored = parts.stored(built.provenance());
        assertEquals(whole, stored);
        assertEquals(Double.doubleToRawLongBits(whole.ksErrorBound()), Double.doubleToRawLongBits(stored.ksErrorBound()));
        assertArrayEquals(whole.referenceBinCounts(), stored.referenceBinCounts());
        assertArrayEquals(whole.reference().toBytes(), stored.reference().toBytes());
        assertArrayEquals(whole.referenceView().toBytes(), stored.referenceView().toBytes());
        for (long seed = 2; seed < 6; seed++) {
            NumericSummary window = stored.newWindow();
            for (double v : sample(seed, 300)) {
                window.add(v + (seed - 3));
            }
            window.addMissing(seed);
            assertEquals(SummaryComparisons.numeric(whole, window), SummaryComparisons.numeric(stored, window));
            StreamingInput a = SummaryComparisons.numericInput(whole, window);
            StreamingInput b = SummaryComparisons.numericInput(stored, window);
            assertEquals(SummaryComparisons.numeric(whole, window, a), SummaryComparisons.numeric(stored, window, b));
            assertEquals(SummaryEvidence.numeric(whole, window, null), SummaryEvidence.numeric(stored, window, null));
        }
    }

    @Test
    void shouldGiveTheSameStatisticsWithItsReferenceHeldWholeAndShareItUnderAnotherProvenance() {
        NumericBaseline built = NumericBaseline.fromSample(sample(3, 5_000), 10, NumericGrid.DEFAULT_RESOLUTION,
                "test", 1L, 2L);
        NumericBaseline stored = Parts.of(built).stored(built.provenance());
        NumericBaseline held = stored.withReferenceHeld();
        assertEquals(stored, held);
        assertSame(stored.grid(), held.grid());
        assertArrayEquals(stored.compactReference(), held.compactReference());
        assertEquals(Double.doubleToRawLongBits(stored.ksErrorBound()), Double.doubleToRawLongBits(held.ksErrorBound()));
        assertArrayEquals(stored.referenceBinCounts(), held.referenceBinCounts());
        Provenance other = new Provenance("file:other.csv", 5L, 6L, built.provenance().contentHash());
        NumericBaseline shared = held.withProvenance(other);
        assertEquals(other, shared.provenance());
        assertTrue(shared.sharesReferenceWith(held));
        assertSame(held.referenceView(), shared.referenceView());
        assertFalse(Parts.of(built).stored(other).withReferenceHeld().sharesReferenceWith(held),
                "an equal reference is not the same one");
        for (long seed = 2; seed < 5; seed++) {
            NumericSummary window = held.newWindow();
            for (double v : sample(seed, 300)) {
                window.add(v * (1 + 0.1 * (seed - 3)));
            }
            StreamingInput a = SummaryComparisons.numericInput(stored, window);
            StreamingInput b = SummaryComparisons.numericInput(shared, window);
            ColumnComparison expected = SummaryComparisons.numeric(stored, window, a);
            ColumnComparison actual = SummaryComparisons.numeric(shared, window, b);
            assertEquals(expected, actual);
            assertEquals(SummaryEvidence.numeric(stored, window, expected, a),
                    SummaryEvidence.numeric(shared, window, actual, b));
        }
    }

    /** Random values: spread, some rounded (point cells with mass), a few missing. */
    private static double[] randomValues(SplittableRandom random, int n, double scale, double shift) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            double g = random.nextGaussian() * scale + shift;
            int kind = random.nextInt(20);
            values[i] = kind == 0 ? Double.NaN : kind < 4 ? Math.rint(g) : kind < 6 ? Math.exp(g / scale) : g;
        }
        return values;
    }

    @Test
    void shouldGiveBitIdenticalComparisonsWithItsReferenceHeldCompactOrWholeOnRandomBaselines() {
        SplittableRandom random = new SplittableRandom(2026);
        for (int round = 0; round < 40; round++) {
            // Few values give a reference held sparse, many a dense one; grids from 2 to 1,000 steps.
            int n = round % 4 == 0 ? 2 + random.nextInt(60) : 200 + random.nextInt(20_000);
            int resolution = 2 + random.nextInt(round % 2 == 0 ? 40 : 1_000);
            int bins = 1 + random.nextInt(round % 3 == 0 ? 300 : 20);
            double scale = Math.pow(10, random.nextInt(9) - 4);
            NumericBaseline built = NumericBaseline.fromSample(randomValues(random, n, scale, scale * 3), bins,
                    resolution, "test", null, null);
            // The reference as built (never encoded) against its compact bytes read back at every use.
            NumericBaseline whole = built;
            NumericBaseline compact = NumericBaseline.fromCompactReference(built.grid(), built.compactReference(),
                    built.provenance());
            assertArrayEquals(whole.reference().toBytes(), compact.reference().toBytes());
            assertArrayEquals(whole.compactReference(), compact.withReferenceHeld().compactReference());
            assertArrayEquals(whole.referenceBinCounts(), compact.referenceBinCounts());
            assertEquals(Double.doubleToRawLongBits(whole.ksErrorBound()), Double.doubleToRawLongBits(compact.ksErrorBound()));
            assertEquals(whole.placement(), compact.placement());
            for (int w = 0; w < 4; w++) {
                NumericSummary window = compact.newWindow();
                window.addAll(randomValues(random, 1 + random.nextInt(3_000), scale * (1 + 0.2 * w), scale * (3 + w)));
                StreamingInput a = SummaryComparisons.numericInput(whole, window);
                StreamingInput b = SummaryComparisons.numericInput(compact, window);
                ColumnComparison expected = SummaryComparisons.numeric(whole, window, a);
                ColumnComparison actual = SummaryComparisons.numeric(compact, window, b);
                assertEquals(expected, actual, "round " + round + ", window " + w); // Double.equals: the bits
                assertEquals(SummaryEvidence.numeric(whole, window, expected, a),
                        SummaryEvidence.numeric(compact, window, actual, b));
                for (TestResult r : expected.tests().values()) {
                    assertEquals(Double.doubleToRawLongBits(r.test().errorBound(a)),
                            Double.doubleToRawLongBits(r.test().errorBound(b)), r.test().id());
                }
            }
        }
    }

    @Test
    void shouldNotHoldItsReferenceSummaryOnceNothingUsesIt() throws Exception {
        NumericBaseline built = NumericBaseline.fromSample(sample(7, 5_000), 10, NumericGrid.DEFAULT_RESOLUTION,
                "test", null, null);
        NumericBaseline stored = Parts.of(built).stored(built.provenance());
        NumericSummary inUse = stored.referenceView();
        assertSame(inUse, stored.referenceView(), "one reference while a comparison uses it");
        byte[] bytes = inUse.toBytes();
        WeakReference<NumericSummary> gone = new WeakReference<>(inUse);
        inUse = null;
        for (int i = 0; i < 50 && gone.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(gone.get(), "the baseline keeps its reference summary (four bytes a cell) between windows");
        assertArrayEquals(bytes, stored.referenceView().toBytes());
    }
}
