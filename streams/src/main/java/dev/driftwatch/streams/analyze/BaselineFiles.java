package dev.driftwatch.streams.analyze;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.streams.baseline.CsvBaselines;
import dev.driftwatch.streams.compare.CsvFormatException;
import dev.driftwatch.streams.internals.BaselineCodec;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.JsonDecoder;
import org.apache.avro.specific.SpecificDatumReader;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Baselines for offline analysis: a JSON file as written by {@code driftwatch baseline --output} or
 * {@code driftwatch sample --baselines} (a JSON array of Avro JSON-encoded {@code Baseline} records),
 * or a training CSV turned into baselines as {@code driftwatch baseline} does.
 */
public final class BaselineFiles {
    /** The file's form: an array of Baseline records. */
    private static final Schema FILE_SCHEMA = Schema.createArray(Baseline.getClassSchema());

    private BaselineFiles() {
    }

    /** Whether {@code file} looks like the JSON form (its first non-blank character is {@code [}). */
    public static boolean isJson(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            for (int b; (b = in.read()) >= 0; ) {
                if (!Character.isWhitespace(b) && b != 0xEF && b != 0xBB && b != 0xBF) {
                    return b == '[';
                }
            }
            return false;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read baseline file " + file + ": " + e.getMessage());
        }
    }

    /**
     * Reads the JSON form.
     *
     * @throws IllegalArgumentException naming the file and the element that is not a Baseline
     */
    public static List<Baseline> readJson(Path file) {
        // One pass: Avro's JSON decoder reads the array element by element (a tree of the file, printed back per
        // element for the decoder to parse again, took three passes over its numbers).
        List<Baseline> out = new ArrayList<>();
        SpecificDatumReader<Baseline> reader = new SpecificDatumReader<>(Baseline.class);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            JsonDecoder decoder = DecoderFactory.get().jsonDecoder(FILE_SCHEMA, in);
            long n;
            try {
                n = decoder.readArrayStart();
            } catch (AvroTypeException e) {
                throw new IllegalArgumentException("baseline file " + file
                        + " must hold a JSON array of Baseline records");
            }
            for (int i = 0; n != 0; n = decoder.arrayNext()) {
                for (long k = 0; k < n; k++, i++) {
                    try {
                        out.add(reader.read(null, decoder));
                    } catch (JsonProcessingException e) {
                        throw e;
                    } catch (IOException | RuntimeException e) {
                        throw new IllegalArgumentException("element " + i + " of baseline file " + file
                                + " is not an Avro JSON Baseline: " + e.getMessage());
                    }
                }
            }
        } catch (JsonProcessingException | EOFException e) {
            throw new IllegalArgumentException("baseline file " + file + " is not JSON: " + e.getMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read baseline file " + file + ": " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("baseline file " + file + " holds no baselines");
        }
        return out;
    }

    /**
     * Baselines from {@code file}: the JSON form, or a training CSV of model {@code model} version
     * {@code version} (both then required) with {@code bins} bins.
     */
    public static List<Baseline> read(Path file, String model, String version, int bins, Set<String> categorical) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("baseline file " + file + " does not exist or is not a file");
        }
        if (isJson(file)) {
            return readJson(file);
        }
        if (model == null || version == null) {
            throw new IllegalArgumentException("--baseline " + file + " is a training CSV: give --model and --version"
                    + " of the model version it describes");
        }
        try {
            return CsvBaselines.fromCsv(file, model, version, bins, categorical).stream()
                    .map(CsvBaselines.Entry::baseline).toList();
        } catch (CsvFormatException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** The baselines as {@code driftwatch baseline --output} writes them. */
    public static String toJson(List<Baseline> baselines) {
        return CsvBaselines.toJson(baselines.stream()
                .map(b -> new CsvBaselines.Entry(b.getFeature(), BaselineCodec.key(b.getModelId(), b.getModelVersion(),
                        b.getFeature()), b))
                .toList());
    }
}
