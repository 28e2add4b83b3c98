package dev.driftwatch.detectors.policy;

import dev.driftwatch.detectors.TestResult;
import dev.driftwatch.detectors.DriftTest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The test results of one feature (or other monitored subject: an output, an SLI) in one window,
 * as the input of {@link AlertPolicy}. At most one result per test, and at most one
 * {@link DriftTest#isSignificanceGate() significance gate}: KS for a numeric feature, chi-square for a
 * categorical one. Other significance tests are reported but take no part in the correction.
 *
 * <p>Instances are immutable and compare by value.
 */
public final class FeatureStatistics {

    private final String feature;
    private final Map<DriftTest, TestResult> results;

    private FeatureStatistics(String feature, Map<DriftTest, TestResult> results) {
        this.feature = feature;
        this.results = results;
    }

    /**
     * Creates the results of one feature.
     *
     * @param feature the feature's name, not blank
     * @param results its test results, in any order; at most one per test and at most one
     *     significance test; may be empty (such a feature never drifts)
     * @return the feature's statistics
     * @throws IllegalArgumentException if the name is blank, {@code results} or an element is null,
     *     a test appears twice, or two significance gates (KS and chi-square) are given
     */
    public static FeatureStatistics of(String feature, List<TestResult> results) {
        if (feature == null || feature.isBlank()) {
            throw new IllegalArgumentException("feature name must not be blank, got '" + feature + "'");
        }
        if (results == null) {
            throw new IllegalArgumentException("results of feature '" + feature + "' must not be null;"
                    + " pass an empty list when no test was computed");
        }
        TreeMap<DriftTest, TestResult> byTest = new TreeMap<>();
        DriftTest significance = null;
        for (TestResult result : results) {
            if (result == null) {
                throw new IllegalArgumentException("results of feature '" + feature
                        + "' contain a null element");
            }
            DriftTest test = result.test();
            if (byTest.put(test, result) != null) {
                throw new IllegalArgumentException("feature '" + feature + "' has two " + test.id()
                        + " results; expected at most one per test");
            }
            if (test.isSignificanceGate()) {
                if (significance != null) {
                    throw new IllegalArgumentException("feature '" + feature + "' has both "
                            + significance.id() + " and " + test.id()
                            + "; expected at most one significance test (ks for numeric, chisq for"
                            + " categorical)");
                }
                significance = test;
            }
        }
        return new FeatureStatistics(feature, Collections.unmodifiableMap(byTest));
    }

    /**
     * Convenience for {@link #of(String, List)}.
     *
     * @param feature the feature's name, not blank
     * @param results its test results
     * @return the feature's statistics
     * @throws IllegalArgumentException as {@link #of(String, List)}
     */
    public static FeatureStatistics of(String feature, TestResult... results) {
        if (results == null) {
            return of(feature, (List<TestResult>) null);
        }
        List<TestResult> list = new ArrayList<>(results.length);
        Collections.addAll(list, results);
        return of(feature, list);
    }

    /**
     * The feature's name.
     *
     * @return the name, not blank
     */
    public String feature() {
        return feature;
    }

    /**
     * The results by test, iterated in {@link DriftTest} order.
     *
     * @return an unmodifiable map
     */
    public Map<DriftTest, TestResult> results() {
        return results;
    }

    /**
     * The result of one test.
     *
     * @param test the test
     * @return its result, or empty when the test was not computed for this feature
     */
    public Optional<TestResult> result(DriftTest test) {
        return Optional.ofNullable(results.get(test));
    }

    /**
     * The feature's significance gate result (KS or chi-square), when it has one that is defined.
     * This is the p-value that takes part in the Benjamini-Hochberg correction.
     *
     * @return the defined significance result, or empty
     */
    public Optional<TestResult> definedSignificanceResult() {
        for (TestResult result : results.values()) {
            if (result.test().isSignificanceGate() && result.isDefined() && result.pValue() != null) {
                return Optional.of(result);
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof FeatureStatistics)) {
            return false;
        }
        FeatureStatistics that = (FeatureStatistics) o;
        return feature.equals(that.feature) && results.equals(that.results);
    }

    @Override
    public int hashCode() {
        return Objects.hash(feature, results);
    }

    @Override
    public String toString() {
        return "FeatureStatistics{" + feature + ", " + results.values() + "}";
    }
}
