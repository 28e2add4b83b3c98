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
     * W₁ between two weighted discrete distributions, each given as strictly increasing locations with
     * positive weights (normalised here to total mass 1).
     */
    public static double weightedDistance(double[] locA, double[] weightA, double[] locB, double[] weightB) {
        double totalA = sum(weightA);
        double totalB = sum(weightB);
        if (!(totalA > 0) || !(totalB > 0)) {
            throw new EmptySampleException("Wasserstein distance needs mass on both sides");
        }
        int i = 0;
        int j = 0;
        double cumA = 0;
        double cumB = 0;
        double sum = 0;
        double previous = Math.min(locA[0], locB[0]);
        while (i < locA.length || j < locB.length) {
            double x = i == locA.length ? locB[j] : j == locB.length ? locA[i] : Math.min(locA[i], locB[j]);
            sum += Math.abs(cumA / totalA - cumB / totalB) * (x - previous);
            while (i < locA.length && locA[i] <= x) {
                cumA += weightA[i++];
            }
            while (j < locB.length && locB[j] <= x) {
                cumB += weightB[j++];
            }
            previous = x;
        }
        return sum;
    }

    private static double sum(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s;
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
