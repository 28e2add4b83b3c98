package dev.driftwatch.detectors;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Every drift statistic of one column (feature or output) of a reference against a current sample.
 *
 * @param kind             numeric or categorical
 * @param referenceCount   non-missing reference values
 * @param currentCount     non-missing current values
 * @param referenceMissing missing reference values (empty, NaN, ±Inf)
 * @param currentMissing   missing current values
 * @param tests            the results of the {@link DriftTests#forKind tests of the column's kind}, in
 *                         registry order
 */
public record ColumnComparison(ColumnKind kind, long referenceCount, long currentCount, long referenceMissing,
                               long currentMissing, Map<DriftTest, TestResult> tests) {

    public ColumnComparison {
        tests = Collections.unmodifiableMap(new TreeMap<>(tests));
    }

    /**
     * Runs every test of the registry that applies to {@code kind}.
     *
     * @param form one test's form (exact or streaming) on the column's data
     */
    public static ColumnComparison of(ColumnKind kind, long refCount, long curCount, long refMissing,
                                      long curMissing, Function<DriftTest, TestResult> form) {
        Map<DriftTest, TestResult> tests = new TreeMap<>();
        for (DriftTest t : DriftTests.forKind(kind)) {
            tests.put(t, form.apply(t));
        }
        return new ColumnComparison(kind, refCount, curCount, refMissing, curMissing, tests);
    }

    /** The result of one test, or null when the test does not apply to this kind of column. */
    public TestResult test(DriftTest test) {
        return tests.get(test);
    }

    /** The tests that apply to a kind of column, in output order: {@link DriftTests#forKind}. */
    public static DriftTest[] testsFor(ColumnKind kind) {
        return DriftTests.forKind(kind).toArray(new DriftTest[0]);
    }

    /** A comparison in which no test could run, each marked undefined with the same reason. */
    public static ColumnComparison undefined(ColumnKind kind, long refCount, long curCount, long refMissing,
                                      long curMissing, String reason) {
        return of(kind, refCount, curCount, refMissing, curMissing, t -> TestResult.undefined(t, reason));
    }

    /** Why a comparison with an empty side cannot run. */
    public static String emptyReason(long refCount, long curCount) {
        if (refCount == 0 && curCount == 0) {
            return "both samples have no non-missing values";
        }
        return (refCount == 0 ? "reference" : "current") + " sample has no non-missing values";
    }
}
