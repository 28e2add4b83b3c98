package dev.driftwatch.detectors;

/**
 * Sample quantiles with linear interpolation between order statistics (numpy's default
 * {@code method='linear'}, Hyndman–Fan type 7).
 */
public final class Quantiles {
    private Quantiles() {
    }

    /**
     * The p-quantile of a sorted sample: with h = (n − 1)·p, the value x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
     *
     * @param sorted finite values in ascending order, at least one
     * @param p      probability in [0, 1]
     */
    public static double linear(double[] sorted, double p) {
        if (sorted.length == 0) {
            throw new EmptySampleException("quantile of an empty sample");
        }
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException("quantile probability must be in [0, 1], got " + p);
        }
        int n = sorted.length;
        double virtualIndex = (n - 1) * p;
        double below = Math.floor(virtualIndex);
        int lo = (int) below;
        int hi = Math.min(lo + 1, n - 1);
        double gamma = virtualIndex - below;
        double a = sorted[lo];
        double b = sorted[hi];
        double diff = b - a;
        // Interpolate from the nearer end, as numpy does, so the result is monotone in p.
        return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
    }
}
