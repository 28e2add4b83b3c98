package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.BinEdges;
import dev.driftwatch.detectors.summary.CategoricalBaseline;
import dev.driftwatch.detectors.summary.CategoricalSummary;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.detectors.summary.NumericSummary;
import dev.driftwatch.detectors.summary.Provenance;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.FeatureKind;
import dev.driftwatch.schemas.avro.FineGrid;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between the {@code Baseline} Avro record on the baselines topic and the detectors'
 * baselines. The fine grid travels as its points (edges), cell counts and open-cell sums.
 */
public final class BaselineCodec {
    private BaselineCodec() {
    }

    /** The compacted-topic key of a baseline: {@code model/version/subject}. */
    public static String key(String model, String version, String subject) {
        return model + "/" + version + "/" + subject;
    }

    public static Baseline toAvro(String model, String version, String subject, NumericBaseline baseline,
                                  String commandId) {
        NumericSummary ref = baseline.reference();
        NumericGrid grid = baseline.grid();
        long[] bins = ref.binCounts();
        long[] cells = new long[grid.cellCount()];
        List<Double> sums = new ArrayList<>();
        for (int c = 0; c < cells.length; c++) {
            cells[c] = ref.cellCount(c);
            if (!NumericGrid.isPointCell(c)) {
                sums.add(ref.openCellSum(c));
            }
        }
        Baseline.Builder record = Baseline.newBuilder()
                .setBaselineId(baseline.id())
                .setModelId(model)
                .setModelVersion(version)
                .setFeature(subject)
                .setKind(FeatureKind.NUMERIC)
                .setBinEdges(doubles(baseline.bins().edges()))
                .setBinCounts(longs(bins))
                .setBinProportions(proportions(bins, ref.count()))
                .setFineGrid(FineGrid.newBuilder()
                        .setEdges(doubles(grid.points()))
                        .setCounts(longs(cells))
                        .setSums(sums)
                        .build())
                .setMean(ref.mean())
                .setPopulationStdDev(ref.populationStd())
                .setCategoryCounts(new HashMap<>())
                .setTotalCount(ref.count())
                .setMissingCount(ref.missing())
                .setMinimum(ref.count() > 0 ? ref.min() : null)
                .setMaximum(ref.count() > 0 ? ref.max() : null);
        return withProvenance(record, baseline.provenance(), commandId).build();
    }

    public static Baseline toAvro(String model, String version, String subject, CategoricalBaseline baseline,
                                  String commandId) {
        CategoricalSummary ref = baseline.reference();
        Map<String, Long> counts = new HashMap<>(ref.counts());
        List<Long> binCounts = new ArrayList<>(ref.counts().values());
        List<Double> props = new ArrayList<>();
        for (long c : binCounts) {
            props.add(c / (double) ref.count());
        }
        Baseline.Builder record = Baseline.newBuilder()
                .setBaselineId(baseline.id())
                .setModelId(model)
                .setModelVersion(version)
                .setFeature(subject)
                .setKind(FeatureKind.CATEGORICAL)
                .setBinEdges(new ArrayList<>())
                .setBinCounts(binCounts)
                .setBinProportions(props)
                .setFineGrid(null)
                .setMean(null)
                .setPopulationStdDev(null)
                .setCategoryCounts(counts)
                .setTotalCount(ref.count())
                .setMissingCount(ref.missing());
        return withProvenance(record, baseline.provenance(), commandId).build();
    }

    /**
     * A baseline record with the detectors' provenance and the capturing command's id (the record's
     * {@code Provenance} is the Avro one, reached through its builder: the two types share a name).
     */
    private static Baseline.Builder withProvenance(Baseline.Builder record, Provenance p, String commandId) {
        record.getProvenanceBuilder()
                .setSource(p.source())
                .setRangeStart(p.fromMillis() == null ? null : Instant.ofEpochMilli(p.fromMillis()))
                .setRangeEnd(p.toMillis() == null ? null : Instant.ofEpochMilli(p.toMillis()))
                .setContentHash(p.contentHash())
                .setCommandId(commandId);
        return record;
    }

    /** The detectors' provenance of a baseline record. */
    static Provenance provenance(Baseline avro) {
        var p = avro.getProvenance();
        return new Provenance(p.getSource(),
                p.getRangeStart() == null ? null : p.getRangeStart().toEpochMilli(),
                p.getRangeEnd() == null ? null : p.getRangeEnd().toEpochMilli(),
                p.getContentHash());
    }

    /**
     * A numeric baseline from its Avro form.
     *
     * @throws IllegalArgumentException when the record is not a consistent numeric baseline
     */
    public static NumericBaseline numeric(Baseline avro) {
        if (avro.getKind() != FeatureKind.NUMERIC || avro.getFineGrid() == null) {
            throw new IllegalArgumentException("baseline " + avro.getBaselineId() + " of " + avro.getFeature()
                    + " is not a numeric baseline with a fine grid");
        }
        FineGrid fine = avro.getFineGrid();
        double[] points = unboxDoubles(fine.getEdges());
        // One grid object per grid in the JVM: the windows on this baseline share it (see Grids).
        NumericGrid grid = Grids.intern(NumericGrid.of(points, BinEdges.of(unboxDoubles(avro.getBinEdges()))));
        long[] cells = unboxLongs(fine.getCounts());
        double[] sums = unboxDoubles(fine.getSums());
        long n = avro.getTotalCount();
        double std = avro.getPopulationStdDev() == null ? 0.0 : avro.getPopulationStdDev();
        double mean = avro.getMean() == null ? 0.0 : avro.getMean();
        double min = Double.NaN;
        double max = Double.NaN;
        for (int c = 0; c < cells.length; c++) {
            if (cells[c] > 0) {
                double v = NumericGrid.isPointCell(c) ? grid.pointOf(c) : sums[c / 2] / cells[c];
                if (Double.isNaN(min)) {
                    min = v;
                }
                max = v;
            }
        }
        // Held compactly (the counts packed): an instance keeps every subject's baseline of every model version.
        return NumericBaseline.restore(grid, cells, sums, avro.getMissingCount(), mean, std * std * n, min, max,
                provenance(avro));
    }

    /** A categorical baseline from its Avro form. */
    public static CategoricalBaseline categorical(Baseline avro) {
        if (avro.getKind() != FeatureKind.CATEGORICAL) {
            throw new IllegalArgumentException("baseline " + avro.getBaselineId() + " of " + avro.getFeature()
                    + " is not categorical");
        }
        CategoricalSummary summary = new CategoricalSummary();
        avro.getCategoryCounts().forEach(summary::addCount);
        summary.addCount("", avro.getMissingCount());
        return CategoricalBaseline.restore(summary, provenance(avro));
    }

    private static List<Double> doubles(double[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(v);
        }
        return out;
    }

    private static List<Long> longs(long[] values) {
        List<Long> out = new ArrayList<>(values.length);
        for (long v : values) {
            out.add(v);
        }
        return out;
    }

    private static List<Double> proportions(long[] counts, long total) {
        List<Double> out = new ArrayList<>(counts.length);
        for (long c : counts) {
            out.add(total == 0 ? 0.0 : c / (double) total);
        }
        return out;
    }

    private static double[] unboxDoubles(List<Double> values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static long[] unboxLongs(List<Long> values) {
        long[] out = new long[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
