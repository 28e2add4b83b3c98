package dev.driftwatch.detectors.embedding;

/**
 * One window of an embedding against its reference, each statistic with its bootstrap p-value and its threshold
 * at the level asked for (the statistic is over its threshold exactly when its p-value is at most that level).
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
 */
public record EmbeddingComparison(long count, long mismatched, Raw raw, double meanP, double meanThreshold,
                                  double cosineP, double cosineThreshold, double pcaP, double pcaThreshold, double mmdP,
                                  double mmdThreshold) {

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

    /** The smallest of the deciding p-values (mean distance, component share, MMD), Bonferroni-corrected (× 3). */
    public double combinedP() {
        return Math.min(1, 3 * Math.min(meanP, Math.min(pcaP, mmdP)));
    }
}
