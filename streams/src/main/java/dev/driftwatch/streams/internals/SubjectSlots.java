package dev.driftwatch.streams.internals;

import java.util.Arrays;

/**
 * The subjects of one open window in the order the events name them, so that summarising an event
 * finds its subjects by position (a string comparison each) instead of by hashing every name of every
 * event. Events of one producer name their features in the same order, so almost every look-up hits;
 * a miss falls back to the window's map. Every entry maps a name to the window's own summary of that
 * name (a window never replaces a subject's summary while it is open), so a stale position can only miss.
 */
final class SubjectSlots {
    private final WindowBundle bundle;
    private String[] names = new String[32];
    private SubjectSummary[] summaries = new SubjectSummary[32];
    private int size;

    SubjectSlots(WindowBundle bundle) {
        this.bundle = bundle;
    }

    /** The window these positions are of. */
    WindowBundle bundle() {
        return bundle;
    }

    /** The summary at a position if it is the named subject's, else null. */
    SubjectSummary get(int position, String name) {
        return position < size && names[position].equals(name) ? summaries[position] : null;
    }

    /** Remembers the window's summary of a subject at a position (at most one past the last). */
    void put(int position, String name, SubjectSummary summary) {
        if (position > size) {
            return;
        }
        if (position == names.length) {
            names = Arrays.copyOf(names, 2 * position);
            summaries = Arrays.copyOf(summaries, 2 * position);
        }
        names[position] = name;
        summaries[position] = summary;
        size = Math.max(size, position + 1);
    }
}
