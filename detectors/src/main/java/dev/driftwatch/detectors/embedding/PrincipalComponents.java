package dev.driftwatch.detectors.embedding;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The top-k principal components of a reference sample: the eigenvectors of its sample covariance (n − 1 in the
 * denominator, as numpy's {@code cov}) with the k largest eigenvalues, each a unit vector whose largest
 * coordinate (in absolute value) is made positive so that the sign is deterministic.
 *
 * @param mean        the sample mean (d values)
 * @param components  k unit vectors of d values, by decreasing variance
 * @param variances   the k eigenvalues: the variance of the sample along each component
 * @param totalVariance the trace of the covariance (the sum of all d eigenvalues)
 */
public record PrincipalComponents(double[] mean, double[][] components, double[] variances, double totalVariance) {

    /**
     * Fits the top-k components with Commons Math's eigen-decomposition of the d×d covariance (O(n d² + d³)).
     *
     * @param k 1..d
     * @throws IllegalArgumentException for fewer than 2 rows or k out of range
     */
    public static PrincipalComponents fit(double[][] x, int k) {
        if (x.length < 2) {
            throw new IllegalArgumentException("principal components need at least 2 vectors, got " + x.length);
        }
        int d = x[0].length;
        if (k < 1 || k > d) {
            throw new IllegalArgumentException("k must be in 1.." + d + " (the dimension), got " + k);
        }
        double[] mean = EmbeddingMaths.mean(x);
        double[][] cov = new double[d][d];
        double[] c = new double[d];
        for (double[] row : x) {
            for (int i = 0; i < d; i++) {
                c[i] = row[i] - mean[i];
            }
            for (int i = 0; i < d; i++) {
                double ci = c[i];
                double[] ri = cov[i];
                for (int j = i; j < d; j++) {
                    ri[j] += ci * c[j];
                }
            }
        }
        double trace = 0;
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                cov[i][j] /= x.length - 1;
                cov[j][i] = cov[i][j];
            }
            trace += cov[i][i];
        }
        EigenDecomposition eigen = new EigenDecomposition(new Array2DRowRealMatrix(cov, false));
        double[] values = eigen.getRealEigenvalues();
        Integer[] order = new Integer[d];
        for (int i = 0; i < d; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -values[i]));
        double[][] components = new double[k][];
        double[] variances = new double[k];
        for (int r = 0; r < k; r++) {
            double[] v = eigen.getEigenvector(order[r]).toArray();
            int largest = 0;
            for (int j = 1; j < d; j++) {
                if (Math.abs(v[j]) > Math.abs(v[largest])) {
                    largest = j;
                }
            }
            if (v[largest] < 0) {
                for (int j = 0; j < d; j++) {
                    v[j] = -v[j];
                }
            }
            components[r] = v;
            variances[r] = Math.max(0, values[order[r]]);
        }
        return new PrincipalComponents(mean, components, variances, trace);
    }

    /** The number of components, k. */
    public int k() {
        return components.length;
    }

    /** The projection of x on component r: v_r · (x − mean). */
    public double project(double[] x, int r) {
        double[] v = components[r];
        double s = 0;
        for (int j = 0; j < v.length; j++) {
            s += v[j] * (x[j] - mean[j]);
        }
        return s;
    }
}
