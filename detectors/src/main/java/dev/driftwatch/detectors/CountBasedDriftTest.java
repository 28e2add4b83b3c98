package dev.driftwatch.detectors;

import java.util.Set;

/**
 * A drift test computed from bin or category counts only. A window keeps exact counts on the
 * baseline's frozen bins, so the streaming form is the exact form on those bins: error bound 0.
 */
abstract class CountBasedDriftTest extends DriftTest {

    CountBasedDriftTest(String id, String name, Kind kind, Set<ColumnKind> columns) {
        super(id, name, kind, columns);
    }

    /**
     * The test on aligned counts.
     *
     * @param reference the reference's counts per bin or category
     * @param current   the current counts, aligned with {@code reference}
     * @return the result
     */
    abstract TestResult onCounts(long[] reference, long[] current);

    @Override
    public final TestResult exact(ExactInput input) {
        return onCounts(input.referenceCounts(), input.currentCounts());
    }

    @Override
    public final TestResult streaming(StreamingInput input) {
        return onCounts(input.referenceCounts(), input.currentCounts());
    }
}
