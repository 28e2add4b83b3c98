package dev.driftwatch.detectors;

import java.util.EnumSet;
import java.util.List;

/**
 * Two-sample Kolmogorov-Smirnov test: D = sup |F_ref − F_cur| in [0, 1] over the raw values, with its
 * two-sided p-value in [0, 1], exact when both samples have at most 10,000 values and asymptotic
 * otherwise ({@link KolmogorovSmirnov}). The significance gate of numeric columns.
 *
 * <p>Streaming form: D taken at every cell boundary of the grid, its p-value computed from that D with
 * the true sample sizes. Inside an open cell both empirical CDFs rise by that cell's masses only, so the
 * exact D lies in [D, D + bound], the bound being the largest, over the open cells, of the smaller of
 * the two samples' shares in that cell (0 when every value sits on a grid point; below 1/G of the grid's
 * resolution G when both samples resemble the grid's reference).
 */
final class KolmogorovSmirnovTwoSample extends DriftTest {

    KolmogorovSmirnovTwoSample() {
        super("ks", "KS", Kind.SIGNIFICANCE, EnumSet.of(ColumnKind.NUMERIC));
    }

    @Override
    public TestResult exact(ExactInput input) {
        return KolmogorovSmirnov.test(input.reference(), input.current()).toTestResult();
    }

    @Override
    public TestResult streaming(StreamingInput input) {
        GridCells ref = input.reference();
        GridCells cur = input.current();
        double d = input.hasHeldCells() ? statistic(ref, cur, input.referenceHeld(), input.currentHeld())
                : statistic(ref, cur);
        return KolmogorovSmirnov.fromStatistic(d, ref.count(), cur.count()).toTestResult();
    }

    @Override
    public double errorBound(StreamingInput input) {
        GridCells ref = input.reference();
        GridCells cur = input.current();
        double bound = 0;
        if (input.hasHeldCells()) {
            // min(r, k) is 0 wherever the window has no values, and the bound starts at 0: only its cells count.
            HeldCells held = input.currentHeld();
            for (int i = 0; i < held.size(); i++) {
                int c = held.cell(i);
                if ((c & 1) == 0) {
                    double r = ref.cellCount(c) / (double) ref.count();
                    double k = (long) held.count(i) / (double) cur.count();
                    bound = Math.max(bound, Math.min(r, k));
                }
            }
            return bound;
        }
        for (int c = 0; c < ref.cells(); c += 2) {
            double r = ref.cellCount(c) / (double) ref.count();
            double k = cur.cellCount(c) / (double) cur.count();
            bound = Math.max(bound, Math.min(r, k));
        }
        return bound;
    }

    @Override
    public boolean isSignificanceGate() {
        return true;
    }

    @Override
    public List<String> reportColumns() {
        return List.of("ks_d", "ks_p");
    }

    /**
     * max over cell boundaries of |F_ref − F_cur|. Between two cells where the current sample has values F_cur
     * stays put while F_ref only rises, so over such a run the gap, computed as it is at every cell, is largest at
     * the cell just before the run or at its last cell: for a window with values in few of the cells (a hundred values on a grid of
     * hundreds of cells) only those are computed, and the maximum is the one over every cell, bit for bit. A
     * window of at least a quarter as many values as the grid has cells is walked whole, where telling the ends
     * apart would cost more than it saves.
     */
    static double statistic(GridCells ref, GridCells cur) {
        int cells = ref.cells();
        double n = ref.count();
        double m = cur.count();
        long cumRef = 0;
        long cumCur = 0;
        double d = 0;
        if (cur.count() * 4 >= cells) {
            for (int c = 0; c < cells; c++) {
                cumRef += ref.cellCount(c);
                cumCur += cur.cellCount(c);
                d = Math.max(d, Math.abs(cumRef / n - cumCur / m));
            }
            return Math.min(1.0, d);
        }
        double curShare = 0;
        long next = cur.cellCount(0);
        for (int c = 0; c < cells; c++) {
            long k = next;
            next = c + 1 < cells ? cur.cellCount(c + 1) : 1;
            cumRef += ref.cellCount(c);
            if (k != 0) {
                cumCur += k;
                curShare = cumCur / m;
            }
            if (k != 0 || next != 0 || c == 0) {
                d = Math.max(d, Math.abs(cumRef / n - curShare));
            }
        }
        return Math.min(1.0, d);
    }

    /**
     * {@link #statistic(GridCells, GridCells)} from the two summaries' non-empty cells, bit for bit: the gap at the
     * cells its run rule takes (the first and last cell, each of the window's cells and the cell before each), in
     * cell order, each gap computed as there; the reference's cumulative count is taken from its non-empty cells.
     */
    static double statistic(GridCells ref, GridCells cur, HeldCells refHeld, HeldCells curHeld) {
        int cells = ref.cells();
        double n = ref.count();
        double m = cur.count();
        int nr = refHeld.size();
        int i = 0;
        int nextRef = nr > 0 ? refHeld.cell(0) : Integer.MAX_VALUE;
        long cumRef = 0;
        long cumCur = 0;
        double curShare = 0;
        double d = 0;
        int done = -1; // the last cell whose gap was taken
        for (int j = 0, nc = curHeld.size(); j <= nc; j++) {
            boolean window = j < nc;
            int c = window ? curHeld.cell(j) : cells - 1;
            int first = window ? c - 1 : c; // a window's cell is taken with the cell before it
            for (int at = done < 0 && first > 0 ? 0 : Math.max(done + 1, first); at <= c;
                 at = at < first ? first : at + 1) {
                while (nextRef <= at) {
                    cumRef += refHeld.count(i);
                    nextRef = ++i < nr ? refHeld.cell(i) : Integer.MAX_VALUE;
                }
                if (window && at == c) {
                    cumCur += curHeld.count(j);
                    curShare = cumCur / m;
                }
                d = Math.max(d, Math.abs(cumRef / n - curShare));
                done = at;
            }
        }
        return Math.min(1.0, d);
    }

    @Override
    public String explanation() {
        return "Kolmogorov-Smirnov: the largest vertical gap between the reference's and the current"
                + " cumulative distributions (0..1), with a p-value for \"both samples come from one distribution\"."
                + " With thousands of values even a tiny gap has a tiny p-value, so it gates but does not decide alone.";
    }
}
