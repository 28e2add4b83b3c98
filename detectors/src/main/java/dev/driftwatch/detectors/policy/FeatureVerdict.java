package dev.driftwatch.detectors.policy;

import dev.driftwatch.detectors.DriftTest;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What an {@link AlertPolicy} decided about one feature in one window. Made only by the policy;
 * immutable.
 *
 * <p>The feature drifted when some deciding effect size crossed its warning threshold and the
 * significance gate passed; {@link #severity()} is then the highest severity among the deciding
 * tests that crossed, and {@link #driftedBy()} lists them (plus the significance test when it was
 * significant). A feature that did not drift has severity {@link Severity#NONE} and an empty
 * {@code driftedBy}.
 */
public final class FeatureVerdict {

    private final String feature;
    private final Severity severity;
    private final List<DriftTest> driftedBy;
    private final Map<DriftTest, Severity> effectSeverities;
    private final SignificanceGate gate;
    private final double adjustedPValue;

    FeatureVerdict(String feature, Severity severity, List<DriftTest> driftedBy,
            Map<DriftTest, Severity> effectSeverities, SignificanceGate gate, double adjustedPValue) {
        this.feature = feature;
        this.severity = severity;
        this.driftedBy = Collections.unmodifiableList(driftedBy);
        this.effectSeverities = Collections.unmodifiableMap(effectSeverities);
        this.gate = gate;
        this.adjustedPValue = adjustedPValue;
    }

    /**
     * The feature's name.
     *
     * @return the name
     */
    public String feature() {
        return feature;
    }

    /**
     * Whether the feature drifted in this window.
     *
     * @return true exactly when {@link #severity()} is not {@link Severity#NONE}
     */
    public boolean isDrifted() {
        return severity != Severity.NONE;
    }

    /**
     * The severity of the drift.
     *
     * @return {@link Severity#NONE} when not drifted, else the highest severity among the deciding
     *     effect tests that crossed their warning threshold
     */
    public Severity severity() {
        return severity;
    }

    /**
     * The tests that made the feature drift, in {@link DriftTest} order: the deciding effect tests
     * at or above their warning threshold, and the significance test when it was significant.
     *
     * @return an unmodifiable list, empty when not drifted
     */
    public List<DriftTest> driftedBy() {
        return driftedBy;
    }

    /**
     * The classification of every defined effect-size result of the feature against its
     * threshold, deciding or reported only (such as KL by default), whether or not the feature
     * drifted. For dashboards and audit; it does not decide by itself.
     *
     * @return an unmodifiable map iterated in {@link DriftTest} order
     */
    public Map<DriftTest, Severity> effectSeverities() {
        return effectSeverities;
    }

    /**
     * The outcome of the significance gate.
     *
     * @return the gate outcome
     */
    public SignificanceGate gate() {
        return gate;
    }

    /**
     * The Benjamini-Hochberg adjusted p-value of the feature's significance test, as compared with
     * alpha.
     *
     * @return the adjusted p-value in [0, 1], or empty when the gate is
     *     {@link SignificanceGate#NOT_AVAILABLE}
     */
    public OptionalDouble adjustedPValue() {
        return Double.isNaN(adjustedPValue) ? OptionalDouble.empty() : OptionalDouble.of(adjustedPValue);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof FeatureVerdict)) {
            return false;
        }
        FeatureVerdict that = (FeatureVerdict) o;
        return feature.equals(that.feature)
                && severity == that.severity
                && driftedBy.equals(that.driftedBy)
                && effectSeverities.equals(that.effectSeverities)
                && gate == that.gate
                && Double.compare(adjustedPValue, that.adjustedPValue) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(feature, severity, driftedBy, effectSeverities, gate, adjustedPValue);
    }

    @Override
    public String toString() {
        return "FeatureVerdict{" + feature + ", severity=" + severity + ", driftedBy=" + driftedBy
                + ", gate=" + gate + (Double.isNaN(adjustedPValue) ? "" : ", q=" + adjustedPValue)
                + ", effects=" + effectSeverities + "}";
    }
}
