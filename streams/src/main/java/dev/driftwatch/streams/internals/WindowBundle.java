package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.summary.ByteSink;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.detectors.summary.Varint;

import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.LongFunction;

/**
 * The state of one window of one model version (and segment): a {@link SubjectSummary} per subject,
 * counts of the events seen and of late events dropped, and {@link WindowPart}s for the signals that are
 * not one subject's distribution. Built per input partition, then merged.
 */
public final class WindowBundle {
    private static final byte FORMAT_VERSION = 2;
    /**
     * The window-state store's form: version 2, except that numeric subjects refer to their grids by
     * fingerprint (the store keeps each grid once, see {@link WindowStateStore}). Never sent between stages.
     */
    private static final byte FORMAT_VERSION_GRIDS_APART = 3;
    /*
     * Version 4 was a partial form without the grids of subjects on their current baseline, for the receiver to
     * find by the baseline; it was never released (a receiver may not hold the grid) and is not read. Not to be
     * reused.
     */
    /**
     * A partial's form since version 5 ({@link #writePartial}): each grid once per partial in the compact form
     * ({@link CompactGrids}), subjects referring to it by index; lengths and counts as varints. Partials of
     * version 2 (grids inline, fixed form, one per subject) are still read.
     */
    private static final byte FORMAT_VERSION_PARTIAL = 5;
    /**
     * A partial's form since version 7 ({@link #writePartial(DataOutput, Set)}; not 6, the first byte of a
     * retained window's value, {@link RetainedWindows}): version 5, except that each
     * grid of the table is either inline (a byte 0, then its compact form) or named (a byte 1, then its fingerprint
     * and its point count as a varint): a grid the sending task sent for the same model version in its partial of
     * the window before, which the merging task holds (see {@link WindowStateStore}). Versions 5 and 2 are still read.
     */
    private static final byte FORMAT_VERSION_PARTIAL_NAMED = 7;
    /** In a partial's table of grids (version 7): the grid follows, compact; or only its name. */
    private static final byte GRID_INLINE = 0;
    private static final byte GRID_NAMED = 1;
    /**
     * What {@link #toBytes} and {@link #toBytesGridsApart} write into before copying out, so that a call allocates one
     * array of the bytes' size. Not re-entrant: nothing a window writes may write a window.
     */
    private static final ByteStreams.Scratch SCRATCH = new ByteStreams.Scratch();
    /** Before parts: subjects only. Still read. */
    private static final byte FORMAT_VERSION_1 = 1;
    /** In a patch of the store ({@link #writeChanges}): a part follows whole, or a part or subject its changes only. */
    private static final byte WHOLE = 0;
    private static final byte CHANGES = 1;

    private final String modelId;
    private final String modelVersion;
    private final String segment;
    private final long windowStart;
    private final long windowEnd;
    private long events;
    private long lateEvents;
    private final HashMap<String, SubjectSummary> subjects = new HashMap<>();
    private final TreeMap<String, WindowPart> parts = new TreeMap<>();
    /** The subjects' names in order, for compact patches ({@link #sortedNames}), or null. */
    private String[] sortedNames;
    /**
     * Numeric subjects read from a partial that names their grid, which this process did not hold then, by
     * subject name (see {@link #resolveGrids}); null when there are none (always, but for such a partial).
     */
    private TreeMap<String, SubjectSummary.Unresolved> unresolved;
    /** Values the summarizing stage holds back for this window's subjects (see {@link #holdAdds}), or null. */
    private Runnable heldAdds;
    /** The store, its generation of changed keys and the key under which this window was last noted as changed. */
    private Object dirtyIn;
    private long dirtyGeneration;
    private String dirtyKey;

    public WindowBundle(String modelId, String modelVersion, String segment, long windowStart, long windowEnd) {
        this.modelId = modelId;
        this.modelVersion = modelVersion;
        this.segment = segment;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
    }

    public String modelId() {
        return modelId;
    }

    public String modelVersion() {
        return modelVersion;
    }

    /** The segment value, or "*" when windows are not segmented. */
    public String segment() {
        return segment;
    }

    public long windowStart() {
        return windowStart;
    }

    /** Exclusive end of the window. */
    public long windowEnd() {
        return windowEnd;
    }

    public long events() {
        return events;
    }

    public long lateEvents() {
        return lateEvents;
    }

    public void countEvent() {
        events++;
    }

    public void countLate(long n) {
        lateEvents += n;
    }

    /**
     * Tells the window that values for its subjects are held back, to be added in bulk: {@code land} adds them, in
     * the order they came, and is run before anything reads or changes the subjects (every method of this class that
     * touches them runs it first), so that no reader sees the window without them.
     */
    public void holdAdds(Runnable land) {
        Runnable held = heldAdds;
        if (held != null && held != land) {
            heldAdds = null;
            held.run();
        }
        heldAdds = land;
    }

    /** Whether {@link #markDirty} was called with the same store, generation and key. */
    boolean markedDirty(Object store, long generation, String key) {
        return dirtyIn == store && dirtyGeneration == generation && (dirtyKey == key || key.equals(dirtyKey));
    }

    /** Notes that {@code store} has this window's {@code key} among its changed keys of {@code generation}. */
    void markDirty(Object store, long generation, String key) {
        dirtyIn = store;
        dirtyGeneration = generation;
        dirtyKey = key;
    }

    /** The subjects, with any values held back for them added first. */
    private HashMap<String, SubjectSummary> subjectMap() {
        Runnable held = heldAdds;
        if (held != null) {
            heldAdds = null;
            held.run();
        }
        return subjects;
    }

    /** The subjects' states, by subject name, in name order. */
    public Map<String, SubjectSummary> subjects() {
        return new TreeMap<>(subjectMap());
    }

    /** How many subjects the window holds. */
    public int subjectCount() {
        return subjectMap().size();
    }

    /** The subjects' states in no particular order, read-only, for walks whose order does not matter. */
    public Collection<SubjectSummary> subjectsInAnyOrder() {
        return Collections.unmodifiableCollection(subjectMap().values());
    }

    /** The subjects' names in name order (the order of {@link #subjects()}), read-only, without a copy of the map. */
    public List<String> subjectNames() {
        return Collections.unmodifiableList(Arrays.asList(sortedNames()));
    }

    public SubjectSummary subject(String name) {
        return subjectMap().get(name);
    }

    public void put(String name, SubjectSummary summary) {
        if (subjectMap().put(name, summary) == null) {
            sortedNames = null;
        }
    }

    /** The part of the given name, or null. */
    public WindowPart part(String name) {
        return parts.get(name);
    }

    /** Sets (or replaces) the part of its name. */
    public void putPart(WindowPart part) {
        parts.put(part.name(), part);
    }

    /** Merges another partition's state of the same window into this one. */
    public WindowBundle merge(WindowBundle other) {
        sortedNames = null;
        events += other.events;
        lateEvents += other.lateEvents;
        for (Map.Entry<String, SubjectSummary> e : other.subjectMap().entrySet()) {
            SubjectSummary mine = subjectMap().get(e.getKey());
            subjectMap().put(e.getKey(), mine == null ? e.getValue() : mine.merge(e.getValue()));
        }
        for (Map.Entry<String, WindowPart> e : other.parts.entrySet()) {
            WindowPart mine = parts.get(e.getKey());
            parts.put(e.getKey(), mine == null ? e.getValue() : mine.merge(e.getValue()));
        }
        return this;
    }

    public byte[] toBytes() {
        return SCRATCH.write(out -> write(out));
    }

    /**
     * The form the window-state store keeps: like {@link #toBytes()}, but each numeric subject's grid (a
     * third of its bytes, the same in every window on the same baseline) is replaced by its fingerprint
     * and put into {@code gridsApart}, for the caller to keep once.
     */
    public byte[] toBytesGridsApart(Map<Long, NumericGrid> gridsApart) {
        return SCRATCH.write(out -> write(out, gridsApart));
    }

    /** Writes {@link #toBytesGridsApart}'s bytes to {@code out}, without a buffer of their own. */
    void writeGridsApart(DataOutput out, Map<Long, NumericGrid> gridsApart) throws IOException {
        write(out, gridsApart);
    }

    /** The self-contained form of version 2 (grids inline): {@link #toBytes()}, and partials before version 5. */
    void write(DataOutput out) throws IOException {
        write(out, null);
    }

    /**
     * A partial's self-contained form (version 7 with every grid inline), like version 2 in fewer bytes (2.65 KB
     * against 3.2 KB for a numeric subject of 50 values on the default grid, most of it the grid): the grids the
     * subjects use, each once and compact, then the subjects with their grid's index and their summaries' compact
     * forms, then the parts as in version 2.
     */
    void writePartial(DataOutput out) throws IOException {
        writePartial(out, Set.of());
    }

    /**
     * A partial's form (version 7): version 5's, except that the grids whose fingerprints are in {@code named} are
     * written as their names (fingerprint and point count, 9 to 11 bytes where the compact grid takes about 2.8 KB).
     * The reader finds a named grid among the grids its process holds; those it does not hold leave their subjects
     * {@linkplain #hasUnresolvedGrids unresolved} until {@link #resolveGrids}.
     */
    void writePartial(DataOutput out, Set<Long> named) throws IOException {
        out.writeByte(FORMAT_VERSION_PARTIAL_NAMED);
        out.writeUTF(modelId);
        out.writeUTF(modelVersion);
        out.writeUTF(segment);
        out.writeLong(windowStart);
        out.writeLong(windowEnd);
        Varint.write(out, events);
        Varint.write(out, lateEvents);
        HashMap<String, SubjectSummary> all = subjectMap();
        String[] names = sortedNames();
        HashMap<Long, Integer> gridIndex = new HashMap<>();
        ArrayList<NumericGrid> grids = new ArrayList<>();
        for (String name : names) {
            SubjectSummary s = all.get(name);
            if (s.kind() == SubjectSummary.Kind.NUMERIC) {
                NumericGrid grid = s.numericSummary().grid();
                if (gridIndex.putIfAbsent(grid.fingerprint(), grids.size()) == null) {
                    grids.add(grid);
                }
            }
        }
        Varint.write(out, grids.size());
        for (NumericGrid grid : grids) {
            if (named.contains(grid.fingerprint())) {
                out.writeByte(GRID_NAMED);
                out.writeLong(grid.fingerprint());
                Varint.write(out, grid.pointCount());
            } else {
                out.writeByte(GRID_INLINE);
                CompactGrids.write(out, grid);
            }
        }
        Varint.write(out, names.length);
        for (String name : names) {
            out.writeUTF(name);
            all.get(name).writePartial(out, grid -> gridIndex.get(grid.fingerprint()));
        }
        out.writeInt(parts.size());
        for (Map.Entry<String, WindowPart> e : parts.entrySet()) {
            out.writeUTF(e.getKey());
            e.getValue().write(out);
        }
    }

    /** The fingerprints of the grids of the numeric subjects, each once. */
    Set<Long> gridFingerprints() {
        HashSet<Long> fingerprints = new HashSet<>();
        for (SubjectSummary s : subjectMap().values()) {
            if (s.kind() == SubjectSummary.Kind.NUMERIC) {
                fingerprints.add(s.numericSummary().grid().fingerprint());
            }
        }
        return fingerprints;
    }

    /** Reads a partial's window of version 5 or 7 ({@code named}), after its version byte. */
    private static WindowBundle readPartial(DataInputStream in, WindowParts parts, boolean named) throws IOException {
        WindowBundle b = new WindowBundle(in.readUTF(), in.readUTF(), in.readUTF(), in.readLong(), in.readLong());
        b.events = Varint.read(in);
        b.lateEvents = Varint.read(in);
        long gridCount = Varint.read(in);
        if (gridCount > Integer.MAX_VALUE / 16) {
            throw new IOException("partial of " + gridCount + " grids");
        }
        NumericGrid[] grids = new NumericGrid[(int) gridCount];
        // Of each named grid: its fingerprint and point count ([2i], [2i + 1]); null when every grid is inline.
        long[] names = null;
        for (int i = 0; i < grids.length; i++) {
            byte form = named ? in.readByte() : GRID_INLINE;
            if (form == GRID_INLINE) {
                grids[i] = CompactGrids.read(in);
            } else if (form == GRID_NAMED) {
                if (names == null) {
                    names = new long[2 * grids.length];
                }
                names[2 * i] = in.readLong();
                names[2 * i + 1] = Varint.read(in);
                NumericGrid known = Grids.known(names[2 * i]);
                // Held by this process (the merging store keeps the grids of its recent windows): as if inline.
                grids[i] = known != null && known.pointCount() == names[2 * i + 1] ? known : null;
            } else {
                throw new IOException("grid " + i + " of a partial of unknown form " + form);
            }
        }
        long n = Varint.read(in);
        for (long i = 0; i < n; i++) {
            String name = in.readUTF();
            SubjectSummary s = SubjectSummary.readPartial(in, grids, names, u -> {
                if (b.unresolved == null) {
                    b.unresolved = new TreeMap<>();
                }
                b.unresolved.put(name, u);
            });
            if (s != null) {
                b.subjectMap().put(name, s);
            }
        }
        int p = in.readInt();
        for (int i = 0; i < p; i++) {
            String name = in.readUTF();
            b.parts.put(name, parts.read(name, in));
        }
        return b;
    }

    private void write(DataOutput out, Map<Long, NumericGrid> gridsApart) throws IOException {
        out.writeByte(gridsApart != null ? FORMAT_VERSION_GRIDS_APART : FORMAT_VERSION);
        out.writeUTF(modelId);
        out.writeUTF(modelVersion);
        out.writeUTF(segment);
        out.writeLong(windowStart);
        out.writeLong(windowEnd);
        out.writeLong(events);
        out.writeLong(lateEvents);
        out.writeInt(subjectMap().size());
        HashMap<String, SubjectSummary> all = subjectMap();
        for (String name : sortedNames()) {
            out.writeUTF(name);
            all.get(name).write(out, gridsApart);
        }
        out.writeInt(parts.size());
        for (Map.Entry<String, WindowPart> e : parts.entrySet()) {
            out.writeUTF(e.getKey());
            e.getValue().write(out);
        }
    }

    /**
     * The parts, which do not track their changes: each part's bytes are compared with the bytes it had at the
     * last patch ({@code partBlobs}, updated): unchanged parts are left out, parts of the same length written
     * as the runs of bytes that differ, others (and every part in the first patch after a base) whole. The
     * bytes before are kept whole, not as a hash: the runs are written against them, and read back onto them.
     */
    private void writePartChanges(DataOutput out, Map<String, byte[]> partBlobs) throws IOException {
        ArrayList<String> names = new ArrayList<>();
        ArrayList<byte[]> blobs = new ArrayList<>();
        for (Map.Entry<String, WindowPart> e : parts.entrySet()) {
            byte[] before = partBlobs.get(e.getKey());
            // A part keeps about its size from patch to patch: a buffer of that size is not grown while written.
            ByteSink buffer = ByteStreams.output(before == null ? 256 : before.length);
            e.getValue().write(buffer);
            byte[] blob = buffer.toByteArray();
            if (!java.util.Arrays.equals(blob, before)) {
                names.add(e.getKey());
                blobs.add(blob);
            }
        }
        out.writeInt(names.size());
        for (int i = 0; i < names.size(); i++) {
            byte[] blob = blobs.get(i);
            byte[] previous = partBlobs.put(names.get(i), blob);
            out.writeUTF(names.get(i));
            if (previous == null || previous.length != blob.length) {
                out.writeByte(WHOLE);
                out.writeInt(blob.length);
                out.write(blob);
            } else {
                out.writeByte(CHANGES);
                writeRuns(out, previous, blob);
            }
        }
    }

    /** The runs of {@code now} that differ from {@code before} (same length): varint n, n × (varint gap, varint length, bytes). */
    private static void writeRuns(DataOutput out, byte[] before, byte[] now) throws IOException {
        ArrayList<int[]> runs = new ArrayList<>();
        int i = 0;
        while (i < now.length) {
            if (before[i] == now[i]) {
                i++;
                continue;
            }
            int start = i;
            // A run ends at 4 equal bytes in a row: a shorter gap costs more as a new run than as bytes.
            int end = i + 1;
            while (end < now.length) {
                int same = 0;
                while (same < 4 && end + same < now.length && before[end + same] == now[end + same]) {
                    same++;
                }
                if (same == 4 || end + same == now.length) {
                    break;
                }
                end += same + 1;
            }
            runs.add(new int[] {start, end});
            i = end;
        }
        Varint.write(out, runs.size());
        int previousEnd = 0;
        for (int[] run : runs) {
            Varint.write(out, run[0] - previousEnd);
            Varint.write(out, run[1] - run[0]);
            out.write(now, run[0], run[1] - run[0]);
            previousEnd = run[1];
        }
    }

    /** Reads a window state without parts (subjects only). */
    public static WindowBundle fromBytes(byte[] bytes) {
        return fromBytes(bytes, WindowParts.none());
    }

    /** Reads a window state whose parts {@code parts} can read. */
    public static WindowBundle fromBytes(byte[] bytes, WindowParts parts) {
        return fromBytes(bytes, parts, null);
    }

    /** Reads any form of a window state without parts, the store's too (see below). */
    static WindowBundle fromBytes(byte[] bytes, LongFunction<NumericGrid> gridsApart) {
        return fromBytes(bytes, WindowParts.none(), gridsApart);
    }

    /** Reads any form, the store's too: {@code gridsApart} gives the grids held apart by fingerprint. */
    static WindowBundle fromBytes(byte[] bytes, WindowParts parts, LongFunction<NumericGrid> gridsApart) {
        try (DataInputStream in = ByteStreams.input(bytes)) {
            return read(in, parts, gridsApart);
        } catch (IOException e) {
            throw new IllegalArgumentException("window state bytes are corrupt: " + e, e);
        }
    }

    /**
     * Whether subjects of this window, read from a partial, wait for their grids ({@link #resolveGrids}): they are
     * not among {@link #subjects()} until then.
     */
    public boolean hasUnresolvedGrids() {
        return unresolved != null;
    }

    /**
     * Reads the subjects waiting for their grids ({@link #hasUnresolvedGrids}) on the grids {@code grids} finds by
     * fingerprint (a grid of another point count is not the one named), gives those it finds none for (by name, with
     * their grid's fingerprint) and leaves them out: the window has no subjects waiting after this call.
     *
     * @param grids the grid of a fingerprint, and the subject's name (for a baseline's grid), or null
     */
    Map<String, Long> resolveGrids(BiFunction<Long, String, NumericGrid> grids) {
        TreeMap<String, Long> missing = new TreeMap<>();
        if (unresolved == null) {
            return missing;
        }
        for (Map.Entry<String, SubjectSummary.Unresolved> e : unresolved.entrySet()) {
            SubjectSummary.Unresolved u = e.getValue();
            NumericGrid grid = grids.apply(u.fingerprint(), e.getKey());
            if (grid != null && grid.fingerprint() == u.fingerprint() && grid.pointCount() == u.pointCount()) {
                put(e.getKey(), u.on(grid));
            } else {
                missing.put(e.getKey(), u.fingerprint());
            }
        }
        unresolved = null;
        return missing;
    }

    /** Reads a window of a partial: format 7, 5, 2, or 1 (of format 7, see {@link #resolveGrids}). */
    static WindowBundle read(DataInputStream in, WindowParts parts) throws IOException {
        return read(in, parts, null);
    }

    /** Reads any form from a stream: {@code gridsApart} gives the grids held apart by fingerprint, or is null. */
    static WindowBundle read(DataInputStream in, WindowParts parts,
                             LongFunction<NumericGrid> gridsApart) throws IOException {
        byte version = in.readByte();
        if (version == FORMAT_VERSION_PARTIAL || version == FORMAT_VERSION_PARTIAL_NAMED) {
            return readPartial(in, parts, version == FORMAT_VERSION_PARTIAL_NAMED);
        }
        if (version == FORMAT_VERSION_GRIDS_APART && gridsApart == null) {
            throw new IOException("window state of format version 3 refers to grids kept by its store; "
                    + "it can only be read with them");
        }
        if (version != FORMAT_VERSION && version != FORMAT_VERSION_1 && version != FORMAT_VERSION_GRIDS_APART) {
            throw new IOException("unknown window state format version " + version);
        }
        WindowBundle b = new WindowBundle(in.readUTF(), in.readUTF(), in.readUTF(), in.readLong(), in.readLong());
        b.events = in.readLong();
        b.lateEvents = in.readLong();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            b.subjectMap().put(in.readUTF(), SubjectSummary.read(in, gridsApart));
        }
        if (version >= FORMAT_VERSION) {
            int p = in.readInt();
            for (int i = 0; i < p; i++) {
                String name = in.readUTF();
                b.parts.put(name, parts.read(name, in));
            }
        }
        return b;
    }

    /**
     * For the window-state store: what changed since the last {@link #markJournaled()}, as absolute values, of a
     * window whose subjects were all there at that mark ({@link #isJournaled}: the store writes any other window
     * whole). The event counts; each subject changed since (its changed cells or categories and small fields
     * only); the parts that changed since the last patch ({@link #writePartChanges}). {@link #applyChanges} on the
     * window as it was at that mark, with the part bytes of the patches before since the same base, gives this
     * window exactly.
     */
    void writeChanges(DataOutput out, Map<String, byte[]> partBlobs) throws IOException {
        writeChanges(out, partBlobs, false);
    }

    /**
     * {@link #writeChanges}; {@code compact} for the store's compact patches: the counts as varints, each changed
     * subject named by its place among the window's subjects in name order (as a varint gap from the one before,
     * where the older form writes its name), its changes in their compact form
     * ({@link SubjectSummary#writeChanges(DataOutput, boolean)}). A patch only follows a base holding the
     * same subjects, so the reader finds the same order. {@link #applyChanges(DataInputStream, WindowParts, Map,
     * boolean)} with the same {@code compact} reads it.
     */
    void writeChanges(DataOutput out, Map<String, byte[]> partBlobs, boolean compact) throws IOException {
        if (compact) {
            writeCompactChanges(out, partBlobs);
            return;
        }
        out.writeLong(events);
        out.writeLong(lateEvents);
        ArrayList<String> names = new ArrayList<>();
        for (Map.Entry<String, SubjectSummary> e : subjectMap().entrySet()) {
            SubjectSummary s = journaled(e.getKey(), e.getValue());
            if (s.hasChanges()) {
                names.add(e.getKey());
            }
        }
        Collections.sort(names);
        out.writeInt(names.size());
        for (String name : names) {
            out.writeUTF(name);
            out.writeByte(CHANGES);
            subjectMap().get(name).writeChanges(out);
        }
        writePartChanges(out, partBlobs);
    }

    /** The subject, which a patch may only follow when the last write held it. */
    private SubjectSummary journaled(String name, SubjectSummary s) {
        if (!s.journaled) {
            throw new IllegalStateException("subject " + name + " of window " + modelId + "/" + modelVersion
                    + " is new since the last write: the window is written whole");
        }
        return s;
    }

    private void writeCompactChanges(DataOutput out, Map<String, byte[]> partBlobs) throws IOException {
        Varint.write(out, events);
        Varint.write(out, lateEvents);
        String[] names = sortedNames();
        int changed = 0;
        for (String name : names) {
            SubjectSummary s = journaled(name, subjectMap().get(name));
            if (s.hasChanges()) {
                changed++;
            }
        }
        Varint.write(out, changed);
        int previous = -1;
        for (int i = 0; i < names.length; i++) {
            SubjectSummary s = subjectMap().get(names[i]);
            if (s.hasChanges()) {
                Varint.write(out, i - previous - 1);
                previous = i;
                s.writeChanges(out, true);
            }
        }
        writePartChanges(out, partBlobs);
    }

    /** The subjects' names in order, kept while no subject is added (a window's subjects are only ever added). */
    private String[] sortedNames() {
        HashMap<String, SubjectSummary> subjects = subjectMap();
        if (sortedNames == null || sortedNames.length != subjects.size()) {
            sortedNames = subjects.keySet().toArray(new String[0]);
            Arrays.sort(sortedNames);
        }
        return sortedNames;
    }

    /** Sets what {@link #writeChanges} wrote. */
    void applyChanges(DataInputStream in, WindowParts readers, Map<String, byte[]> partBlobs) throws IOException {
        applyChanges(in, readers, partBlobs, false);
    }

    /** Sets what {@link #writeChanges(DataOutput, Map, boolean)} wrote with the same {@code compact}. */
    void applyChanges(DataInputStream in, WindowParts readers, Map<String, byte[]> partBlobs, boolean compact)
            throws IOException {
        if (compact) {
            events = Varint.read(in);
            lateEvents = Varint.read(in);
            String[] names = sortedNames();
            long n = Varint.read(in);
            long at = -1;
            for (long i = 0; i < n; i++) {
                at += Varint.read(in) + 1;
                if (at >= names.length) {
                    throw new IOException("window state patch holds changes of subject " + at + " of a window of "
                            + names.length + " subjects");
                }
                subjectMap().get(names[(int) at]).applyChanges(in, true);
            }
        } else {
            events = in.readLong();
            lateEvents = in.readLong();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                byte how = in.readByte();
                SubjectSummary s = subjectMap().get(name);
                if (how != CHANGES || s == null) {
                    throw new IOException("window state patch holds changes of subject " + name
                            + (s == null ? ", which the window does not have" : " of unknown form " + how));
                }
                s.applyChanges(in);
            }
        }
        int p = in.readInt();
        for (int i = 0; i < p; i++) {
            String name = in.readUTF();
            byte how = in.readByte();
            byte[] blob;
            if (how == WHOLE) {
                blob = new byte[in.readInt()];
                in.readFully(blob);
            } else {
                byte[] previous = partBlobs.get(name);
                if (how != CHANGES || previous == null) {
                    throw new IOException("window state patch holds changes of part " + name
                            + (previous == null ? " without its bytes before" : " of unknown form " + how));
                }
                blob = previous.clone();
                long runs = Varint.read(in);
                int at = 0;
                for (long r = 0; r < runs; r++) {
                    at += (int) Varint.read(in);
                    int length = (int) Varint.read(in);
                    in.readFully(blob, at, length);
                    at += length;
                }
            }
            partBlobs.put(name, blob);
            try (DataInputStream part = ByteStreams.input(blob)) {
                parts.put(name, readers.read(name, part));
            }
        }
    }

    /** Whether every subject was in the store at its last write (none added or replaced since). */
    boolean isJournaled() {
        for (SubjectSummary s : subjectMap().values()) {
            if (!s.journaled) {
                return false;
            }
        }
        return true;
    }

    /** Every subject's state is now in the store: the next changes are counted from here. */
    void markJournaled() {
        for (SubjectSummary s : subjectMap().values()) {
            s.journaled = true;
            s.clearChanges();
        }
    }
}
