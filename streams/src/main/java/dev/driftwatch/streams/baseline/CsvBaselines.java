package dev.driftwatch.streams.baseline;

import dev.driftwatch.detectors.BinEdges;
import dev.driftwatch.detectors.EmptySampleException;
import dev.driftwatch.detectors.summary.CategoricalBaseline;
import dev.driftwatch.detectors.summary.CategoricalSummary;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.FeatureKind;
import dev.driftwatch.streams.compare.CsvColumns;
import dev.driftwatch.streams.compare.CsvFormatException;
import dev.driftwatch.streams.internals.BaselineCodec;
import dev.driftwatch.streams.internals.Subjects;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Baselines of one model version from a training CSV file: one per column, the column name being the
 * subject: a feature name, or {@code output.score}, {@code output.confidence} (numeric) or
 * {@code output.label} (categorical) for the model's outputs. Column types follow {@code compare}: a
 * column is numeric when every non-missing value parses as a number, unless named as categorical.
 * Numeric baselines have {@code bins} quantile bins and the default fine grid; the provenance source
 * is {@code file:<file name>}.
 */
public final class CsvBaselines {
    /** One subject's baseline, ready for the baselines topic. */
    public record Entry(String subject, String key, Baseline baseline) {
        public boolean isNumeric() {
            return baseline.getKind() == FeatureKind.NUMERIC;
        }
    }

    private static final Set<String> NUMERIC_OUTPUTS = Set.of(Subjects.SCORE, Subjects.CONFIDENCE);
    private static final int MAX_SUBJECT_LENGTH = 256;

    private CsvBaselines() {
    }

    /**
     * Reads a CSV file and builds one baseline per column.
     *
     * @param categorical columns to treat as categorical whatever their values; {@code output.label}
     *     always is
     * @throws CsvFormatException for an unreadable file, naming the problem
     * @throws IllegalArgumentException for a bad argument or column (a name that is not a subject, an
     *     output column of the wrong type, a column with no usable value), naming it and the fix
     */
    public static List<Entry> fromCsv(Path file, String model, String version, int bins, Set<String> categorical) {
        requireName("--model", model);
        requireName("--version", version);
        BinEdges.checkBins(bins);
        Set<String> asCategories = new HashSet<>(categorical);
        asCategories.add(Subjects.LABEL);
        asCategories.add(Subjects.OUTPUT_PREFIX + "error");
        CsvColumns columns = CsvColumns.read(file, asCategories);
        Set<String> unknown = new LinkedHashSet<>(categorical);
        unknown.removeAll(columns.columns().keySet());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("--categorical names " + unknown + ", not in the header of " + file
                    + "; the columns are " + columns.columns().keySet());
        }
        String source = "file:" + file.getFileName();
        List<Entry> entries = new ArrayList<>();
        for (CsvColumns.Column column : columns.columns().values()) {
            String subject = column.name();
            checkSubject(file, subject, column.isCategorical());
            Baseline avro;
            try {
                if (column.isCategorical()) {
                    CategoricalSummary summary = new CategoricalSummary();
                    column.categoryCounts().forEach(summary::addCount);
                    summary.addCount("", column.missing());
                    avro = BaselineCodec.toAvro(model, version, subject,
                            CategoricalBaseline.fromSummary(summary, source, null, null), null);
                } else {
                    avro = BaselineCodec.toAvro(model, version, subject, NumericBaseline.fromSample(column.values(),
                            bins, NumericGrid.DEFAULT_RESOLUTION, source, null, null), null);
                }
            } catch (EmptySampleException e) {
                throw new IllegalArgumentException("column '" + subject + "' of " + file + " has no usable value ("
                        + column.missing() + " missing); fill it or drop the column");
            }
            entries.add(new Entry(subject, BaselineCodec.key(model, version, subject), avro));
        }
        return entries;
    }

    /** The baselines as a JSON array of Avro JSON-encoded {@code Baseline} records. */
    public static String toJson(List<Entry> entries) {
        StringBuilder out = new StringBuilder("[");
        SpecificDatumWriter<Baseline> writer = new SpecificDatumWriter<>(Baseline.class);
        for (int i = 0; i < entries.size(); i++) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try {
                Encoder encoder = EncoderFactory.get().jsonEncoder(Baseline.getClassSchema(), bytes);
                writer.write(entries.get(i).baseline(), encoder);
                encoder.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out.append(i == 0 ? "\n" : ",\n").append(bytes.toString(StandardCharsets.UTF_8));
        }
        return out.append("\n]\n").toString();
    }

    private static void requireName(String what, String value) {
        if (value == null || value.isBlank() || value.contains("/") || value.length() > MAX_SUBJECT_LENGTH) {
            throw new IllegalArgumentException(what + " '" + value + "' is not allowed; expected a non-blank name"
                    + " of at most " + MAX_SUBJECT_LENGTH + " characters without '/'");
        }
    }

    private static void checkSubject(Path file, String subject, boolean categorical) {
        if (Subjects.isOperational(subject)) {
            return; // output.latency_ms, output.tokens_in, output.tokens_out, output.cost; output.error (categorical)
        }
        if (Subjects.isOutput(subject)) {
            if (subject.equals(Subjects.LABEL)) {
                return;
            }
            if (!NUMERIC_OUTPUTS.contains(subject)) {
                throw new IllegalArgumentException("column '" + subject + "' of " + file + " is not a model output;"
                        + " output columns are " + Subjects.SCORE + ", " + Subjects.CONFIDENCE + " and "
                        + Subjects.LABEL + " (rename or drop it)");
            }
            if (categorical) {
                throw new IllegalArgumentException("column '" + subject + "' of " + file + " must be numeric;"
                        + " found values that are not numbers (or it was named in --categorical)");
            }
            return;
        }
        if (subject.startsWith("*") || subject.length() > MAX_SUBJECT_LENGTH) {
            throw new IllegalArgumentException("column '" + subject + "' of " + file + " is not a feature name;"
                    + " expected 1-" + MAX_SUBJECT_LENGTH + " characters not starting with '*'");
        }
    }

}
