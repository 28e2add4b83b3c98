package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.summary.ByteSink;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.detectors.summary.Varint;

import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * The values of the retained-windows store (windows kept for CAPTURE_BASELINE). A window is kept in the store's
 * form with its grids apart ({@link WindowBundle#toBytesGridsApart}, the numeric subjects referring to their grids
 * by fingerprint) after a header listing those fingerprints; each grid is kept once per model version (and
 * segment) under {@link #gridKey}, compact ({@link CompactGrids}), for as long as a retained window of that
 * version refers to it. A window of the default grid's numeric subject so takes its summary's compact bytes
 * (about 0.8 KB at 100 values) where the self-contained form took 3.4 KB more for the grid, in every window.
 *
 * <pre>
 *   byte     6
 *   varint   n, then n fingerprints (long): the grids the window refers to
 *   bytes    the window, format 3
 * </pre>
 *
 * Values written whole by earlier releases (the self-contained form, versions 1 and 2, first byte 1 or 2) are
 * still read, and refer to no grid.
 */
final class RetainedWindows {
    /** First byte of a window kept with its grids apart (window formats are 1 to 3, partials' 5 and 7). */
    private static final byte GRIDS_APART = 6;
    /**
     * After a model version's key prefix: its grids. Sorts after the windows' zero-padded times, so a range of
     * a version's windows holds no grid.
     */
    private static final String GRID = "~grid/";

    private RetainedWindows() {
    }

    /** The store key of a grid of the model version whose keys start with {@code prefix}. */
    static String gridKey(String prefix, long fingerprint) {
        return prefix + GRID + HexFormat.of().toHexDigits(fingerprint);
    }

    /** A window's value; the grids it refers to are put into {@code grids}, for the caller to keep. */
    static byte[] toBytes(WindowBundle window, Map<Long, NumericGrid> grids) {
        Map<Long, NumericGrid> used = new java.util.LinkedHashMap<>();
        byte[] body = window.toBytesGridsApart(used);
        ByteSink header = ByteStreams.output(16 + 8 * used.size());
        try {
            DataOutput out = header;
            out.writeByte(GRIDS_APART);
            Varint.write(out, used.size());
            for (long fingerprint : used.keySet()) {
                out.writeLong(fingerprint);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        grids.putAll(used);
        byte[] head = header.toByteArray();
        byte[] value = java.util.Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, value, head.length, body.length);
        return value;
    }

    /** A grid's value. */
    static byte[] gridToBytes(NumericGrid grid) {
        return CompactGrids.toBytes(grid);
    }

    /** Reads a grid's value. */
    static NumericGrid gridFromBytes(String key, byte[] bytes) {
        try {
            return CompactGrids.fromBytes(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("retained grid " + key + " is corrupt: " + e.getMessage(), e);
        }
    }

    /** Reads a window's value of any release; {@code grids} gives the model version's grids by fingerprint. */
    static WindowBundle fromBytes(byte[] bytes, WindowParts parts, LongFunction<NumericGrid> grids) {
        if (bytes.length == 0 || bytes[0] != GRIDS_APART) {
            return WindowBundle.fromBytes(bytes, parts);
        }
        try (DataInputStream in = ByteStreams.input(bytes)) {
            in.readByte();
            long n = Varint.read(in);
            for (long i = 0; i < n; i++) {
                in.readLong();
            }
            return WindowBundle.read(in, parts, grids);
        } catch (IOException e) {
            throw new IllegalArgumentException("retained window bytes are corrupt: " + e, e);
        }
    }

    /** The fingerprints of the grids a window's value refers to (none for a self-contained one). */
    static Set<Long> gridsOf(byte[] bytes) {
        Set<Long> fingerprints = new HashSet<>();
        if (bytes.length == 0 || bytes[0] != GRIDS_APART) {
            return fingerprints;
        }
        try (DataInputStream in = ByteStreams.input(bytes)) {
            in.readByte();
            long n = Varint.read(in);
            for (long i = 0; i < n; i++) {
                fingerprints.add(in.readLong());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("retained window bytes are corrupt: " + e, e);
        }
        return fingerprints;
    }
}
