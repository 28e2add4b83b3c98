package dev.driftwatch.detectors.embedding;

import dev.driftwatch.detectors.BinEdges;
import dev.driftwatch.detectors.ColumnKind;
import dev.driftwatch.detectors.Comparisons;
import dev.driftwatch.detectors.DriftTest;
import dev.driftwatch.detectors.StreamingInput;
import dev.driftwatch.detectors.TestResult;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.detectors.summary.NumericSummary;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The reference of one named embedding of a model version, fitted once from a reference sample and frozen: every
 * window of the embedding is summarised against it ({@link #newWindow}) and compared with it ({@link #compare}).
 *
 * <p>It holds (a) the reference mean; (b) the top-k principal components (Commons Math) with, per component, a
 * frozen grid of the reference's projections and their summary on it, so that each component is tested by a drift
 * test of the registry ({@code DriftTests}, KS by default) on a window's bounded per-component counts; (c) a seeded
 * random Fourier feature map and the reference's mean feature map, for the MMD estimate.
 *
 * <p><b>Null distributions.</b> At fitting time B bootstrap windows of n_b vectors are drawn with replacement from the
 * reference and summarised like live windows; their statistics, scaled to be nearly independent of the window size
 * (√n·distance for the mean, n·(cosine distance), n·MMD² — the central-limit scalings — and the share of drifted
 * components as is), are kept sorted. A window of n vectors with scaled statistic s gets the p-value
 * (1 + #{null ≥ s}) / (B + 1), and at level α the threshold is the null order statistic above which p ≤ α, divided
 * back by the window's scale.
 */
public final class EmbeddingReference {
    private static final byte FORMAT_VERSION = 1;

    /**
     * How a reference is fitted.
     *
     * @param components       k, the principal components kept (capped at the dimension); typically 5..20
     * @param features         D, random Fourier features; the MMD estimate's error falls as 1/√D
     * @param seed             seed of the feature map and of the bootstrap
     * @param bootstrapRounds  B, bootstrap windows for the null distributions (≥ 99; 999 gives p-values down to 0.001)
     * @param bootstrapWindow  n_b, vectors per bootstrap window (capped at the sample size)
     * @param componentTest    the registry test applied to each component (a test with a p-value, or an effect size)
     * @param componentAlpha   a component drifts when its test's p-value is at most this (significance tests), or
     *                         when its statistic reaches the test's default warning threshold (effect sizes)
     * @param gridResolution   grid points per component (as {@link NumericGrid}'s resolution; 50..400)
     */
    public record Options(int components, int features, long seed, int bootstrapRounds, int bootstrapWindow,
                          DriftTest componentTest, double componentAlpha, int gridResolution) {
        public Options {
            if (components < 1 || features < 1 || bootstrapRounds < 99 || bootstrapWindow < 2 || gridResolution < 10
                    || !(componentAlpha > 0 && componentAlpha < 1) || componentTest == null
                    || !componentTest.appliesTo(ColumnKind.NUMERIC)) {
                throw new IllegalArgumentException("embedding reference options out of range: k=" + components
                        + " (>= 1), D=" + features + " (>= 1), B=" + bootstrapRounds + " (>= 99), n_b="
                        + bootstrapWindow + " (>= 2), grid=" + gridResolution + " (>= 10), alpha=" + componentAlpha
                        + " (in (0, 1)), test=" + componentTest + " (a numeric test)");
            }
        }
    }

    private final int dimension;
    private final long count;
    private final PrincipalComponents pca;
    private final NumericGrid[] grids;
    private final NumericSummary[] componentReference;
    private final RandomFourierFeatures rff;
    private final double[] featureMean;
    private final DriftTest componentTest;
    private final double componentAlpha;
    private final int bootstrapWindow;
    private final double[] nullMean;
    private final double[] nullCosine;
    private final double[] nullPca;
    private final double[] nullMmd;
    private final byte[] bytes;
    private final long fingerprint;
    private final String hash;

    private EmbeddingReference(int dimension, long count, PrincipalComponents pca, NumericGrid[] grids,
                               NumericSummary[] componentReference, RandomFourierFeatures rff, double[] featureMean,
                               DriftTest componentTest, double componentAlpha, int bootstrapWindow, double[] nullMean,
                               double[] nullCosine, double[] nullPca, double[] nullMmd) {
        this.dimension = dimension;
        this.count = count;
        this.pca = pca;
        this.grids = grids;
        this.componentReference = componentReference;
        this.rff = rff;
        this.featureMean = featureMean;
        this.componentTest = componentTest;
        this.componentAlpha = componentAlpha;
        this.bootstrapWindow = bootstrapWindow;
        this.nullMean = nullMean;
        this.nullCosine = nullCosine;
        this.nullPca = nullPca;
        this.nullMmd = nullMmd;
        this.bytes = serialize();
        this.hash = sha256Hex(bytes);
        this.fingerprint = Long.parseUnsignedLong(hash.substring(0, 15), 16);
    }

    /**
     * Fits a reference to a sample of vectors (rows of one dimension; rows with a non-finite value are dropped).
     *
     * @throws IllegalArgumentException with fewer than 2 usable rows or rows of different dimensions
     */
    public static EmbeddingReference fit(double[][] sample, Options options) {
        double[][] x = Arrays.stream(sample).filter(EmbeddingReference::finite).toArray(double[][]::new);
        if (x.length < 2) {
            throw new IllegalArgumentException("an embedding reference needs at least 2 vectors with finite values, got "
                    + x.length);
        }
        int d = x[0].length;
        for (double[] row : x) {
            if (row.length != d) {
                throw new IllegalArgumentException("reference vectors have " + d + " and " + row.length
                        + " dimensions; every vector of an embedding must have the same");
            }
        }
        int k = Math.min(options.components(), d);
        PrincipalComponents pca = PrincipalComponents.fit(x, k);
        double[][] projections = new double[k][x.length];
        for (int i = 0; i < x.length; i++) {
            for (int r = 0; r < k; r++) {
                projections[r][i] = pca.project(x[i], r);
            }
        }
        NumericGrid[] grids = new NumericGrid[k];
        NumericSummary[] refs = new NumericSummary[k];
        for (int r = 0; r < k; r++) {
            double[] sorted = Comparisons.sortedFinite(projections[r]);
            BinEdges edges = BinEdges.fromReference(sorted, 10);
            grids[r] = NumericGrid.fromReference(sorted, edges, options.gridResolution());
            refs[r] = new NumericSummary(grids[r]);
            refs[r].addAll(sorted);
        }
        double sigma = EmbeddingMaths.medianDistance(x, 1000);
        RandomFourierFeatures rff = RandomFourierFeatures.seeded(options.seed(), options.features(), d, sigma);
        double[][] phi = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            phi[i] = rff.map(x[i]);
        }
        double[] featureMean = EmbeddingMaths.mean(phi);
        int nb = Math.min(options.bootstrapWindow(), x.length);
        int rounds = options.bootstrapRounds();
        double[] nullMean = new double[rounds];
        double[] nullCosine = new double[rounds];
        double[] nullPca = new double[rounds];
        double[] nullMmd = new double[rounds];
        EmbeddingReference partial = new EmbeddingReference(d, x.length, pca, grids, refs, rff, featureMean,
                options.componentTest(), options.componentAlpha(), nb, new double[0], new double[0], new double[0],
                new double[0]);
        SplittableRandom random = new SplittableRandom(options.seed() ^ 0x5DEECE66DL);
        double[] sum = new double[d];
        double[] features = new double[rff.features()];
        for (int b = 0; b < rounds; b++) {
            Arrays.fill(sum, 0);
            Arrays.fill(features, 0);
            ComponentCells[] cells = new ComponentCells[k];
            for (int r = 0; r < k; r++) {
                cells[r] = new ComponentCells(grids[r].cellCount());
            }
            for (int i = 0; i < nb; i++) {
                int row = random.nextInt(x.length);
                for (int j = 0; j < d; j++) {
                    sum[j] += x[row][j];
                }
                for (int r = 0; r < k; r++) {
                    cells[r].add(grids[r], projections[r][row]);
                }
                for (int m = 0; m < features.length; m++) {
                    features[m] += phi[row][m];
                }
            }
            EmbeddingWindow w = EmbeddingWindow.of(partial.fingerprint, nb, 0, sum, cells, features);
            EmbeddingComparison.Raw raw = partial.raw(w);
            nullMean[b] = raw.meanDistance() * Math.sqrt(nb);
            nullCosine[b] = Double.isNaN(raw.cosineDistance()) ? 0 : raw.cosineDistance() * nb;
            nullPca[b] = raw.pcaShare();
            nullMmd[b] = raw.mmd2() * nb;
        }
        Arrays.sort(nullMean);
        Arrays.sort(nullCosine);
        Arrays.sort(nullPca);
        Arrays.sort(nullMmd);
        return new EmbeddingReference(d, x.length, pca, grids, refs, rff, featureMean, options.componentTest(),
                options.componentAlpha(), nb, nullMean, nullCosine, nullPca, nullMmd);
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static boolean finite(double[] row) {
        for (double v : row) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** An empty window summary on this reference. */
    public EmbeddingWindow newWindow() {
        ComponentCells[] cells = new ComponentCells[grids.length];
        for (int r = 0; r < grids.length; r++) {
            cells[r] = new ComponentCells(grids[r].cellCount());
        }
        return EmbeddingWindow.of(fingerprint, 0, 0, new double[dimension], cells, new double[rff.features()]);
    }

    /** Adds a vector to a window summary on this reference (a vector of another dimension is counted apart). */
    public void add(EmbeddingWindow window, float[] vector) {
        double[] x = new double[vector.length];
        for (int j = 0; j < x.length; j++) {
            x[j] = vector[j];
        }
        add(window, x);
    }

    /** See {@link #add(EmbeddingWindow, float[])}. */
    public void add(EmbeddingWindow window, double[] x) {
        if (window.fingerprint() != fingerprint) {
            throw new IllegalArgumentException("the window is summarised on another reference");
        }
        if (x.length != dimension || !finite(x)) {
            window.countMismatched();
            return;
        }
        double[] sum = window.sum();
        for (int j = 0; j < dimension; j++) {
            sum[j] += x[j];
        }
        for (int r = 0; r < grids.length; r++) {
            window.component(r).add(grids[r], pca.project(x, r));
        }
        rff.addTo(x, window.features());
        window.countAdded();
    }

    /** The window's statistics without their null distributions. */
    EmbeddingComparison.Raw raw(EmbeddingWindow w) {
        double n = w.count();
        double[] mean = new double[dimension];
        for (int j = 0; j < dimension; j++) {
            mean[j] = w.sum()[j] / n;
        }
        double[] feat = new double[featureMean.length];
        for (int m = 0; m < feat.length; m++) {
            feat[m] = w.features()[m] / n;
        }
        int drifted = 0;
        for (int r = 0; r < grids.length; r++) {
            NumericSummary cur = w.component(r).on(grids[r]);
            TestResult t = componentTest.streaming(new StreamingInput(ColumnKind.NUMERIC,
                    componentReference[r].binCounts(), cur.binCounts(), componentReference[r], cur));
            boolean over = t.isDefined() && (t.pValue() != null && componentTest.isSignificanceTest()
                    ? t.pValue() <= componentAlpha
                    : t.statistic() >= componentTest.defaultThresholds().warning());
            if (over) {
                drifted++;
            }
        }
        return new EmbeddingComparison.Raw(EmbeddingMaths.euclidean(mean, pca.mean()),
                EmbeddingMaths.cosineDistance(mean, pca.mean()), drifted, (double) drifted / grids.length,
                RandomFourierFeatures.mmd2(feat, featureMean), RandomFourierFeatures.standardError(feat, featureMean));
    }

    /**
     * Compares a window with the reference.
     *
     * @param alpha the level at which the thresholds are set (p ≤ α ⇔ statistic over its threshold)
     * @throws IllegalArgumentException for an empty window or one on another reference
     */
    public EmbeddingComparison compare(EmbeddingWindow w, double alpha) {
        if (w.fingerprint() != fingerprint) {
            throw new IllegalArgumentException("the window is summarised on another reference");
        }
        if (w.count() == 0) {
            throw new IllegalArgumentException("an empty window cannot be compared");
        }
        EmbeddingComparison.Raw raw = raw(w);
        long n = w.count();
        double sqrtN = Math.sqrt(n);
        double cos = Double.isNaN(raw.cosineDistance()) ? 0 : raw.cosineDistance();
        return new EmbeddingComparison(n, w.mismatched(), raw,
                pValue(nullMean, raw.meanDistance() * sqrtN), threshold(nullMean, alpha) / sqrtN,
                pValue(nullCosine, cos * n), threshold(nullCosine, alpha) / n,
                pValue(nullPca, raw.pcaShare()), threshold(nullPca, alpha),
                pValue(nullMmd, raw.mmd2() * n), threshold(nullMmd, alpha) / n);
    }

    /** (1 + #{null ≥ s}) / (B + 1). */
    static double pValue(double[] sortedNull, double s) {
        int lo = 0;
        int hi = sortedNull.length;
        while (lo < hi) { // first index with null >= s
            int mid = (lo + hi) >>> 1;
            if (sortedNull[mid] < s) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return (1.0 + (sortedNull.length - lo)) / (sortedNull.length + 1.0);
    }

    /** The null value above which the p-value is at most α (+∞ when B is too small for α). */
    static double threshold(double[] sortedNull, double alpha) {
        int allowed = (int) Math.floor(alpha * (sortedNull.length + 1) + 1e-9) - 1; // #{null ≥ s} at most this
        if (allowed < 0) {
            return Double.POSITIVE_INFINITY;
        }
        return sortedNull[Math.max(0, sortedNull.length - 1 - allowed)];
    }

    public int dimension() {
        return dimension;
    }

    /** The number of reference vectors. */
    public long count() {
        return count;
    }

    public PrincipalComponents components() {
        return pca;
    }

    public RandomFourierFeatures featureMap() {
        return rff;
    }

    /** The reference's mean feature map φ̄ (D values). */
    public double[] featureMean() {
        return featureMean.clone();
    }

    public int bootstrapWindow() {
        return bootstrapWindow;
    }

    public int bootstrapRounds() {
        return nullMean.length;
    }

    public DriftTest componentTest() {
        return componentTest;
    }

    /** The first 60 bits of {@link #hash}, which window summaries carry to name their reference. */
    public long fingerprint() {
        return fingerprint;
    }

    /** Hex SHA-256 of {@link #toBytes}: equal hashes mean equal references. */
    public String hash() {
        return hash;
    }

    /** The serialised form (version 1), which {@link #fromBytes} reads back. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    private byte[] serialize() {
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(buffer);
            out.writeByte(FORMAT_VERSION);
            out.writeInt(dimension);
            out.writeLong(count);
            int k = grids.length;
            out.writeInt(k);
            writeDoubles(out, pca.mean());
            for (double[] c : pca.components()) {
                writeDoubles(out, c);
            }
            writeDoubles(out, pca.variances());
            out.writeDouble(pca.totalVariance());
            for (int r = 0; r < k; r++) {
                writeDoubles(out, grids[r].points());
                writeDoubles(out, grids[r].bins().edges());
                byte[] summary = componentReference[r].toBytes();
                out.writeInt(summary.length);
                out.write(summary);
            }
            out.writeLong(rff.seed());
            out.writeInt(rff.features());
            out.writeDouble(rff.sigma());
            writeDoubles(out, featureMean);
            out.writeUTF(componentTest.id());
            out.writeDouble(componentAlpha);
            out.writeInt(bootstrapWindow);
            writeDoubles(out, nullMean);
            writeDoubles(out, nullCosine);
            writeDoubles(out, nullPca);
            writeDoubles(out, nullMmd);
            out.flush();
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a reference written by {@link #toBytes}.
     *
     * @throws IllegalArgumentException when the bytes are not a reference of a known version
     */
    public static EmbeddingReference fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("unknown embedding reference format version " + version);
            }
            int d = in.readInt();
            long count = in.readLong();
            int k = in.readInt();
            double[] mean = readDoubles(in);
            double[][] components = new double[k][];
            for (int r = 0; r < k; r++) {
                components[r] = readDoubles(in);
            }
            double[] variances = readDoubles(in);
            double total = in.readDouble();
            NumericGrid[] grids = new NumericGrid[k];
            NumericSummary[] refs = new NumericSummary[k];
            for (int r = 0; r < k; r++) {
                double[] points = readDoubles(in);
                double[] edges = readDoubles(in);
                grids[r] = NumericGrid.of(points, BinEdges.of(edges));
                byte[] summary = new byte[in.readInt()];
                in.readFully(summary);
                refs[r] = NumericSummary.fromBytes(grids[r], summary);
            }
            long seed = in.readLong();
            int features = in.readInt();
            double sigma = in.readDouble();
            double[] featureMean = readDoubles(in);
            DriftTest test = DriftTest.fromId(in.readUTF());
            double alpha = in.readDouble();
            int nb = in.readInt();
            double[] nullMean = readDoubles(in);
            double[] nullCosine = readDoubles(in);
            double[] nullPca = readDoubles(in);
            double[] nullMmd = readDoubles(in);
            return new EmbeddingReference(d, count, new PrincipalComponents(mean, components, variances, total), grids,
                    refs, RandomFourierFeatures.seeded(seed, features, d, sigma), featureMean, test, alpha, nb,
                    nullMean, nullCosine, nullPca, nullMmd);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a readable embedding reference: " + e.getMessage(), e);
        }
    }

    private static void writeDoubles(DataOutputStream out, double[] values) throws IOException {
        out.writeInt(values.length);
        for (double v : values) {
            out.writeDouble(v);
        }
    }

    private static double[] readDoubles(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 1 << 24) {
            throw new IOException("an array of " + n + " values");
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readDouble();
        }
        return v;
    }
}
