package dev.driftwatch.streams.compare;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The columns of a CSV file with a header row, read in one pass into compact form: numeric columns
 * as double arrays, categorical columns as category counts. A column is numeric when every
 * non-missing value parses as a number, unless it is named as categorical. Missing cells are empty
 * or spell NaN or ±Inf (any case, {@code inf} or {@code infinity}).
 */
public final class CsvColumns {
    private static final Pattern NUMBER = Pattern.compile(
            "[+-]?(\\d+\\.?\\d*([eE][+-]?\\d+)?|\\.\\d+([eE][+-]?\\d+)?)");

    /** One column of the file. */
    public static final class Column {
        private final String name;
        private boolean categorical;
        private double[] values = new double[1024];
        private int size;
        private long missing;
        private Map<String, long[]> categories;

        Column(String name, boolean categorical) {
            this.name = name;
            this.categorical = categorical;
            if (categorical) {
                categories = new HashMap<>();
            }
        }

        public String name() {
            return name;
        }

        public boolean isCategorical() {
            return categorical;
        }

        /** Numeric values with missing ones as NaN, in file order. */
        public double[] values() {
            return Arrays.copyOf(values, size);
        }

        /**
         * The values themselves, not a copy: {@link CompareReport} checks their quality and then sorts them in
         * place, which spares two copies of every column of a large file.
         */
        double[] sharedValues() {
            if (values.length != size) {
                values = Arrays.copyOf(values, size);
            }
            return values;
        }

        /** Missing cells. */
        public long missing() {
            return missing;
        }

        /** Category counts, sorted by category. */
        public Map<String, Long> categoryCounts() {
            Map<String, Long> out = new TreeMap<>();
            categories.forEach((k, v) -> out.put(k, v[0]));
            return out;
        }

        void addNumber(double v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }
    }

    private final Path path;
    private final Map<String, Column> columns;
    private final long rows;

    private CsvColumns(Path path, Map<String, Column> columns, long rows) {
        this.path = path;
        this.columns = columns;
        this.rows = rows;
    }

    /**
     * Reads a file.
     *
     * @param categorical names of columns to treat as categorical whatever their values
     * @throws CsvFormatException for a missing, empty or malformed file, naming the problem
     */
    public static CsvColumns read(Path path, Set<String> categorical) {
        return read(path, categorical, true);
    }

    /** Reads a file with the general reader only (for tests that compare the fast path with it). */
    static CsvColumns readGenerally(Path path) {
        return read(path, Set.of(), false);
    }

    private static CsvColumns read(Path path, Set<String> categorical, boolean fastPath) {
        CsvColumns first = readOnce(path, categorical, fastPath);
        // A column that turned out non-numeric part-way through is read again as categories.
        Set<String> needed = new java.util.HashSet<>(categorical);
        boolean again = false;
        for (Column c : first.columns.values()) {
            if (c.categorical && !categorical.contains(c.name)) {
                needed.add(c.name);
                again = true;
            }
        }
        return again ? readOnce(path, needed, fastPath) : first;
    }

    private static CsvColumns readOnce(Path path, Set<String> categorical, boolean fastPath) {
        if (fastPath && categorical.isEmpty()) {
            // The common file, numbers only: read from its bytes, in parts on the machine's cores.
            NumericCsvReader.Result fast = NumericCsvReader.read(path);
            if (fast != null) {
                Map<String, Column> columns = new LinkedHashMap<>();
                for (int i = 0; i < fast.names().size(); i++) {
                    Column column = new Column(fast.names().get(i), false);
                    column.values = fast.values()[i];
                    column.size = fast.rows();
                    column.missing = fast.missing()[i];
                    columns.put(column.name, column);
                }
                return new CsvColumns(path, columns, fast.rows());
            }
        }
        try (BufferedReader buffered = Files.newBufferedReader(path, StandardCharsets.UTF_8);
             CsvReader reader = new CsvReader(buffered, path.toString())) {
            List<String> header = reader.next();
            if (header == null || (header.size() == 1 && header.get(0).isBlank())) {
                throw new CsvFormatException(path + " is empty; expected a header row naming the columns");
            }
            Map<String, Column> columns = new LinkedHashMap<>();
            Column[] byIndex = new Column[header.size()];
            for (int i = 0; i < header.size(); i++) {
                String name = header.get(i).trim();
                if (name.isEmpty()) {
                    throw new CsvFormatException(path + " line 1: column " + (i + 1)
                            + " has an empty name; every column needs a name in the header row");
                }
                if (columns.containsKey(name)) {
                    throw new CsvFormatException(path + " line 1: column '" + name + "' appears twice in the header");
                }
                byIndex[i] = new Column(name, categorical.contains(name));
                columns.put(name, byIndex[i]);
            }
            long rows = 0;
            List<String> record;
            while ((record = reader.next()) != null) {
                if (record.size() == 1 && record.get(0).isEmpty()) {
                    continue; // blank line
                }
                if (record.size() != byIndex.length) {
                    throw new CsvFormatException(path + " line " + reader.recordLine() + ": " + record.size()
                            + " fields, but the header has " + byIndex.length + "; quote fields that contain commas");
                }
                rows++;
                for (int i = 0; i < byIndex.length; i++) {
                    accept(byIndex[i], record.get(i));
                }
            }
            EmptyInputException.check(path, rows);
            return new CsvColumns(path, columns, rows);
        } catch (NoSuchFileException e) {
            throw new CsvFormatException("file not found: " + path);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new CsvFormatException(path + " is not UTF-8 text");
        } catch (IOException e) {
            throw new CsvFormatException("cannot read " + path + ": " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw new CsvFormatException("cannot read " + path + ": " + e.getCause().getMessage());
        }
    }

    private static void accept(Column column, String raw) {
        String cell = raw.trim();
        if (isMissingToken(cell)) {
            column.missing++;
            if (!column.categorical) {
                column.addNumber(Double.NaN);
            }
            return;
        }
        if (!column.categorical) {
            double number = parseNumber(cell);
            if (!Double.isNaN(number)) {
                column.addNumber(number);
                return;
            }
            // Not a number: the column is categorical; the caller reads the file again for its categories.
            column.categorical = true;
            column.categories = new HashMap<>();
            column.values = new double[0];
            column.size = 0;
            return;
        }
        if (column.categories != null) {
            column.categories.computeIfAbsent(cell, k -> new long[1])[0]++;
        }
    }

    /**
     * The value of a plain decimal number (optional sign, digits with an optional point, optional
     * exponent), or NaN when the cell is anything else. Faster than a regular expression on the hot
     * path of large files; Java-only spellings such as {@code 1d} or hexadecimal are refused.
     */
    static double parseNumber(String cell) {
        boolean digit = false;
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-') {
                return Double.NaN;
            }
        }
        if (!digit || !(simple(cell) || NUMBER.matcher(cell).matches())) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Digits with at most one point and no exponent: the common case, checked without a regex. */
    private static boolean simple(String cell) {
        int start = cell.charAt(0) == '-' || cell.charAt(0) == '+' ? 1 : 0;
        boolean point = false;
        for (int i = start; i < cell.length(); i++) {
            char c = cell.charAt(i);
            if (c == '.') {
                if (point) {
                    return false;
                }
                point = true;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return cell.length() > start;
    }

    /** Empty, or NaN / ±Inf in any common spelling. */
    public static boolean isMissingToken(String cell) {
        if (cell.isEmpty()) {
            return true;
        }
        String s = cell.toLowerCase(java.util.Locale.ROOT);
        if (s.startsWith("+") || s.startsWith("-")) {
            s = s.substring(1);
        }
        return s.equals("nan") || s.equals("inf") || s.equals("infinity");
    }

    public Path path() {
        return path;
    }

    /** Data rows read. */
    public long rows() {
        return rows;
    }

    /** Columns in header order. */
    public Map<String, Column> columns() {
        return columns;
    }
}
