package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The parsed baselines of one application instance, shared by all its tasks and stream threads (every task
 * reads the same global store). A subject's baseline is parsed once per instance, not once per task, and
 * parsed again only when its stored bytes change ({@link BaselineLoader} drops the entry at once, and an entry
 * whose bytes differ from the store's is never handed out). The cache is bounded by the estimated heap bytes of
 * what it holds ({@link #weight}): at 50,000 subjects a count bound either holds far more than the heap allows
 * or parses every subject again every window.
 *
 * <p>When full, a new entry takes the place of the least recently used one only if that one has not been used for
 * {@link #MIN_IDLE_NANOS}; otherwise the new one is handed out but not kept. Every window asks for every subject
 * in turn, and with more subjects than fit, plain LRU would evict each subject just before it is asked for again
 * (no hits at all); this way the subjects kept stay kept (hits in the proportion that fits), and those of
 * model versions no longer seen make room after two minutes.
 *
 * <p>Thread-safe: lookups take a short lock; parsing happens outside it (two threads that miss the same subject
 * at once may both parse it, and the first one kept is handed to both afterwards).
 */
public final class BaselineCache {
    /**
     * The default bound: a quarter of the heap (512 MB of a 2 GB heap: some 30,000 numeric baselines parsed from
     * published records, each with a grid and reference of its own, and some 400,000 of those the store holds in
     * parts shared by content, the usual case, whose grid and reference the parts hold).
     */
    public static final double DEFAULT_HEAP_FRACTION = 0.25;

    /** A subject's stored bytes, what they parsed to (empty when they cannot be used) and its estimated size. */
    private static final class Parsed {
        final byte[] bytes;
        final Optional<BaselineLookup.Entry> entry;
        final long weight;
        /** When it was last handed out (nanoTime); written under the cache's lock. */
        long used;

        Parsed(byte[] bytes, Optional<BaselineLookup.Entry> entry, long weight, long used) {
            this.bytes = bytes;
            this.entry = entry;
            this.weight = weight;
            this.used = used;
        }

        boolean holds(byte[] stored) {
            return bytes == stored || Arrays.equals(bytes, stored);
        }
    }

    /** How long the least recently used entry must have been unused before a new one may take its place. */
    static final long MIN_IDLE_NANOS = 120_000_000_000L;

    private final long maxBytes;
    /** How the instance's baselines store holds numeric baselines' grids and references (once per content). */
    private final SharedReferences shared = new SharedReferences();
    private final LongSupplier nanoClock;
    private final Map<String, Parsed> entries = new LinkedHashMap<>(1024, 0.75f, true);
    private long bytes;
    private final AtomicLong parses = new AtomicLong();
    private final AtomicLong evictions = new AtomicLong();

    /** @param maxBytes the most estimated heap bytes of parsed baselines to keep, &ge; 0 (0 keeps none) */
    public BaselineCache(long maxBytes) {
        this(maxBytes, System::nanoTime);
    }

    /** As above, with the clock of {@link #MIN_IDLE_NANOS} (for tests). */
    BaselineCache(long maxBytes, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        if (maxBytes < 0) {
            throw new IllegalArgumentException("the baseline cache's bound must be >= 0 bytes, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** A cache bounded by {@link #DEFAULT_HEAP_FRACTION} of this JVM's maximum heap. */
    public static BaselineCache ofHeap() {
        return new BaselineCache((long) (Runtime.getRuntime().maxMemory() * DEFAULT_HEAP_FRACTION));
    }

    /** The parsed form of the stored bytes {@code bytes} of {@code key}, parsed by {@code parser} unless known. */
    Optional<BaselineLookup.Entry> find(String key, byte[] bytes,
                                        Function<byte[], Optional<BaselineLookup.Entry>> parser) {
        Parsed known;
        synchronized (this) {
            known = entries.get(key);
            if (known != null) {
                known.used = nanoClock.getAsLong();
            }
        }
        // The in-memory store hands back the array it holds, so a comparison of references nearly always decides.
        if (known != null && known.holds(bytes)) {
            return known.entry;
        }
        Optional<BaselineLookup.Entry> entry = parser.apply(bytes);
        parses.incrementAndGet();
        synchronized (this) {
            long now = nanoClock.getAsLong();
            Parsed parsed = new Parsed(bytes, entry, weight(bytes, entry), now);
            Parsed current = entries.get(key);
            if (current != null && current != known && current.holds(bytes)) {
                return current.entry; // another thread parsed the same bytes meanwhile: hand out one object
            }
            if (current != null) {
                entries.remove(key);
                this.bytes -= current.weight;
            }
            if (makeRoom(parsed.weight, now)) {
                entries.put(key, parsed);
                this.bytes += parsed.weight;
            }
        }
        return entry;
    }

    /** Evicts least recently used entries idle long enough until {@code weight} more fits; false if it cannot. */
    private boolean makeRoom(long weight, long now) {
        if (weight > maxBytes) {
            return false;
        }
        Iterator<Parsed> eldest = entries.values().iterator();
        while (bytes + weight > maxBytes) {
            Parsed e = eldest.next();
            if (now - e.used < MIN_IDLE_NANOS) {
                return false;
            }
            bytes -= e.weight;
            eldest.remove();
            evictions.incrementAndGet();
        }
        return true;
    }

    /** The grids and references the instance's baselines store shares among subjects with the same content. */
    SharedReferences shared() {
        return shared;
    }

    /** Forgets the parsed form of a subject, after its stored baseline changed or was deleted. */
    public void invalidate(String key) {
        synchronized (this) {
            Parsed gone = entries.remove(key);
            if (gone != null) {
                bytes -= gone.weight;
            }
        }
    }

    /** How many times a baseline was parsed (each miss parses once): for tests and benchmarks. */
    public long parses() {
        return parses.get();
    }

    /** Entries dropped to stay within the bound. */
    public long evictions() {
        return evictions.get();
    }

    /** The estimated heap bytes held. */
    public synchronized long bytes() {
        return bytes;
    }

    /** The subjects held. */
    public synchronized int size() {
        return entries.size();
    }

    /** The bound, in estimated heap bytes. */
    public long maxBytes() {
        return maxBytes;
    }

    /**
     * The estimated heap bytes that keeping a parsed baseline holds: the decoded record, taken as four times its
     * stored bytes (strings, maps and boxed numbers); for a numeric one parsed from a published record also its grid
     * (points, cell-to-bin map and the guide to cells, about 6 KB on the default grid, shared with every window on
     * the baseline) and its reference counts (packed) and sums (about 5 KB). A numeric one the store holds in a shared
     * part ({@link SharedReferences}; the record without grid, a few hundred bytes) counts its record alone: its grid
     * and reference are the part's, held once for every subject with the same content for as long as the store holds
     * the subject, kept here or not. Counting them here too kept some 31,000 of 40,000 numeric subjects in 512 MB, and
     * every window parsed the others again.
     */
    static long weight(byte[] bytes, Optional<BaselineLookup.Entry> entry) {
        long objects = 512;
        NumericBaseline numeric = entry.map(BaselineLookup.Entry::numeric).orElse(null);
        if (numeric == null || SharedReferences.isShared(bytes)) {
            return objects + 4L * bytes.length;
        }
        NumericGrid grid = numeric.grid();
        long points = grid.pointCount();
        long cells = grid.cellCount();
        long guide = (points <= Character.MAX_VALUE ? 2 : 4) * cells; // a count per part, a char while K fits one
        int bins = grid.bins().binCount();
        long cellToBin = (bins <= 256 ? 1 : bins <= Character.MAX_VALUE + 1 ? 2 : 4) * cells; // a byte a cell mostly
        long gridBytes = 8 * points + cellToBin + guide + 16 * grid.bins().edges().length;
        long reference = 2 * cells + 8 * (points + 1); // at most: compact counts, a byte or two each, and sums (NumericBaseline)
        return objects + 1024 + gridBytes + reference;
    }
}
