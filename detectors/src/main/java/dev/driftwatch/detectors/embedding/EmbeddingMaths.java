package dev.driftwatch.detectors.embedding;

import java.util.Arrays;

/**
 * The plain statistics of embedding drift, on dense vectors of one dimension. Stateless; every method checks
 * that its vectors have the same dimension.
 */
public final class EmbeddingMaths {
    private EmbeddingMaths() {
    }

    /** The mean of the rows of {@code x} (n ≥ 1 rows of d values). */
    public static double[] mean(double[][] x) {
        if (x.length == 0) {
            throw new IllegalArgumentException("the mean of no vectors is undefined");
        }
        double[] m = new double[x[0].length];
        for (double[] row : x) {
            checkSame(m, row);
            for (int j = 0; j < m.length; j++) {
                m[j] += row[j];
            }
        }
        for (int j = 0; j < m.length; j++) {
            m[j] /= x.length;
        }
        return m;
    }

    /** ‖a − b‖, the Euclidean distance: 0 for equal vectors, in the embedding's units. */
    public static double euclidean(double[] a, double[] b) {
        return Math.sqrt(squaredDistance(a, b));
    }

    /** ‖a − b‖². */
    public static double squaredDistance(double[] a, double[] b) {
        checkSame(a, b);
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            double d = a[j] - b[j];
            s += d * d;
        }
        return s;
    }

    /**
     * The cosine distance 1 − a·b / (‖a‖‖b‖), in [0, 2]: 0 for vectors of the same direction, 1 for orthogonal
     * ones. NaN when either vector is 0 (no direction).
     */
    public static double cosineDistance(double[] a, double[] b) {
        checkSame(a, b);
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int j = 0; j < a.length; j++) {
            dot += a[j] * b[j];
            na += a[j] * a[j];
            nb += b[j] * b[j];
        }
        if (na == 0 || nb == 0) {
            return Double.NaN;
        }
        return Math.max(0, 1 - dot / Math.sqrt(na * nb));
    }

    /** The Gaussian kernel exp(−‖x − y‖² / (2σ²)), in (0, 1]. */
    public static double gaussianKernel(double[] x, double[] y, double sigma) {
        return Math.exp(-squaredDistance(x, y) / (2 * sigma * sigma));
    }

    /**
     * The exact squared maximum mean discrepancy with the Gaussian kernel of bandwidth σ, in its biased
     * (V-statistic) form: mean k(xᵢ, xⱼ) + mean k(yᵢ, yⱼ) − 2 mean k(xᵢ, yⱼ), every pair including i = j.
     * In [0, 2]; 0 when both samples are the same multiset. Costs O((n + m)² d): for checks and small cases;
     * the pipeline estimates it with {@link RandomFourierFeatures}.
     */
    public static double exactMmd2(double[][] x, double[][] y, double sigma) {
        return meanKernel(x, x, sigma) + meanKernel(y, y, sigma) - 2 * meanKernel(x, y, sigma);
    }

    private static double meanKernel(double[][] a, double[][] b, double sigma) {
        double s = 0;
        for (double[] u : a) {
            for (double[] v : b) {
                s += gaussianKernel(u, v, sigma);
            }
        }
        return s / ((double) a.length * b.length);
    }

    /**
     * The median heuristic for the kernel bandwidth: the median Euclidean distance between distinct rows of
     * {@code x}, over at most the first {@code maxRows} rows (numpy's median: the mean of the two middle values
     * for an even count). 1 when every distance is 0.
     */
    public static double medianDistance(double[][] x, int maxRows) {
        int n = Math.min(x.length, maxRows);
        if (n < 2) {
            return 1;
        }
        double[] d = new double[n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                d[k++] = euclidean(x[i], x[j]);
            }
        }
        Arrays.sort(d);
        double median = d.length % 2 == 1 ? d[d.length / 2] : (d[d.length / 2 - 1] + d[d.length / 2]) / 2;
        return median > 0 ? median : 1;
    }

    static void checkSame(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors of " + a.length + " and " + b.length
                    + " dimensions cannot be compared");
        }
    }
}
