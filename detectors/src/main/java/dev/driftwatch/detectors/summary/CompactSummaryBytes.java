package dev.driftwatch.detectors.summary;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Format version 3 of a {@link NumericSummary}, the compact form of window state: every field of the fixed-size
 * form (version 2), bit for bit, with the empty cells left out and each open cell's sum written as its
 * distance from a prediction the grid gives.
 *
 * <pre>
 *   byte     3
 *   long     grid fingerprint (big-endian, as in version 2)
 *   varint   count, missing
 *   double   mean, M₂, min, max (big-endian)
 *   varint   cells (2K + 1, the grid's)
 *   bytes    ⌈cells / 8⌉: bit (c mod 8) of byte ⌊c / 8⌋ is set when cell c holds values
 *   varint   the count of each cell that holds values, in cell order
 *   nibbles  for each open cell that holds values, in order, the length in bytes (0..8) of its sum's code,
 *            two to a byte, the first in the low nibble
 *   bytes    the codes, little-endian, each of its length
 * </pre>
 *
 * An open cell's code is zigzag(o(sum) − o(prediction)) modulo 2⁶⁴, where o maps a double's bits to a long
 * in the order of the doubles and the prediction is the cell's count times the middle of the cell (its one
 * finite end for the two outer cells). Any double survives the trip, and a sum near its prediction (values
 * spread over their cell) has a short code: about 5 bytes instead of 8. Cell counts take 1–3 bytes instead of 4,
 * and the point cells of continuous values, almost all empty, one bit.
 */
final class CompactSummaryBytes {
    static final byte VERSION = 3;
    private static final VarHandle LITTLE_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private CompactSummaryBytes() {
    }

    /**
     * The compact bytes of a summary's filled cells: {@code cells[0..n)} are {@link NumericSummary#entry}s in
     * cell order, {@code sums[i]} the sum of the i-th (read for open cells only); cells of count 0 are skipped.
     */
    static byte[] write(NumericGrid grid, long[] cells, double[] sums, int n, long count, long missing,
                        double mean, double m2, double min, double max) {
        int gridCells = grid.cellCount();
        byte[] out = new byte[1 + 8 + 10 + 10 + 32 + 5 + (gridCells + 7) / 8 + n * 5 + (n + 1) / 2 + n * 8];
        int p = 0;
        out[p++] = VERSION;
        p = putLong(out, p, grid.fingerprint());
        p = putVarint(out, p, count);
        p = putVarint(out, p, missing);
        p = putLong(out, p, Double.doubleToRawLongBits(mean));
        p = putLong(out, p, Double.doubleToRawLongBits(m2));
        p = putLong(out, p, Double.doubleToRawLongBits(min));
        p = putLong(out, p, Double.doubleToRawLongBits(max));
        p = putVarint(out, p, gridCells);
        int bitmap = p;
        p += (gridCells + 7) / 8;
        int filledOpen = 0;
        for (int i = 0; i < n; i++) {
            int c = NumericSummary.cellOfEntry(cells[i]);
            int cellCount = NumericSummary.countOfEntry(cells[i]);
            if (cellCount != 0) {
                out[bitmap + (c >>> 3)] |= (byte) (1 << (c & 7));
                p = putVarint(out, p, cellCount);
                if ((c & 1) == 0) {
                    filledOpen++;
                }
            }
        }
        int nibbles = p;
        p += (filledOpen + 1) / 2;
        double[] points = grid.heldPoints();
        int k = 0;
        for (int i = 0; i < n; i++) {
            int c = NumericSummary.cellOfEntry(cells[i]);
            int cellCount = NumericSummary.countOfEntry(cells[i]);
            if (cellCount == 0 || (c & 1) != 0) {
                continue;
            }
            long code = sumCode(points, c / 2, cellCount, sums[i]);
            int length = (64 - Long.numberOfLeadingZeros(code) + 7) / 8;
            out[nibbles + (k >>> 1)] |= (byte) (length << ((k & 1) * 4));
            for (int b = 0; b < length; b++) {
                out[p++] = (byte) (code >>> (8 * b));
            }
            k++;
        }
        return java.util.Arrays.copyOf(out, p);
    }

    static NumericSummary read(NumericGrid grid, byte[] in) {
        Reader r = new Reader(in);
        r.expect(VERSION);
        long fingerprint = r.getLong();
        long count = r.varint();
        long missing = r.varint();
        double mean = Double.longBitsToDouble(r.getLong());
        double m2 = Double.longBitsToDouble(r.getLong());
        double min = Double.longBitsToDouble(r.getLong());
        double max = Double.longBitsToDouble(r.getLong());
        long cells = r.varint();
        // Checks the grid's fingerprint and cell count before the cells are read.
        NumericSummary.header(grid, fingerprint, count, missing, mean, m2, min, max, (int) Math.min(cells, Integer.MAX_VALUE));
        int gridCells = grid.cellCount();
        int bytes = (gridCells + 7) / 8;
        int bitmap = r.skip(bytes);
        // The bitmap a byte at a time, its set bits only; bits past the grid's last cell are not read.
        int n = 0;
        int filledOpen = 0;
        for (int b = 0; b < bytes; b++) {
            int bits = bitmapByte(in, bitmap, b, gridCells);
            n += Integer.bitCount(bits);
            filledOpen += Integer.bitCount(bits & 0x55); // open cells are the even ones
        }
        if (NumericSummary.readsDense(grid, n)) {
            return readDense(grid, r, bitmap, bytes, filledOpen, count, missing, mean, m2, min, max);
        }
        long[] filled = new long[n];
        double[] sums = new double[n];
        int i = 0;
        for (int b = 0; b < bytes; b++) {
            int bits = bitmapByte(in, bitmap, b, gridCells);
            while (bits != 0) {
                int c = 8 * b + Integer.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                filled[i++] = NumericSummary.entry(c, r.cellCount());
            }
        }
        int nibbles = r.sumLengths(count, filledOpen);
        double[] points = grid.heldPoints();
        int k = 0;
        for (i = 0; i < n; i++) {
            int c = NumericSummary.cellOfEntry(filled[i]);
            if ((c & 1) == 0) {
                sums[i] = sumOfCode(points, c / 2, NumericSummary.countOfEntry(filled[i]), r.code(nibbles, k++));
            }
        }
        r.expectEnd();
        return NumericSummary.ofHeld(grid, filled, sums, n, count, missing, mean, m2, min, max);
    }

    /** Byte {@code b} of the bitmap at {@code bitmap}, its bits past the grid's last cell cleared. */
    private static int bitmapByte(byte[] in, int bitmap, int b, int gridCells) {
        int bits = in[bitmap + b] & 0xFF;
        int past = 8 * b + 8 - gridCells;
        return past > 0 ? bits & (0xFF >>> past) : bits;
    }

    /**
     * {@link #read}'s cells straight into the dense arrays of the summary it gives, for a summary with more filled
     * cells than one holds sparse (a baseline's reference, read back at every window's comparison): the same
     * values and checks as the sparse path, without its arrays of filled cells in between.
     */
    private static NumericSummary readDense(NumericGrid grid, Reader r, int bitmap, int bytes, int filledOpen,
                                            long count, long missing, double mean, double m2, double min, double max) {
        byte[] in = r.in;
        int gridCells = grid.cellCount();
        // Open cells' counts at cell / 2; the point cells' array only when one of them is filled.
        int[] openCounts = new int[grid.pointCount() + 1];
        int[] pointCounts = null;
        double[] openSums = new double[grid.pointCount() + 1];
        for (int b = 0; b < bytes; b++) {
            int bits = bitmapByte(in, bitmap, b, gridCells);
            while (bits != 0) {
                int c = 8 * b + Integer.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                int n = (int) r.cellCount();
                if (!NumericGrid.isPointCell(c)) {
                    openCounts[c / 2] = n;
                } else if (n != 0) {
                    if (pointCounts == null) {
                        pointCounts = new int[grid.pointCount()];
                    }
                    pointCounts[c / 2] = n;
                }
            }
        }
        int nibbles = r.sumLengths(count, filledOpen);
        double[] points = grid.heldPoints();
        int k = 0;
        for (int i = 0; i < openCounts.length; i++) {
            if (openCounts[i] != 0) {
                openSums[i] = sumOfCode(points, i, openCounts[i], r.code(nibbles, k++));
            }
        }
        r.expectEnd();
        return NumericSummary.ofDense(grid, openCounts, pointCounts, openSums, count, missing, mean, m2, min, max);
    }

    /**
     * An open cell's sum as a patch of window state holds it ({@link NumericSummary#writeCompactChanges}): the code
     * of the compact form (zigzagged distance from the prediction, in the doubles' order) as an unsigned varint.
     */
    static void writeSumCode(java.io.DataOutput out, double[] points, int openCell, long count, double sum)
            throws java.io.IOException {
        Varint.writeUnsigned(out, sumCode(points, openCell, count, sum));
    }

    /** An open cell's sum as the zigzagged distance, in the doubles' order, from its count times its middle. */
    private static long sumCode(double[] points, int openCell, long count, double sum) {
        return zigzag(ordered(Double.doubleToRawLongBits(sum))
                - ordered(Double.doubleToRawLongBits(predictedSum(points, openCell, count))));
    }

    /** The sum {@link #sumCode} gave {@code code} for, bit for bit. */
    private static double sumOfCode(double[] points, int openCell, long count, long code) {
        long predicted = ordered(Double.doubleToRawLongBits(predictedSum(points, openCell, count)));
        return Double.longBitsToDouble(ordered(predicted + unzigzag(code)));
    }

    /** Reads what {@link #writeSumCode} wrote: the sum, bit for bit. */
    static double readSumCode(java.io.DataInput in, double[] points, int openCell, long count)
            throws java.io.IOException {
        return sumOfCode(points, openCell, count, Varint.read(in));
    }

    /** The open cell's count times its middle (its finite end for the outer cells). */
    private static double predictedSum(double[] points, int openCell, long count) {
        double middle;
        if (points.length == 0) {
            middle = 0;
        } else if (openCell == 0) {
            middle = points[0];
        } else if (openCell == points.length) {
            middle = points[points.length - 1];
        } else {
            middle = points[openCell - 1] * 0.5 + points[openCell] * 0.5;
        }
        return count * middle;
    }

    /** A double's bits as a long in the doubles' order (its own inverse). */
    private static long ordered(long bits) {
        return bits ^ ((bits >> 63) & Long.MAX_VALUE);
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long z) {
        return (z >>> 1) ^ -(z & 1);
    }

    private static int putLong(byte[] out, int p, long v) {
        for (int i = 7; i >= 0; i--) {
            out[p++] = (byte) (v >>> (8 * i));
        }
        return p;
    }

    private static int putVarint(byte[] out, int p, long v) {
        return Varint.put(out, p, v);
    }

    /** Reads from a byte array, refusing to read past its end. */
    private static final class Reader {
        private final byte[] in;
        private int position;
        private long cellsTotal;

        Reader(byte[] in) {
            this.in = in;
        }

        byte get() {
            if (position >= in.length) {
                throw new IllegalArgumentException("numeric summary bytes are truncated or corrupt: "
                        + in.length + " bytes end before the summary does");
            }
            return in[position++];
        }

        void expect(byte version) {
            byte b = get();
            if (b != version) {
                throw new IllegalArgumentException("not a compact numeric summary: format version " + b);
            }
        }

        long getLong() {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (get() & 0xFFL);
            }
            return v;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = get() & 0xFF;
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("numeric summary bytes hold a varint longer than 10 bytes");
        }

        /** A filled cell's count: a varint of 1..2³¹−1 (added up for {@link #sumLengths}). */
        long cellCount() {
            long cellCount = varint();
            if (cellCount <= 0 || cellCount > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("numeric summary bytes hold a cell count of " + cellCount);
            }
            cellsTotal += cellCount;
            return cellCount;
        }

        /**
         * After the cell counts: checks that they add up to {@code count} and skips the lengths of the
         * {@code filledOpen} sums' codes, giving where they start.
         */
        int sumLengths(long count, int filledOpen) {
            if (cellsTotal != count) {
                throw new IllegalArgumentException("numeric summary bytes count " + count
                        + " values but their cells " + cellsTotal);
            }
            return skip((filledOpen + 1) / 2);
        }

        /** The k-th sum's code: its length from the nibbles at {@code nibbles}, then its bytes, little-endian. */
        long code(int nibbles, int k) {
            int length = (in[nibbles + (k >>> 1)] >>> ((k & 1) * 4)) & 0xF;
            if (length > 8) {
                throw new IllegalArgumentException("numeric summary bytes hold a sum of " + length + " bytes");
            }
            int start = skip(length);
            if (length == 0) {
                return 0;
            }
            if (start + Long.BYTES <= in.length) {
                // Eight bytes at once, those past the code masked off (no loop of a length that varies per code).
                return (long) LITTLE_ENDIAN_LONG.get(in, start) & (-1L >>> (64 - 8 * length));
            }
            long code = 0;
            for (int b = 0; b < length; b++) {
                code |= (in[start + b] & 0xFFL) << (8 * b);
            }
            return code;
        }

        void expectEnd() {
            if (position != in.length) {
                throw new IllegalArgumentException("numeric summary bytes go on for " + (in.length - position)
                        + " bytes after the summary");
            }
        }

        /** Skips n bytes, giving where they start. */
        int skip(int n) {
            if (n > in.length - position) {
                throw new IllegalArgumentException("numeric summary bytes are truncated or corrupt: "
                        + in.length + " bytes end before the summary does");
            }
            int start = position;
            position += n;
            return start;
        }
    }
}
