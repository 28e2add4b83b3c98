package dev.driftwatch.detectors;

import java.util.Objects;

/**
 * What the streaming form of a drift test reads of two window summaries on the same frozen grid:
 * exact bin or category counts, and, for a numeric column, the grid summaries themselves. Both sides
 * are non-empty.
 *
 * @param kind            numeric or categorical
 * @param referenceCounts the reference's exact counts on the frozen bins (numeric) or on the union of
 *                        categories (categorical)
 * @param currentCounts   the current window's counts, aligned with {@code referenceCounts}
 * @param reference       the reference's grid summary (numeric), or null (categorical)
 * @param current         the current window's grid summary on the same grid (numeric), or null
 * @param referenceHeld   {@code reference}'s non-empty cells, or null
 * @param currentHeld     {@code current}'s non-empty cells, or null; with both, the numeric tests walk these
 *                        instead of every cell of the grid, to the same results bit for bit
 *
 * <p>Read-only: the tests only read it, and a baseline's reference counts and summary are shared by every
 * window compared with it, on every thread.
 */
public record StreamingInput(ColumnKind kind, long[] referenceCounts, long[] currentCounts, GridCells reference,
                             GridCells current, HeldCells referenceHeld, HeldCells currentHeld) {

    /** An input without the summaries' non-empty cells: the tests walk every cell of the grid. */
    public StreamingInput(ColumnKind kind, long[] referenceCounts, long[] currentCounts, GridCells reference,
                          GridCells current) {
        this(kind, referenceCounts, currentCounts, reference, current, null, null);
    }

    /** Whether the input holds both summaries' non-empty cells. */
    public boolean hasHeldCells() {
        return referenceHeld != null && currentHeld != null;
    }

    public StreamingInput {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(referenceCounts, "referenceCounts");
        Objects.requireNonNull(currentCounts, "currentCounts");
        if (kind == ColumnKind.NUMERIC && (reference == null || current == null)) {
            throw new IllegalArgumentException("a numeric comparison needs both grid summaries");
        }
        if ((referenceHeld != null || currentHeld != null) && (reference == null || current == null)) {
            throw new IllegalArgumentException("non-empty cells without the grid summaries they are of");
        }
    }
}
