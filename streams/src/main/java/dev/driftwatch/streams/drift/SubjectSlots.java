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
 *
 * <p>An event's numeric features ({@link #addNumerics}) may be held back here, column by column, and added to their
 * summaries {@value #HELD} events at a time ({@link NumericSummary#addAll(double[], int, int)}): the summaries of
 * one event are some 20 different ones of 10 KB each, whose grids and cells are not in the cache when values
 * come one event at a time. Each summary gets its values in the order they came, so its state is bit for bit
 * the same; the window lands them before anything reads or changes its subjects ({@link WindowBundle#holdAdds}),
 * and so do these positions before a value goes to a summary by any other way.
 */
final class SubjectSlots {
    /** How many events' numeric values a window holds back at most. */
    static final int HELD = 64;
    /**
     * The most numeric features an event may have for its values to be held back ({@value #HELD} events of this many
     * take 128 KB): events with more add theirs at once, so that the holding windows' memory stays bounded whatever
     * {@code max.features} allows.
     */
    static final int MAX_HELD_FEATURES = 256;
    private final WindowBundle bundle;
    private String[] names = new String[32];
    private SubjectSummary[] summaries = new SubjectSummary[32];
    /** The numeric summary at each position that holds one (one object fewer to reach per value), else null. */
    private NumericSummary[] numerics = new NumericSummary[32];
    private int size;
    /** The event shape whose subjects all sit at their positions here, or -1 (see {@link #fitsShape}). */
    private long shape = -1;
    /** Whether these positions may hold values back at all (the observer bounds the memory held). */
    private final boolean holds;
    /**
     * Values held back: those of position p (&lt; {@link #heldWidth}) at {@code p * HELD} on, {@link #heldEvents}
     * of them; null until the first.
     */
    private double[] held;
    private int heldWidth;
    private int heldEvents;
    private final Runnable land = this::land;

    /**
     * @param holds whether numeric values may be held back (see the class comment)
     */
    SubjectSlots(WindowBundle bundle, boolean holds) {
        this.bundle = bundle;
        this.holds = holds;
    }

    /** Whether these positions may hold values back. */
    boolean holds() {
        return holds;
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
        land();
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

    /**
     * Adds the numeric features of an event of the shape these positions fit, the i-th at position i, holding them
     * back when they can be (see the class comment).
     */
    void addNumerics(EventFeatures features) {
        int n = features.numericCount();
        if (!holds || n > size || n > MAX_HELD_FEATURES) {
            for (int i = 0; i < n; i++) {
                add(i, features.numericValue(i));
            }
            return;
        }
        if (n != heldWidth) {
            land();
            heldWidth = n;
            if (held == null || held.length < n * HELD) {
                held = new double[n * HELD]; // kept when an event of fewer features comes
            }
        }
        double[] column = held;
        int row = heldEvents;
        for (int i = 0; i < n; i++) {
            double v = features.numericValue(i);
            if (numerics[i] != null) {
                column[i * HELD + row] = v;
            } else {
                summaries[i].add(v); // no cells to keep warm: counted at once
            }
        }
        if (row == 0) {
            bundle.holdAdds(land);
        }
        heldEvents = row + 1;
        if (row + 1 == HELD || !roomForHeld(row + 1)) {
            land();
        }
    }

    /**
     * Whether every summary held for can take {@value #HELD} values more than it holds and the held ones without a
     * cell passing what it counts ({@link Integer#MAX_VALUE}): a summary refuses the value that would, and held
     * values would then fail later, not with their event. Nearly always true.
     */
    private boolean roomForHeld(int events) {
        if (events > 1) {
            return true; // checked with the first event held
        }
        for (int i = 0; i < heldWidth; i++) {
            NumericSummary s = numerics[i];
            if (s != null && s.count() > Integer.MAX_VALUE - 2L * HELD) {
                return false;
            }
        }
        return true;
    }

    /** Adds the values held back to their summaries, each summary's in the order they came. */
    void land() {
        int n = heldEvents;
        if (n == 0) {
            return;
        }
        heldEvents = 0;
        double[] column = held;
        for (int i = 0; i < heldWidth; i++) {
            NumericSummary s = numerics[i];
            if (s != null) {
                s.addAll(column, i * HELD, i * HELD + n);
            }
        }
    }

    /** Remembers the window's summary of a subject at a position (at most one past the last). */
    void put(int position, String name, SubjectSummary summary) {
        if (position > size) {
            return;
        }
        land();
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
