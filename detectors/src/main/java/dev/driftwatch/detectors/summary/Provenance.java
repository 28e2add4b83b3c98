package dev.driftwatch.detectors.summary;

import java.util.Objects;

/**
 * Where a baseline came from, so that an alert can be explained.
 *
 * @param source      what it was built from, e.g. {@code "file:train.csv"} or {@code "windows:inference-events"}
 * @param fromMillis  start of the event-time range it covers (epoch ms), or null when unknown
 * @param toMillis    end of that range (exclusive), or null
 * @param contentHash SHA-256 (hex) of the baseline's serialised statistics: equal hashes, equal baselines
 */
public record Provenance(String source, Long fromMillis, Long toMillis, String contentHash) {
    public Provenance {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(contentHash, "contentHash");
        if (fromMillis != null && toMillis != null && toMillis < fromMillis) {
            throw new IllegalArgumentException("provenance range ends (" + toMillis + ") before it starts ("
                    + fromMillis + ")");
        }
    }
}
