package dev.driftwatch.detectors.performance;

/**
 * A regression model's errors e = prediction − truth, as four sums: count, Σe, Σe², Σ|e|. Fixed size and
 * mergeable by addition (sums of doubles depend on the order of merging by rounding only).
 *
 * <ul>
 *   <li>MAE = Σ|e| / n, ≥ 0, in the target's unit;</li>
 *   <li>RMSE = √(Σe² / n), ≥ MAE;</li>
 *   <li>bias = Σe / n: positive when the model predicts too high on average.</li>
 * </ul>
 */
public final class RegressionErrors {
    private long count;
    private double sum;
    private double sumSquares;
    private double sumAbsolute;

    public RegressionErrors() {
    }

    /** Adds one prediction with its true value; non-finite values are ignored (returns false). */
    public boolean add(double predicted, double truth) {
        double e = predicted - truth;
        if (!Double.isFinite(e)) {
            return false;
        }
        count++;
        sum += e;
        sumSquares += e * e;
        sumAbsolute += Math.abs(e);
        return true;
    }

    public void merge(RegressionErrors other) {
        count += other.count;
        sum += other.sum;
        sumSquares += other.sumSquares;
        sumAbsolute += other.sumAbsolute;
    }

    /** Errors counted, ≥ 0. */
    public long count() {
        return count;
    }

    /** Σe. */
    public double sum() {
        return sum;
    }

    /** Σe². */
    public double sumSquares() {
        return sumSquares;
    }

    /** Σ|e|. */
    public double sumAbsolute() {
        return sumAbsolute;
    }

    /** Mean absolute error, NaN when empty. */
    public double mae() {
        return count == 0 ? Double.NaN : sumAbsolute / count;
    }

    /** Root mean squared error, NaN when empty. */
    public double rmse() {
        return count == 0 ? Double.NaN : Math.sqrt(sumSquares / count);
    }

    /** Mean error (prediction − truth), NaN when empty. */
    public double bias() {
        return count == 0 ? Double.NaN : sum / count;
    }

    /**
     * The sums as {@link #count()}, {@link #sum()}, {@link #sumSquares()}, {@link #sumAbsolute()} gave them.
     *
     * @throws IllegalArgumentException when they cannot be a set of errors' sums
     */
    public static RegressionErrors restore(long count, double sum, double sumSquares, double sumAbsolute) {
        if (count < 0 || !(sumSquares >= 0) || !(sumAbsolute >= 0) || Double.isNaN(sum)) {
            throw new IllegalArgumentException("impossible error sums: n " + count + ", Σe " + sum + ", Σe² "
                    + sumSquares + ", Σ|e| " + sumAbsolute);
        }
        RegressionErrors r = new RegressionErrors();
        r.count = count;
        r.sum = sum;
        r.sumSquares = sumSquares;
        r.sumAbsolute = sumAbsolute;
        return r;
    }
}
