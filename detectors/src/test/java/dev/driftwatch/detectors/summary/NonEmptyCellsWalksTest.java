package dev.driftwatch.detectors.summary;

import dev.driftwatch.detectors.ColumnKind;
import dev.driftwatch.detectors.DriftTest;
import dev.driftwatch.detectors.DriftTests;
import dev.driftwatch.detectors.GridCells;
import dev.driftwatch.detectors.HeldCells;
import dev.driftwatch.detectors.StreamingInput;
import dev.driftwatch.detectors.TestResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The numeric tests walk the two summaries' non-empty cells ({@link StreamingInput#referenceHeld()},
 * {@link StreamingInput#currentHeld()}) when the input holds them, and every cell of the grid otherwise: on seeded
 * baselines and windows of every kind both walks must give the same statistics, p-values and error bounds, bit for
 * bit.
 */
class NonEmptyCellsWalksTest {

    @Test
    void shouldGiveTheResultsOfTheWalkOverEveryCell() {
        Random random = new Random(2026);
        int compared = 0;
        for (int round = 0; round < 60; round++) {
            NumericBaseline baseline = baseline(random, round);
            for (int w = 0; w < 12; w++) {
                NumericSummary window = window(random, baseline, w);
                if (window.count() == 0) {
                    continue;
                }
                assertSameResults(baseline, window, "round " + round + ", window " + w);
                compared++;
            }
        }
        assertTrue(compared > 600, compared + " windows compared");
    }

    @Test
    void shouldTakeEachSidesNonEmptyCellsAsTheGridWalkReadsThem() {
        Random random = new Random(7);
        for (int round = 0; round < 24; round++) {
            NumericBaseline baseline = baseline(random, round);
            NumericSummary window = window(random, baseline, round % 12);
            StreamingInput input = SummaryComparisons.numericInput(baseline, window);
            if (input == null) {
                continue;
            }
            assertCellsOf(input.reference(), input.referenceHeld(), "reference " + round);
            assertCellsOf(input.current(), input.currentHeld(), "window " + round);
            assertCellsOf(window, window.nonEmptyCells(), "window as held " + round);
        }
    }

    @Test
    void shouldComputeTheReferencesCellsOnceForEveryBaselineWithTheSamePartsHeldWhole() {
        Random random = new Random(11);
        double[] values = new double[2_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian();
        }
        NumericBaseline held = NumericBaseline.fromSample(values, 10, NumericGrid.DEFAULT_RESOLUTION, "t", 1L, 2L);
        NumericSummary window = held.newWindow();
        window.add(0.5);
        HeldCells first = SummaryComparisons.numericInput(held, window).referenceHeld();
        assertSame(first, SummaryComparisons.numericInput(held, window).referenceHeld());
        assertSame(first, SummaryComparisons.numericInput(held.withProvenance(
                new Provenance("u", 1L, 2L, held.provenance().contentHash())), window).referenceHeld());
        assertCellsOf(held.referenceView(), first, "held");

        // Read back from storage, a baseline keeps no list (8 KB for each baseline of its own a version has): each
        // comparison takes one from the reference it reads back, the same cells; held whole again, it keeps one.
        NumericBaseline stored = NumericBaseline.fromCompactReference(held.grid(), held.compactReference(),
                held.provenance());
        StreamingInput one = SummaryComparisons.numericInput(stored, window);
        StreamingInput two = SummaryComparisons.numericInput(stored, window);
        assertNotSame(one.referenceHeld(), two.referenceHeld());
        assertCellsOf(held.referenceView(), one.referenceHeld(), "stored against held");
        assertEquals(SummaryComparisons.numeric(held, window), SummaryComparisons.numeric(stored, window, one));
        NumericBaseline whole = stored.withReferenceHeld();
        HeldCells kept = SummaryComparisons.numericInput(whole, window).referenceHeld();
        assertSame(kept, SummaryComparisons.numericInput(whole, window).referenceHeld());
        assertCellsOf(held.referenceView(), kept, "held whole again");
    }

    @Test
    void shouldRefuseAnInputWhoseReferenceCellsAreNotTheBaselines() {
        NumericBaseline baseline = baseline(new Random(5), 0);
        NumericSummary window = window(new Random(6), baseline, 0);
        StreamingInput input = SummaryComparisons.numericInput(baseline, window);
        StreamingInput other = new StreamingInput(ColumnKind.NUMERIC, input.referenceCounts(), input.currentCounts(),
                input.reference(), input.current(), ((NumericSummary) input.reference()).nonEmptyCells(),
                input.currentHeld());
        assertThrowsIllegal(() -> SummaryComparisons.numeric(baseline, window, other));
        assertEquals(SummaryComparisons.numeric(baseline, window), SummaryComparisons.numeric(baseline, window, input));

        // Read back from storage, a baseline's list is made for each comparison: one of another count is refused.
        NumericBaseline stored = NumericBaseline.fromCompactReference(baseline.grid(), baseline.compactReference(),
                baseline.provenance());
        StreamingInput fromStored = SummaryComparisons.numericInput(stored, window);
        NumericSummary fewer = baseline.newWindow();
        fewer.add(0.0);
        StreamingInput otherCount = new StreamingInput(ColumnKind.NUMERIC, fromStored.referenceCounts(),
                fromStored.currentCounts(), fromStored.reference(), fromStored.current(), fewer.nonEmptyCells(),
                fromStored.currentHeld());
        assertThrowsIllegal(() -> SummaryComparisons.numeric(stored, window, otherCount));
        assertEquals(SummaryComparisons.numeric(baseline, window), SummaryComparisons.numeric(stored, window, fromStored));

        // The window moved on after its input was taken: the input's list of its cells is not the window's.
        window.add(0.25);
        assertThrowsIllegal(() -> SummaryComparisons.numeric(baseline, window, input));
    }

    @Test
    void shouldRefuseCellsOutOfOrderOrMeansAmiss() {
        double[] points = {1, 2, 3};
        assertThrowsIllegal(() -> new HeldCells(new char[] {3, 1}, new int[] {1, 1}, new double[0], points));
        assertThrowsIllegal(() -> new HeldCells(new char[] {2, 2}, new int[] {1, 1}, new double[] {0, 0}, points));
        assertThrowsIllegal(() -> new HeldCells(new char[] {1, 2, 4}, new int[] {1, 1, 1}, new double[] {0}, points));
        assertThrowsIllegal(() -> new HeldCells(new char[] {1, 2}, new int[] {1, 0}, new double[] {0}, points));
        assertThrowsIllegal(() -> new HeldCells(new char[] {1, 2}, new int[] {1}, new double[] {0}, points));
        assertThrowsIllegal(() -> new HeldCells(new char[] {1, 8}, new int[] {1, 1}, new double[] {0}, points));
        HeldCells cells = new HeldCells(new char[] {1, 2, 4, 5}, new int[] {1, 2, 3, 4}, new double[] {1.5, 2.25},
                points);
        assertEquals(4, cells.size());
        assertEquals(4, cells.cell(2));
        assertEquals(3, cells.count(2));
        assertEquals(10, cells.total());
        assertEquals(1.0, cells.mean(0, 0));
        assertEquals(2.25, cells.mean(2, 1));
        assertEquals(3.0, cells.mean(3, 2));
        StreamingInput plain = new StreamingInput(ColumnKind.NUMERIC, new long[1], new long[1],
                new NumericSummary(grid()), new NumericSummary(grid()));
        assertFalse(plain.hasHeldCells());
    }

    private static void assertThrowsIllegal(Runnable r) {
        try {
            r.run();
        } catch (IllegalArgumentException expected) {
            return;
        }
        throw new AssertionError("accepted");
    }

    private static NumericGrid grid() {
        return NumericGrid.of(new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16},
                dev.driftwatch.detectors.BinEdges.fromReference(new double[] {0, 4, 8, 12, 16}, 4));
    }

    /** Every numeric test's streaming result and error bound on the held cells against the walk over every cell. */
    private static void assertSameResults(NumericBaseline baseline, NumericSummary window, String at) {
        StreamingInput fast = SummaryComparisons.numericInput(baseline, window);
        assertNotNull(fast, at);
        assertTrue(fast.hasHeldCells(), at);
        StreamingInput grid = new StreamingInput(ColumnKind.NUMERIC, fast.referenceCounts(), fast.currentCounts(),
                fast.reference(), fast.current());
        assertFalse(grid.hasHeldCells(), at);
        for (DriftTest test : DriftTests.forKind(ColumnKind.NUMERIC)) {
            String where = at + ", " + test.id();
            TestResult a = test.streaming(grid);
            TestResult b = test.streaming(fast);
            assertEquals(bits(a.statistic()), bits(b.statistic()), where + " statistic " + a + " / " + b);
            assertEquals(bits(a.pValue()), bits(b.pValue()), where + " p-value " + a + " / " + b);
            assertEquals(a.undefinedReason(), b.undefinedReason(), where);
            assertEquals(a.method(), b.method(), where);
            assertEquals(Double.doubleToRawLongBits(test.errorBound(grid)),
                    Double.doubleToRawLongBits(test.errorBound(fast)), where + " error bound");
        }
    }

    private static long bits(Double d) {
        return d == null ? 1L : Double.doubleToRawLongBits(d);
    }

    /** {@code held} names exactly the cells of {@code s} with values, their total and (bits) their means. */
    private static void assertCellsOf(GridCells s, HeldCells held, String at) {
        int i = 0;
        int open = 0;
        long total = 0;
        for (int cell = 0; cell < s.cells(); cell++) {
            if (s.cellCount(cell) == 0) {
                continue;
            }
            assertTrue(i < held.size(), at);
            assertEquals(cell, held.cell(i), at);
            assertEquals(s.cellCount(cell), held.count(i), at);
            assertEquals(Double.doubleToRawLongBits(s.cellMean(cell)), Double.doubleToRawLongBits(held.mean(i, open)),
                    at + " cell " + cell);
            total += s.cellCount(cell);
            open += (cell & 1) == 0 ? 1 : 0;
            i++;
        }
        assertEquals(held.size(), i, at);
        assertEquals(total, held.total(), at);
    }

    /**
     * A baseline of one of several kinds: a dense continuous reference (every open cell held), a small one (most
     * cells empty), a discrete one (its values on grid points), one of a few values, one of huge counts, each either
     * held whole or stored in compact bytes.
     */
    private static NumericBaseline baseline(Random random, int round) {
        int kind = round % 6;
        double[] values = switch (kind) {
            case 0 -> gaussian(random, 5_000, 0, 1);
            case 1 -> gaussian(random, 60, 3, 2);
            case 2 -> discrete(random, 3_000, 12);
            case 3 -> gaussian(random, 1 + random.nextInt(3), 0, 1);
            case 4 -> gaussian(random, 800, 0, 1);
            default -> skewed(random, 4_000);
        };
        NumericBaseline baseline = NumericBaseline.fromSample(values, 1 + random.nextInt(10),
                round % 5 == 0 ? 40 : NumericGrid.DEFAULT_RESOLUTION, "test", 1L, 2L);
        if (kind == 4) {
            NumericSummary huge = scaled(baseline.reference(), 1 + random.nextInt(2_000_000));
            baseline = NumericBaseline.fromSummary(huge, "huge", 1L, 2L);
        }
        if (round % 2 == 1) {
            baseline = NumericBaseline.fromCompactReference(baseline.grid(), baseline.compactReference(),
                    baseline.provenance());
        }
        return baseline;
    }

    /**
     * A window of one of several kinds: sparse and dense, values on the grid's points, values outside the
     * reference's range, a single cell, huge counts.
     */
    private static NumericSummary window(Random random, NumericBaseline baseline, int kind) {
        NumericSummary window = baseline.newWindow();
        double[] points = baseline.grid().points();
        double lo = points[0];
        double hi = points[points.length - 1];
        double spread = Math.max(hi - lo, 1e-9);
        int[] sizes = {1, 2, 3, 5, 40, 100, 250, 1_000, 4_000};
        int n = sizes[random.nextInt(sizes.length)];
        switch (kind) {
            case 0, 1, 2 -> {
                double shift = (random.nextInt(5) - 2) * 0.2 * spread;
                for (int i = 0; i < n; i++) {
                    window.add(lo + spread * (0.5 + 0.25 * random.nextGaussian()) + shift);
                }
            }
            case 3 -> {
                for (int i = 0; i < n; i++) {
                    window.add(points[random.nextInt(points.length)]);
                }
            }
            case 4 -> {
                double far = random.nextBoolean() ? hi + spread * (1 + random.nextDouble()) : lo - spread * 3;
                for (int i = 0; i < n; i++) {
                    window.add(far + random.nextDouble() * spread * 0.1);
                }
            }
            case 5 -> {
                double v = lo + spread * random.nextDouble();
                for (int i = 0; i < n; i++) {
                    window.add(v);
                }
            }
            case 6 -> {
                double v = lo + spread * random.nextDouble();
                for (int i = 0; i < n; i++) {
                    window.add(v + i * 1e-12);
                }
            }
            case 7 -> {
                for (int i = 0; i < n; i++) {
                    window.add(random.nextBoolean() ? lo - random.nextDouble() : hi + random.nextDouble());
                }
            }
            case 8 -> {
                // Both ends of the grid: the first and last cells, the first and last points.
                window.add(lo);
                window.add(hi);
                window.add(lo - 1);
                window.add(hi + 1);
            }
            case 9 -> {
                for (int i = 0; i < n; i++) {
                    window.add(random.nextInt(3) == 0 ? points[random.nextInt(points.length)]
                            : lo + spread * random.nextDouble());
                }
                window = scaled(window, 1 + random.nextInt(1_000_000));
            }
            case 10 -> {
                for (int i = 0; i < n; i++) {
                    window.add(lo + spread * random.nextDouble());
                }
            }
            default -> {
                for (int i = 0; i < 3_000; i++) {
                    window.add(lo - spread * 0.1 + spread * 1.2 * random.nextDouble());
                }
            }
        }
        return window;
    }

    /** The summary with every count and sum multiplied by {@code factor}, kept below a cell's 2³¹ − 1. */
    private static NumericSummary scaled(NumericSummary s, long factor) {
        GridCells cells = s.denseCells();
        long most = 1;
        for (int c = 0; c < cells.cells(); c++) {
            most = Math.max(most, cells.cellCount(c));
        }
        long f = Math.max(1, Math.min(factor, Integer.MAX_VALUE / most));
        long[] counts = new long[cells.cells()];
        double[] sums = new double[s.grid().pointCount() + 1];
        for (int c = 0; c < counts.length; c++) {
            counts[c] = cells.cellCount(c) * f;
            if (c % 2 == 0) {
                sums[c / 2] = s.openCellSum(c) * f;
            }
        }
        return NumericSummary.restore(s.grid(), counts, sums, 0, s.mean(), s.m2() * f, s.min(), s.max());
    }

    private static double[] gaussian(Random random, int n, double mean, double sd) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = mean + sd * random.nextGaussian();
        }
        return v;
    }

    private static double[] discrete(Random random, int n, int levels) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextInt(levels);
        }
        return v;
    }

    private static double[] skewed(Random random, int n) {
        List<Double> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(Math.exp(2 * random.nextGaussian()));
        }
        return list.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
