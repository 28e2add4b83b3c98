package dev.driftwatch.detectors;

import java.util.EnumSet;
import java.util.List;

/**
 * First Wasserstein distance between the empirical distributions divided by the reference's population
 * standard deviation. Range [0, +∞); about 0.1 is a small shift, 1 a shift of one reference standard
 * deviation. Undefined when the reference standard deviation is 0.
 *
 * <p>Streaming form: each grid cell's mass placed at the mean of its values. Moving a cell's mass to its
 * mean moves a distribution by at most half the cell's width times that mass, so the error is at most
 * Σ over open cells of width/2 · (reference share + current share), divided by the reference's standard
 * deviation; the outer cells' widths are taken from the smallest and largest value of the two samples.
 * The form is exact wherever only one of the two distributions has mass in an open cell.
 */
final class NormalisedWasserstein extends DriftTest {

    private static final String CONSTANT_REFERENCE =
            "reference standard deviation is 0 (constant reference); Wasserstein cannot be normalised";

    NormalisedWasserstein() {
        super("wasserstein", "WASSERSTEIN", Kind.EFFECT_SIZE, EnumSet.of(ColumnKind.NUMERIC));
    }

    @Override
    public TestResult exact(ExactInput input) {
        return Wasserstein.normalised(input.reference(), input.current());
    }

    @Override
    public TestResult streaming(StreamingInput input) {
        GridCells ref = input.reference();
        double std = ref.populationStd();
        if (!(std > 0)) {
            return TestResult.undefined(this, CONSTANT_REFERENCE);
        }
        double distance = input.hasHeldCells()
                ? Wasserstein.weightedDistance(input.referenceHeld(), input.currentHeld())
                : Wasserstein.weightedDistance(ref, input.current());
        return TestResult.of(this, distance / std);
    }

    @Override
    public double errorBound(StreamingInput input) {
        GridCells ref = input.reference();
        GridCells cur = input.current();
        double std = ref.populationStd();
        if (!(std > 0)) {
            return Double.NaN;
        }
        int points = (ref.cells() - 1) / 2;
        double low = Math.min(ref.min(), cur.min());
        double high = Math.max(ref.max(), cur.max());
        if (input.hasHeldCells()) {
            return openCellsBound(ref, cur, input.referenceHeld(), input.currentHeld(), points, low, high) / std;
        }
        double sum = 0;
        for (int c = 0; c < ref.cells(); c += 2) {
            double r = ref.cellCount(c) / (double) ref.count();
            long current = cur.cellCount(c);
            double k = current == 0 ? 0.0 : current / (double) cur.count();
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

    /**
     * {@link #errorBound}'s sum over the open cells where either side has values, from their lists: the same terms,
     * added in the same (cell) order; the cells it passes over added nothing.
     */
    private static double openCellsBound(GridCells ref, GridCells cur, HeldCells refHeld, HeldCells curHeld,
                                         int points, double low, double high) {
        double refCount = (double) ref.count();
        double curCount = (double) cur.count();
        int nr = refHeld.size();
        int nc = curHeld.size();
        int i = 0;
        int j = 0;
        double sum = 0;
        while (i < nr || j < nc) {
            int cr = i < nr ? refHeld.cell(i) : Integer.MAX_VALUE;
            int cc = j < nc ? curHeld.cell(j) : Integer.MAX_VALUE;
            int c = Math.min(cr, cc);
            long reference = 0;
            long current = 0;
            if (cr == c) {
                reference = refHeld.count(i++);
            }
            if (cc == c) {
                current = curHeld.count(j++);
            }
            if ((c & 1) != 0) {
                continue;
            }
            double r = reference / refCount;
            double k = current == 0 ? 0.0 : current / curCount;
            int p = c / 2;
            double from = p == 0 ? low : ref.gridPoint(p - 1);
            double to = p == points ? high : ref.gridPoint(p);
            sum += Math.max(0.0, to - from) / 2 * (r + k);
        }
        return sum;
    }

    @Override
    public Thresholds defaultThresholds() {
        return new Thresholds(0.1, 0.3);
    }

    @Override
    public boolean decidesByDefault() {
        return true;
    }

    @Override
    public List<String> reportColumns() {
        return List.of("wass");
    }

    @Override
    public String explanation() {
        return "Wasserstein distance (earth mover's) divided by the reference's standard deviation:"
                + " how far, on average, values had to move, in reference standard deviations. 0.1 is a small shift,"
                + " 1 a shift of a whole standard deviation. Undefined for a constant reference.";
    }
}
