package dev.driftwatch.detectors.slo;

import dev.driftwatch.detectors.summary.Varint;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The good and total events of the latest windows of one objective, in a ring of fixed capacity: one
 * slot per window step (the windows' advance), enough for the longest long window of the burn-rate
 * rules. Windows are identified by their step index (window end / advance); a step without a window
 * (no traffic) counts as nothing. Bounded whatever the traffic or the time covered.
 *
 * <p>The history knows the step size it was filled with ({@link #stepMillis()}): its step indices mean
 * nothing under another advance, so a caller whose advance changed starts a new history
 * ({@link #matches}).
 */
public final class BudgetHistory {
    private static final byte FORMAT_VERSION = 2;
    /** The format before the step size was stored; read with {@link #UNKNOWN_STEP}. */
    private static final byte FORMAT_VERSION_WITHOUT_STEP = 1;
    /** The step size of a history written before it was stored: it matches no advance. */
    public static final long UNKNOWN_STEP = 0;

    private final long[] good;
    private final long[] total;
    private final long stepMillis;
    /** Step index of the newest window recorded, or Long.MIN_VALUE while empty. */
    private long newest = Long.MIN_VALUE;

    /**
     * An empty history.
     *
     * @param capacity   steps kept, &ge; 1 (the longest long window divided by the window advance)
     * @param stepMillis the window advance the step indices are counted in, &gt; 0 (or {@link #UNKNOWN_STEP}
     *                   for a history read from the old format)
     */
    public BudgetHistory(int capacity, long stepMillis) {
        if (capacity < 1) {
            throw new IllegalArgumentException("budget history capacity must be >= 1, got " + capacity);
        }
        if (stepMillis < 0) {
            throw new IllegalArgumentException("budget history step must be > 0 ms, got " + stepMillis);
        }
        good = new long[capacity];
        total = new long[capacity];
        this.stepMillis = stepMillis;
    }

    /** The window advance, in ms, that the step indices count; {@link #UNKNOWN_STEP} for an old history. */
    public long stepMillis() {
        return stepMillis;
    }

    /** Whether the history was filled with windows of this advance, so that its steps can go on. */
    public boolean matches(long advanceMillis) {
        return stepMillis == advanceMillis;
    }

    /** Steps kept. */
    public int capacity() {
        return good.length;
    }

    /** Step index of the newest window recorded, or {@code Long.MIN_VALUE} while empty. */
    public long newest() {
        return newest;
    }

    /**
     * Records a window's counts. A window newer than the newest moves the ring on (the steps in between
     * become empty); an older one still inside the ring is added to its step; one older than the ring
     * holds is ignored and false is returned.
     *
     * @param step    the window's step index (window end / advance)
     * @param goodN   good events, 0 &le; good &le; total
     * @param totalN  all events judged
     * @return whether the counts were kept
     */
    public boolean record(long step, long goodN, long totalN) {
        if (goodN < 0 || totalN < goodN) {
            throw new IllegalArgumentException("need 0 <= good <= total, got good " + goodN + " of " + totalN);
        }
        if (newest == Long.MIN_VALUE) {
            newest = step;
        } else if (step > newest) {
            long gap = Math.min(step - newest, good.length);
            for (long s = step - gap + 1; s <= step; s++) {
                int i = slot(s);
                good[i] = 0;
                total[i] = 0;
            }
            newest = step;
        } else if (step <= newest - good.length) {
            return false;
        }
        int i = slot(step);
        good[i] += goodN;
        total[i] += totalN;
        return true;
    }

    private int slot(long step) {
        return (int) Math.floorMod(step, (long) good.length);
    }

    /** Good events of the newest {@code steps} steps (all kept steps when more are asked for). */
    public long good(int steps) {
        return sum(good, steps);
    }

    /** All events of the newest {@code steps} steps (all kept steps when more are asked for). */
    public long total(int steps) {
        return sum(total, steps);
    }

    private long sum(long[] values, int steps) {
        if (newest == Long.MIN_VALUE) {
            return 0;
        }
        long sum = 0;
        for (int k = 0; k < Math.min(steps, good.length); k++) {
            sum += values[slot(newest - k)];
        }
        return sum;
    }

    /** A copy with another capacity, keeping the newest steps that fit (for changed rules). */
    public BudgetHistory resized(int capacity) {
        BudgetHistory h = new BudgetHistory(capacity, stepMillis);
        if (newest == Long.MIN_VALUE) {
            return h;
        }
        for (long s = newest - Math.min(capacity, good.length) + 1; s <= newest; s++) {
            h.record(s, good[slot(s)], total[slot(s)]);
        }
        return h;
    }

    /** Writes the history (capacity, step size, newest step, then the counts from the oldest step on). */
    public void write(DataOutput out) throws IOException {
        out.writeByte(FORMAT_VERSION);
        out.writeInt(good.length);
        out.writeLong(stepMillis);
        out.writeLong(newest);
        if (newest == Long.MIN_VALUE) {
            return;
        }
        for (long s = newest - good.length + 1; s <= newest; s++) {
            Varint.write(out, good[slot(s)]);
            Varint.write(out, total[slot(s)]);
        }
    }

    /**
     * Reads a history written by {@link #write}. One of the first format (without the step size) comes back
     * with {@link #UNKNOWN_STEP}, which matches no advance.
     */
    public static BudgetHistory read(DataInput in) throws IOException {
        byte version = in.readByte();
        if (version != FORMAT_VERSION && version != FORMAT_VERSION_WITHOUT_STEP) {
            throw new IOException("unknown budget history format version " + version);
        }
        int capacity = in.readInt();
        if (capacity < 1 || capacity > 10_000_000) {
            throw new IOException("corrupt budget history: capacity " + capacity);
        }
        long stepMillis = version == FORMAT_VERSION ? in.readLong() : UNKNOWN_STEP;
        if (stepMillis < 0) {
            throw new IOException("corrupt budget history: step " + stepMillis + " ms");
        }
        BudgetHistory h = new BudgetHistory(capacity, stepMillis);
        h.newest = in.readLong();
        if (h.newest == Long.MIN_VALUE) {
            return h;
        }
        for (long s = h.newest - capacity + 1; s <= h.newest; s++) {
            h.good[h.slot(s)] = Varint.read(in);
            h.total[h.slot(s)] = Varint.read(in);
        }
        return h;
    }
}
