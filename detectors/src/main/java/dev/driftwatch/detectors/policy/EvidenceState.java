package dev.driftwatch.detectors.policy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The sequential part of a subject's alert state, kept by {@link EvidenceRule}: the sufficient figures of the
 * subject's last few windows, so that they can be pooled and tested against the reference together, and how
 * many windows in a row the evidence has been below the resolve level. Immutable.
 *
 * <p>A stored window ({@link Window}) keeps its size, its location and scale placement sums (numeric
 * subjects) and its counts by category group (categorical subjects): a pooled test of the last k windows
 * needs nothing else. Three <b>runs</b> say how many of the stored windows (the newest first) take part in
 * the current run of the location, scale and categorical tests: a run restarts at a window that does not
 * support it, so a change that ends stops counting at once.
 *
 * <p>{@link #toBytes()}: a format version byte (2), the reference size (long) the windows were compared
 * with, the quiet windows (int), the three run lengths (one byte each), the number of stored windows (one
 * byte) and of category groups (short), then per stored window its size (long), location and scale sums
 * (doubles) and its group counts (longs). At most {@link EvidenceRule#MAX_POOLED_WINDOWS} − 1 windows of
 * {@code SummaryEvidence.MAX_GROUPS} groups are stored: 19 + 7 × (24 + 8 × 32) = 1,979 bytes at most for a
 * categorical subject, 187 for a numeric one (19 + 24 per stored window).
 * Version 1 (61 bytes, written before the windows were pooled) is still read: its quiet windows are kept,
 * its exponentially weighted sums are dropped (the sequential evidence starts afresh).
 */
public final class EvidenceState {

    /** The format version written by {@link #toBytes()}. */
    public static final byte FORMAT_VERSION = 2;

    /** The format version of the exponentially weighted state, still read. */
    static final byte FORMAT_VERSION_1 = 1;

    /** The length of a version 1 state. */
    static final int VERSION_1_SIZE = 1 + 8 + 6 * 8 + 4;

    private static final int HEADER_SIZE = 1 + 8 + 4 + 3 + 1 + 2;

    private static final EvidenceState INITIAL = new EvidenceState(0, 0, 0, 0, List.of(), 0);

    /**
     * One stored window.
     *
     * @param count       its non-missing values
     * @param locationSum its location placement sum (0 for categorical subjects)
     * @param scaleSum    its scale placement sum (0 for categorical subjects)
     * @param groupCounts its counts by category group (empty for numeric subjects)
     */
    public record Window(long count, double locationSum, double scaleSum, long[] groupCounts) {
        public Window {
            groupCounts = groupCounts.clone();
        }

        @Override
        public long[] groupCounts() {
            return groupCounts.clone();
        }

        long groupCount(int g) {
            return groupCounts[g];
        }

        boolean isValid() {
            return count >= 0 && Double.isFinite(locationSum) && Double.isFinite(scaleSum)
                    && Arrays.stream(groupCounts).allMatch(c -> c >= 0);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Window w && count == w.count && Double.compare(locationSum, w.locationSum) == 0
                    && Double.compare(scaleSum, w.scaleSum) == 0 && Arrays.equals(groupCounts, w.groupCounts);
        }

        @Override
        public int hashCode() {
            return Objects.hash(count, locationSum, scaleSum, Arrays.hashCode(groupCounts));
        }

        @Override
        public String toString() {
            return "Window{m=" + count + ", location=" + locationSum + ", scale=" + scaleSum
                    + (groupCounts.length > 0 ? ", groups=" + Arrays.toString(groupCounts) : "") + "}";
        }
    }

    private final long referenceCount;
    private final int locationRun;
    private final int scaleRun;
    private final int categoryRun;
    private final List<Window> windows;
    private final int quietWindows;

    EvidenceState(long referenceCount, int locationRun, int scaleRun, int categoryRun, List<Window> windows,
                  int quietWindows) {
        this.referenceCount = referenceCount;
        this.locationRun = locationRun;
        this.scaleRun = scaleRun;
        this.categoryRun = categoryRun;
        this.windows = List.copyOf(windows);
        this.quietWindows = quietWindows;
    }

    /**
     * The state of a subject with no window seen.
     *
     * @return the initial state
     */
    public static EvidenceState initial() {
        return INITIAL;
    }

    /** This state's windows forgotten, its quiet windows kept (another reference, or an older format). */
    EvidenceState withoutWindows() {
        return new EvidenceState(0, 0, 0, 0, List.of(), quietWindows);
    }

    /** This state with another count of quiet windows (the dataset's state keeps no windows). */
    EvidenceState withQuietWindows(int quiet) {
        return new EvidenceState(referenceCount, locationRun, scaleRun, categoryRun, windows, quiet);
    }

    /** The reference size the stored windows were compared with; 0 before the first window. */
    public long referenceCount() {
        return referenceCount;
    }

    /** The stored windows, the newest first (the window being judged is not among them). */
    public List<Window> windows() {
        return windows;
    }

    /** How many of the newest stored windows take part in the location run. */
    public int locationRun() {
        return locationRun;
    }

    /** How many of the newest stored windows take part in the scale run. */
    public int scaleRun() {
        return scaleRun;
    }

    /** How many of the newest stored windows take part in the categorical run. */
    public int categoryRun() {
        return categoryRun;
    }

    /** Windows in a row, up to this one, whose evidence was below the resolve level. */
    public int quietWindows() {
        return quietWindows;
    }

    /** The number of category groups of the stored windows (0 for numeric subjects or none stored). */
    int groups() {
        return windows.isEmpty() ? 0 : windows.get(0).groupCounts.length;
    }

    /**
     * The compact serialised form (see the class description).
     *
     * @return the bytes
     */
    public byte[] toBytes() {
        int groups = groups();
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE + windows.size() * (24 + 8 * groups));
        b.put(FORMAT_VERSION).putLong(referenceCount).putInt(quietWindows).put((byte) locationRun)
                .put((byte) scaleRun).put((byte) categoryRun).put((byte) windows.size()).putShort((short) groups);
        for (Window w : windows) {
            b.putLong(w.count()).putDouble(w.locationSum()).putDouble(w.scaleSum());
            for (long c : w.groupCounts) {
                b.putLong(c);
            }
        }
        return b.array();
    }

    /**
     * Reads a state written by {@link #toBytes()}, in this format or version 1.
     *
     * @param bytes the serialised form
     * @return the state
     * @throws IllegalArgumentException if the bytes are null, of the wrong length or version, or hold
     *     values that no state has (negative sizes or counts, non-finite sums)
     */
    public static EvidenceState fromBytes(byte[] bytes) {
        if (bytes != null && bytes.length == VERSION_1_SIZE && bytes[0] == FORMAT_VERSION_1) {
            int quiet = ByteBuffer.wrap(bytes, VERSION_1_SIZE - 4, 4).getInt();
            if (quiet < 0) {
                throw new IllegalArgumentException("evidence state holds impossible values: quiet windows " + quiet);
            }
            return INITIAL.withQuietWindows(quiet);
        }
        if (bytes == null || bytes.length < HEADER_SIZE || bytes[0] != FORMAT_VERSION) {
            throw new IllegalArgumentException("evidence state of " + (bytes == null ? "null" : bytes.length + " bytes")
                    + " is not readable; expected format version " + FORMAT_VERSION + " (at least " + HEADER_SIZE
                    + " bytes) or version " + FORMAT_VERSION_1 + " (" + VERSION_1_SIZE + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        long n = b.getLong();
        int quiet = b.getInt();
        int locationRun = b.get();
        int scaleRun = b.get();
        int categoryRun = b.get();
        int stored = b.get();
        int groups = b.getShort();
        if (stored < 0 || groups < 0 || bytes.length != HEADER_SIZE + stored * (24 + 8 * groups)) {
            throw new IllegalArgumentException("evidence state of " + bytes.length + " bytes does not hold " + stored
                    + " windows of " + groups + " groups");
        }
        List<Window> windows = new ArrayList<>(stored);
        for (int i = 0; i < stored; i++) {
            long count = b.getLong();
            double location = b.getDouble();
            double scale = b.getDouble();
            long[] counts = new long[groups];
            for (int g = 0; g < groups; g++) {
                counts[g] = b.getLong();
            }
            windows.add(new Window(count, location, scale, counts));
        }
        EvidenceState s = new EvidenceState(n, locationRun, scaleRun, categoryRun, windows, quiet);
        boolean runsFit = Math.min(locationRun, Math.min(scaleRun, categoryRun)) >= 0
                && Math.max(locationRun, Math.max(scaleRun, categoryRun)) <= stored;
        if (n < 0 || quiet < 0 || !runsFit || !windows.stream().allMatch(Window::isValid)) {
            throw new IllegalArgumentException("evidence state holds impossible values: " + s);
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof EvidenceState)) {
            return false;
        }
        EvidenceState that = (EvidenceState) o;
        return referenceCount == that.referenceCount && quietWindows == that.quietWindows
                && locationRun == that.locationRun && scaleRun == that.scaleRun && categoryRun == that.categoryRun
                && windows.equals(that.windows);
    }

    @Override
    public int hashCode() {
        return Objects.hash(referenceCount, locationRun, scaleRun, categoryRun, windows, quietWindows);
    }

    @Override
    public String toString() {
        return "EvidenceState{n=" + referenceCount + ", runs=" + locationRun + "/" + scaleRun + "/" + categoryRun
                + ", windows=" + windows + ", quiet=" + quietWindows + "}";
    }
}
