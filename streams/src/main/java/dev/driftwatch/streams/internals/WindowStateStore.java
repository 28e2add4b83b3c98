package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.summary.NumericGrid;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The open windows of one input partition, kept as live objects and written to a changelogged
 * key-value store only when Kafka Streams flushes the stores' caches before it commits. So an event
 * costs an in-memory update, not a serialisation of its window, and the changelog still holds exactly
 * the state of the committed offsets (exactly-once). After a restart the windows are read back from
 * the restored store on first use.
 *
 * <p>Kafka Streams writes store caches to the changelog before a commit ({@link #flushCache()}, which it
 * calls on every {@link CachedStateStore}); it calls {@link #flush()} only after the commit, and under
 * exactly-once only when it writes a checkpoint. So this store is a {@code CachedStateStore}: writing
 * on {@code flush()} alone put the windows into the changelog late or never, and a crash lost the
 * events counted since the last clean stop.
 *
 * <p>Only the windows changed since the last flush are written, and of those only what changed: a window
 * is kept as a <em>base</em> under its key (the whole window, in the store's form,
 * {@link WindowBundle#toBytesGridsApart}, after a kind byte and a sequence number) and <em>patches</em>
 * under {@code ~patch/<window key>/<slot>} (kind byte, sequence number, then the window's changes since
 * the last write, {@link WindowBundle#writeChanges}: the changed cells' and categories' absolute values,
 * the subjects' small fields, the changed runs of the parts' bytes). A window with a subject added or replaced
 * since its last write is written as a base. So a commit writes bytes in proportion
 * to the cells the events since the last commit changed, not to the open windows' state: with many model
 * versions interleaved, each commit used to rewrite nearly every version's window whole. A window is
 * written as a new base instead when its patches since the base would outgrow the base: restoring reads at
 * most twice a base's bytes, and the bytes written stay within a small factor of the changes. A restore
 * reads each base, then its patches in sequence order; patches numbered at or below their base's are
 * stale (their slots are reused without tombstones) and skipped. Absolute values, not increments: the base
 * and its patches give the live window bit for bit, with no sums added up again. A closed window's base
 * and every slot written for it are deleted.
 *
 * <p>A numeric subject's grid (a third of its bytes, and the same in every window on its baseline) is
 * written once under its own key {@code ~grid-compact/<fingerprint>}, in its compact form ({@link CompactGrids}),
 * and each window refers to it by fingerprint. Grids that earlier releases wrote under {@code ~grid/<fingerprint>}
 * in the fixed form ({@link SubjectSummary#gridToBytes}, a fifth larger) are still read, and deleted under that key.
 * A grid outlives the windows that use it, so that the next window on the same baseline (opened after they
 * close, often at a later commit) does not write it again: with a baseline per model version, deleting each grid
 * when its windows closed rewrote every grid in every window, four fifths of the changelog's bytes.
 *
 * <p>The bound: a grid is deleted once no open window uses it and windows with {@value #GRID_KEPT_CLOSES}
 * distinct ends later than the end of the last window that used it have closed. So the store holds the grids
 * of its open windows and of the windows closed with the last {@value #GRID_KEPT_CLOSES} window ends (a model
 * version quiet for one window keeps its grids), and the grid of a replaced baseline goes at most
 * {@value #GRID_KEPT_CLOSES} window advances after its last window closed. The latest closed ends are kept in
 * the store ({@code ~closed-ends}): after a restore, a grid no restored window uses counts as used up to the
 * latest of them or of the restored windows' ends, and goes once windows of {@value #GRID_KEPT_CLOSES} later ends
 * have closed.
 *
 * <p>The merging stage notes the grids of every partial it receives ({@link #noteGrids}), and the store writes
 * those it does not hold at the next flush, whether or not their window was ever written (a merged window is
 * usually opened and closed between two commits) or kept them (a subject merged from two grids keeps one): a
 * later partial of the same sending task may name them ({@link Partial#serde}), and the merging task finds them
 * here ({@link #grid}), after a restart or on another instance too.
 *
 * <p>Windows written whole by earlier releases (the self-contained form, and the store's form without a sequence
 * number) are still read, and written as a base at their next change.
 *
 * <p>A store built without a changelog ({@code withLoggingDisabled()}, for offline analysis, where nothing
 * restores the state) keeps its windows only as live objects and writes nothing at a flush: Kafka Streams'
 * test driver commits after every record, and writing the changed window at each commit made every event
 * cost a serialisation of its whole window (and a record on a changelog that nobody reads).
 */
public final class WindowStateStore implements StateStore, CachedStateStore<String, WindowBundle> {
    private static final Logger LOG = LoggerFactory.getLogger(WindowStateStore.class);
    private static final String STREAM_TIME = "~stream-time";
    private static final String WATERMARK = "~watermark";
    /** The latest {@link #GRID_KEPT_CLOSES} distinct ends of closed windows, comma-separated (restored with them). */
    private static final String CLOSED_ENDS = "~closed-ends";
    /** Grids in the fixed form of earlier releases ({@link SubjectSummary#gridToBytes}): read and deleted, never written. */
    private static final String FIXED_GRID_PREFIX = "~grid/";
    /**
     * Grids in the compact form ({@link CompactGrids}). A key of its own, not a marker byte in the value: the fixed
     * form begins with the fingerprint, whose first byte may be anything.
     */
    private static final String GRID_PREFIX = "~grid-compact/";
    /** How many distinct window ends must close after the last window using a grid before it is deleted. */
    static final int GRID_KEPT_CLOSES = 2;
    /** A window's patches: {@code ~patch/<window key>/<slot>}. */
    private static final String PATCH_PREFIX = "~patch/";
    /** First byte of a window's base: the sequence number of the base follows, then the window (format 3). */
    private static final byte BASE = 4;
    /** First byte of a patch of earlier releases: its sequence number follows, then the window's changes. Still read. */
    private static final byte PATCH = 5;
    /**
     * First byte of a patch: its sequence number follows, then the window's changes in their compact form
     * ({@link WindowBundle#writeChanges(java.io.DataOutput, Map, boolean)}: subjects by place, not name; open-cell sums
     * as codes against a prediction, not raw bits).
     */
    private static final byte PATCH_COMPACT = 6;

    /** What records are written into before they are copied out ({@link #record}). */
    private static final ByteStreams.Scratch SCRATCH = new ByteStreams.Scratch();

    private final KeyValueStore<Bytes, byte[]> inner;
    private final WindowParts parts;
    /** False when nothing restores this store: the windows then live only on the heap. */
    private final boolean written;
    /** {@link #commitsPrepared}. */
    private long commitsPrepared;
    private final TreeMap<String, WindowBundle> windows = new TreeMap<>();
    private final Set<String> dirty = new HashSet<>();
    /**
     * Counts the clearings of {@link #dirty}, so that a window can tell whether it was added since (see {@link #put}).
     */
    private long dirtyGeneration;
    /**
     * What the inner store holds of each window, by key. A window opened and closed between two commits was
     * never written, has none, and its deletion needs no tombstone in the changelog.
     */
    private final Map<String, Journal> stored = new HashMap<>();
    /** The grids the inner store holds, by fingerprint. */
    private final Map<Long, NumericGrid> grids = new HashMap<>();
    /** Of {@link #grids}, those held in the fixed form of earlier releases, under {@link #FIXED_GRID_PREFIX}. */
    private final Set<Long> fixedGrids = new HashSet<>();
    /** Grids of partials received ({@link #noteGrids}) that the inner store does not hold: written at the next flush. */
    private final Map<Long, NumericGrid> receivedGrids = new HashMap<>();
    /** Of {@link #grids}: the latest end of a window seen using each (absent: none seen since this store loaded). */
    private final Map<Long, Long> gridLastUsed = new HashMap<>();
    /** The latest {@link #GRID_KEPT_CLOSES} distinct ends of closed windows (kept in the store, {@link #CLOSED_ENDS}). */
    private final TreeSet<Long> closedEnds = new TreeSet<>();
    private long streamTime = Long.MIN_VALUE;
    private long watermark = Long.MIN_VALUE;
    private boolean metaDirty;
    /**
     * Whether {@link #closedEnds} changed since the last flush: then they are written, and unused grids looked for
     * (only then can a grid that no open window uses have fallen out of the kept ends, {@link #dropUnusedGrids}).
     */
    private boolean closedEndsDirty;
    private boolean loaded;
    /**
     * The window last got or put and its key, compared by identity: summarising asks for the same window
     * (under the same key string) event after event, and the sorted map's string comparisons were a
     * measurable part of every event. Forgotten whenever a window is removed or the map is dropped.
     */
    private String lastKey;
    private WindowBundle lastWindow;

    private WindowStateStore(KeyValueStore<Bytes, byte[]> inner, WindowParts parts, boolean written) {
        this.inner = inner;
        this.parts = parts;
        this.written = written;
    }

    /**
     * A builder for the DSL: a changelogged store over the given bytes store (RocksDB or in memory), whose
     * windows' parts {@code parts} reads back.
     */
    public static StoreBuilder<WindowStateStore> builder(KeyValueBytesStoreSupplier supplier, WindowParts parts) {
        return new Builder(Stores.keyValueStoreBuilder(supplier, Serdes.Bytes(), Serdes.ByteArray())
                .withCachingDisabled(), parts);
    }

    /**
     * A store without a changelog, for running a processor outside Kafka Streams (a mock context cannot log
     * changes); a pipeline's stores come from {@link #builder}.
     */
    public static WindowStateStore unlogged(KeyValueBytesStoreSupplier supplier) {
        return unlogged(supplier, WindowParts.none());
    }

    /** The same, for windows with parts that {@code parts} reads back. */
    static WindowStateStore unlogged(KeyValueBytesStoreSupplier supplier, WindowParts parts) {
        return new WindowStateStore(Stores.keyValueStoreBuilder(supplier, Serdes.Bytes(), Serdes.ByteArray())
                .withCachingDisabled().withLoggingDisabled().build(), parts, true);
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        forgetAll();
        inner.init(context, root);
    }

    private void load() {
        if (loaded) {
            return;
        }
        Map<String, byte[]> storedBytes = new HashMap<>();
        Map<String, TreeMap<Long, byte[]>> patches = new HashMap<>();
        Map<String, Integer> slots = new HashMap<>();
        try (KeyValueIterator<Bytes, byte[]> it = inner.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                String key = new String(kv.key.get(), StandardCharsets.UTF_8);
                if (key.equals(STREAM_TIME)) {
                    streamTime = Long.parseLong(new String(kv.value, StandardCharsets.UTF_8));
                } else if (key.equals(WATERMARK)) {
                    watermark = Long.parseLong(new String(kv.value, StandardCharsets.UTF_8));
                } else if (key.equals(CLOSED_ENDS)) {
                    for (String end : new String(kv.value, StandardCharsets.UTF_8).split(",")) {
                        closedEnds.add(Long.parseLong(end));
                    }
                } else if (key.startsWith(GRID_PREFIX) || key.startsWith(FIXED_GRID_PREFIX)) {
                    boolean fixed = key.startsWith(FIXED_GRID_PREFIX);
                    NumericGrid grid = readGrid(key, kv.value, fixed);
                    grids.put(grid.fingerprint(), grid);
                    if (fixed) {
                        fixedGrids.add(grid.fingerprint());
                    }
                } else if (key.startsWith(PATCH_PREFIX)) {
                    int slash = key.lastIndexOf('/');
                    String window = key.substring(PATCH_PREFIX.length(), slash);
                    slots.merge(window, Integer.parseInt(key.substring(slash + 1)) + 1, Math::max);
                    patches.computeIfAbsent(window, w -> new TreeMap<>()).put(sequence(key, kv.value), kv.value);
                } else {
                    storedBytes.put(key, kv.value);
                }
            }
        }
        // Windows are read once every grid they may refer to is: each base, then its patches in order.
        storedBytes.forEach((key, bytes) -> {
            Journal j = new Journal();
            j.slots = slots.getOrDefault(key, 0);
            WindowBundle w;
            if (bytes.length > 0 && bytes[0] == BASE) {
                j.baseSeq = sequence(key, bytes);
                j.seq = j.baseSeq;
                j.baseBytes = bytes.length;
                w = WindowBundle.fromBytes(Arrays.copyOfRange(bytes, 9, bytes.length), parts, grids::get);
                // Patches at or below the base's number are stale (their slots were reused or not yet).
                for (Map.Entry<Long, byte[]> p : patches.getOrDefault(key, new TreeMap<>())
                        .tailMap(j.baseSeq, false).entrySet()) {
                    if (p.getKey() != j.seq + 1) {
                        // Only at_least_once can lose a record of the changelog (exactly-once aborts and wipes
                        // the store). The window is kept as of its last patch in order and written as a base
                        // at its next change; failing here would fail every restore of the store from now on.
                        LOG.warn("window state of {} lacks patch {} (base {}, next patch found {}): the window"
                                + " goes on from patch {}, changes after it are lost", key, j.seq + 1, j.baseSeq,
                                p.getKey(), j.seq);
                        j.baseBytes = -1;
                        // The next base is numbered past every patch held, so none of them is read after it.
                        j.seq = patches.get(key).lastKey();
                        break;
                    }
                    applyPatch(key, w, j, p.getValue());
                    j.seq++;
                    j.patches++;
                    j.patchBytes += p.getValue().length;
                }
            } else {
                // Written whole by an earlier release: the next flush writes it as a base.
                w = WindowBundle.fromBytes(bytes, parts, grids::get);
                j.baseBytes = -1;
            }
            w.markJournaled();
            j.window = w;
            windows.put(key, w);
            stored.put(key, j);
        });
        // A restored grid was last used at the latest closed end, or by a partial of a window still open (noted,
        // though the merged window kept another side of its subject): at the latest restored window's end at most.
        // It stays until windows of later ends close (windows reopened under lower ends, for a late partial, do not
        // count).
        long lastUsedBound = closedEnds.isEmpty() ? Long.MIN_VALUE : closedEnds.last();
        for (WindowBundle w : windows.values()) {
            lastUsedBound = Math.max(lastUsedBound, w.windowEnd());
        }
        if (lastUsedBound != Long.MIN_VALUE) {
            for (Long fingerprint : grids.keySet()) {
                gridLastUsed.putIfAbsent(fingerprint, lastUsedBound);
            }
        }
        loaded = true;
    }

    private void applyPatch(String key, WindowBundle w, Journal j, byte[] patch) {
        try (DataInputStream in = ByteStreams.input(patch)) {
            in.skipBytes(9);
            w.applyChanges(in, parts, j.partBlobs, patch[0] == PATCH_COMPACT);
        } catch (IOException e) {
            throw new IllegalArgumentException("a patch of window " + key + " in the window state is corrupt: " + e, e);
        }
    }

    /** The sequence number of a base or a patch (after its first byte). */
    private static long sequence(String key, byte[] bytes) {
        if (bytes.length < 9 || bytes[0] != BASE && bytes[0] != PATCH && bytes[0] != PATCH_COMPACT) {
            throw new IllegalArgumentException("window state record " + key + " is corrupt: "
                    + bytes.length + " bytes, kind " + (bytes.length == 0 ? "none" : bytes[0]));
        }
        return ByteBuffer.wrap(bytes, 1, 8).getLong();
    }

    /**
     * The grid of this fingerprint that the store holds for its windows (written with them, or with a window closed
     * since the last flush, until the bound below), or null.
     */
    public NumericGrid grid(long fingerprint) {
        load();
        NumericGrid grid = grids.get(fingerprint);
        return grid != null ? grid : receivedGrids.get(fingerprint);
    }

    /**
     * Notes the grids of a partial's window as used up to its end, and writes those the store does not hold at the
     * next flush: a later partial of the same sending task may name them (see {@link Partial#serde}), whether or not
     * the merged window kept them (a subject merged from two grids keeps one).
     */
    public void noteGrids(WindowBundle partial) {
        if (!written) {
            return; // nothing restores this store, nothing is kept for a restart
        }
        load();
        for (String name : partial.subjectNames()) {
            SubjectSummary s = partial.subject(name);
            if (s.kind() == SubjectSummary.Kind.NUMERIC) {
                NumericGrid grid = s.numericSummary().grid();
                gridLastUsed.merge(grid.fingerprint(), partial.windowEnd(), Math::max);
                if (!grids.containsKey(grid.fingerprint())) {
                    receivedGrids.putIfAbsent(grid.fingerprint(), grid);
                }
            }
        }
    }

    /** The open window under a key, or null. */
    public WindowBundle get(String key) {
        load();
        if (key == lastKey) {
            return lastWindow;
        }
        WindowBundle window = windows.get(key);
        lastKey = key;
        lastWindow = window;
        return window;
    }

    /** Stores (or marks as changed) an open window. */
    public void put(String key, WindowBundle window) {
        load();
        if (key != lastKey || window != lastWindow) {
            windows.put(key, window);
            lastKey = key;
            lastWindow = window;
        }
        // The key is added once between flushes, not looked up in the set again for every event of the window.
        if (!window.markedDirty(this, dirtyGeneration, key)) {
            dirty.add(key);
            window.markDirty(this, dirtyGeneration, key);
        }
    }

    /** Empties {@link #dirty}; windows marked as in it are no longer. */
    private void clearDirty() {
        dirty.clear();
        dirtyGeneration++;
    }

    /** Removes a window (closed and sent on). */
    public void delete(String key) {
        load();
        forgetLast();
        WindowBundle closed = windows.remove(key);
        if (closed != null) {
            usedUntil(closed, null);
            if (closedEnds.add(closed.windowEnd())) {
                if (closedEnds.size() > GRID_KEPT_CLOSES) {
                    closedEnds.pollFirst();
                }
                closedEndsDirty = true;
            }
        }
        dirty.add(key);
    }

    /**
     * Notes that the grids of a window's numeric subjects were used up to its end, and adds their fingerprints to
     * {@code inUse} when given.
     */
    private void usedUntil(WindowBundle w, Set<Long> inUse) {
        for (SubjectSummary s : w.subjectsInAnyOrder()) {
            if (s.kind() == SubjectSummary.Kind.NUMERIC) {
                long fingerprint = s.numericSummary().grid().fingerprint();
                gridLastUsed.merge(fingerprint, w.windowEnd(), Math::max);
                if (inUse != null) {
                    inUse.add(fingerprint);
                }
            }
        }
    }

    private void forgetLast() {
        lastKey = null;
        lastWindow = null;
    }

    /** The open windows whose keys sort at or before {@code toInclusive}, in key order (a live view, not to change). */
    public NavigableMap<String, WindowBundle> upTo(String toInclusive) {
        load();
        return windows.headMap(toInclusive, true);
    }

    /** The open window that ends first (keys sort by window end), or null when none is open. */
    public WindowBundle earliest() {
        load();
        Map.Entry<String, WindowBundle> first = windows.firstEntry();
        return first == null ? null : first.getValue();
    }

    public long streamTime() {
        load();
        return streamTime;
    }

    public void streamTime(long t) {
        load();
        if (t != streamTime) {
            streamTime = t;
            metaDirty = true;
        }
    }

    public long watermark() {
        load();
        return watermark;
    }

    public void watermark(long w) {
        load();
        if (w != watermark) {
            watermark = w;
            metaDirty = true;
        }
    }

    /** Number of open windows (for metrics and tests). */
    public int openWindows() {
        load();
        return windows.size();
    }

    @Override
    public void flush() {
        flushCache();
        inner.flush();
    }

    /**
     * How many times the store was written for a commit ({@link #flushCache}): both stages go on with a step only
     * once the previous step's outputs are being committed ({@link CommitPacedSteps}).
     */
    public long commitsPrepared() {
        return commitsPrepared;
    }

    /**
     * Writes the changed windows to the inner store (and so to the changelog, in the open transaction),
     * with the grids they use that the store does not hold yet.
     */
    @Override
    public void flushCache() {
        commitsPrepared++;
        if (!written) {
            clearDirty();
            metaDirty = false;
            closedEndsDirty = false;
            return;
        }
        Map<Long, NumericGrid> used = new HashMap<>();
        for (String key : dirty) {
            WindowBundle w = windows.get(key);
            if (w == null) {
                Journal j = stored.remove(key);
                if (j != null) {
                    inner.delete(bytes(key));
                    for (int slot = 0; slot < j.slots; slot++) {
                        inner.delete(patchKey(key, slot));
                    }
                }
            } else {
                write(key, w, used);
            }
        }
        clearDirty();
        used.putAll(receivedGrids);
        receivedGrids.clear();
        for (NumericGrid grid : used.values()) {
            if (!grids.containsKey(grid.fingerprint())) {
                inner.put(gridKey(grid.fingerprint(), false), CompactGrids.toBytes(grid));
                grids.put(grid.fingerprint(), grid);
            }
        }
        if (metaDirty) {
            inner.put(bytes(STREAM_TIME), Long.toString(streamTime).getBytes(StandardCharsets.UTF_8));
            inner.put(bytes(WATERMARK), Long.toString(watermark).getBytes(StandardCharsets.UTF_8));
            metaDirty = false;
        }
        if (closedEndsDirty) {
            dropUnusedGrids();
            inner.put(bytes(CLOSED_ENDS), closedEnds.stream().map(String::valueOf)
                    .collect(java.util.stream.Collectors.joining(",")).getBytes(StandardCharsets.UTF_8));
            closedEndsDirty = false;
        }
    }

    /**
     * Writes a changed window: as a patch (its changes since the last write, under the next free slot of the
     * window) while the patches since its base stay smaller than the base, else as a new base (whole).
     */
    private void write(String key, WindowBundle w, Map<Long, NumericGrid> used) {
        Journal j = stored.get(key);
        // A subject that is not journaled was added or replaced since the last write: written as a base, so that
        // no stored record still refers to the grid of a replaced subject, which may be deleted once unused.
        if (j != null && j.window == w && j.baseBytes >= 0 && w.isJournaled()) {
            byte[] patch = record(PATCH_COMPACT, j.seq + 1, w, null, j.partBlobs);
            if (j.patchBytes + patch.length <= j.baseBytes) {
                inner.put(patchKey(key, j.patches), patch);
                j.seq++;
                j.patches++;
                j.slots = Math.max(j.slots, j.patches);
                j.patchBytes += patch.length;
                w.markJournaled();
                return;
            }
        }
        if (j == null) {
            j = new Journal();
            stored.put(key, j);
        }
        byte[] base = record(BASE, j.seq + 1, w, used, null);
        inner.put(bytes(key), base);
        j.window = w;
        j.seq++;
        j.baseSeq = j.seq;
        j.baseBytes = base.length;
        j.patches = 0;
        j.patchBytes = 0;
        j.partBlobs.clear();
        w.markJournaled();
    }

    /**
     * A base (the whole window in the store's form, its grids into {@code used}) or a patch (with
     * {@code partBlobs}), after its kind byte and sequence number, written into the thread's {@link #SCRATCH}
     * (a buffer sized for the whole window, 12 KB a subject, was allocated for every base).
     */
    private static byte[] record(byte kind, long seq, WindowBundle w, Map<Long, NumericGrid> used,
                                 Map<String, byte[]> partBlobs) {
        boolean patch = partBlobs != null;
        return SCRATCH.write(out -> {
            out.writeByte(kind);
            out.writeLong(seq);
            if (patch) {
                w.writeChanges(out, partBlobs, kind == PATCH_COMPACT);
            } else {
                w.writeGridsApart(out, used);
            }
        });
    }

    private static Bytes bytes(String key) {
        return Bytes.wrap(key.getBytes(StandardCharsets.UTF_8));
    }

    private static Bytes patchKey(String window, int slot) {
        return bytes(PATCH_PREFIX + window + "/" + slot);
    }

    /**
     * What the inner store holds of one window: a base with sequence number {@code baseSeq}, and the patches
     * {@code baseSeq + 1 .. seq} in slots {@code 0 .. patches - 1}. Slots up to {@code slots - 1} were written
     * (some hold stale patches, numbered at or below the base: ignored, and reused without a tombstone).
     */
    private static final class Journal {
        /** The live window the records describe (a window put anew under the key is written as a base). */
        WindowBundle window;
        long baseSeq;
        long seq;
        int patches;
        int slots;
        /** The base's size, or −1 for a window an earlier release wrote whole (rewritten as a base). */
        long baseBytes;
        long patchBytes;
        /** Each part's bytes as of the last patch since the base that held it (patches hold changed runs of them). */
        final Map<String, byte[]> partBlobs = new HashMap<>();
    }

    /**
     * Deletes the grids that no open window uses and no closed one did since {@link #GRID_KEPT_CLOSES} distinct
     * window ends closed (their baselines were replaced, or their model versions went quiet): see the class
     * comment.
     */
    private void dropUnusedGrids() {
        // An open window may end before windows that closed (the evaluating stage reopens a window under an
        // evaluated end for a partial that comes after it): what open windows use stays, whatever their ends.
        Set<Long> inUse = new HashSet<>();
        for (WindowBundle w : windows.values()) {
            usedUntil(w, inUse);
        }
        // Grids of windows never written (opened and closed between two commits) are not held.
        gridLastUsed.keySet().retainAll(grids.keySet());
        if (closedEnds.size() < GRID_KEPT_CLOSES) {
            return;
        }
        long keptFrom = closedEnds.first();
        grids.keySet().removeIf(fingerprint -> {
            // A grid not seen used since this store loaded (restored, unused by the restored windows) may go.
            if (inUse.contains(fingerprint) || gridLastUsed.getOrDefault(fingerprint, Long.MIN_VALUE) >= keptFrom) {
                return false;
            }
            inner.delete(gridKey(fingerprint, fixedGrids.remove(fingerprint)));
            gridLastUsed.remove(fingerprint);
            return true;
        });
    }

    private void forgetGrids() {
        grids.clear();
        receivedGrids.clear();
        fixedGrids.clear();
        gridLastUsed.clear();
        closedEnds.clear();
    }

    private static Bytes gridKey(long fingerprint, boolean fixed) {
        return bytes((fixed ? FIXED_GRID_PREFIX : GRID_PREFIX) + Long.toHexString(fingerprint));
    }

    private static NumericGrid readGrid(String key, byte[] bytes, boolean fixed) {
        try {
            return fixed ? SubjectSummary.gridFromBytes(bytes) : CompactGrids.fromBytes(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("grid " + key + " of the window state is corrupt: " + e, e);
        }
    }

    /** Drops the live windows (changes since the last commit included); they are read back on next use. */
    @Override
    public void clearCache() {
        forgetAll();
    }

    /** Forgets everything read or changed since the store was opened: it is read back on next use. */
    private void forgetAll() {
        windows.clear();
        forgetLast();
        clearDirty();
        stored.clear();
        forgetGrids();
        loaded = false;
        streamTime = Long.MIN_VALUE;
        watermark = Long.MIN_VALUE;
        metaDirty = false;
        closedEndsDirty = false;
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<String, WindowBundle> listener, boolean sendOldValues) {
        return false; // nothing downstream listens to this store
    }

    @Override
    public void close() {
        windows.clear();
        forgetLast();
        clearDirty();
        inner.close();
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    @Override
    public Position getPosition() {
        return inner.getPosition();
    }

    private static final class Builder implements StoreBuilder<WindowStateStore> {
        private final StoreBuilder<KeyValueStore<Bytes, byte[]>> inner;
        private final WindowParts parts;
        private boolean logging = true;
        private Map<String, String> logConfig = new HashMap<>();

        Builder(StoreBuilder<KeyValueStore<Bytes, byte[]>> inner, WindowParts parts) {
            this.inner = inner;
            this.parts = parts;
        }

        @Override
        public StoreBuilder<WindowStateStore> withCachingEnabled() {
            throw new UnsupportedOperationException("the window state store caches its own objects");
        }

        @Override
        public StoreBuilder<WindowStateStore> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<WindowStateStore> withLoggingEnabled(Map<String, String> config) {
            logging = true;
            logConfig = new HashMap<>(config);
            inner.withLoggingEnabled(config);
            return this;
        }

        /** For offline analysis only: the windows then live on the heap alone, and nothing can restore them. */
        @Override
        public StoreBuilder<WindowStateStore> withLoggingDisabled() {
            logging = false;
            inner.withLoggingDisabled();
            return this;
        }

        @Override
        public WindowStateStore build() {
            return new WindowStateStore(inner.build(), parts, logging);
        }

        @Override
        public Map<String, String> logConfig() {
            return logConfig;
        }

        @Override
        public boolean loggingEnabled() {
            return logging;
        }

        @Override
        public String name() {
            return inner.name();
        }
    }
}
