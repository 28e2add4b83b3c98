package dev.driftwatch.detectors.summary;

import dev.driftwatch.detectors.ColumnComparison;
import dev.driftwatch.detectors.ColumnKind;
import dev.driftwatch.detectors.Comparisons;
import dev.driftwatch.detectors.DriftTests;
import dev.driftwatch.detectors.StreamingInput;

import java.util.TreeSet;

/**
 * Drift statistics of a window summary against its baseline, as the pipeline computes them: the
 * streaming form of every test of {@link DriftTests} that applies to the column.
 *
 * <p>PSI, KL, JS and chi-square come from exact counts and equal {@link Comparisons} on the raw values.
 * KS D is computed at every cell boundary of the grid: it never exceeds the exact D and falls short of
 * it by less than the largest reference mass in one open cell, below 1/G (G the grid resolution;
 * 0.0025 by default). Its p-value is computed from that D with the true sample sizes. Wasserstein
 * places each cell's mass at the mean of its values; it is exact wherever only one of the two
 * distributions has mass in an open cell, and otherwise off by at most the cell's width times the
 * smaller of the two masses in it. Each test's class states its bound.
 */
public final class SummaryComparisons {
    private SummaryComparisons() {
    }

    /** Every numeric statistic of a window against its baseline. */
    public static ColumnComparison numeric(NumericBaseline baseline, NumericSummary window) {
        return numeric(baseline, window, numericInput(baseline, window));
    }

    /**
     * As {@link #numeric(NumericBaseline, NumericSummary)}, on the input {@link #numericInput} gave for the same
     * two (so that the caller can compute the tests' error bounds from it too).
     *
     * @throws IllegalArgumentException when {@code input} is not {@link #numericInput}'s for these two
     */
    public static ColumnComparison numeric(NumericBaseline baseline, NumericSummary window, StreamingInput input) {
        NumericSummary ref = baseline.referenceView();
        if (input == null) {
            checkGrid(baseline, window);
            return streaming(ref, window);
        }
        if (!(input.reference() instanceof NumericSummary r && r.cellsOf() == ref)
                || !(input.current() instanceof NumericSummary c && c.cellsOf() == window)
                || input.referenceHeld() != null && !baseline.isReferenceHeld(input.referenceHeld(), ref)
                || input.currentHeld() != null && input.currentHeld().total() != window.count()) {
            throw new IllegalArgumentException("the input is not that of baseline " + baseline.id()
                    + " and this window: take numericInput(baseline, window)");
        }
        return ColumnComparison.of(ColumnKind.NUMERIC, ref.count(), window.count(), ref.missing(), window.missing(),
                t -> t.streaming(input));
    }

    /**
     * What the streaming tests read of a numeric window against its baseline: the exact counts on the coarse bins
     * (the reference's computed once per baseline), both grid summaries in dense form, a dense one not copied, so
     * read-only, and both summaries' non-empty cells (the reference's computed once per baseline held whole), which
     * the numeric tests walk.
     *
     * @return the input, or null when the reference or the window has no values (no test is defined)
     * @throws IllegalArgumentException when the window is summarised on another grid than the baseline's
     */
    public static StreamingInput numericInput(NumericBaseline baseline, NumericSummary window) {
        checkGrid(baseline, window);
        NumericSummary ref = baseline.referenceView();
        if (ref.count() == 0 || window.count() == 0) {
            return null;
        }
        NumericSummary refCells = ref.denseCells();
        return new StreamingInput(ColumnKind.NUMERIC, baseline.referenceBinCounts(), window.binCounts(),
                refCells, window.denseCells(), baseline.referenceHeld(refCells), window.nonEmptyCells());
    }

    private static void checkGrid(NumericBaseline baseline, NumericSummary window) {
        if (window.grid().fingerprint() != baseline.grid().fingerprint()) {
            throw new IllegalArgumentException("window summary is on another grid than baseline " + baseline.id());
        }
    }

    /** Every categorical statistic of a window against its baseline, on the union of categories. */
    public static ColumnComparison categorical(CategoricalBaseline baseline, CategoricalSummary window) {
        return streaming(baseline.referenceView(), window);
    }

    /** The streaming form of every numeric test, two summaries on the same grid. */
    static ColumnComparison streaming(NumericSummary ref, NumericSummary cur) {
        if (ref.count() == 0 || cur.count() == 0) {
            return ColumnComparison.undefined(ColumnKind.NUMERIC, ref.count(), cur.count(), ref.missing(),
                    cur.missing(), ColumnComparison.emptyReason(ref.count(), cur.count()));
        }
        StreamingInput input = new StreamingInput(ColumnKind.NUMERIC, ref.binCounts(), cur.binCounts(),
                ref.denseCells(), cur.denseCells());
        return ColumnComparison.of(ColumnKind.NUMERIC, ref.count(), cur.count(), ref.missing(), cur.missing(),
                t -> t.streaming(input));
    }

    /** The streaming form of every categorical test, on the union of the two summaries' categories. */
    static ColumnComparison streaming(CategoricalSummary ref, CategoricalSummary cur) {
        long[][] counts = countsOnUnion(ref, cur);
        long refCount = ref.count();
        long curCount = cur.count();
        if (refCount == 0 || curCount == 0) {
            return ColumnComparison.undefined(ColumnKind.CATEGORICAL, refCount, curCount, ref.missing(),
                    cur.missing(), ColumnComparison.emptyReason(refCount, curCount));
        }
        StreamingInput input = new StreamingInput(ColumnKind.CATEGORICAL, counts[0], counts[1], null, null);
        return ColumnComparison.of(ColumnKind.CATEGORICAL, refCount, curCount, ref.missing(), cur.missing(),
                t -> t.streaming(input));
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
