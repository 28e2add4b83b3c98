package dev.driftwatch.detectors.embedding;

import java.util.Random;

/**
 * A random Fourier feature map for the Gaussian kernel of bandwidth σ (Rahimi and Recht): φ(x) = √(2/D)·cos(Wx + b)
 * with W's rows drawn from N(0, I/σ²) and b uniform in [0, 2π), so that E[φ(x)·φ(y)] = exp(−‖x − y‖²/(2σ²)).
 *
 * <p>The mean of φ over a sample is a fixed-size (D values), mergeable summary: ‖φ̄(X) − φ̄(Y)‖² is an unbiased
 * estimate of the exact biased squared MMD of {@link EmbeddingMaths#exactMmd2} over the draw of W and b. It is
 * the mean of D independent terms gₘ = D·(φ̄ₘ(X) − φ̄ₘ(Y))², each in [0, 8], so it is within
 * 8·√(ln(2/δ)/(2D)) of the exact value with probability 1 − δ (Hoeffding), and its standard error is
 * sd(g)/√D, which {@link #standardError} estimates from the two means.
 *
 * <p>A seeded map is drawn with {@link java.util.Random}, whose sequence is fixed by its specification, so the
 * same seed gives the same map on every JVM: a baseline stores the seed, not the matrix.
 */
public final class RandomFourierFeatures {
    private final double[][] w;
    private final double[] b;
    private final double scale;
    private final long seed;
    private final double sigma;

    private RandomFourierFeatures(double[][] w, double[] b, long seed, double sigma) {
        if (w.length == 0 || w.length != b.length) {
            throw new IllegalArgumentException("a feature map needs as many offsets as rows, at least one; got "
                    + w.length + " rows and " + b.length + " offsets");
        }
        this.w = w;
        this.b = b;
        this.scale = Math.sqrt(2.0 / w.length);
        this.seed = seed;
        this.sigma = sigma;
    }

    /**
     * The map of a seed.
     *
     * @param features  D, the number of features (typically 128..1024; the error falls as 1/√D)
     * @param dimension d, the embedding's dimension
     * @param sigma     the kernel bandwidth σ > 0 (e.g. the reference's median pairwise distance)
     */
    public static RandomFourierFeatures seeded(long seed, int features, int dimension, double sigma) {
        if (features < 1 || dimension < 1 || !(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("random Fourier features need D >= 1, d >= 1 and a finite sigma > 0; got D="
                    + features + ", d=" + dimension + ", sigma=" + sigma);
        }
        Random random = new Random(seed);
        double[][] w = new double[features][dimension];
        double[] b = new double[features];
        for (int m = 0; m < features; m++) {
            for (int j = 0; j < dimension; j++) {
                w[m][j] = random.nextGaussian() / sigma;
            }
            b[m] = random.nextDouble() * 2 * Math.PI;
        }
        return new RandomFourierFeatures(w, b, seed, sigma);
    }

    /** A map with explicit W (D rows of d) and b (D offsets), e.g. drawn by a reference implementation. */
    public static RandomFourierFeatures of(double[][] w, double[] b) {
        return new RandomFourierFeatures(w, b, 0, Double.NaN);
    }

    public int features() {
        return w.length;
    }

    public int dimension() {
        return w[0].length;
    }

    public long seed() {
        return seed;
    }

    public double sigma() {
        return sigma;
    }

    /** Adds φ(x) to {@code sums} (D values). */
    public void addTo(double[] x, double[] sums) {
        if (x.length != w[0].length) {
            throw new IllegalArgumentException("a vector of " + x.length + " dimensions for a map of " + w[0].length);
        }
        for (int m = 0; m < w.length; m++) {
            double[] row = w[m];
            double dot = b[m];
            for (int j = 0; j < row.length; j++) {
                dot += row[j] * x[j];
            }
            sums[m] += scale * Math.cos(dot);
        }
    }

    /** φ(x). */
    public double[] map(double[] x) {
        double[] out = new double[w.length];
        addTo(x, out);
        return out;
    }

    /** The mean of φ over the rows of x. */
    public double[] meanMap(double[][] x) {
        double[] sums = new double[w.length];
        for (double[] row : x) {
            addTo(row, sums);
        }
        for (int m = 0; m < sums.length; m++) {
            sums[m] /= x.length;
        }
        return sums;
    }

    /** The estimate ‖φ̄a − φ̄b‖² of the squared MMD from two mean feature maps; in [0, 4]. */
    public static double mmd2(double[] meanA, double[] meanB) {
        return EmbeddingMaths.squaredDistance(meanA, meanB);
    }

    /**
     * The estimated standard error of {@link #mmd2} over the draw of the map: sd(g)/√D with
     * gₘ = D·(aₘ − bₘ)² (sample standard deviation, D − 1 degrees of freedom; 0 for D = 1).
     */
    public static double standardError(double[] meanA, double[] meanB) {
        EmbeddingMaths.checkSame(meanA, meanB);
        int d = meanA.length;
        if (d < 2) {
            return 0;
        }
        double mean = 0;
        double m2 = 0;
        for (int m = 0; m < d; m++) {
            double diff = meanA[m] - meanB[m];
            double g = d * diff * diff;
            double delta = g - mean;
            mean += delta / (m + 1);
            m2 += delta * (g - mean);
        }
        return Math.sqrt(m2 / (d - 1)) / Math.sqrt(d);
    }

    /** The Hoeffding bound 8·√(ln(2/δ)/(2D)): |estimate − exact| is below it with probability 1 − δ. */
    public static double hoeffdingBound(int features, double delta) {
        return 8 * Math.sqrt(Math.log(2 / delta) / (2.0 * features));
    }
}
