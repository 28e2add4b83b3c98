package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.FeatureKind;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.SoftReference;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How the global baselines store of one application instance holds numeric baselines: each subject's record
 * without its fine grid and bins (a few hundred bytes), and the parsed baseline (its grid, the one the subject's
 * windows are summarised on, and its reference, read once) once per instance for every subject with the same content
 * (the model versions of one training set, or a baseline published under several versions). The store held every
 * record whole (6.3 KB per numeric subject on the default grid) and the parsed baseline a second copy of its
 * reference; a subject's parsed baseline now shares the part's grid and reference ({@link #parse}: the record's few
 * hundred bytes to decode, nothing else). The part held the grid's points and the reference's compact bytes, and
 * every comparison read the reference back from them (as much CPU as the tests themselves), a second grid was built
 * at every parse, and the points were held a second time beside the grid the windows use.
 *
 * <p>A part that one subject names (a baseline per model version) holds its reference in compact bytes (about 3.6 KB
 * on the default grid where the reference held whole takes 7 KB, half of such a part), read back once per window of
 * the subject, when its comparison takes it (about 7 us on the default grid). A part that several subjects name
 * holds it whole, read once for all of them.
 *
 * <p>The store is in memory and not logged: these values never leave the process, and the baselines topic keeps the
 * records as they were published. A value that is a record's bytes as published (a categorical or embedding
 * baseline, one that cannot be parsed, a part whose content-hash collides, or a store filled without this class) is
 * read as before: {@link #isShared} tells the two apart (published records start with the wire format's 0 byte, and
 * with no serde with the marker and version bytes).
 *
 * <p>{@link BaselineLoader} is the only writer (one thread); lookups read from every stream thread.
 */
public final class SharedReferences {
    /** First byte of a value that names a shared part; a published record's first byte is the wire format's 0. */
    static final byte MARKER = 0x44;
    private static final byte VERSION = 1;
    private static final int HEADER = 2 + Long.BYTES;

    /**
     * What subjects with the same content share: the parsed baseline, its grid (interned, see {@link Grids}) and its
     * reference, with the provenance of the first subject stored. The reference is held in its compact bytes while
     * one subject names the part, and whole while two or more do ({@link #named}, {@link #unnamed}).
     */
    static final class Part {
        final long id;
        /**
         * The baseline handed out: {@link #compact} while one subject names the part, its reference held whole while
         * more do. Written by the loader's thread, read by the lookups of every stream thread.
         */
        private volatile NumericBaseline baseline;
        /** The baseline as parsed, its reference in compact bytes. */
        private final NumericBaseline compact;
        /** Store values naming it; written by the loader's thread only. */
        int users;
        /**
         * The reference's compact bytes while memory allows, for {@link #sameContent}: the reference is held whole,
         * and encoding it again for every subject with this content (the model versions of one training set, at
         * start-up) took a seventh of what loading the subject's record costs. Loader's thread only.
         */
        private SoftReference<byte[]> compactReference;

        Part(long id, NumericBaseline baseline) {
            this.id = id;
            this.baseline = baseline;
            this.compact = baseline;
        }

        NumericBaseline baseline() {
            return baseline;
        }

        /**
         * Another subject names the part: from the second one on, its reference is held whole, read once here for
         * all of them (the model versions of one training set), rather than read back from the compact bytes at
         * every window of every one of them. The same values bit for bit; the same grid and what is computed of
         * the reference, the very objects.
         */
        void named() {
            users++;
            if (users == 2) {
                baseline = compact.withReferenceHeld();
            }
        }

        /**
         * A value naming the part was replaced or deleted: back to the compact reference when one subject is left
         * (a baseline published again stores its new value before the old one is let go, so it is named twice for a
         * moment). Returns whether no value names it any more.
         */
        boolean unnamed() {
            users--;
            if (users == 1) {
                baseline = compact;
            }
            return users <= 0;
        }

        /** Whether a baseline on {@code grid} whose reference has the compact bytes {@code reference} is this one's. */
        boolean sameContent(NumericGrid grid, byte[] reference) {
            NumericBaseline b = baseline;
            if (!b.grid().equals(grid)) {
                return false;
            }
            byte[] held = compactReference == null ? null : compactReference.get();
            if (held == null) {
                held = b.compactReference();
                compactReference = new SoftReference<>(held);
            }
            return Arrays.equals(held, reference);
        }
    }

    /** Thrown by {@link #parse} when a value names a part no longer held: the store changed meanwhile. */
    static final class PartGone extends RuntimeException {
        PartGone(long id) {
            super("shared baseline part " + Long.toHexString(id) + " is no longer held", null, false, false);
        }
    }

    private final Map<Long, Part> parts = new ConcurrentHashMap<>();

    /**
     * Whether a stored value names a shared part (else it is a published record's bytes). Both the marker and the
     * version byte: a record published by a serde without the wire format's header could begin with the marker
     * (plain Avro starts with the baseline id's length, 0x44 for 34 characters), never with it and then a 1 (the
     * id's first character).
     */
    static boolean isShared(byte[] value) {
        return value.length > HEADER && value[0] == MARKER && value[1] == VERSION;
    }

    /**
     * The value to store for a readable record: for a numeric baseline that parses, its record without grid and bins
     * naming a shared part (taken by this value until {@link #release}d); otherwise {@code published} itself.
     */
    byte[] store(Baseline record, byte[] published) {
        if (record.getKind() != FeatureKind.NUMERIC || record.getFineGrid() == null || record.getMultivariate() != null) {
            return published;
        }
        NumericBaseline numeric;
        try {
            numeric = BaselineCodec.numeric(record);
        } catch (RuntimeException e) {
            return published; // kept as published: the lookup reports why it cannot be used
        }
        NumericGrid grid = numeric.grid();
        byte[] reference = numeric.compactReference();
        long id = id(grid.points(), grid.bins().edges(), reference);
        Part known = parts.get(id);
        if (known != null && !known.sameContent(grid, reference)) {
            return published; // another content with the same 64-bit id: not shared
        }
        ByteBuffer header;
        try {
            header = BaselineLookup.withoutGrid(record).toByteBuffer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Counted only once the value that names the part is made (a failure above leaves no user behind).
        if (known == null) {
            known = new Part(id, numeric); // its reference held compact while no other subject names it
            parts.put(id, known);
        }
        known.named();
        ByteBuffer out = ByteBuffer.allocate(HEADER + header.remaining());
        out.put(MARKER).put(VERSION).putLong(known.id).put(header);
        return out.array();
    }

    /** Lets go of the part a stored value named, after the value was replaced or deleted (null: nothing). */
    void release(byte[] value) {
        if (value == null || !isShared(value)) {
            return;
        }
        long id = ByteBuffer.wrap(value, 2, Long.BYTES).getLong();
        Part part = parts.get(id);
        if (part != null && part.unnamed()) {
            parts.remove(id);
        }
    }

    /**
     * The parsed baseline of a stored value that names a shared part: its record (without grid and bins) and the
     * numeric baseline with the record's provenance, whose grid and reference are the part's, the very objects.
     *
     * @throws PartGone when the part is no longer held (the subject's value was replaced since it was read)
     * @throws IllegalArgumentException when the value is not one this class wrote
     */
    BaselineLookup.Entry parse(byte[] value) {
        ByteBuffer in = ByteBuffer.wrap(value);
        if (in.get() != MARKER || in.get() != VERSION) {
            throw new IllegalArgumentException("not a stored baseline of format " + VERSION);
        }
        long id = in.getLong();
        Part part = parts.get(id);
        if (part == null) {
            throw new PartGone(id);
        }
        Baseline record;
        try {
            record = Baseline.fromByteBuffer(in.slice());
        } catch (IOException e) {
            throw new IllegalArgumentException("stored baseline record cannot be read: " + e.getMessage(), e);
        }
        return new BaselineLookup.Entry(record, part.baseline().withProvenance(BaselineCodec.provenance(record)), null);
    }

    /** The parts held, by id, with the number of stored values naming each (for tests). */
    Map<Long, Integer> users() {
        Map<Long, Integer> out = new HashMap<>();
        parts.forEach((id, p) -> out.put(id, p.users));
        return out;
    }

    /** A 64-bit hash of the part's content (equal content gives the same id; a collision is checked). */
    private static long id(double[] points, double[] edges, byte[] reference) {
        long h = 0x9E3779B97F4A7C15L;
        for (double p : points) {
            h = mix(h, Double.doubleToRawLongBits(p));
        }
        h = mix(h, points.length);
        for (double e : edges) {
            h = mix(h, Double.doubleToRawLongBits(e));
        }
        h = mix(h, edges.length);
        for (byte b : reference) {
            h = mix(h, b);
        }
        return mix(h, reference.length);
    }

    private static long mix(long h, long v) {
        h ^= v;
        h *= 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 31);
    }
}
