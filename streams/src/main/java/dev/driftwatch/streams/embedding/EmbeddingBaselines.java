package dev.driftwatch.streams.embedding;

import dev.driftwatch.detectors.embedding.EmbeddingReference;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.FeatureKind;
import dev.driftwatch.schemas.avro.Provenance;
import dev.driftwatch.streams.internals.BaselineCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Embedding baselines: a fitted {@link EmbeddingReference} as a {@code Baseline} record of kind EMBEDDING and
 * subject {@code embedding.NAME}, and references fitted from a training file.
 *
 * <p><b>The file format</b> ({@code driftwatch baseline --embeddings FILE.csv}): a CSV file whose header names the
 * embeddings (one column each, e.g. {@code prompt,response}) and whose every row holds one vector per column, its
 * values separated by spaces or semicolons (e.g. {@code "0.12 -0.3 0.05"}). An empty cell is a missing vector.
 * Every vector of a column must have the same dimension.
 */
public final class EmbeddingBaselines {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingBaselines.class);

    private EmbeddingBaselines() {
    }

    /** The subject (and baseline key suffix) of an embedding name. */
    public static String subject(String name) {
        return EmbeddingSignal.PREFIX + name;
    }

    /** A reference as a baseline record; its id is the reference's hash. */
    public static Baseline toAvro(String model, String version, String name, EmbeddingReference ref, long missing,
                                  String source, String commandId) {
        return Baseline.newBuilder()
                .setBaselineId(ref.hash())
                .setModelId(model)
                .setModelVersion(version)
                .setFeature(subject(name))
                .setKind(FeatureKind.EMBEDDING)
                .setBinEdges(new ArrayList<>())
                .setBinCounts(new ArrayList<>())
                .setBinProportions(new ArrayList<>())
                .setFineGrid(null)
                .setMean(null)
                .setPopulationStdDev(null)
                .setCategoryCounts(new HashMap<>())
                .setTotalCount(ref.count())
                .setMissingCount(missing)
                .setProvenance(Provenance.newBuilder().setSource(source).setRangeStart(null).setRangeEnd(null)
                        .setContentHash(ref.hash()).setCommandId(commandId).build())
                .setEmbeddingReference(ByteBuffer.wrap(ref.toBytes()))
                .build();
    }

    /**
     * The reference of an embedding baseline, or null when the record is of another kind or unreadable. An
     * unreadable one is logged with the reason (for a reference of an older format: fit it again), since its
     * windows only report that they have no baseline. Callers keep the result per baseline id, so a baseline is
     * logged about once, not per window.
     */
    public static EmbeddingReference reference(Baseline avro) {
        if (avro.getKind() != FeatureKind.EMBEDDING || avro.getEmbeddingReference() == null) {
            return null;
        }
        ByteBuffer buffer = avro.getEmbeddingReference().duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        try {
            return EmbeddingReference.fromBytes(bytes);
        } catch (IllegalArgumentException e) {
            LOG.warn("embedding baseline {}/{}/{} (id {}) is not used: {}", avro.getModelId(), avro.getModelVersion(),
                    avro.getFeature(), avro.getBaselineId(), e.getMessage());
            return null;
        }
    }

    /** One baseline per column of an embeddings file, by key ({@code model/version/embedding.NAME}). */
    public static Map<String, Baseline> fromCsv(Path file, String model, String version,
                                                EmbeddingReference.Options options) {
        Map<String, List<double[]>> columns = new LinkedHashMap<>();
        Map<String, Long> missing = new HashMap<>();
        List<String> names = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null || header.isBlank()) {
                throw new IllegalArgumentException(file + " is empty; expected a header naming the embeddings, e.g."
                        + " 'prompt,response'");
            }
            for (String n : header.split(",", -1)) {
                String name = unquote(n);
                if (name.isEmpty() || name.length() > 200 || name.contains("/")) {
                    throw new IllegalArgumentException("embedding name '" + name + "' in the header of " + file
                            + " is not allowed; expected 1-200 characters without '/'");
                }
                names.add(name);
                columns.put(name, new ArrayList<>());
                missing.put(name, 0L);
            }
            String line;
            int row = 1;
            while ((line = in.readLine()) != null) {
                row++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (cells.length != names.size()) {
                    throw new IllegalArgumentException("row " + row + " of " + file + " has " + cells.length
                            + " cells for " + names.size() + " embeddings; separate a vector's values with spaces"
                            + " or ';', not ','");
                }
                for (int c = 0; c < cells.length; c++) {
                    String cell = unquote(cells[c]);
                    if (cell.isEmpty()) {
                        missing.merge(names.get(c), 1L, Long::sum);
                        continue;
                    }
                    String[] parts = cell.trim().split("[\\s;]+");
                    double[] v = new double[parts.length];
                    for (int j = 0; j < parts.length; j++) {
                        try {
                            v[j] = Double.parseDouble(parts[j]);
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("row " + row + ", embedding '" + names.get(c) + "' of "
                                    + file + ": '" + parts[j] + "' is not a number");
                        }
                    }
                    List<double[]> vectors = columns.get(names.get(c));
                    if (!vectors.isEmpty() && vectors.get(0).length != v.length) {
                        throw new IllegalArgumentException("row " + row + ", embedding '" + names.get(c) + "' of "
                                + file + " has " + v.length + " values; its first vector had "
                                + vectors.get(0).length);
                    }
                    vectors.add(v);
                }
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("embeddings file " + file + " does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Baseline> baselines = new LinkedHashMap<>();
        String source = "file:" + file.getFileName();
        for (Map.Entry<String, List<double[]>> e : columns.entrySet()) {
            if (e.getValue().size() < 2) {
                throw new IllegalArgumentException("embedding '" + e.getKey() + "' of " + file + " has "
                        + e.getValue().size() + " vectors; a baseline needs at least 2 (typically thousands)");
            }
            EmbeddingReference ref = EmbeddingReference.fit(e.getValue().toArray(new double[0][]), options);
            baselines.put(BaselineCodec.key(model, version, subject(e.getKey())),
                    toAvro(model, version, e.getKey(), ref, missing.get(e.getKey()), source, null));
        }
        return baselines;
    }

    private static String unquote(String s) {
        String t = s.trim();
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
            t = t.substring(1, t.length() - 1).trim();
        }
        return t;
    }
}
