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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * <p><b>Null distributions.</b> A live window of n vectors differs from the reference of N vectors by its own
 * sampling noise and by the reference's: the difference of the means has covariance Σ·(1/n + 1/N). At fitting time,
 * B rounds of a double bootstrap reproduce that: each round draws a pseudo-reference of N vectors and a window from the
 * reference (with replacement) and compares the window with the pseudo-reference, at every size n_j of a ladder
 * ({@code bootstrapWindow}, halved down to {@value #SMALLEST_NULL_WINDOW}). The statistics are scaled by the effective
 * size n_eff = nN/(n + N) (√n_eff·distance, n_eff·cosine, n_eff·MMD², the component share as is) and kept sorted per
 * size. A window of n vectors is judged on the largest ladder size at most n (the smallest for smaller windows):
 * each statistic s gets the p-value (1 + #{null ≥ s}) / (B + 1).
 *
 * <p><b>One combined test.</b> The window's evidence is the smallest p-value of the three deciding statistics (mean
 * distance, component share, MMD). Its null is the same minimum computed on every bootstrap window, each ranked
 * among the other bootstrap windows and the live one, so the combined p-value (1 + #{bootstrap minima ≤ the
 * window's}) / (B + 1) is a rank among B + 1 exchangeable windows: exact for the three statistics' dependence,
 * where a Bonferroni factor of 3 is not.
 */
public final class EmbeddingReference {
    private static final byte FORMAT_VERSION = 2;
    /** The reference is split in halves (components fitted on one, summarised on the other) from 2 × this rows. */
    static final int MIN_HALF = 100;
    /** The smallest simulated window size. */
    static final int SMALLEST_NULL_WINDOW = 25;
    /** The pseudo-reference's mean and feature sums use at most this many draws (see {@link #bootstrap}). */
    static final int PSEUDO_REFERENCE_CAP = 4096;
    private static final int MEAN = 0;
    private static final int COSINE = 1;
    private static final int PCA = 2;
    private static final int MMD = 3;
    private static final int STATISTICS = 4;
    private static final int[] DECIDING = {MEAN, PCA, MMD};

    /**
     * How a reference is fitted.
     *
     * @param components       k, the principal components kept (capped at the dimension); typically 5..20
     * @param features         D, random Fourier features; the MMD estimate's error falls as 1/√D
     * @param seed             seed of the feature map and of the bootstrap
     * @param bootstrapRounds  B, bootstrap rounds for the null distributions (≥ 99; 999 gives p-values down to 0.001)
     * @param bootstrapWindow  the largest simulated window; the null distributions are drawn at it and at its
     *                         halvings down to {@value #SMALLEST_NULL_WINDOW} vectors
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
    /** The mean of every reference vector (the principal components' own mean is that of their half). */
    private final double[] mean;
    private final DriftTest componentTest;
    private final double componentAlpha;
    /** The ladder of simulated window sizes, ascending. */
    private final int[] nullSizes;
    /** Per ladder size, per statistic (mean, cosine, share, MMD), the scaled bootstrap statistics, sorted. */
    private final double[][][] nulls;
    /** Per ladder size, per deciding statistic, each bootstrap window's #{null ≥ its statistic} (itself counted). */
    private final int[][][] exceedances;
    /** Per ladder size, each bootstrap window's smallest exceedance count of the three, sorted. */
    private final int[][] sortedMinima;
    private final byte[] bytes;
    private final long fingerprint;
    private final String hash;

    private EmbeddingReference(int dimension, long count, PrincipalComponents pca, NumericGrid[] grids,
                               NumericSummary[] componentReference, RandomFourierFeatures rff, double[] featureMean,
                               double[] mean,
                               DriftTest componentTest, double componentAlpha, int[] nullSizes, double[][][] nulls,
                               int[][][] exceedances) {
        this.dimension = dimension;
        this.count = count;
        this.pca = pca;
        this.grids = grids;
        this.componentReference = componentReference;
        this.rff = rff;
        this.featureMean = featureMean;
        this.mean = mean;
        this.componentTest = componentTest;
        this.componentAlpha = componentAlpha;
        this.nullSizes = nullSizes;
        this.nulls = nulls;
        this.exceedances = exceedances;
        this.sortedMinima = new int[exceedances.length][];
        for (int j = 0; j < exceedances.length; j++) {
            int[] minima = exceedances[j][0].clone();
            for (int[] e : exceedances[j]) {
                for (int b = 0; b < minima.length; b++) {
                    minima[b] = Math.min(minima[b], e[b]);
                }
            }
            Arrays.sort(minima);
            sortedMinima[j] = minima;
        }
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
        // Split: the components are fitted on the even rows and summarised on the odd ones, so that the reference's
        // projections vary as a fresh window's do (on its own components a sample has more variance than new data).
        boolean split = x.length >= 2 * MIN_HALF;
        double[][] fitRows = split ? half(x, 0) : x;
        double[][] rows = split ? half(x, 1) : x;
        PrincipalComponents pca = PrincipalComponents.fit(fitRows, k);
        double[][] projections = new double[k][rows.length];
        for (int i = 0; i < rows.length; i++) {
            for (int r = 0; r < k; r++) {
                projections[r][i] = pca.project(rows[i], r);
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
        double[] mean = EmbeddingMaths.mean(x);
        EmbeddingReference partial = new EmbeddingReference(d, x.length, pca, grids, refs, rff, featureMean, mean,
                options.componentTest(), options.componentAlpha(), new int[0], new double[0][][], new int[0][][]);
        Nulls nulls = partial.bootstrap(rows, projections, split ? half(phi, 1) : phi, ladder(options.bootstrapWindow()),
                options.bootstrapRounds(), new SplittableRandom(options.seed() ^ 0x5DEECE66DL));
        return new EmbeddingReference(d, x.length, pca, grids, refs, rff, featureMean, mean, options.componentTest(),
                options.componentAlpha(), nulls.sizes, nulls.sorted, nulls.exceedances);
    }

    /** Rows 0, 2, 4, ... ({@code parity} 0) or 1, 3, 5, ... (1). */
    private static double[][] half(double[][] x, int parity) {
        double[][] h = new double[(x.length + 1 - parity) / 2][];
        for (int i = 0; i < h.length; i++) {
            h[i] = x[2 * i + parity];
        }
        return h;
    }

    /** The null distributions of every window size of the ladder (see the class comment). */
    private record Nulls(int[] sizes, double[][][] sorted, int[][][] exceedances) {
    }

    /**
     * The simulated window sizes: {@code largest}, then halved while at least {@value #SMALLEST_NULL_WINDOW}
     * (ascending).
     */
    static int[] ladder(int largest) {
        List<Integer> sizes = new ArrayList<>();
        for (int s = largest; s >= SMALLEST_NULL_WINDOW || sizes.isEmpty(); s /= 2) {
            sizes.add(0, s);
            if (s < 2 * SMALLEST_NULL_WINDOW) {
                break;
            }
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The double bootstrap: each round draws a pseudo-reference of N vectors and one window of the largest size from
     * the reference (with replacement), and compares the window's first n_j vectors, for each size n_j of the ladder,
     * with the pseudo-reference, as a live window of n_j vectors is compared with the reference. The pseudo-reference
     * carries the reference's own sampling noise (covariance Σ/N), so that the difference of the means has the
     * covariance Σ·(1/n + 1/N) of a live window's; comparing bootstrap windows with the reference they were drawn
     * from would leave the 1/N out. The mean and random-feature sums of a pseudo-reference use its first
     * {@value #PSEUDO_REFERENCE_CAP} draws at most, their deviation from the reference scaled by √(M/N) (the same
     * covariance, at a bounded cost); its component counts use all N draws.
     */
    private Nulls bootstrap(double[][] x, double[][] projections, double[][] phi, int[] sizes, int rounds,
                            SplittableRandom random) {
        int n = x.length;
        int k = grids.length;
        int features = featureMean.length;
        double[] rowMean = EmbeddingMaths.mean(x);
        double[] rowFeatures = EmbeddingMaths.mean(phi);
        int capped = Math.min(n, PSEUDO_REFERENCE_CAP);
        double shrink = Math.sqrt((double) capped / count); // the reference's mean is of all its count vectors
        double[][][] stats = new double[STATISTICS][sizes.length][rounds];
        double[] refSum = new double[dimension];
        double[] refFeatures = new double[features];
        double[] pseudoMean = new double[dimension];
        double[] pseudoFeatures = new double[features];
        double[] sum = new double[dimension];
        double[] featureSums = new double[features];
        int largest = sizes[sizes.length - 1];
        for (int b = 0; b < rounds; b++) {
            Arrays.fill(refSum, 0);
            Arrays.fill(refFeatures, 0);
            ComponentCells[] refCells = emptyCells();
            for (int i = 0; i < n; i++) {
                int row = random.nextInt(n);
                for (int r = 0; r < k; r++) {
                    refCells[r].add(grids[r], projections[r][row]);
                }
                if (i < capped) {
                    addTo(refSum, x[row]);
                    addTo(refFeatures, phi[row]);
                }
            }
            for (int j = 0; j < dimension; j++) {
                pseudoMean[j] = rowMean[j] + (refSum[j] / capped - rowMean[j]) * shrink;
            }
            for (int m = 0; m < features; m++) {
                pseudoFeatures[m] = rowFeatures[m] + (refFeatures[m] / capped - rowFeatures[m]) * shrink;
            }
            NumericSummary[] pseudoComponents = new NumericSummary[k];
            for (int r = 0; r < k; r++) {
                pseudoComponents[r] = refCells[r].on(grids[r]);
            }
            Arrays.fill(sum, 0);
            Arrays.fill(featureSums, 0);
            ComponentCells[] cells = emptyCells();
            int next = 0;
            for (int i = 1; i <= largest; i++) {
                int row = random.nextInt(n);
                addTo(sum, x[row]);
                addTo(featureSums, phi[row]);
                for (int r = 0; r < k; r++) {
                    cells[r].add(grids[r], projections[r][row]);
                }
                if (i == sizes[next]) {
                    EmbeddingComparison.Raw raw = raw(sum, i, cells, featureSums, pseudoMean, pseudoFeatures,
                            pseudoComponents);
                    double[] scaled = scaled(raw, effectiveSize(i, count));
                    for (int s = 0; s < STATISTICS; s++) {
                        stats[s][next][b] = (float) scaled[s]; // stored as floats: the same after a round trip
                    }
                    next++;
                }
            }
        }
        double[][][] sorted = new double[sizes.length][STATISTICS][];
        int[][][] exceedances = new int[sizes.length][DECIDING.length][rounds];
        for (int j = 0; j < sizes.length; j++) {
            for (int s = 0; s < STATISTICS; s++) {
                sorted[j][s] = stats[s][j].clone();
                Arrays.sort(sorted[j][s]);
            }
            for (int i = 0; i < DECIDING.length; i++) {
                for (int b = 0; b < rounds; b++) {
                    exceedances[j][i][b] = exceedances(sorted[j][DECIDING[i]], stats[DECIDING[i]][j][b]);
                }
            }
        }
        return new Nulls(sizes, sorted, exceedances);
    }

    private ComponentCells[] emptyCells() {
        ComponentCells[] cells = new ComponentCells[grids.length];
        for (int r = 0; r < grids.length; r++) {
            cells[r] = new ComponentCells(grids[r].cellCount());
        }
        return cells;
    }

    private static void addTo(double[] sum, double[] x) {
        for (int j = 0; j < sum.length; j++) {
            sum[j] += x[j];
        }
    }

    /** nN/(n + N): a window of n against a reference of N varies as a window of this size against the truth. */
    static double effectiveSize(long n, long referenceCount) {
        return (double) n * referenceCount / ((double) n + referenceCount);
    }

    /** The statistics scaled to be free of the window size: √n_eff·distance, n_eff·cosine, the share, n_eff·MMD². */
    private static double[] scaled(EmbeddingComparison.Raw raw, double effective) {
        double cos = Double.isNaN(raw.cosineDistance()) ? 0 : raw.cosineDistance();
        return new double[] {raw.meanDistance() * Math.sqrt(effective), cos * effective, raw.pcaShare(),
            raw.mmd2() * effective};
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
        return EmbeddingWindow.of(fingerprint, 0, 0, new double[dimension], emptyCells(), new double[rff.features()]);
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
        ComponentCells[] cells = new ComponentCells[grids.length];
        for (int r = 0; r < cells.length; r++) {
            cells[r] = w.component(r);
        }
        return raw(w.sum(), w.count(), cells, w.features(), mean, featureMean, componentReference);
    }

    /** The statistics of a window (sums of n vectors) against a reference (its mean, feature mean, components). */
    private EmbeddingComparison.Raw raw(double[] sum, long count, ComponentCells[] cells, double[] featureSums,
                                        double[] referenceMean, double[] referenceFeatures,
                                        NumericSummary[] referenceComponents) {
        double n = count;
        double[] windowMean = new double[dimension];
        for (int j = 0; j < dimension; j++) {
            windowMean[j] = sum[j] / n;
        }
        double[] feat = new double[referenceFeatures.length];
        for (int m = 0; m < feat.length; m++) {
            feat[m] = featureSums[m] / n;
        }
        int drifted = 0;
        for (int r = 0; r < grids.length; r++) {
            NumericSummary cur = cells[r].on(grids[r]);
            TestResult t = componentTest.streaming(new StreamingInput(ColumnKind.NUMERIC,
                    referenceComponents[r].binCounts(), cur.binCounts(), referenceComponents[r], cur));
            boolean over = t.isDefined() && (t.pValue() != null && componentTest.isSignificanceTest()
                    ? t.pValue() <= componentAlpha
                    : t.statistic() >= componentTest.defaultThresholds().warning());
            if (over) {
                drifted++;
            }
        }
        return new EmbeddingComparison.Raw(EmbeddingMaths.euclidean(windowMean, referenceMean),
                EmbeddingMaths.cosineDistance(windowMean, referenceMean), drifted, (double) drifted / grids.length,
                RandomFourierFeatures.mmd2(feat, referenceFeatures),
                RandomFourierFeatures.standardError(feat, referenceFeatures));
    }

    /**
     * Compares a window with the reference.
     *
     * @param alpha the level of the combined test; each statistic's threshold is set where the window would drift on
     *              that statistic alone (its p-value at most {@link EmbeddingComparison#level})
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
        int j = ladderIndex(n);
        double effective = effectiveSize(n, count);
        double[] s = scaled(raw, effective);
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) s[i]; // as the null distributions are kept, so that ties compare as ties
        }
        double[][] nul = nulls[j];
        int rounds = nul[MEAN].length;
        int[] live = new int[DECIDING.length];
        int min = Integer.MAX_VALUE;
        for (int i = 0; i < DECIDING.length; i++) {
            live[i] = exceedances(nul[DECIDING[i]], s[DECIDING[i]]);
            min = Math.min(min, live[i]);
        }
        // Ranks among the B + 1 windows: the window's smallest p-value is (1 + min)/(B + 1); a bootstrap window's
        // statistic is exceeded by its own count of null values, plus the window when the window's is larger (a tie
        // of counts is left out: that makes the bootstrap p-value smaller, the combined one larger).
        int[][] e = exceedances[j];
        int asSmall = 0;
        for (int b = 0; b < rounds; b++) {
            int smallest = Integer.MAX_VALUE;
            for (int i = 0; i < DECIDING.length; i++) {
                smallest = Math.min(smallest, e[i][b] + (e[i][b] > live[i] ? 1 : 0));
            }
            if (smallest <= 1 + min) {
                asSmall++;
            }
        }
        double combined = (1.0 + asSmall) / (rounds + 1.0);
        double level = level(sortedMinima[j], alpha);
        double root = Math.sqrt(effective);
        return new EmbeddingComparison(n, w.mismatched(), raw,
                pValue(nul[MEAN], s[MEAN]), threshold(nul[MEAN], level) / root,
                pValue(nul[COSINE], s[COSINE]), threshold(nul[COSINE], level) / effective,
                pValue(nul[PCA], s[PCA]), threshold(nul[PCA], level),
                pValue(nul[MMD], s[MMD]), threshold(nul[MMD], level) / effective,
                combined, level, nullSizes[j]);
    }

    /**
     * The per-statistic level of the combined test at α: a window drifts when one of its deciding p-values is at most
     * this (up to the ranks' ties, which the combined p-value breaks exactly; 0 when B is too small for α).
     */
    private static double level(int[] sortedMinima, double alpha) {
        int rounds = sortedMinima.length;
        int allowed = (int) Math.floor(alpha * (rounds + 1) + 1e-9) - 1; // #{minima ≤ 1 + e} at most this
        if (allowed < 0) {
            return 0;
        }
        // #{minima ≤ e} ≤ allowed ⇔ e < minima[allowed]: the window's p-value (1 + e)/(B + 1) at most this.
        return allowed >= rounds ? 1 : sortedMinima[allowed] / (rounds + 1.0);
    }

    /** The ladder size a window of n vectors is judged on: the largest at most n, else the smallest. */
    private int ladderIndex(long n) {
        int j = 0;
        while (j + 1 < nullSizes.length && nullSizes[j + 1] <= n) {
            j++;
        }
        return j;
    }

    /** #{null ≥ s}. */
    static int exceedances(double[] sortedNull, double s) {
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
        return sortedNull.length - lo;
    }

    /** (1 + #{null ≥ s}) / (B + 1). */
    static double pValue(double[] sortedNull, double s) {
        return (1.0 + exceedances(sortedNull, s)) / (sortedNull.length + 1.0);
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

    /** The largest simulated window size. */
    public int bootstrapWindow() {
        return nullSizes[nullSizes.length - 1];
    }

    /** The simulated window sizes, ascending. */
    public int[] nullWindowSizes() {
        return nullSizes.clone();
    }

    /** The sorted scaled null of statistic 0..3 (mean, cosine, share, MMD) at ladder size {@code j}, for checks. */
    double[] nullDistribution(int j, int statistic) {
        return nulls[j][statistic].clone();
    }

    public int bootstrapRounds() {
        return sortedMinima[0].length;
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

    /** The serialised form (version 2), which {@link #fromBytes} reads back. */
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
            writeDoubles(out, mean);
            out.writeUTF(componentTest.id());
            out.writeDouble(componentAlpha);
            out.writeInt(nullSizes.length);
            for (int j = 0; j < nullSizes.length; j++) {
                out.writeInt(nullSizes[j]);
                for (double[] sorted : nulls[j]) {
                    out.writeInt(sorted.length);
                    for (double v : sorted) {
                        out.writeFloat((float) v);
                    }
                }
                for (int[] counts : exceedances[j]) {
                    out.writeInt(counts.length);
                    for (int e : counts) {
                        out.writeInt(e);
                    }
                }
            }
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
            if (version == 1) {
                throw new IllegalArgumentException("an embedding reference of format version 1 (null distributions"
                        + " that ignore the reference's own noise); fit it again with driftwatch baseline --embeddings");
            }
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
            double[] referenceMean = readDoubles(in);
            DriftTest test = DriftTest.fromId(in.readUTF());
            double alpha = in.readDouble();
            int ladder = in.readInt();
            if (ladder < 1 || ladder > 64) {
                throw new IOException("a ladder of " + ladder + " null window sizes");
            }
            int[] sizes = new int[ladder];
            double[][][] nulls = new double[ladder][STATISTICS][];
            int[][][] minima = new int[ladder][DECIDING.length][];
            for (int j = 0; j < ladder; j++) {
                sizes[j] = in.readInt();
                for (int s = 0; s < STATISTICS; s++) {
                    nulls[j][s] = new double[checkedLength(in.readInt())];
                    for (int b = 0; b < nulls[j][s].length; b++) {
                        nulls[j][s][b] = in.readFloat();
                    }
                }
                for (int i = 0; i < DECIDING.length; i++) {
                    minima[j][i] = new int[checkedLength(in.readInt())];
                    for (int b = 0; b < minima[j][i].length; b++) {
                        minima[j][i][b] = in.readInt();
                    }
                }
            }
            return new EmbeddingReference(d, count, new PrincipalComponents(mean, components, variances, total), grids,
                    refs, RandomFourierFeatures.seeded(seed, features, d, sigma), featureMean, referenceMean, test, alpha, sizes,
                    nulls, minima);
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

    private static int checkedLength(int n) throws IOException {
        if (n < 0 || n > 1 << 24) {
            throw new IOException("an array of " + n + " values");
        }
        return n;
    }

    private static double[] readDoubles(DataInputStream in) throws IOException {
        double[] v = new double[checkedLength(in.readInt())];
        int n = v.length;
        for (int i = 0; i < n; i++) {
            v[i] = in.readDouble();
        }
        return v;
    }
}
