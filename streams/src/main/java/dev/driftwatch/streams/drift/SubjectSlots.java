package dev.driftwatch.streams.drift;

import dev.driftwatch.detectors.summary.NumericSummary;
import dev.driftwatch.streams.internals.EventFeatures;
import dev.driftwatch.streams.internals.SubjectSummary;
import dev.driftwatch.streams.internals.WindowBundle;

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
    /** The numeric summary at each position that holds one (one object fewer to reach per value), else null. */
    private NumericSummary[] numerics = new NumericSummary[32];
    private int size;
    /** The event shape whose subjects all sit at their positions here, or -1 (see {@link #fitsShape}). */
    private long shape = -1;

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

    /**
     * Whether every subject of events of this shape (the same names in the same order, see
     * {@link EventFeatures#shape}) is at its position, so that {@link #at} needs no name comparison.
     */
    boolean fitsShape(long eventShape) {
        return shape == eventShape;
    }

    /** Records that every subject of events of this shape has just been found at its position. */
    void fitShape(long eventShape) {
        shape = eventShape;
    }

    /** The summary at a position, for an event of the shape these positions fit. */
    SubjectSummary at(int position) {
        return summaries[position];
    }

    /** Adds a numeric value to the subject at a position, for an event of the shape these positions fit. */
    void add(int position, double v) {
        NumericSummary numeric = numerics[position];
        if (numeric != null) {
            numeric.add(v);
        } else {
            summaries[position].add(v);
        }
    }

    /** Remembers the window's summary of a subject at a position (at most one past the last). */
    void put(int position, String name, SubjectSummary summary) {
        if (position > size) {
            return;
        }
        shape = -1;
        if (position == names.length) {
            names = Arrays.copyOf(names, 2 * position);
            summaries = Arrays.copyOf(summaries, 2 * position);
            numerics = Arrays.copyOf(numerics, 2 * position);
        }
        names[position] = name;
        summaries[position] = summary;
        numerics[position] = summary.kind() == SubjectSummary.Kind.NUMERIC ? summary.numericSummary() : null;
        size = Math.max(size, position + 1);
    }
}
