package dev.driftwatch.detectors.multivariate;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The reference's distribution of window means of the reconstruction error, and the test of one window's mean
 * against it.
 *
 * <p>The reference errors, in their order, are cut into consecutive chunks of {@code chunkSize} rows (a last
 * partial chunk is dropped); the chunk means have a mean m and a sample standard deviation s (ddof = 1). With
 * fewer than {@link #MIN_CHUNKS} chunks, s is σ/√chunkSize instead, σ the population standard deviation of the
 * per-row errors (what it would be for independent rows).
 *
 * <p>A window of n rows is compared on the scale of its own size: its standard error is
 * s_n = s·√(chunkSize / n) (the chunk means' spread, scaled as the mean of independent rows scales), the
 * thresholds are m ± k·s_n, z = (mean − m) / s_n, and the two-sided p-value is 2·(1 − Φ(|z|)). A window is
 * outside when its mean is beyond a threshold; the relative change (mean − m)/m is its effect size.
 *
 * @param chunkSize   rows per reference chunk (≥ 1)
 * @param chunks      the number of full chunks
 * @param mean        m, the mean of the chunk means (about the mean per-row error)
 * @param chunkStdDev s, the standard deviation of the chunk means (≥ 0)
 * @param rowMean     the mean of the per-row reference errors
 * @param rowStdDev   σ, their population standard deviation
 */
public record ReferenceWindows(int chunkSize, int chunks, double mean, double chunkStdDev, double rowMean,
                               double rowStdDev) {
    /** Below this many chunks, the chunk means' spread comes from the per-row spread. */
    public static final int MIN_CHUNKS = 5;
    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

    public ReferenceWindows {
        if (chunkSize < 1 || chunks < 0 || !Double.isFinite(mean) || !(chunkStdDev >= 0) || !Double.isFinite(rowMean)
                || !(rowStdDev >= 0)) {
            throw new IllegalArgumentException("reference windows need chunkSize >= 1, chunks >= 0, finite means and"
                    + " standard deviations >= 0; got chunkSize " + chunkSize + ", chunks " + chunks + ", mean " + mean
                    + ", chunk sd " + chunkStdDev + ", row mean " + rowMean + ", row sd " + rowStdDev);
        }
    }

    /**
     * The reference windows of per-row errors.
     *
     * @param errors    the reference rows' reconstruction errors, in the reference's order (at least 1)
     * @param chunkSize rows per chunk, typically the number of events of a window (e.g. 500)
     */
    public static ReferenceWindows of(double[] errors, int chunkSize) {
        if (errors.length == 0 || chunkSize < 1) {
            throw new IllegalArgumentException("reference windows need errors and chunkSize >= 1, got " + errors.length
                    + " errors and chunkSize " + chunkSize);
        }
        double rowMean = 0;
        for (double e : errors) {
            rowMean += e;
        }
        rowMean /= errors.length;
        double ss = 0;
        for (double e : errors) {
            ss += (e - rowMean) * (e - rowMean);
        }
        double rowSd = Math.sqrt(ss / errors.length);
        int chunks = errors.length / chunkSize;
        double[] means = new double[chunks];
        for (int c = 0; c < chunks; c++) {
            double sum = 0;
            for (int i = c * chunkSize; i < (c + 1) * chunkSize; i++) {
                sum += errors[i];
            }
            means[c] = sum / chunkSize;
        }
        if (chunks < MIN_CHUNKS) {
            return new ReferenceWindows(chunkSize, chunks, rowMean, rowSd / Math.sqrt(chunkSize), rowMean, rowSd);
        }
        double m = 0;
        for (double v : means) {
            m += v;
        }
        m /= chunks;
        double s = 0;
        for (double v : means) {
            s += (v - m) * (v - m);
        }
        return new ReferenceWindows(chunkSize, chunks, m, Math.sqrt(s / (chunks - 1)), rowMean, rowSd);
    }

    /**
     * One window's mean error tested against the reference windows.
     *
     * @param windowMean the window's mean reconstruction error
     * @param n          the window's number of rows (≥ 1)
     * @param k          the thresholds' width in standard errors (typically 3)
     */
    public Result test(double windowMean, long n, double k) {
        if (n < 1 || !(k > 0)) {
            throw new IllegalArgumentException("a window test needs n >= 1 and k > 0, got n " + n + ", k " + k);
        }
        double se = chunkStdDev * Math.sqrt(chunkSize / (double) n);
        double diff = windowMean - mean;
        double z;
        if (se > 0) {
            z = diff / se;
        } else {
            z = diff == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, diff);
        }
        double p = Double.isInfinite(z) ? 0.0 : Math.min(1.0, 2 * NORMAL.cumulativeProbability(-Math.abs(z)));
        double relative = mean > 0 ? diff / mean : Double.NaN;
        double lower = mean - k * se;
        double upper = mean + k * se;
        return new Result(windowMean, n, z, p, lower, upper, relative, windowMean < lower || windowMean > upper);
    }

    /**
     * A window's test.
     *
     * @param windowMean     the window's mean error
     * @param n              its rows
     * @param z              (mean − m) / s_n
     * @param pValue         two-sided, in [0, 1]
     * @param lower          m − k·s_n
     * @param upper          m + k·s_n
     * @param relativeChange (mean − m) / m; NaN when m is 0
     * @param outside        whether the mean is below lower or above upper
     */
    public record Result(double windowMean, long n, double z, double pValue, double lower, double upper,
                         double relativeChange, boolean outside) {
    }
}
