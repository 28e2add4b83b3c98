package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.BinEdges;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.detectors.summary.Varint;

import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The compact form of a {@link NumericGrid}, as partials (format 5) and the retained-windows store carry it: about
 * 2.8 KB for a grid of 417 points where the fixed form ({@link SubjectSummary#gridToBytes}) takes 3.4 KB.
 *
 * <pre>
 *   long     fingerprint (big-endian)
 *   varint   point count K
 *   byte     s: the trailing zero bits every step below drops
 *   long     o(p₀) (big-endian)
 *   nibbles  for each step i = 1..K−1, the length in bytes (0..8) of its code, two to a byte, the first low
 *   bytes    the codes, little-endian, each of its length: (o(pᵢ) − o(pᵢ₋₁)) &gt;&gt;&gt; s, unsigned
 *   varint   edge count E, then the edges as point indices: the first, then each one's distance from the one before
 * </pre>
 *
 * o maps a double's bits to a long in the order of the doubles, so the steps between sorted points are positive
 * and short; the coarse edges are points of the grid, so an index names each. Every point survives the trip bit
 * for bit, and the fingerprint is checked on reading. Steps with trailing zeros in common (coarse values, as long
 * as every point and edge is one) lose them; points of full-precision data take about 6.5 bytes each, which is
 * about what they hold.
 */
final class CompactGrids {
    private CompactGrids() {
    }

    /**
     * Per thread: the steps of the grid being encoded and its bytes, reused from grid to grid. A partial encodes a
     * grid per numeric subject (twice per window and subject with two input partitions), and the arrays built anew
     * for each took about 10 KB: a gigabyte at each window's close at platform scale.
     */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        long[] steps = new long[0];
        byte[] bytes = new byte[0];
        /** Over {@code bytes}, for the big-endian longs. */
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
    }

    /**
     * The compact bytes of a grid, built anew on each call: a few microseconds, against a cache that would either
     * miss at platform scale (tens of thousands of grids in turn) or hold about 2.8 KB more per grid in use.
     */
    static byte[] toBytes(NumericGrid grid) {
        Scratch scratch = SCRATCH.get();
        int length = encode(grid, scratch); // first: it may replace the scratch's array with a larger one
        return Arrays.copyOf(scratch.bytes, length);
    }

    /** Writes a grid's compact bytes after their length (varint), so that a reader may skip them. */
    static void write(DataOutput out, NumericGrid grid) throws IOException {
        Scratch scratch = SCRATCH.get();
        int length = encode(grid, scratch);
        Varint.write(out, length);
        out.write(scratch.bytes, 0, length);
    }

    /**
     * Reads what {@link #write} wrote: a grid this process already holds ({@link Grids}) is taken as it is and its
     * bytes skipped; any other is decoded, its fingerprint checked, and interned.
     */
    static NumericGrid read(DataInputStream in) throws IOException {
        long length = Varint.read(in);
        if (length < 12 || length > Integer.MAX_VALUE) {
            throw new IOException("grid of " + length + " bytes");
        }
        long fingerprint = in.readLong();
        long pointCount = Varint.read(in);
        int header = 8 + varintLength(pointCount);
        if (header > length) {
            throw new IOException("grid of " + length + " bytes");
        }
        NumericGrid known = Grids.known(fingerprint);
        if (known != null && known.pointCount() == pointCount) {
            // A grid already held: its points need neither a buffer nor parsing.
            if (in.skipBytes((int) length - header) != length - header) {
                throw new java.io.EOFException("partial ends inside a grid");
            }
            return known;
        }
        byte[] bytes = new byte[(int) length];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (fingerprint >>> (56 - 8 * i));
        }
        int at = 8;
        for (long v = pointCount; ; v >>>= 7) {
            bytes[at++] = (byte) ((v & 0x7F) | ((v & ~0x7FL) != 0 ? 0x80 : 0));
            if ((v & ~0x7FL) == 0) {
                break;
            }
        }
        in.readFully(bytes, header, (int) length - header);
        return fromBytes(bytes);
    }

    private static int varintLength(long v) {
        int length = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            length++;
        }
        return length;
    }

    /** Reads a grid's compact bytes, checking its fingerprint. */
    static NumericGrid fromBytes(byte[] bytes) throws IOException {
        long fingerprint = getLong(bytes, 0);
        NumericGrid known = Grids.known(fingerprint);
        if (known != null && known.pointCount() == pointCount(bytes)) {
            return known;
        }
        NumericGrid grid = decode(bytes);
        if (grid.fingerprint() != fingerprint) {
            throw new IOException("grid fingerprint mismatch: stored " + Long.toHexString(fingerprint)
                    + ", computed " + Long.toHexString(grid.fingerprint()));
        }
        return Grids.intern(grid);
    }

    private static long order(double d) {
        long bits = Double.doubleToRawLongBits(d);
        return bits >= 0 ? bits : bits ^ Long.MAX_VALUE;
    }

    private static double unorder(long o) {
        return Double.longBitsToDouble(o >= 0 ? o : o ^ Long.MAX_VALUE);
    }

    /** Encodes a grid into {@code scratch.bytes}, giving the length. */
    private static int encode(NumericGrid grid, Scratch scratch) {
        // The points one by one (pointOf, cell 2i + 1 being point i): points() would copy them, 3.3 KB a grid.
        double[] edges = grid.bins().edges();
        int k = grid.pointCount();
        int stepCount = Math.max(0, k - 1);
        if (scratch.steps.length < stepCount) {
            scratch.steps = new long[stepCount];
        }
        long[] steps = scratch.steps;
        long any = 0;
        long before = order(grid.pointOf(1));
        for (int i = 1; i < k; i++) {
            long o = order(grid.pointOf(2 * i + 1));
            steps[i - 1] = o - before;
            before = o;
            any |= steps[i - 1];
        }
        int shift = any == 0 ? 0 : Long.numberOfTrailingZeros(any);
        int nibbleBytes = (stepCount + 1) / 2;
        int most = 8 + 10 + 1 + 8 + nibbleBytes + 8 * stepCount + 10 + 10 * edges.length;
        if (scratch.bytes.length < most) {
            scratch.bytes = new byte[most];
            scratch.buffer = ByteBuffer.wrap(scratch.bytes);
        }
        byte[] out = scratch.bytes;
        scratch.buffer.putLong(0, grid.fingerprint());
        int p = Varint.put(out, 8, k);
        out[p++] = (byte) shift;
        scratch.buffer.putLong(p, order(grid.pointOf(1)));
        p += 8;
        int lengths = p;
        Arrays.fill(out, lengths, lengths + nibbleBytes, (byte) 0);
        p += nibbleBytes;
        for (int i = 0; i < stepCount; i++) {
            long step = steps[i] >>> shift;
            int length = (64 - Long.numberOfLeadingZeros(step) + 7) / 8;
            out[lengths + i / 2] |= (byte) (length << (4 * (i & 1)));
            for (; step != 0; step >>>= 8) {
                out[p++] = (byte) step;
            }
        }
        p = Varint.put(out, p, edges.length);
        // Each edge is a point (NumericGrid checks): found by walking on from the one before, the edges ascending.
        int previous = 0;
        int at = 0;
        for (double e : edges) {
            while (at < k && Double.compare(grid.pointOf(2 * at + 1), e) < 0) {
                at++;
            }
            if (at == k || Double.compare(grid.pointOf(2 * at + 1), e) != 0) {
                throw new IllegalArgumentException("grid edge " + e + " is not a point of the grid");
            }
            p = Varint.put(out, p, at - previous);
            previous = at;
        }
        return p;
    }

    /** Decodes a grid's compact bytes (whether or not this process holds the grid). */
    static NumericGrid decode(byte[] bytes) throws IOException {
        try (DataInputStream in = ByteStreams.input(bytes)) {
            in.readLong();
            long k = Varint.read(in);
            if (k < 1 || k > bytes.length) {
                throw new IOException("grid of " + k + " points in " + bytes.length + " bytes");
            }
            int shift = in.readUnsignedByte();
            if (shift > 63) {
                throw new IOException("grid step shift " + shift);
            }
            double[] points = new double[(int) k];
            long o = in.readLong();
            points[0] = unorder(o);
            byte[] lengths = new byte[((int) k) / 2];
            in.readFully(lengths);
            for (int i = 1; i < k; i++) {
                int length = (lengths[(i - 1) / 2] >>> (4 * ((i - 1) & 1))) & 0xF;
                if (length > 8) {
                    throw new IOException("grid step of " + length + " bytes");
                }
                long step = 0;
                for (int b = 0; b < length; b++) {
                    step |= (long) in.readUnsignedByte() << (8 * b);
                }
                o += step << shift;
                points[i] = unorder(o);
            }
            long e = Varint.read(in);
            if (e > k) {
                throw new IOException("grid of " + k + " points with " + e + " edges");
            }
            double[] edges = new double[(int) e];
            long at = 0;
            for (int i = 0; i < edges.length; i++) {
                at += Varint.read(in);
                if (at >= k) {
                    throw new IOException("grid edge at point " + at + " of " + k);
                }
                edges[i] = points[(int) at];
            }
            return NumericGrid.of(points, BinEdges.of(edges));
        } catch (IllegalArgumentException e) {
            throw new IOException("grid bytes are corrupt: " + e.getMessage(), e);
        }
    }

    /** The point count after the fingerprint (a varint). */
    private static long pointCount(byte[] bytes) {
        long value = 0;
        for (int at = 8, shift = 0; at < bytes.length && shift < 64; at++, shift += 7) {
            value |= (long) (bytes[at] & 0x7F) << shift;
            if ((bytes[at] & 0x80) == 0) {
                return value;
            }
        }
        return -1;
    }

    private static long getLong(byte[] bytes, int at) throws IOException {
        if (bytes.length < at + 8) {
            throw new IOException("grid of " + bytes.length + " bytes");
        }
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (bytes[at + i] & 0xFF);
        }
        return v;
    }
}
