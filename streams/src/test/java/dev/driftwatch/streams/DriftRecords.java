package dev.driftwatch.streams;

import dev.driftwatch.schemas.avro.WindowStats;

import java.util.Set;

/**
 * Tells the drift records on the window-stats topic from the other records beside them: with the data-quality
 * checks on (the default), every feature and output has a second record per window (subject kind DATA_QUALITY,
 * same key), so tests that expect one record per subject and window look only at the drift records.
 */
public final class DriftRecords {
    /** The subject kinds of the drift signal's records. */
    public static final Set<String> KINDS = Set.of("feature", "output", "operational", "outcome");

    private DriftRecords() {
    }

    /** Whether {@code s} is a drift record (feature, output, operational or outcome). */
    public static boolean isDrift(WindowStats s) {
        return KINDS.contains(String.valueOf(s.getSubjectKind()));
    }
}
