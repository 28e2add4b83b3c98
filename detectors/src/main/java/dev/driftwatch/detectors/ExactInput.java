package dev.driftwatch.detectors;

import java.util.Objects;

/**
 * What the exact form of a drift test reads of a reference and a current sample, missing values
 * already left out. Both sides are non-empty.
 *
 * @param kind             numeric or categorical
 * @param referenceCounts  the reference's counts on the reference's quantile bins (numeric) or on the
 *                         union of categories (categorical)
 * @param currentCounts    the current sample's counts, aligned with {@code referenceCounts}
 * @param reference        the reference's values sorted ascending (numeric), or null (categorical)
 * @param current          the current values sorted ascending (numeric), or null (categorical)
 */
public record ExactInput(ColumnKind kind, long[] referenceCounts, long[] currentCounts, double[] reference,
                         double[] current) {

    public ExactInput {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(referenceCounts, "referenceCounts");
        Objects.requireNonNull(currentCounts, "currentCounts");
        if (kind == ColumnKind.NUMERIC && (reference == null || current == null)) {
            throw new IllegalArgumentException("a numeric comparison needs both sorted samples");
        }
    }
}
