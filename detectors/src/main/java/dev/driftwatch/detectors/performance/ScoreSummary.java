package dev.driftwatch.detectors.performance;

import org.apache.commons.math3.distribution.NormalDistribution;

import java.util.Arrays;

/**
 * A bounded, mergeable summary of a probabilistic binary classifier's scores (predicted probabilities of the
 * positive class, in [0, 1]), with or without their labels. Its size is fixed by the number of score bins B
 * (equal bins on [0, 1]; a score s falls in bin min(B − 1, ⌊s·B⌋)), whatever the traffic.
 *
 * <p><b>Realized performance</b>, on the labelled scores (e.g. requests with an impression, clicked or not):
 * <ul>
 *   <li>log loss −mean(y·ln p + (1 − y)·ln(1 − p)), p clipped to [1e-15, 1 − 1e-15]; 0 is perfect, ln 2 ≈ 0.693 is
 *       a coin;</li>
 *   <li>Brier score mean((p − y)²), in [0, 1];</li>
 *   <li>ROC AUC from the two per-bin histograms (positives and negatives): pairs in different bins are ordered
 *       exactly, pairs in the same bin count ½. Its distance from the exact AUC is at most
 *       {@link #rocAucErrorBound()} = ½·Σ_b P_b·N_b / (P·N), the share of pairs the bins cannot order (about
 *       1/(2B) for scores spread over the bins);</li>
 *   <li>calibration: observed positives ÷ the sum of predicted probabilities (1 when calibrated), tested with
 *       z = (O − E)/√Σp(1 − p), the normal approximation of the Poisson-binomial count of positives of a
 *       calibrated model, two-sided.</li>
 * </ul>
 *
 * <p><b>Estimated performance</b> (confidence-based, as NannyML's CBPE), on every score, labelled or not, under
 * the assumption that the scores are calibrated (as they were on the reference): a score p is correct with
 * probability max(p, 1 − p) at the threshold ½, so the expected accuracy is the mean of that; and each score
 * counts as p of a positive and 1 − p of a negative, so the expected ROC AUC is the AUC of those expected
 * histograms (same-bin pairs ½). When the model's calibration drifts, the estimate is wrong in the same way:
 * compare it with the realized values once labels come.
 *
 * <p>Sums of doubles (log loss, Brier, Σp) depend slightly on the order of merging (rounding only).
 */
public final class ScoreSummary {
    /** Default number of score bins: AUC within about 0.005 of the exact value. */
    public static final int DEFAULT_BINS = 100;
    /** Clip for the log loss (as scikit-learn's). */
    static final double CLIP = 1e-15;
    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

    private final int bins;
    /** Every score per bin (labelled or not), and the sum of the scores per bin. */
    private final long[] all;
    private final double[] allScoreSum;
    /** Labelled scores per bin: positives and negatives. */
    private final long[] positives;
    private final long[] negatives;
    private double expectedCorrect;
    private double labelledScoreSum;
    private double labelledVariance;
    private double logLossSum;
    private double brierSum;
    /** Labelled scores on the right side of ½ (score ≥ ½ predicts positive), exact. */
    private long correct;
    private long invalid;

    /** An empty summary of {@code bins} equal bins on [0, 1] (1..100,000). */
    public ScoreSummary(int bins) {
        if (bins < 1 || bins > 100_000) {
            throw new IllegalArgumentException("a score summary needs 1..100000 bins, got " + bins);
        }
        this.bins = bins;
        all = new long[bins];
        allScoreSum = new double[bins];
        positives = new long[bins];
        negatives = new long[bins];
    }

    /** The bin of a score in [0, 1]. */
    public int binOf(double score) {
        return Math.min(bins - 1, (int) Math.floor(score * bins));
    }

    private static boolean valid(double score) {
        return score >= 0 && score <= 1;
    }

    /** Adds a score without its label (for the estimated performance); a score outside [0, 1] or NaN is counted invalid. */
    public void addScore(double score) {
        if (!valid(score)) {
            invalid++;
            return;
        }
        int b = binOf(score);
        all[b]++;
        allScoreSum[b] += score;
        expectedCorrect += Math.max(score, 1 - score);
    }

    /** Adds a labelled score (for the realized performance) only; a score outside [0, 1] or NaN is counted invalid. */
    public void addLabelled(double score, boolean positive) {
        if (!valid(score)) {
            invalid++;
            return;
        }
        int b = binOf(score);
        if (positive) {
            positives[b]++;
        } else {
            negatives[b]++;
        }
        labelledScoreSum += score;
        labelledVariance += score * (1 - score);
        double p = Math.min(1 - CLIP, Math.max(CLIP, score));
        logLossSum -= positive ? Math.log(p) : Math.log1p(-p);
        brierSum += (score - (positive ? 1 : 0)) * (score - (positive ? 1 : 0));
        if (score >= 0.5 == positive) {
            correct++;
        }
    }

    /** Adds another summary of as many bins into this one. */
    public ScoreSummary merge(ScoreSummary o) {
        if (o.bins != bins) {
            throw new IllegalArgumentException("cannot merge score summaries of " + bins + " and " + o.bins + " bins");
        }
        for (int b = 0; b < bins; b++) {
            all[b] += o.all[b];
            allScoreSum[b] += o.allScoreSum[b];
            positives[b] += o.positives[b];
            negatives[b] += o.negatives[b];
        }
        expectedCorrect += o.expectedCorrect;
        labelledScoreSum += o.labelledScoreSum;
        labelledVariance += o.labelledVariance;
        logLossSum += o.logLossSum;
        brierSum += o.brierSum;
        correct += o.correct;
        invalid += o.invalid;
        return this;
    }

    public int bins() {
        return bins;
    }

    /** Scores added without labels. */
    public long scored() {
        return Arrays.stream(all).sum();
    }

    /** Labelled scores. */
    public long labelled() {
        return Arrays.stream(positives).sum() + Arrays.stream(negatives).sum();
    }

    /** Labelled positives (e.g. clicks). */
    public long positives() {
        return Arrays.stream(positives).sum();
    }

    /** Scores outside [0, 1] or NaN, left out. */
    public long invalid() {
        return invalid;
    }

    /** The sum of the labelled scores: the positives a calibrated model expects. */
    public double expectedPositives() {
        return labelledScoreSum;
    }

    /** Σp(1 − p) of the labelled scores: the variance of the positives of a calibrated model. */
    public double expectedPositivesVariance() {
        return labelledVariance;
    }

    /** Log loss of the labelled scores; NaN without one. */
    public double logLoss() {
        long n = labelled();
        return n == 0 ? Double.NaN : logLossSum / n;
    }

    /** Brier score of the labelled scores; NaN without one. */
    public double brier() {
        long n = labelled();
        return n == 0 ? Double.NaN : brierSum / n;
    }

    /** Observed positives ÷ expected positives; NaN when nothing was expected. */
    public double calibration() {
        return labelledScoreSum > 0 ? positives() / labelledScoreSum : Double.NaN;
    }

    /** The calibration test's z, (O − E)/√Σp(1 − p); NaN without variance. */
    public double calibrationZ() {
        return labelledVariance > 0 ? (positives() - labelledScoreSum) / Math.sqrt(labelledVariance) : Double.NaN;
    }

    /** Its two-sided p-value, in [0, 1]; NaN without variance. */
    public double calibrationPValue() {
        double z = calibrationZ();
        return Double.isNaN(z) ? Double.NaN : Math.min(1.0, 2 * NORMAL.cumulativeProbability(-Math.abs(z)));
    }

    /** ROC AUC of the labelled scores from the binned histograms; NaN without both classes. */
    public double rocAuc() {
        return auc(toDoubles(positives), toDoubles(negatives));
    }

    /** The bound on |{@link #rocAuc()} − exact AUC|: ½·Σ P_b·N_b / (P·N); NaN without both classes. */
    public double rocAucErrorBound() {
        double p = positives();
        double n = labelled() - p;
        if (p == 0 || n == 0) {
            return Double.NaN;
        }
        double same = 0;
        for (int b = 0; b < bins; b++) {
            same += (double) positives[b] * negatives[b];
        }
        return 0.5 * same / (p * n);
    }

    /** Accuracy of the labelled scores at the threshold ½ (score ≥ ½ predicts positive); NaN without one. */
    public double accuracy() {
        long n = labelled();
        if (n == 0) {
            return Double.NaN;
        }
        return correct / (double) n;
    }

    /** Expected accuracy at ½ of every score, assuming calibration (CBPE); NaN without a score. */
    public double expectedAccuracy() {
        long n = scored();
        return n == 0 ? Double.NaN : expectedCorrect / n;
    }

    /** Expected ROC AUC of every score, assuming calibration (CBPE); NaN without a score. */
    public double expectedRocAuc() {
        double[] p = new double[bins];
        double[] q = new double[bins];
        for (int b = 0; b < bins; b++) {
            p[b] = allScoreSum[b];
            q[b] = all[b] - allScoreSum[b];
        }
        return auc(p, q);
    }

    private static double[] toDoubles(long[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    /** AUC of positive weights p and negative weights q per ascending bin, ties within a bin ½. */
    private static double auc(double[] p, double[] q) {
        double totalP = 0;
        double totalQ = 0;
        for (int b = 0; b < p.length; b++) {
            totalP += p[b];
            totalQ += q[b];
        }
        if (!(totalP > 0) || !(totalQ > 0)) {
            return Double.NaN;
        }
        double below = 0;
        double pairs = 0;
        for (int b = 0; b < p.length; b++) {
            pairs += p[b] * (below + 0.5 * q[b]);
            below += q[b];
        }
        return pairs / (totalP * totalQ);
    }

    /** The summary's state, for storage: see {@link #restore}. */
    public long[] allCounts() {
        return all.clone();
    }

    public double[] allScoreSums() {
        return allScoreSum.clone();
    }

    public long[] positiveCounts() {
        return positives.clone();
    }

    public long[] negativeCounts() {
        return negatives.clone();
    }

    /** The scalar sums, in the order {@link #restore} takes them. */
    public double[] sums() {
        return new double[]{expectedCorrect, labelledScoreSum, labelledVariance, logLossSum, brierSum, correct};
    }

    /** A summary from what its accessors gave. */
    public static ScoreSummary restore(long[] all, double[] allScoreSum, long[] positives, long[] negatives,
                                      double[] sums, long invalid) {
        int bins = all.length;
        if (allScoreSum.length != bins || positives.length != bins || negatives.length != bins || sums.length != 6) {
            throw new IllegalArgumentException("score summary arrays of different lengths");
        }
        ScoreSummary s = new ScoreSummary(bins);
        System.arraycopy(all, 0, s.all, 0, bins);
        System.arraycopy(allScoreSum, 0, s.allScoreSum, 0, bins);
        System.arraycopy(positives, 0, s.positives, 0, bins);
        System.arraycopy(negatives, 0, s.negatives, 0, bins);
        s.expectedCorrect = sums[0];
        s.labelledScoreSum = sums[1];
        s.labelledVariance = sums[2];
        s.logLossSum = sums[3];
        s.brierSum = sums[4];
        s.correct = (long) sums[5];
        s.invalid = invalid;
        return s;
    }
}
