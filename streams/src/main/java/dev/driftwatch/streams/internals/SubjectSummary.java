package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.BinEdges;
import dev.driftwatch.detectors.Missing;
import dev.driftwatch.detectors.summary.CategoricalSummary;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.detectors.summary.NumericSummary;
import dev.driftwatch.detectors.summary.Varint;

import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The window state of one subject (a feature or an output) of one model version: a numeric summary on
 * its baseline's grid, a categorical summary, or — for a numeric subject without a baseline yet — only
 * its counts. Bounded in size whatever the traffic, and mergeable with the same subject's state from
 * another partition.
 */
public final class SubjectSummary {
    /** What the state holds. */
    public enum Kind {
        NUMERIC, CATEGORICAL, NUMERIC_WITHOUT_BASELINE
    }

    private final Kind kind;
    private final String baselineId;
    private final NumericSummary numeric;
    private final CategoricalSummary categorical;
    private long count;
    private long missing;
    /** Counts changed since the last {@link #clearChanges()} (a subject without a baseline). */
    private boolean changed;
    /**
     * The window-state store holds this object's state (in a window's base or a patch): its next patch may
     * hold its changes alone. False for an object built since: its window is then written as a base.
     */
    boolean journaled;

    private SubjectSummary(Kind kind, String baselineId, NumericSummary numeric, CategoricalSummary categorical) {
        this.kind = kind;
        this.baselineId = baselineId;
        this.numeric = numeric;
        this.categorical = categorical;
    }

    public static SubjectSummary numeric(String baselineId, NumericSummary empty) {
        return new SubjectSummary(Kind.NUMERIC, baselineId, empty, null);
    }

    public static SubjectSummary categorical(String baselineId, CategoricalSummary empty) {
        return new SubjectSummary(Kind.CATEGORICAL, baselineId, null, empty);
    }

    public static SubjectSummary numericWithoutBaseline() {
        return new SubjectSummary(Kind.NUMERIC_WITHOUT_BASELINE, null, null, null);
    }

    public void add(double v) {
        switch (kind) {
            case NUMERIC -> numeric.add(v);
            case NUMERIC_WITHOUT_BASELINE -> {
                changed = true;
                if (Missing.isMissing(v)) {
                    missing++;
                } else {
                    count++;
                }
            }
            case CATEGORICAL -> categorical.add(Missing.isMissing(v) ? null : Double.toString(v));
        }
    }

    public void add(String v) {
        if (kind == Kind.CATEGORICAL) {
            categorical.add(v);
        } else if (Missing.isMissing(v)) {
            addMissing();
        } else {
            // A categorical value for a numeric subject: counted as missing rather than guessed at.
            addMissing();
        }
    }

    public void addMissing() {
        switch (kind) {
            case NUMERIC -> numeric.add(Double.NaN);
            case NUMERIC_WITHOUT_BASELINE -> {
                changed = true;
                missing++;
            }
            case CATEGORICAL -> categorical.add((String) null);
        }
    }

    /**
     * Merges the same subject's state from another partition. States on different baselines (a
     * baseline replaced during the window) cannot be merged: the one with more values is kept.
     */
    public SubjectSummary merge(SubjectSummary other) {
        if (kind != other.kind || !java.util.Objects.equals(baselineId, other.baselineId)
                || (kind == Kind.NUMERIC && numeric.grid().fingerprint() != other.numeric.grid().fingerprint())) {
            return other.count() > count() ? other : this;
        }
        switch (kind) {
            case NUMERIC -> numeric.merge(other.numeric);
            case CATEGORICAL -> categorical.merge(other.categorical);
            case NUMERIC_WITHOUT_BASELINE -> {
                count += other.count;
                missing += other.missing;
                changed = true;
            }
        }
        return this;
    }

    public Kind kind() {
        return kind;
    }

    /** The baseline the state was built on, or null. */
    public String baselineId() {
        return baselineId;
    }

    public NumericSummary numericSummary() {
        return numeric;
    }

    public CategoricalSummary categoricalSummary() {
        return categorical;
    }

    /** Non-missing values. */
    public long count() {
        return switch (kind) {
            case NUMERIC -> numeric.count();
            case CATEGORICAL -> categorical.count();
            case NUMERIC_WITHOUT_BASELINE -> count;
        };
    }

    /** Missing values. */
    public long missing() {
        return switch (kind) {
            case NUMERIC -> numeric.missing();
            case CATEGORICAL -> categorical.missing();
            case NUMERIC_WITHOUT_BASELINE -> missing;
        };
    }

    /** Whether the state changed since it was built, read back or last {@link #clearChanges() cleared}. */
    boolean hasChanges() {
        return switch (kind) {
            case NUMERIC -> numeric.hasChanges();
            case CATEGORICAL -> categorical.hasChanges();
            case NUMERIC_WITHOUT_BASELINE -> changed;
        };
    }

    /** Forgets what changed (it was written). */
    void clearChanges() {
        switch (kind) {
            case NUMERIC -> numeric.clearChanges();
            case CATEGORICAL -> categorical.clearChanges();
            case NUMERIC_WITHOUT_BASELINE -> changed = false;
        }
    }

    /**
     * Writes what changed since the last {@link #clearChanges()}, as absolute values (the changed cells or
     * categories and the small fields); {@link #applyChanges} on the state as it was then gives this state
     * exactly.
     */
    void writeChanges(DataOutput out) throws IOException {
        writeChanges(out, false);
    }

    /**
     * The same; {@code compact} for the form of {@link WindowBundle#writeChanges}'s compact patches: a numeric
     * subject's open-cell sums coded as in its compact bytes ({@link NumericSummary#writeCompactChanges}), the
     * counts of a subject without a baseline as varints.
     */
    void writeChanges(DataOutput out, boolean compact) throws IOException {
        switch (kind) {
            case NUMERIC -> {
                if (compact) {
                    numeric.writeCompactChanges(out);
                } else {
                    numeric.writeChanges(out);
                }
            }
            case CATEGORICAL -> categorical.writeChanges(out);
            case NUMERIC_WITHOUT_BASELINE -> {
                if (compact) {
                    Varint.write(out, count);
                    Varint.write(out, missing);
                } else {
                    out.writeLong(count);
                    out.writeLong(missing);
                }
            }
        }
    }

    /** Sets what {@link #writeChanges} wrote. */
    void applyChanges(DataInputStream in) throws IOException {
        applyChanges(in, false);
    }

    /** Sets what {@link #writeChanges(DataOutput, boolean)} wrote, in the same form. */
    void applyChanges(DataInputStream in, boolean compact) throws IOException {
        switch (kind) {
            case NUMERIC -> {
                if (compact) {
                    numeric.applyCompactChanges(in);
                } else {
                    numeric.applyChanges(in);
                }
            }
            case CATEGORICAL -> categorical.applyChanges(in);
            case NUMERIC_WITHOUT_BASELINE -> {
                count = compact ? Varint.read(in) : in.readLong();
                missing = compact ? Varint.read(in) : in.readLong();
            }
        }
    }

    /** Flag on the kind byte: the grid is held apart and written as its fingerprint only. */
    private static final int GRID_APART = 0x40;

    void write(DataOutput out) throws IOException {
        write(out, null);
    }

    /**
     * Writes the state; with {@code gridsApart} not null a numeric subject writes only its grid's
     * fingerprint and puts the grid into {@code gridsApart} for the caller to keep (once, not per window).
     */
    void write(DataOutput out, Map<Long, NumericGrid> gridsApart) throws IOException {
        boolean apart = gridsApart != null && kind == Kind.NUMERIC;
        out.writeByte(kind.ordinal() | (apart ? GRID_APART : 0));
        out.writeUTF(baselineId == null ? "" : baselineId);
        switch (kind) {
            case NUMERIC -> {
                if (apart) {
                    out.writeLong(numeric.grid().fingerprint());
                    gridsApart.put(numeric.grid().fingerprint(), numeric.grid());
                } else {
                    writeGrid(out, numeric.grid());
                }
                // Compact (format 3): about a third of the fixed-size form; both are read back.
                byte[] bytes = numeric.toCompactBytes();
                out.writeInt(bytes.length);
                out.write(bytes);
            }
            case CATEGORICAL -> {
                byte[] bytes = categorical.toBytes();
                out.writeInt(bytes.length);
                out.write(bytes);
            }
            case NUMERIC_WITHOUT_BASELINE -> {
                out.writeLong(count);
                out.writeLong(missing);
            }
        }
    }

    static SubjectSummary read(DataInputStream in) throws IOException {
        return read(in, null);
    }

    /**
     * The form of a partial of format 5 ({@link WindowBundle#writePartial}): the kind, the baseline id, then a
     * numeric subject's grid as its index in the partial's table of grids ({@code gridIndex}) and its summary
     * in the compact form (version 3), a categorical subject's summary, or the counts; lengths and counts as
     * varints.
     */
    void writePartial(DataOutput out, java.util.function.ToIntFunction<NumericGrid> gridIndex)
            throws IOException {
        out.writeByte(kind.ordinal());
        out.writeUTF(baselineId == null ? "" : baselineId);
        switch (kind) {
            case NUMERIC -> {
                Varint.write(out, gridIndex.applyAsInt(numeric.grid()));
                byte[] bytes = numeric.toCompactBytes();
                Varint.write(out, bytes.length);
                out.write(bytes);
            }
            case CATEGORICAL -> {
                byte[] bytes = categorical.toBytes();
                Varint.write(out, bytes.length);
                out.write(bytes);
            }
            case NUMERIC_WITHOUT_BASELINE -> {
                Varint.write(out, count);
                Varint.write(out, missing);
            }
        }
    }

    /** Reads what {@link #writePartial} wrote, the partial's grids being {@code grids} (every one held). */
    static SubjectSummary readPartial(DataInputStream in, NumericGrid[] grids) throws IOException {
        return readPartial(in, grids, null, null);
    }

    /**
     * A numeric subject of a partial whose grid the partial names by fingerprint only (format 7) and this process
     * did not hold when it read the partial: its summary's bytes, to be read once the grid is found
     * ({@link WindowBundle#resolveGrids}).
     */
    record Unresolved(String baselineId, long fingerprint, int pointCount, byte[] summary) {
        /** The subject on {@code grid}, which must be the grid named. */
        SubjectSummary on(NumericGrid grid) {
            return numeric(baselineId, NumericSummary.fromBytes(grid, summary));
        }
    }

    /**
     * Reads what {@link #writePartial} wrote, the partial's grids being {@code grids}: a numeric subject whose grid
     * is null there (named by the partial, not held) goes to {@code unresolved}, with the grid's fingerprint and
     * point count from {@code named} ({@code [2i]} and {@code [2i + 1]} for grid i), and null is returned.
     */
    static SubjectSummary readPartial(DataInputStream in, NumericGrid[] grids, long[] named,
                                      java.util.function.Consumer<Unresolved> unresolved) throws IOException {
        int ordinal = in.readUnsignedByte();
        if (ordinal >= Kind.values().length) {
            throw new IOException("unknown subject summary kind " + ordinal);
        }
        String id = in.readUTF();
        String baselineId = id.isEmpty() ? null : id;
        switch (Kind.values()[ordinal]) {
            case NUMERIC -> {
                long index = Varint.read(in);
                if (index >= grids.length) {
                    throw new IOException("subject refers to grid " + index + " of the partial's " + grids.length);
                }
                NumericGrid grid = grids[(int) index];
                if (grid == null) {
                    int i = (int) index;
                    unresolved.accept(new Unresolved(baselineId, named[2 * i], (int) named[2 * i + 1],
                            lengthPrefixed(in)));
                    return null;
                }
                return numeric(baselineId, NumericSummary.fromBytes(grid, lengthPrefixed(in)));
            }
            case CATEGORICAL -> {
                return categorical(baselineId, CategoricalSummary.fromBytes(lengthPrefixed(in)));
            }
            default -> {
                SubjectSummary s = numericWithoutBaseline();
                s.count = Varint.read(in);
                s.missing = Varint.read(in);
                return s;
            }
        }
    }

    private static byte[] lengthPrefixed(DataInputStream in) throws IOException {
        long length = Varint.read(in);
        if (length > Integer.MAX_VALUE) {
            throw new IOException("summary of " + length + " bytes");
        }
        byte[] bytes = new byte[(int) length];
        in.readFully(bytes);
        return bytes;
    }

    /**
     * Reads a state written by {@link #write(DataOutput, Map)}.
     *
     * @param gridsApart the grids held apart by fingerprint, or null when every grid must be inline
     */
    static SubjectSummary read(DataInputStream in, LongFunction<NumericGrid> gridsApart) throws IOException {
        int kindByte = in.readUnsignedByte();
        boolean apart = (kindByte & GRID_APART) != 0;
        int ordinal = kindByte & ~GRID_APART;
        if (ordinal >= Kind.values().length || apart && (ordinal != Kind.NUMERIC.ordinal() || gridsApart == null)) {
            throw new IOException("unknown subject summary kind " + kindByte);
        }
        Kind kind = Kind.values()[ordinal];
        String id = in.readUTF();
        String baselineId = id.isEmpty() ? null : id;
        switch (kind) {
            case NUMERIC -> {
                NumericGrid grid = apart ? gridApart(in.readLong(), gridsApart) : readGrid(in);
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                return numeric(baselineId, NumericSummary.fromBytes(grid, bytes));
            }
            case CATEGORICAL -> {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                return categorical(baselineId, CategoricalSummary.fromBytes(bytes));
            }
            default -> {
                SubjectSummary s = numericWithoutBaseline();
                s.count = in.readLong();
                s.missing = in.readLong();
                return s;
            }
        }
    }

    /** Recently written grids' bytes by fingerprint: a grid is immutable, so its bytes are built once. */
    private static final Map<Long, byte[]> GRID_BYTES = Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
                    return size() > 4096;
                }
            });

    private static NumericGrid gridApart(long fingerprint, LongFunction<NumericGrid> gridsApart) throws IOException {
        NumericGrid grid = gridsApart.apply(fingerprint);
        if (grid == null) {
            throw new IOException("window state refers to grid " + Long.toHexString(fingerprint)
                    + ", which is not among the grids held apart");
        }
        return grid;
    }

    /** A grid's serialised form (as inside a subject's state), for grids held apart. */
    static byte[] gridToBytes(NumericGrid grid) {
        byte[] bytes = GRID_BYTES.get(grid.fingerprint());
        return bytes != null ? bytes : gridBytes(grid);
    }

    /** Reads a grid written by {@link #gridToBytes}, checking its fingerprint. */
    static NumericGrid gridFromBytes(byte[] bytes) throws IOException {
        try (DataInputStream in = ByteStreams.input(bytes)) {
            return readGrid(in);
        }
    }

    private static void writeGrid(DataOutput out, NumericGrid grid) throws IOException {
        byte[] bytes = GRID_BYTES.get(grid.fingerprint());
        if (bytes == null) {
            bytes = gridBytes(grid);
            GRID_BYTES.put(grid.fingerprint(), bytes);
        }
        out.write(bytes);
    }

    /** Fingerprint, point count, points, edge count, edges: big-endian, as DataOutputStream writes them. */
    private static byte[] gridBytes(NumericGrid grid) {
        double[] points = grid.points();
        double[] edges = grid.bins().edges();
        ByteBuffer b = ByteBuffer.allocate(8 + 4 + points.length * 8 + 4 + edges.length * 8);
        b.putLong(grid.fingerprint());
        b.putInt(points.length);
        for (double p : points) {
            b.putDouble(p);
        }
        b.putInt(edges.length);
        for (double e : edges) {
            b.putDouble(e);
        }
        return b.array();
    }

    private static void skipFully(DataInputStream in, long n) throws IOException {
        if (n < 0 || in.skipBytes((int) Math.min(n, Integer.MAX_VALUE)) != n) {
            throw new java.io.EOFException("window state ends inside a grid of " + n / 8 + " values");
        }
    }

    private static NumericGrid readGrid(DataInputStream in) throws IOException {
        long fingerprint = in.readLong();
        int pointCount = in.readInt();
        // The grids in use (Grids), so that reading a summary neither rebuilds its grid nor keeps a copy of it.
        NumericGrid cached = Grids.known(fingerprint);
        if (cached != null && cached.pointCount() == pointCount) {
            // A grid already read: its points and edges need not be parsed again.
            skipFully(in, 8L * pointCount);
            skipFully(in, 8L * in.readInt());
            return cached;
        }
        double[] points = new double[pointCount];
        for (int i = 0; i < points.length; i++) {
            points[i] = in.readDouble();
        }
        double[] edges = new double[in.readInt()];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = in.readDouble();
        }
        if (cached != null) {
            return cached;
        }
        NumericGrid grid = NumericGrid.of(points, BinEdges.of(edges));
        if (grid.fingerprint() != fingerprint) {
            throw new IOException("grid fingerprint mismatch: stored " + Long.toHexString(fingerprint)
                    + ", computed " + Long.toHexString(grid.fingerprint()));
        }
        return Grids.intern(grid);
    }
}
