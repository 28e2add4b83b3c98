package dev.driftwatch.streams.multivariate;

import dev.driftwatch.detectors.multivariate.ReconstructionModel;
import dev.driftwatch.detectors.multivariate.ReferenceWindows;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.detectors.summary.Provenance;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.MultivariateColumn;
import dev.driftwatch.schemas.avro.MultivariateModel;
import dev.driftwatch.streams.internals.BaselineCodec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code *multivariate*} baseline of a model version: a {@link ReconstructionModel} fitted on reference rows,
 * the reference's distribution of per-row errors (the baseline's bins, fine grid, mean and standard deviation,
 * as for a numeric feature) and its distribution of window means ({@link ReferenceWindows}).
 *
 * @param avro    the record on the baselines topic
 * @param model   the fitted model
 * @param windows the reference's window means
 * @param errors  the reference's per-row errors, as a numeric baseline on frozen bins
 */
public record MultivariateBaseline(Baseline avro, ReconstructionModel model, ReferenceWindows windows,
                                   NumericBaseline errors) {
    /** The reserved subject of the baseline and of its alerts. */
    public static final String SUBJECT = "*multivariate*";
    /** Default share of the reference's variance the kept components explain. */
    public static final double DEFAULT_VARIANCE_SHARE = 0.9;
    /** Default rows per reference chunk. */
    public static final int DEFAULT_CHUNK_SIZE = 500;

    public String id() {
        return avro.getBaselineId();
    }

    /**
     * Fits the baseline on reference rows.
     *
     * @param numeric     numeric feature columns, NaN when missing, all of one length, in row order
     * @param categorical categorical feature columns, null or empty when missing, in row order
     * @param share       share of the variance to keep, in (0, 1]
     * @param chunkSize   rows per reference chunk, ≥ 1
     * @param bins        coarse bins of the per-row errors (as for a numeric feature)
     * @param source      provenance, e.g. {@code file:train.csv}
     * @throws IllegalArgumentException when the rows cannot be fitted (fewer than 2 columns or rows, ...)
     */
    public static MultivariateBaseline fit(String model, String version, Map<String, double[]> numeric,
                                           Map<String, String[]> categorical, double share, int chunkSize, int bins,
                                           String source, Long fromMillis, Long toMillis) {
        ReconstructionModel fitted = ReconstructionModel.fit(new TreeMap<>(numeric), new TreeMap<>(categorical), share);
        int n = numeric.isEmpty() ? categorical.values().iterator().next().length
                : numeric.values().iterator().next().length;
        double[] errors = new double[n];
        for (int i = 0; i < n; i++) {
            Map<String, Double> nums = new TreeMap<>();
            Map<String, String> cats = new TreeMap<>();
            int row = i;
            numeric.forEach((k, v) -> nums.put(k, v[row]));
            categorical.forEach((k, v) -> cats.put(k, v[row]));
            errors[i] = fitted.error(nums, cats);
        }
        ReferenceWindows windows = ReferenceWindows.of(errors, chunkSize);
        NumericBaseline errorBaseline = NumericBaseline.fromSample(errors, bins, NumericGrid.DEFAULT_RESOLUTION, source,
                fromMillis, toMillis);
        MultivariateModel m = toAvro(fitted, windows, n);
        String hash = hash(errorBaseline.provenance().contentHash(), m);
        NumericBaseline identified = NumericBaseline.restore(errorBaseline.reference(),
                new Provenance(source, fromMillis, toMillis, hash));
        Baseline avro = BaselineCodec.toAvro(model, version, SUBJECT, identified, null);
        avro.setMultivariate(m);
        return new MultivariateBaseline(avro, fitted, windows, identified);
    }

    /**
     * The baseline of a record, or null when the record has no (usable) multivariate model.
     */
    public static MultivariateBaseline from(Baseline avro) {
        MultivariateModel m = avro.getMultivariate();
        if (m == null) {
            return null;
        }
        try {
            List<ReconstructionModel.Column> columns = new ArrayList<>();
            for (MultivariateColumn c : m.getColumns()) {
                columns.add(new ReconstructionModel.Column(c.getName(), c.getCategorical()
                        ? ReconstructionModel.ColumnKind.CATEGORICAL : ReconstructionModel.ColumnKind.NUMERIC,
                        c.getMean(), c.getScale(), c.getImputed(), c.getFrequencies()));
            }
            double[][] components = new double[m.getComponents().size()][];
            for (int i = 0; i < components.length; i++) {
                components[i] = m.getComponents().get(i).stream().mapToDouble(Double::doubleValue).toArray();
            }
            ReconstructionModel model = ReconstructionModel.restore(columns, components,
                    m.getExplainedVariance().stream().mapToDouble(Double::doubleValue).toArray(), m.getVarianceShare());
            ReferenceWindows windows = new ReferenceWindows(m.getChunkSize(), m.getChunks(), m.getChunkMean(),
                    m.getChunkStdDev(), m.getRowMean(), m.getRowStdDev());
            return new MultivariateBaseline(avro, model, windows, BaselineCodec.numeric(avro));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static MultivariateModel toAvro(ReconstructionModel model, ReferenceWindows windows, long rows) {
        List<MultivariateColumn> columns = new ArrayList<>();
        for (ReconstructionModel.Column c : model.columns()) {
            columns.add(MultivariateColumn.newBuilder()
                    .setName(c.name())
                    .setCategorical(c.kind() == ReconstructionModel.ColumnKind.CATEGORICAL)
                    .setMean(c.mean())
                    .setScale(c.scale())
                    .setImputed(c.imputed())
                    .setFrequencies(new TreeMap<>(c.frequencies()))
                    .build());
        }
        List<List<Double>> components = new ArrayList<>();
        for (double[] w : model.components()) {
            List<Double> row = new ArrayList<>();
            for (double v : w) {
                row.add(v);
            }
            components.add(row);
        }
        List<Double> explained = new ArrayList<>();
        for (double v : model.explainedVariance()) {
            explained.add(v);
        }
        return MultivariateModel.newBuilder()
                .setColumns(columns)
                .setComponents(components)
                .setExplainedVariance(explained)
                .setVarianceShare(model.varianceShare())
                .setReferenceRows(rows)
                .setChunkSize(windows.chunkSize())
                .setChunks(windows.chunks())
                .setChunkMean(windows.mean())
                .setChunkStdDev(windows.chunkStdDev())
                .setRowMean(windows.rowMean())
                .setRowStdDev(windows.rowStdDev())
                .build();
    }

    /** SHA-256 over the errors' content hash and the model's canonical text (columns, loadings, windows). */
    private static String hash(String errorsHash, MultivariateModel m) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(errorsHash.getBytes(StandardCharsets.UTF_8));
            for (MultivariateColumn c : m.getColumns()) {
                digest.update((c.getName() + "|" + c.getCategorical() + "|" + new TreeMap<>(c.getFrequencies()))
                        .getBytes(StandardCharsets.UTF_8));
                digest.update(doubles(c.getMean(), c.getScale(), c.getImputed()));
            }
            for (List<Double> w : m.getComponents()) {
                digest.update(doubles(w.stream().mapToDouble(Double::doubleValue).toArray()));
            }
            digest.update(doubles(m.getVarianceShare(), m.getChunkSize(), m.getChunkMean(), m.getChunkStdDev()));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private static byte[] doubles(double... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length);
        for (double v : values) {
            b.putDouble(v);
        }
        return b.array();
    }
}
