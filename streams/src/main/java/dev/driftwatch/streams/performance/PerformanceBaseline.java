package dev.driftwatch.streams.performance;

import dev.driftwatch.detectors.performance.RocAuc;
import dev.driftwatch.detectors.performance.ScoreSummary;
import dev.driftwatch.detectors.summary.CategoricalBaseline;
import dev.driftwatch.detectors.summary.CategoricalSummary;
import dev.driftwatch.detectors.summary.Provenance;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.PerformanceReference;
import dev.driftwatch.streams.internals.BaselineCodec;
import dev.driftwatch.streams.internals.WindowBundle;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A model version's reference performance, which {@link PerformanceSignal} compares each window with: the labelled
 * scores' count, positives, sum of scores, ROC AUC, log loss and Brier score over a reference. It travels as a
 * categorical {@link Baseline} of subject {@value #SUBJECT} (categories {@code click} and {@code no_click}, the
 * reference's labels) with a {@link PerformanceReference}, so that it has an id, a content hash and a provenance
 * like every other baseline. It comes from a labelled training file ({@code driftwatch baseline --performance},
 * exact AUC) or is captured from retained windows by {@code ctl capture-baseline} (AUC from the windows' score
 * histograms, with its bound).
 *
 * @param id                 the baseline's id
 * @param source             where the reference came from (provenance source)
 * @param labelled           labelled scores, &ge; 1
 * @param positives          of which positive, in [0, labelled]
 * @param predictedPositives the sum of the scores
 * @param rocAuc             ROC AUC, NaN without both classes
 * @param rocAucErrorBound   its bound against the exact AUC (0 when exact)
 * @param logLoss            mean log loss
 * @param brier              Brier score
 */
public record PerformanceBaseline(String id, String source, long labelled, long positives, double predictedPositives,
                                  double rocAuc, double rocAucErrorBound, double logLoss, double brier) {
    /** The subject of performance baselines: the one of the window statistics. */
    public static final String SUBJECT = PerformanceSignal.STATS_SUBJECT;
    public static final String CLICK = "click";
    public static final String NO_CLICK = "no_click";

    public PerformanceBaseline {
        if (labelled < 1 || positives < 0 || positives > labelled || !(predictedPositives >= 0)) {
            throw new IllegalArgumentException("a performance baseline needs labelled >= 1, 0 <= positives <= labelled"
                    + " and a sum of scores >= 0, got " + positives + " of " + labelled + ", sum " + predictedPositives);
        }
    }

    /** positives / labelled: the reference's base rate (CTR), in [0, 1]. */
    public double baseRate() {
        return (double) positives / labelled;
    }

    /** positives / the sum of scores: the reference's calibration (1 when calibrated); NaN when the sum is 0. */
    public double calibration() {
        return predictedPositives > 0 ? positives / predictedPositives : Double.NaN;
    }

    /** The performance baseline in a baseline record, or empty when the record is not one. */
    public static Optional<PerformanceBaseline> from(Baseline b) {
        if (b == null || b.getPerformance() == null) {
            return Optional.empty();
        }
        PerformanceReference r = b.getPerformance();
        try {
            return Optional.of(new PerformanceBaseline(b.getBaselineId(), b.getProvenance().getSource(),
                    r.getLabelled(), r.getPositives(), r.getPredictedPositives(), r.getRocAuc(),
                    r.getRocAucErrorBound(), r.getLogLoss(), r.getBrier()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The baseline of labelled scores (e.g. a training file's), with the exact AUC.
     *
     * @param scores   predicted probabilities of the positive class, each in [0, 1]
     * @param positive their labels
     * @param bins     score bins of the stored histograms (as {@code performance.score.bins})
     * @throws IllegalArgumentException when there is no score, a score is outside [0, 1] or the lengths differ
     */
    public static Baseline fromScores(String model, String version, double[] scores, boolean[] positive, int bins,
                                      String source, Long fromMillis, Long toMillis) {
        if (scores.length == 0 || scores.length != positive.length) {
            throw new IllegalArgumentException("a performance baseline needs labelled scores, got " + scores.length
                    + " scores and " + positive.length + " labels");
        }
        ScoreSummary s = new ScoreSummary(bins);
        for (int i = 0; i < scores.length; i++) {
            if (!(scores[i] >= 0 && scores[i] <= 1)) {
                throw new IllegalArgumentException("score " + scores[i] + " (row " + (i + 1) + ") is not a probability"
                        + " in [0, 1]");
            }
            s.addLabelled(scores[i], positive[i]);
        }
        return toAvro(model, version, s, RocAuc.exact(scores, positive), 0.0, source, fromMillis, toMillis, null);
    }

    /**
     * The baseline of a set of windows (non-overlapping, of one model version): their labelled score histograms
     * merged; empty when they had no labelled score.
     */
    public static Optional<Baseline> fromWindows(String model, String version, List<WindowBundle> windows,
                                                 String source, Long fromMillis, Long toMillis, String commandId) {
        ScoreSummary merged = null;
        for (WindowBundle w : windows) {
            PerformancePart part = (PerformancePart) w.part(PerformancePart.NAME);
            if (part == null) {
                continue;
            }
            if (merged == null) {
                merged = new ScoreSummary(part.scores().bins());
            }
            if (part.scores().bins() == merged.bins()) {
                merged.merge(part.scores());
            }
        }
        if (merged == null || merged.labelled() == 0) {
            return Optional.empty();
        }
        return Optional.of(toAvro(model, version, merged, merged.rocAuc(), merged.rocAucErrorBound(), source,
                fromMillis, toMillis, commandId));
    }

    private static Baseline toAvro(String model, String version, ScoreSummary s, double auc, double bound,
                                   String source, Long fromMillis, Long toMillis, String commandId) {
        long positives = s.positives();
        long labelled = s.labelled();
        PerformanceReference r = PerformanceReference.newBuilder()
                .setLabelled(labelled)
                .setPositives(positives)
                .setPredictedPositives(s.expectedPositives())
                .setRocAuc(auc)
                .setRocAucErrorBound(Double.isNaN(bound) ? 0.0 : bound)
                .setLogLoss(s.logLoss())
                .setBrier(s.brier())
                .setPositiveCounts(longs(s.positiveCounts()))
                .setNegativeCounts(longs(s.negativeCounts()))
                .build();
        new PerformanceBaseline("-", source, labelled, positives, s.expectedPositives(), auc, bound, s.logLoss(),
                s.brier()); // checks the counts
        CategoricalSummary labels = new CategoricalSummary();
        labels.addCount(CLICK, positives);
        labels.addCount(NO_CLICK, labelled - positives);
        CategoricalBaseline counted = CategoricalBaseline.fromSummary(labels, source, fromMillis, toMillis);
        CategoricalBaseline identified = CategoricalBaseline.restore(counted.reference(),
                new Provenance(source, fromMillis, toMillis, hash(counted.provenance().contentHash(), r)));
        Baseline avro = BaselineCodec.toAvro(model, version, SUBJECT, identified, commandId);
        avro.setPerformance(r);
        return avro;
    }

    /** SHA-256 over the labels' content hash and the reference's values and histograms. */
    private static String hash(String labelsHash, PerformanceReference r) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(labelsHash.getBytes(StandardCharsets.UTF_8));
            ByteBuffer b = ByteBuffer.allocate(8 * (5 + r.getPositiveCounts().size() + r.getNegativeCounts().size()));
            b.putDouble(r.getPredictedPositives()).putDouble(r.getRocAuc()).putDouble(r.getRocAucErrorBound())
                    .putDouble(r.getLogLoss()).putDouble(r.getBrier());
            r.getPositiveCounts().forEach(b::putLong);
            r.getNegativeCounts().forEach(b::putLong);
            digest.update(b.array());
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private static List<Long> longs(long[] v) {
        List<Long> out = new ArrayList<>(v.length);
        for (long x : v) {
            out.add(x);
        }
        return out;
    }
}
