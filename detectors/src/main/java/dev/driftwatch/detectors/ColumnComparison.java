package dev.driftwatch.detectors;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Every drift statistic of one column (feature or output) of a reference against a current sample.
 *
 * @param kind             numeric or categorical
 * @param referenceCount   non-missing reference values
 * @param currentCount     non-missing current values
 * @param referenceMissing missing reference values (empty, NaN, ±Inf)
 * @param currentMissing   missing current values
 * @param tests            the results in {@link DriftTest} order: PSI, KL, JS and then KS and
 *                         Wasserstein (numeric) or chi-square (categorical)
 * @param ksMethod         how the KS p-value was computed, or null for categorical columns or when
 *                         KS is undefined
 */
public record ColumnComparison(ColumnKind kind, long referenceCount, long currentCount, long referenceMissing,
                               long currentMissing, Map<DriftTest, TestResult> tests,
                               KolmogorovSmirnov.Method ksMethod) {

    public ColumnComparison {
        tests = Collections.unmodifiableMap(new EnumMap<>(tests));
    }

    /** The result of one test, or null when the test does not apply to this kind of column. */
    public TestResult test(DriftTest test) {
        return tests.get(test);
    }

    /** The tests that apply to a kind of column, in output order. */
    public static DriftTest[] testsFor(ColumnKind kind) {
        return kind == ColumnKind.NUMERIC
                ? new DriftTest[] {DriftTest.PSI, DriftTest.KL, DriftTest.JS, DriftTest.KS, DriftTest.WASSERSTEIN}
                : new DriftTest[] {DriftTest.PSI, DriftTest.KL, DriftTest.JS, DriftTest.CHI_SQUARE};
    }

    /** A comparison in which no test could run, each marked undefined with the same reason. */
    public static ColumnComparison undefined(ColumnKind kind, long refCount, long curCount, long refMissing,
                                      long curMissing, String reason) {
        Map<DriftTest, TestResult> tests = new EnumMap<>(DriftTest.class);
        for (DriftTest t : testsFor(kind)) {
            tests.put(t, TestResult.undefined(t, reason));
        }
        return new ColumnComparison(kind, refCount, curCount, refMissing, curMissing, tests, null);
    }

    /** Why a comparison with an empty side cannot run. */
    public static String emptyReason(long refCount, long curCount) {
        if (refCount == 0 && curCount == 0) {
            return "both samples have no non-missing values";
        }
        return (refCount == 0 ? "reference" : "current") + " sample has no non-missing values";
    }
}
