package dev.driftwatch.streams.replay;

import java.util.ArrayList;
import java.util.List;

/** Records that could not be read: how many, and the first few with where they were and why. */
public final class BadRecords {
    /** How many problems are kept for the report. */
    public static final int KEPT = 5;

    private final List<String> first = new ArrayList<>();
    private long count;

    /** Counts one bad record at {@code where} (e.g. "line 12"), keeping the first {@link #KEPT} reasons. */
    public void add(String where, String reason) {
        count++;
        if (first.size() < KEPT) {
            first.add(where + ": " + reason);
        }
    }

    public long count() {
        return count;
    }

    /** The first {@link #KEPT} problems, as {@code where: reason}. */
    public List<String> first() {
        return List.copyOf(first);
    }
}
