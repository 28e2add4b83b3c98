package dev.driftwatch.streams.compare;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The fast path of {@link CsvColumns} for the common file: every column numeric, no quotes, ASCII, LF or CRLF
 * line ends. It reads the file's bytes mapped (not decoded into strings), parses numbers from the bytes, and
 * parses parts of the file on the machine's cores at once. Any file it is not sure of (a quote, a cell that is
 * not a number, a bad header, a wrong field count, a lone CR, a byte outside ASCII, no data row) it hands back
 * unread (null), for the general reader to read, or to report, exactly as before.
 *
 * <p>It gives what the general reader gives: a cell is trimmed as {@link String#trim()} does; missing when empty
 * or NaN / ±Inf in any spelling; otherwise a number of {@link CsvColumns#parseNumber}'s grammar, whose value is
 * {@link Double#parseDouble}'s. Numbers of at most 18 digits and a power of ten within ±22 are computed
 * directly: an exact integer times or divided by an exact power of ten, one correctly rounded operation, so the
 * same double; the rest go to {@code Double.parseDouble}.
 */
final class NumericCsvReader {
    private static final double[] POWERS = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POWERS.length; i++) {
            POWERS[i] = p;
            p *= 10;
        }
    }

    /**
     * A part of the file's data rows, parsed into the file's columns from row {@code offset} on: the part's lines
     * are counted first, so every part writes where its rows belong and no part's values are copied to the
     * columns afterwards (that copy was another 8 MB array per column of a million rows).
     */
    private static final class Part {
        final double[][] values;
        final int offset;
        final int capacity;
        final long[] missing;
        int rows;
        boolean giveUp;

        Part(double[][] values, int offset, int capacity) {
            this.values = values;
            this.offset = offset;
            this.capacity = capacity;
            missing = new long[values.length];
        }
    }

    /** The parsed columns, or null when the file needs the general reader. */
    record Result(List<String> names, double[][] values, long[] missing, int rows) {
    }

    private final MappedByteBuffer bytes;
    private final int size;

    private NumericCsvReader(MappedByteBuffer bytes, int size) {
        this.bytes = bytes;
        this.size = size;
    }

    /** Reads a file of numeric columns only, or returns null for the general reader to read it. */
    static Result read(Path path) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size == 0 || size > Integer.MAX_VALUE - 8) {
                return null;
            }
            return new NumericCsvReader(channel.map(FileChannel.MapMode.READ_ONLY, 0, size), (int) size).read();
        } catch (IOException | UnsupportedOperationException e) {
            return null; // the general reader reports it
        }
    }

    private Result read() {
        int headerEnd = lineEnd(0);
        List<String> names = header(headerEnd);
        if (names == null) {
            return null;
        }
        int dataStart = Math.min(size, headerEnd + 1);
        int parts = (int) Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(),
                (size - dataStart) / (1 << 20)));
        int[] starts = new int[parts + 1];
        starts[0] = dataStart;
        for (int p = 1; p < parts; p++) {
            int at = Math.max(starts[p - 1], dataStart + (int) ((long) (size - dataStart) * p / parts));
            starts[p] = Math.min(size, lineEnd(at) + 1);
        }
        starts[parts] = size;
        // The lines of each part (at least its rows: blank lines are skipped), counted on the cores at once.
        int[] lines = new int[parts];
        if (!inParallel(parts, p -> lines[p] = lineCount(starts[p], starts[p + 1]))) {
            return null;
        }
        int[] offsets = new int[parts + 1];
        for (int p = 0; p < parts; p++) {
            offsets[p + 1] = offsets[p] + lines[p];
        }
        double[][] values = new double[names.size()][offsets[parts]];
        Part[] done = new Part[parts];
        if (!inParallel(parts, p -> done[p] = parse(starts[p], starts[p + 1],
                new Part(values, offsets[p], lines[p])))) {
            return null;
        }
        int rows = 0;
        for (Part p : done) {
            if (p == null || p.giveUp) {
                return null;
            }
            if (p.offset != rows) { // after a blank line: the part's rows move up to the rows before them
                for (double[] column : values) {
                    System.arraycopy(column, p.offset, column, rows, p.rows);
                }
            }
            rows += p.rows;
        }
        if (rows == 0) {
            return null;
        }
        long[] missing = new long[names.size()];
        for (int c = 0; c < values.length; c++) {
            if (rows < values[c].length) {
                values[c] = Arrays.copyOf(values[c], rows);
            }
            for (Part p : done) {
                missing[c] += p.missing[c];
            }
        }
        return new Result(names, values, missing, rows);
    }

    /** Runs task(0) to task(parts - 1), each on its own thread but the first; false when interrupted. */
    private static boolean inParallel(int parts, java.util.function.IntConsumer task) {
        List<Thread> threads = new ArrayList<>();
        for (int p = 1; p < parts; p++) {
            int part = p;
            Thread t = new Thread(() -> task.accept(part), "csv-part-" + p);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        task.accept(0);
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static final long ONES = 0x0101010101010101L;
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;

    /** The lines that start in [from, to): its LFs, and one more when it does not end with an LF. */
    private int lineCount(int from, int to) {
        if (from >= to) {
            return 0;
        }
        int count = 0;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = bytes.getLong(i) ^ (ONES * '\n'); // a zero byte where the byte is an LF
            long t = (x & LOW7) + LOW7;
            count += Long.bitCount(~(t | x | LOW7)); // the high bit of each zero byte, exactly
        }
        for (; i < to; i++) {
            count += bytes.get(i) == '\n' ? 1 : 0;
        }
        return bytes.get(to - 1) == '\n' ? count : count + 1;
    }

    /** The index of the LF that ends the line at {@code from}, or the file's size. */
    private int lineEnd(int from) {
        for (int i = from; i < size; i++) {
            if (bytes.get(i) == '\n') {
                return i;
            }
        }
        return size;
    }

    /** The header's trimmed names, or null when the general reader should read (or refuse) it. */
    private List<String> header(int end) {
        if (end > 0 && bytes.get(end - 1) == '\r') {
            end--;
        }
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int start = 0;
        for (int i = 0; i <= end; i++) {
            byte b = i < end ? bytes.get(i) : (byte) ',';
            if (b == '"' || b == '\r' || b < 0) {
                return null;
            }
            if (b == ',') {
                byte[] name = new byte[i - start];
                bytes.get(start, name);
                String trimmed = new String(name, StandardCharsets.US_ASCII).trim();
                if (trimmed.isEmpty() || !seen.add(trimmed)) {
                    return null;
                }
                names.add(trimmed);
                start = i + 1;
            }
        }
        return names;
    }

    /** Lines are parsed from a block of the file copied to the heap (faster than reading the mapped bytes). */
    private static final int BLOCK = 1 << 22;

    private Part parse(int from, int to, Part part) {
        int columns = part.values.length;
        byte[] buf = new byte[Math.min(BLOCK, Math.max(1, to - from))];
        int pos = from;
        while (pos < to) {
            int length = Math.min(buf.length, to - pos);
            bytes.get(pos, buf, 0, length);
            int usable = length;
            if (pos + length < to) {
                while (usable > 0 && buf[usable - 1] != '\n') {
                    usable--;
                }
                if (usable == 0) {
                    buf = new byte[buf.length * 2]; // a line longer than the block
                    continue;
                }
            }
            if (!lines(buf, usable, part, columns)) {
                part.giveUp = true;
                return part;
            }
            pos += usable;
        }
        return part;
    }

    /** Parses the lines in buf[0, length); false when the general reader must read the file. */
    private static boolean lines(byte[] buf, int length, Part part, int columns) {
        int pos = 0;
        while (pos < length) {
            int end = pos;
            while (end < length && buf[end] != '\n') {
                end++;
            }
            int lineEnd = end > pos && buf[end - 1] == '\r' ? end - 1 : end;
            if (lineEnd > pos) {
                if (part.rows == part.capacity) {
                    return false; // cannot be: the part's lines were counted
                }
                if (!row(buf, part, pos, lineEnd, columns)) {
                    return false;
                }
                part.rows++;
            }
            pos = end + 1;
        }
        return true;
    }

    /** Parses one non-blank line into the part's next row; false when the general reader must read the file. */
    private static boolean row(byte[] buf, Part part, int from, int to, int columns) {
        int column = 0;
        int start = from;
        for (int i = from; i <= to; i++) {
            byte b = i < to ? buf[i] : (byte) ',';
            if (b == ',') {
                if (column == columns) {
                    return false;
                }
                double v = cell(buf, part, start, i);
                if (part.giveUp) {
                    return false;
                }
                if (Double.isNaN(v)) {
                    part.missing[column]++;
                }
                part.values[column][part.offset + part.rows] = v;
                column++;
                start = i + 1;
            } else if (b == '"' || b == '\r' || b < 0) {
                return false;
            }
        }
        return column == columns;
    }

    /** The value of a cell, NaN when missing; sets the part's {@code giveUp} when it is not a number. */
    private static double cell(byte[] buf, Part part, int from, int to) {
        while (from < to && (buf[from] & 0xFF) <= ' ') {
            from++;
        }
        while (to > from && (buf[to - 1] & 0xFF) <= ' ') {
            to--;
        }
        if (from == to) {
            return Double.NaN;
        }
        int i = from;
        byte b = buf[i];
        boolean negative = b == '-';
        if (b == '-' || b == '+') {
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int fraction = 0;
        boolean exact = true;
        while (i < to && (b = buf[i]) >= '0' && b <= '9') {
            exact = accumulate(digits++, exact);
            mantissa = exact ? mantissa * 10 + (b - '0') : mantissa;
            i++;
        }
        if (i < to && buf[i] == '.') {
            i++;
            while (i < to && (b = buf[i]) >= '0' && b <= '9') {
                exact = accumulate(digits++, exact);
                mantissa = exact ? mantissa * 10 + (b - '0') : mantissa;
                fraction++;
                i++;
            }
        }
        if (digits == 0) {
            return missingToken(buf, from, to) ? Double.NaN : giveUp(part);
        }
        int exponent = 0;
        if (i < to && ((b = buf[i]) == 'e' || b == 'E')) {
            i++;
            boolean negativeExponent = false;
            if (i < to && ((b = buf[i]) == '-' || b == '+')) {
                negativeExponent = b == '-';
                i++;
            }
            int expDigits = 0;
            while (i < to && (b = buf[i]) >= '0' && b <= '9') {
                if (exponent < 100_000) {
                    exponent = exponent * 10 + (b - '0');
                }
                expDigits++;
                i++;
            }
            if (expDigits == 0) {
                return giveUp(part);
            }
            exponent = negativeExponent ? -exponent : exponent;
        }
        if (i != to) {
            return giveUp(part);
        }
        int power = exponent - fraction;
        if (exact && mantissa <= (1L << 53) && power >= -22 && power <= 22) {
            double v = power >= 0 ? mantissa * POWERS[power] : mantissa / POWERS[-power];
            return negative ? -v : v;
        }
        byte[] text = new byte[to - from];
        System.arraycopy(buf, from, text, 0, text.length);
        return Double.parseDouble(new String(text, StandardCharsets.US_ASCII));
    }

    /** Whether the digit at this position still fits the long mantissa (18 digits do). */
    private static boolean accumulate(int digitsSoFar, boolean exact) {
        return exact && digitsSoFar < 18;
    }

    private static double giveUp(Part part) {
        part.giveUp = true;
        return Double.NaN;
    }

    /** NaN, Inf or Infinity in any case, after an optional sign (what {@link CsvColumns#isMissingToken} accepts). */
    private static boolean missingToken(byte[] buf, int from, int to) {
        byte[] text = new byte[to - from];
        System.arraycopy(buf, from, text, 0, text.length);
        return CsvColumns.isMissingToken(new String(text, StandardCharsets.US_ASCII));
    }
}
