package dev.driftwatch.detectors;

/**
 * The Wasserstein-1 (earth mover's) distance between two empirical distributions on the line,
 * W₁ = ∫ |F_a(x) − F_b(x)| dx, and its normalised form W₁ / σ_ref used as a drift effect size.
 */
public final class Wasserstein {
    private Wasserstein() {
    }

    /** W₁ between two sorted finite samples, in the unit of the data; ≥ 0. */
    public static double distance(double[] sortedA, double[] sortedB) {
        if (sortedA.length == 0 || sortedB.length == 0) {
            throw new EmptySampleException("Wasserstein distance needs non-missing values in both samples");
        }
        int n = sortedA.length;
        int m = sortedB.length;
        int i = 0;
        int j = 0;
        double sum = 0;
        double previous = Math.min(sortedA[0], sortedB[0]);
        while (i < n || j < m) {
            double x = i == n ? sortedB[j] : j == m ? sortedA[i] : Math.min(sortedA[i], sortedB[j]);
            sum += Math.abs(i / (double) n - j / (double) m) * (x - previous);
            while (i < n && sortedA[i] <= x) {
                i++;
            }
            while (j < m && sortedB[j] <= x) {
                j++;
            }
            previous = x;
        }
        return sum;
    }

    /**
     * W₁ between two summaries on the same grid, each non-empty cell's count placed at the mean of its values
     * (the cells are in ascending order, so are their means). Walks the cells in place: at 50,000 subjects a
     * window, copying the reference's cells into arrays for every comparison cost more than the walk. Each side's
     * cumulative share is divided out once per cell it passes, not again at every step of the other side.
     */
    public static double weightedDistance(GridCells a, GridCells b) {
        double totalA = total(a);
        double totalB = total(b);
        if (!(totalA > 0) || !(totalB > 0)) {
            throw new EmptySampleException("Wasserstein distance needs mass on both sides");
        }
        int cellsA = a.cells();
        int cellsB = b.cells();
        int i = nonEmpty(a, 0, cellsA);
        int j = nonEmpty(b, 0, cellsB);
        double locA = a.cellMean(i);
        double locB = b.cellMean(j);
        double cumA = 0;
        double cumB = 0;
        double shareA = 0;
        double shareB = 0;
        double sum = 0;
        double previous = Math.min(locA, locB);
        while (i < cellsA || j < cellsB) {
            double x = i == cellsA ? locB : j == cellsB ? locA : Math.min(locA, locB);
            sum += Math.abs(shareA - shareB) * (x - previous);
            if (i < cellsA && locA <= x) {
                while (i < cellsA && locA <= x) {
                    cumA += (double) a.cellCount(i);
                    i = nonEmpty(a, i + 1, cellsA);
                    locA = i < cellsA ? a.cellMean(i) : Double.NaN;
                }
                shareA = cumA / totalA;
            }
            if (j < cellsB && locB <= x) {
                while (j < cellsB && locB <= x) {
                    cumB += (double) b.cellCount(j);
                    j = nonEmpty(b, j + 1, cellsB);
                    locB = j < cellsB ? b.cellMean(j) : Double.NaN;
                }
                shareB = cumB / totalB;
            }
            previous = x;
        }
        return sum;
    }

    /**
     * {@link #weightedDistance(GridCells, GridCells)}, bit for bit: the same steps in the same order, each side's
     * non-empty cells and their means taken from its {@link HeldCells} rather than found among the empty ones.
     */
    public static double weightedDistance(HeldCells heldA, HeldCells heldB) {
        double totalA = (double) heldA.total();
        double totalB = (double) heldB.total();
        if (!(totalA > 0) || !(totalB > 0)) {
            throw new EmptySampleException("Wasserstein distance needs mass on both sides");
        }
        int cellsA = heldA.size();
        int cellsB = heldB.size();
        int i = 0;
        int j = 0;
        int openA = 0; // the open cells passed, which index the open cells' means
        int openB = 0;
        double locA = heldA.mean(0, 0);
        double locB = heldB.mean(0, 0);
        double cumA = 0;
        double cumB = 0;
        double shareA = 0;
        double shareB = 0;
        double sum = 0;
        double previous = Math.min(locA, locB);
        while (i < cellsA || j < cellsB) {
            double x = i == cellsA ? locB : j == cellsB ? locA : Math.min(locA, locB);
            sum += Math.abs(shareA - shareB) * (x - previous);
            if (i < cellsA && locA <= x) {
                while (i < cellsA && locA <= x) {
                    int c = heldA.cell(i);
                    cumA += (double) heldA.count(i);
                    openA += ~c & 1;
                    i++;
                    locA = i < cellsA ? heldA.mean(i, openA) : Double.NaN;
                }
                shareA = cumA / totalA;
            }
            if (j < cellsB && locB <= x) {
                while (j < cellsB && locB <= x) {
                    int c = heldB.cell(j);
                    cumB += (double) heldB.count(j);
                    openB += ~c & 1;
                    j++;
                    locB = j < cellsB ? heldB.mean(j, openB) : Double.NaN;
                }
                shareB = cumB / totalB;
            }
            previous = x;
        }
        return sum;
    }

    /**
     * The sum of the cells' counts as a double: the sum of the counts as doubles it always was, since every
     * partial sum is an integer far below 2⁵³ and so exact either way.
     */
    private static double total(GridCells s) {
        long total = 0;
        for (int c = 0, cells = s.cells(); c < cells; c++) {
            long n = s.cellCount(c);
            if (n > 0) {
                total += n;
            }
        }
        return (double) total;
    }

    /** The first non-empty cell at or after {@code from}, or {@code cells} when there is none. */
    private static int nonEmpty(GridCells s, int from, int cells) {
        int c = from;
        while (c < cells && s.cellCount(c) <= 0) {
            c++;
        }
        return c;
    }

    /**
     * Population standard deviation (ddof = 0) of finite values; exactly 0 for a constant sample (where
     * rounding in the mean would otherwise leave a residue such as 1e-17).
     */
    public static double populationStd(double[] values) {
        if (values.length == 0) {
            throw new EmptySampleException("standard deviation of an empty sample");
        }
        boolean constant = true;
        for (double v : values) {
            if (v != values[0]) {
                constant = false;
                break;
            }
        }
        if (constant) {
            return 0.0;
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.length;
        double squares = 0;
        for (double v : values) {
            double d = v - mean;
            squares += d * d;
        }
        return Math.sqrt(squares / values.length);
    }

    /**
     * W₁ divided by the reference's population standard deviation, so that 1.0 means "moved by one
     * reference σ". Undefined (with the reason) when the reference is constant.
     */
    public static TestResult normalised(double[] sortedReference, double[] sortedCurrent) {
        double std = populationStd(sortedReference);
        if (std == 0) {
            return TestResult.undefined(DriftTests.WASSERSTEIN,
                    "reference standard deviation is 0 (constant reference); Wasserstein cannot be normalised");
        }
        return TestResult.of(DriftTests.WASSERSTEIN, distance(sortedReference, sortedCurrent) / std);
    }
}
