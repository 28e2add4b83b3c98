package dev.driftwatch.detectors.policy;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The alert state of one subject (a feature, output, SLI or dataset of one model version): whether
 * its alert is firing, and which of its last 64 windows drifted. Immutable; a new state comes from
 * {@link Persistence#next(PersistenceState, Severity)}.
 *
 * <p>The history does not depend on the persistence rule, so a policy change of m or n applies
 * at once to the windows already seen. Windows before the first one observed count as not
 * drifted.
 *
 * <p>{@link #toBytes()} gives a compact, versioned form for a Kafka state store:
 * <pre>
 *   byte 0      format version (1)
 *   byte 1      flags: bit 0 = firing; other bits 0
 *   byte 2      windows observed, capped at 64
 *   bytes 3..10 history, big-endian long: bit 0 = the latest window, bit k = k windows before it;
 *               1 = drifted; bits at or above the windows observed are 0
 * </pre>
 */
public final class PersistenceState {

    /** The most windows a state remembers, and so the largest n of an m-of-n rule. */
    public static final int MAX_WINDOWS = 64;

    /** The format version written by {@link #toBytes()}. */
    public static final byte FORMAT_VERSION = 1;

    /** The length of {@link #toBytes()} in format version 1. */
    public static final int SERIALIZED_SIZE = 11;

    private static final int FLAG_FIRING = 1;
    private static final PersistenceState INITIAL = new PersistenceState(0L, 0, false);

    private final long history;
    private final int windowsObserved;
    private final boolean firing;

    private PersistenceState(long history, int windowsObserved, boolean firing) {
        this.history = history;
        this.windowsObserved = windowsObserved;
        this.firing = firing;
    }

    /**
     * The state of a subject with no window seen yet: not firing, empty history.
     *
     * @return the initial state
     */
    public static PersistenceState initial() {
        return INITIAL;
    }

    /** The state after one more window; the caller decides firing. */
    PersistenceState observe(boolean drifted, boolean firingAfter) {
        long shifted = (history << 1) | (drifted ? 1L : 0L);
        int observed = Math.min(windowsObserved + 1, MAX_WINDOWS);
        return new PersistenceState(shifted, observed, firingAfter);
    }

    /**
     * Whether the subject's alert is firing (a FIRING was emitted and no RESOLVED since).
     *
     * @return true while firing
     */
    public boolean isFiring() {
        return firing;
    }

    /**
     * Which of the last windows drifted: bit 0 is the latest window, bit k the window k before it.
     *
     * @return the history bits; only the lowest {@link #windowsObserved()} bits can be set
     */
    public long history() {
        return history;
    }

    /**
     * How many windows this state has seen, capped at {@link #MAX_WINDOWS}.
     *
     * @return a count in [0, 64]
     */
    public int windowsObserved() {
        return windowsObserved;
    }

    /**
     * The number of drifted windows among the last {@code n}.
     *
     * @param n how many recent windows to look at, in [1, 64]
     * @return a count in [0, n]
     * @throws IllegalArgumentException if {@code n} is outside [1, 64]
     */
    public int driftedInLast(int n) {
        if (n < 1 || n > MAX_WINDOWS) {
            throw new IllegalArgumentException("window count n " + n + " is not allowed; expected 1 <= n <= "
                    + MAX_WINDOWS);
        }
        long mask = n == MAX_WINDOWS ? -1L : (1L << n) - 1;
        return Long.bitCount(history & mask);
    }

    /**
     * The compact serialised form, {@value #SERIALIZED_SIZE} bytes (see the class description).
     *
     * @return a new byte array
     */
    public byte[] toBytes() {
        return ByteBuffer.allocate(SERIALIZED_SIZE)
                .put(FORMAT_VERSION)
                .put((byte) (firing ? FLAG_FIRING : 0))
                .put((byte) windowsObserved)
                .putLong(history)
                .array();
    }

    /**
     * Reads a state written by {@link #toBytes()}.
     *
     * @param bytes the serialised form
     * @return the state
     * @throws IllegalArgumentException if the bytes are null, of the wrong length, of an unknown
     *     format version, or inconsistent (unknown flags, more than 64 windows, history bits beyond
     *     the windows observed)
     */
    public static PersistenceState fromBytes(byte[] bytes) {
        if (bytes == null) {
            throw new IllegalArgumentException("persistence state bytes must not be null");
        }
        if (bytes.length < 1 || bytes[0] != FORMAT_VERSION) {
            throw new IllegalArgumentException("persistence state format version "
                    + (bytes.length < 1 ? "missing" : String.valueOf(bytes[0]))
                    + " is not supported; expected " + FORMAT_VERSION);
        }
        if (bytes.length != SERIALIZED_SIZE) {
            throw new IllegalArgumentException("persistence state has " + bytes.length
                    + " bytes; expected " + SERIALIZED_SIZE + " for format version " + FORMAT_VERSION);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 1, SERIALIZED_SIZE - 1);
        int flags = buffer.get() & 0xFF;
        int observed = buffer.get() & 0xFF;
        long history = buffer.getLong();
        if ((flags & ~FLAG_FIRING) != 0) {
            throw new IllegalArgumentException("persistence state flags " + flags
                    + " hold unknown bits; expected 0 or " + FLAG_FIRING);
        }
        if (observed > MAX_WINDOWS) {
            throw new IllegalArgumentException("persistence state windows observed " + observed
                    + " is not allowed; expected at most " + MAX_WINDOWS);
        }
        if (observed < MAX_WINDOWS && (history >>> observed) != 0L) {
            throw new IllegalArgumentException("persistence state history 0x" + Long.toHexString(history)
                    + " has bits beyond the " + observed + " windows observed");
        }
        return new PersistenceState(history, observed, (flags & FLAG_FIRING) != 0);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PersistenceState)) {
            return false;
        }
        PersistenceState that = (PersistenceState) o;
        return history == that.history && windowsObserved == that.windowsObserved
                && firing == that.firing;
    }

    @Override
    public int hashCode() {
        return Objects.hash(history, windowsObserved, firing);
    }

    @Override
    public String toString() {
        StringBuilder bits = new StringBuilder();
        for (int k = windowsObserved - 1; k >= 0; k--) {
            bits.append(((history >>> k) & 1L) != 0 ? 'D' : 'N');
        }
        return "PersistenceState{" + (firing ? "FIRING" : "QUIET") + ", oldest..latest=" + bits + "}";
    }
}
