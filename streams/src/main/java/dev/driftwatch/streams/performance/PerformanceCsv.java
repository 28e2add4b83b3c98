package dev.driftwatch.streams.performance;

import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.streams.compare.CsvFormatException;
import dev.driftwatch.streams.compare.CsvReader;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A performance baseline from a labelled training file ({@code driftwatch baseline --performance FILE.csv}): a CSV
 * with a header row, one row per labelled request, a score column (the predicted probability of the positive class,
 * a number in [0, 1]) and a label column ({@code 1}/{@code 0}, {@code true}/{@code false}, {@code yes}/{@code no} or
 * {@code click}/{@code no_click}); other columns are ignored. A bad cell is refused with its line, column and
 * value, never skipped: a reference that silently lost rows would judge every window wrongly.
 */
public final class PerformanceCsv {
    /** The default score column: the model's output, as in the events. */
    public static final String DEFAULT_SCORE_COLUMN = "output.score";
    /** The default label column. */
    public static final String DEFAULT_LABEL_COLUMN = "label";
    private static final Set<String> POSITIVE = Set.of("1", "1.0", "true", "yes", "click", "clicked");
    private static final Set<String> NEGATIVE = Set.of("0", "0.0", "false", "no", "no_click", "not_clicked");

    private PerformanceCsv() {
    }

    /**
     * The performance baseline of a file's labelled scores, with the exact ROC AUC.
     *
     * @throws CsvFormatException when the file cannot be read, lacks a column, or a cell is not a score or a label
     */
    public static Baseline fromCsv(Path file, String scoreColumn, String labelColumn, String model, String version,
                                   int bins) {
        try (BufferedReader buffered = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CsvReader reader = new CsvReader(buffered, file.toString())) {
            List<String> header = reader.next();
            if (header == null || header.size() == 1 && header.get(0).isBlank()) {
                throw new CsvFormatException(file + " is empty; expected a header row with the columns " + scoreColumn
                        + " and " + labelColumn);
            }
            List<String> names = header.stream().map(String::trim).toList();
            int score = column(file, names, scoreColumn, "--performance-score");
            int label = column(file, names, labelColumn, "--performance-label");
            double[] scores = new double[1024];
            boolean[] labels = new boolean[1024];
            int n = 0;
            List<String> record;
            while ((record = reader.next()) != null) {
                if (record.size() == 1 && record.get(0).isEmpty()) {
                    continue; // blank line
                }
                if (record.size() != names.size()) {
                    throw new CsvFormatException(file + " line " + reader.recordLine() + ": " + record.size()
                            + " fields, but the header has " + names.size() + "; quote fields that contain commas");
                }
                if (n == scores.length) {
                    scores = Arrays.copyOf(scores, 2 * n);
                    labels = Arrays.copyOf(labels, 2 * n);
                }
                scores[n] = score(file, reader.recordLine(), scoreColumn, record.get(score).trim());
                labels[n] = label(file, reader.recordLine(), labelColumn, record.get(label).trim());
                n++;
            }
            if (n == 0) {
                throw new CsvFormatException(file + " has a header but no rows; a performance baseline needs labelled"
                        + " scores");
            }
            return PerformanceBaseline.fromScores(model, version, Arrays.copyOf(scores, n), Arrays.copyOf(labels, n),
                    bins, "file:" + file.getFileName(), null, null);
        } catch (NoSuchFileException e) {
            throw new CsvFormatException("file not found: " + file);
        } catch (MalformedInputException e) {
            throw new CsvFormatException(file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new CsvFormatException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static int column(Path file, List<String> names, String column, String option) {
        int i = names.indexOf(column);
        if (i < 0) {
            throw new CsvFormatException(file + " has no column '" + column + "' (columns: " + String.join(", ", names)
                    + "); name it with " + option);
        }
        return i;
    }

    private static double score(Path file, int line, String column, String cell) {
        double v;
        try {
            v = Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            v = Double.NaN;
        }
        if (!(v >= 0 && v <= 1) || cell.isEmpty() || Character.isLetter(cell.charAt(cell.length() - 1))) {
            throw new CsvFormatException(file + " line " + line + ", column " + column + ": '" + cell + "' is not a"
                    + " score; write the predicted probability, a number in [0, 1]");
        }
        return v;
    }

    private static boolean label(Path file, int line, String column, String cell) {
        String v = cell.toLowerCase(Locale.ROOT);
        if (POSITIVE.contains(v)) {
            return true;
        }
        if (NEGATIVE.contains(v)) {
            return false;
        }
        throw new CsvFormatException(file + " line " + line + ", column " + column + ": '" + cell + "' is not a"
                + " label; write 1 or 0 (or true/false, yes/no, click/no_click)");
    }
}
