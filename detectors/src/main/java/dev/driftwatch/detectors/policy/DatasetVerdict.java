package dev.driftwatch.detectors.policy;

import java.util.Objects;

/**
 * What an {@link AlertPolicy} decided about a whole dataset (all features of a model evaluated
 * together in one window): it drifted when the share of drifted features is at least the policy's
 * dataset drift share. Made only by the policy; immutable.
 */
public final class DatasetVerdict {

    private final int driftedFeatures;
    private final int totalFeatures;
    private final double shareThreshold;
    private final Severity severity;

    DatasetVerdict(int driftedFeatures, int totalFeatures, double shareThreshold, Severity severity) {
        this.driftedFeatures = driftedFeatures;
        this.totalFeatures = totalFeatures;
        this.shareThreshold = shareThreshold;
        this.severity = severity;
    }

    /**
     * The number of features that drifted.
     *
     * @return a count in [0, {@link #totalFeatures()}]
     */
    public int driftedFeatures() {
        return driftedFeatures;
    }

    /**
     * The number of features evaluated.
     *
     * @return a count ≥ 0
     */
    public int totalFeatures() {
        return totalFeatures;
    }

    /**
     * The share of drifted features, {@code driftedFeatures / totalFeatures}.
     *
     * @return a value in [0, 1]; 0 when no feature was evaluated
     */
    public double share() {
        return totalFeatures == 0 ? 0.0 : (double) driftedFeatures / totalFeatures;
    }

    /**
     * The policy's dataset drift share this verdict was decided with.
     *
     * @return a value in (0, 1], by default 0.5
     */
    public double shareThreshold() {
        return shareThreshold;
    }

    /**
     * Whether the dataset drifted: at least one feature was evaluated and
     * {@code share() ≥ shareThreshold()}.
     *
     * @return true exactly when {@link #severity()} is not {@link Severity#NONE}
     */
    public boolean isDrifted() {
        return severity != Severity.NONE;
    }

    /**
     * The severity of the dataset drift.
     *
     * @return {@link Severity#NONE} when not drifted, else the highest severity among the drifted
     *     features
     */
    public Severity severity() {
        return severity;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof DatasetVerdict)) {
            return false;
        }
        DatasetVerdict that = (DatasetVerdict) o;
        return driftedFeatures == that.driftedFeatures
                && totalFeatures == that.totalFeatures
                && Double.compare(shareThreshold, that.shareThreshold) == 0
                && severity == that.severity;
    }

    @Override
    public int hashCode() {
        return Objects.hash(driftedFeatures, totalFeatures, shareThreshold, severity);
    }

    @Override
    public String toString() {
        return "DatasetVerdict{" + driftedFeatures + "/" + totalFeatures + " drifted, share="
                + share() + ", threshold=" + shareThreshold + ", severity=" + severity + "}";
    }
}
