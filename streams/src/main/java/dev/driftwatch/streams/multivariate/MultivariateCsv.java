package dev.driftwatch.streams.multivariate;

import dev.driftwatch.streams.compare.CsvColumns;
import dev.driftwatch.streams.compare.CsvFormatException;
import dev.driftwatch.streams.compare.CsvReader;
import dev.driftwatch.streams.internals.Subjects;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code *multivariate*} baseline of a training CSV: every feature column (not the {@code output.*} ones),
 * numeric or categorical as {@code compare} and the per-column baselines decide, row by row.
 */
public final class MultivariateCsv {
    private MultivariateCsv() {
    }

    /**
     * Fits the baseline on the file's feature columns.
     *
     * @param columns the file as {@link CsvColumns} read it (column kinds and numeric values)
     * @throws IllegalArgumentException when the file has fewer than 2 feature columns or rows, or a share or chunk
     *     size out of range, naming the fix
     */
    public static MultivariateBaseline fromCsv(Path file, CsvColumns columns, String model, String version,
                                               double share, int chunkSize, int bins) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("--multivariate-share " + share + " is out of range; give a share of"
                    + " variance in (0, 1], e.g. 0.9");
        }
        if (chunkSize < 1) {
            throw new IllegalArgumentException("--multivariate-chunk " + chunkSize + " is out of range; give the rows"
                    + " of a reference window, at least 1 (e.g. 500)");
        }
        Map<String, double[]> numeric = new LinkedHashMap<>();
        List<String> categoricalNames = new ArrayList<>();
        for (CsvColumns.Column c : columns.columns().values()) {
            if (Subjects.isOutput(c.name())) {
                continue;
            }
            if (c.isCategorical()) {
                categoricalNames.add(c.name());
            } else {
                numeric.put(c.name(), c.values());
            }
        }
        if (numeric.size() + categoricalNames.size() < 2) {
            throw new IllegalArgumentException(file + " has " + (numeric.size() + categoricalNames.size())
                    + " feature column(s); multivariate drift needs at least 2 (leave out --multivariate)");
        }
        if (columns.rows() < 2) {
            throw new IllegalArgumentException(file + " has " + columns.rows() + " row(s); multivariate drift needs at"
                    + " least 2 (leave out --multivariate)");
        }
        Map<String, String[]> categorical = categories(file, categoricalNames, (int) columns.rows());
        return MultivariateBaseline.fit(model, version, numeric, categorical, share, chunkSize, bins,
                "file:" + file.getFileName(), null, null);
    }

    /** The categorical columns' cells, row by row (null when missing). */
    private static Map<String, String[]> categories(Path file, List<String> names, int rows) {
        Map<String, String[]> out = new LinkedHashMap<>();
        if (names.isEmpty()) {
            return out;
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CsvReader reader = new CsvReader(in, file.toString())) {
            List<String> header = reader.next();
            Map<Integer, String[]> byIndex = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                String name = header.get(i).trim();
                if (names.contains(name)) {
                    String[] cells = new String[rows];
                    out.put(name, cells);
                    byIndex.put(i, cells);
                }
            }
            int row = 0;
            List<String> record;
            while ((record = reader.next()) != null && row < rows) {
                if (record.size() == 1 && record.get(0).isEmpty()) {
                    continue;
                }
                for (Map.Entry<Integer, String[]> e : byIndex.entrySet()) {
                    String cell = record.get(e.getKey()).trim();
                    e.getValue()[row] = CsvColumns.isMissingToken(cell) ? null : cell;
                }
                row++;
            }
            return out;
        } catch (IOException e) {
            throw new CsvFormatException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
