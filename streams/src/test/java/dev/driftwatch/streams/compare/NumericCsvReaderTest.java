package dev.driftwatch.streams.compare;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fast path of numeric CSV files reads what the general reader reads, bit for bit, or hands the file back. */
class NumericCsvReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    /** Every column's values (as bits), missing counts and the row count equal the general reader's. */
    private static void assertSameAsGeneralReader(Path file) {
        CsvColumns general = CsvColumns.readGenerally(file);
        CsvColumns fast = CsvColumns.read(file, Set.of());
        assertEquals(general.rows(), fast.rows());
        assertEquals(general.columns().keySet(), fast.columns().keySet());
        general.columns().forEach((name, g) -> {
            CsvColumns.Column f = fast.columns().get(name);
            assertEquals(g.isCategorical(), f.isCategorical(), name);
            assertEquals(g.missing(), f.missing(), name);
            if (!g.isCategorical()) {
                long[] expected = Arrays.stream(g.values()).mapToLong(Double::doubleToRawLongBits).toArray();
                long[] actual = Arrays.stream(f.values()).mapToLong(Double::doubleToRawLongBits).toArray();
                assertArrayEquals(expected, actual, name);
            } else {
                assertEquals(g.categoryCounts(), f.categoryCounts(), name);
            }
        });
    }

    @Test
    void shouldParseEverySpellingOfANumberAsDoubleParseDoubleDoes() throws IOException {
        Random r = new Random(5);
        StringBuilder csv = new StringBuilder(" a ,b,c,d,e\r\n");
        String[] odd = {"+1", "-0", "0", "5.", ".5", "+.5", "-.25e-3", "1E5", "1e+05", "1e400", "-1e400", "4.9e-324",
            "2e-324", "123456789012345678", "1234567890123456789", "0.000000000000000000000123", "9007199254740993",
            "1e22", "1e23", "1e-22", "1e-23", "  7.5\t", "NaN", "-inf", "Infinity", "+NAN", "", "   ",
            "0.1", "0.3", "2.2250738585072014E-308", "1.7976931348623157e308", "1.7976931348623159e308"};
        for (int i = 0; i < 40_000; i++) {
            double g = r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20);
            csv.append(String.format(Locale.ROOT, "%.6g", g)).append(',')
                    .append(String.format(Locale.ROOT, "%.17g", g)).append(',')
                    .append(r.nextInt(2_000_000) - 1_000_000).append(',')
                    .append(odd[i % odd.length]).append(',')
                    .append(Double.toString(g * 3)).append(i % 3 == 0 ? "\r\n" : "\n");
            if (i % 9_999 == 0) {
                csv.append("\n"); // a blank line
            }
        }
        Path file = write("numbers.csv", csv.toString());
        assertNotNull(NumericCsvReader.read(file), "a file of numbers takes the fast path");
        assertSameAsGeneralReader(file);
    }

    @Test
    void shouldHandBackFilesItIsNotSureOfAndTheyReadAsBefore() throws IOException {
        String[] files = {
            "a,b\n1,\"2\"\n3,4\n",          // a quote
            "a,b\n1,x\n3,4\n",              // a category
            "a,b\n1,2e\n3,4\n",             // not a number: categorical
            "a,b\n1,1d\n3,4\n",             // Java's spelling, refused as a number
            "a,b\n1,2\r3,4\n",              // a lone CR ends a line for the general reader
            "a,b\n1,2\n3,4,5\n3,4\n",       // a wrong field count (reported by the general reader)
            "\uFEFFa,b\n1,2\n",             // a byte-order mark
            "a,b\n1,é\n",                   // not ASCII
            "a,a\n1,2\n",                   // a duplicate column
            "a,b\n",                        // no data row
        };
        for (int i = 0; i < files.length; i++) {
            Path file = write("odd" + i + ".csv", files[i]);
            assertNull(NumericCsvReader.read(file), files[i]);
            String general = outcome(() -> CsvColumns.readGenerally(file));
            String either = outcome(() -> CsvColumns.read(file, Set.of()));
            assertEquals(general, either, files[i]);
        }
    }

    @Test
    void shouldReadALargeFileInPartsAsOneWhole() throws IOException {
        Random r = new Random(9);
        StringBuilder csv = new StringBuilder("x,y\n");
        while (csv.length() < 5 << 20) {
            csv.append(String.format(Locale.ROOT, "%.6g,%d%n", r.nextGaussian(), r.nextInt(100)));
        }
        Path file = write("large.csv", csv.toString());
        assertTrue(Files.size(file) > 4 << 20);
        assertSameAsGeneralReader(file);
    }

    @Test
    void shouldReadALargeFileWithBlankLinesInPartsAsOneWhole() throws IOException {
        // Each part writes its rows where its counted lines start; blank lines leave gaps the rows move up into.
        for (String end : new String[] {"\n\n\r\n", ""}) {
            Random r = new Random(10);
            StringBuilder csv = new StringBuilder("x,y\r\n\n");
            int line = 0;
            while (csv.length() < 5 << 20) {
                csv.append(String.format(Locale.ROOT, "%.6g,%d", r.nextGaussian(), r.nextInt(100)));
                csv.append(++line % 997 == 0 ? "\n\n" : line % 1009 == 0 ? "\r\n\r\n" : line % 2 == 0 ? "\r\n" : "\n");
            }
            csv.append("1.5,7").append(end);
            Path file = write("blank-lines.csv", csv.toString());
            assertNotNull(NumericCsvReader.read(file));
            assertSameAsGeneralReader(file);
        }
    }

    private static String outcome(java.util.function.Supplier<CsvColumns> read) {
        try {
            CsvColumns c = read.get();
            StringBuilder s = new StringBuilder("rows " + c.rows());
            c.columns().forEach((name, col) -> s.append(' ').append(name).append(col.isCategorical()
                    ? col.categoryCounts().toString() : Arrays.toString(col.values())).append(col.missing()));
            return s.toString();
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    @Test
    void shouldSortAsArraysSortDoes() {
        Random r = new Random(11);
        double[] values = new double[50_000];
        double[] special = {-0.0, 0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 1.0, -1.0};
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 7 == 0 ? special[i % special.length] : r.nextGaussian() * Math.pow(10, r.nextInt(20) - 10);
        }
        double[] expected = values.clone();
        Arrays.sort(expected);
        DoubleRadixSort.sort(values, new DoubleRadixSort.Scratch());
        assertArrayEquals(Arrays.stream(expected).mapToLong(Double::doubleToRawLongBits).toArray(),
                Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray());
    }

    @Test
    void shouldGiveTheFiniteValuesSortedAsComparisonsSortedFiniteDoes() {
        Random r = new Random(12);
        double[] special = {-0.0, 0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.0, -1.0};
        for (boolean missing : new boolean[] {false, true}) {
            double[] values = new double[20_000];
            for (int i = 0; i < values.length; i++) {
                values[i] = i % 5 == 0 ? special[i % (missing ? special.length : 2)] : r.nextGaussian();
            }
            double[] expected = dev.driftwatch.detectors.Comparisons.sortedFinite(values);
            double[] sorted = DoubleRadixSort.sortFinite(values, new DoubleRadixSort.Scratch());
            assertArrayEquals(Arrays.stream(expected).mapToLong(Double::doubleToRawLongBits).toArray(),
                    Arrays.stream(sorted).mapToLong(Double::doubleToRawLongBits).toArray());
            // Without a missing value the column itself holds the result, with no copy of it.
            assertEquals(!missing, sorted == values);
        }
    }

    @Test
    void shouldSortAgainWithTheSameScratchWithoutNewArrays() {
        // A comparison of 20 columns of a million rows sorts 40 arrays; new key arrays for each (16 MB) made the JVM
        // grow its heap and the kernel zero fresh pages, twice the CPU in some runs (issue 22).
        Random r = new Random(13);
        DoubleRadixSort.Scratch scratch = new DoubleRadixSort.Scratch();
        double[] first = r.doubles(1_000_000).toArray();
        double[] second = r.doubles(1_000_000).toArray();
        DoubleRadixSort.sort(first, scratch);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        DoubleRadixSort.sort(second, scratch);
        long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertTrue(allocated < 1_000_000, "allocated " + allocated + " bytes");
        double[] expected = second.clone();
        Arrays.sort(expected);
        assertArrayEquals(expected, second);
    }
}
