package dev.driftwatch.detectors.policy;

import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The verdicts of {@link AlertPolicy#evaluateAll(List)}: one per feature, in input order, and
 * one for the dataset. Immutable.
 */
public final class Evaluation {

    private final List<FeatureVerdict> features;
    private final DatasetVerdict dataset;
    private final String policyVersion;

    Evaluation(List<FeatureVerdict> features, DatasetVerdict dataset, String policyVersion) {
        this.features = Collections.unmodifiableList(features);
        this.dataset = dataset;
        this.policyVersion = policyVersion;
    }

    /**
     * The per-feature verdicts, in the order the features were given.
     *
     * @return an unmodifiable list
     */
    public List<FeatureVerdict> features() {
        return features;
    }

    /**
     * The dataset verdict.
     *
     * @return the verdict
     */
    public DatasetVerdict dataset() {
        return dataset;
    }

    /**
     * The version of the policy that decided, for provenance.
     *
     * @return the policy's {@link AlertPolicy#version()}
     */
    public String policyVersion() {
        return policyVersion;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Evaluation)) {
            return false;
        }
        Evaluation that = (Evaluation) o;
        return features.equals(that.features) && dataset.equals(that.dataset)
                && policyVersion.equals(that.policyVersion);
    }

    @Override
    public int hashCode() {
        return Objects.hash(features, dataset, policyVersion);
    }

    @Override
    public String toString() {
        return "Evaluation{policy=" + policyVersion + ", " + dataset + ", " + features + "}";
    }
}
