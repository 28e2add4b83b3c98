package dev.driftwatch.detectors.embedding;

/**
 * One window of an embedding against its reference, each statistic with its bootstrap p-value and its threshold,
 * and the combined test of the three deciding statistics (mean distance, component share, MMD): the window drifts at
 * α when {@link #combinedP} ≤ α, which is exactly when one deciding p-value is at most {@link #level} (the statistic
 * is then over its threshold).
 *
 * @param count             vectors in the window
 * @param mismatched        vectors of another dimension (or with non-finite values), left out
 * @param raw               the statistics
 * @param meanP             p-value of the Euclidean mean distance
 * @param meanThreshold     threshold of the Euclidean mean distance for a window of this size
 * @param cosineP           p-value of the cosine distance between the means
 * @param cosineThreshold   its threshold
 * @param pcaP              p-value of the share of drifted components
 * @param pcaThreshold      its threshold
 * @param mmdP              p-value of the MMD² estimate
 * @param mmdThreshold      its threshold
 * @param combinedP         the p-value of the smallest deciding p-value, against the same minimum over the bootstrap
 *                          windows (exact for the three statistics' dependence)
 * @param level             the per-statistic level equivalent to the combined test at the α asked for
 * @param nullWindow        the simulated window size whose null distributions judged the window
 */
public record EmbeddingComparison(long count, long mismatched, Raw raw, double meanP, double meanThreshold,
                                  double cosineP, double cosineThreshold, double pcaP, double pcaThreshold, double mmdP,
                                  double mmdThreshold, double combinedP, double level, int nullWindow) {

    /**
     * The statistics of a window.
     *
     * @param meanDistance       ‖mean − reference mean‖, in the embedding's units (0 = same mean)
     * @param cosineDistance     1 − cos(mean, reference mean), in [0, 2]; NaN when a mean is 0
     * @param driftedComponents  how many of the k components the component test flags
     * @param pcaShare           driftedComponents / k, in [0, 1]
     * @param mmd2               the random-feature estimate of the squared MMD (Gaussian kernel), in [0, 4]
     * @param mmdStandardError   the estimate's standard error over the draw of the feature map (sd(g)/√D)
     */
    public record Raw(double meanDistance, double cosineDistance, int driftedComponents, double pcaShare, double mmd2,
                      double mmdStandardError) {
    }
}
