package dev.driftwatch.detectors.performance;

import java.util.Arrays;

/**
 * The exact ROC AUC of labelled scores, and the standard error that compares two AUCs.
 *
 * <p>{@link #exact} is the Mann-Whitney U statistic over P·N: the share of (positive, negative) pairs in which the
 * positive scores higher, tied pairs ½ (midranks), in [0, 1]; ½ is no ranking, 1 perfect. It sorts the scores
 * (O(n log n), n the labelled scores): for reference data, where {@link ScoreSummary} keeps windows bounded.
 *
 * <p>{@link #standardError} is Hanley and McNeil's (1982) approximation of the AUC's standard error from the AUC A
 * and the class counts: √([A(1 − A) + (P − 1)(Q₁ − A²) + (N − 1)(Q₂ − A²)] / (P·N)), Q₁ = A/(2 − A),
 * Q₂ = 2A²/(1 + A). It assumes exponential-like score distributions; for A near ½ it is about
 * √((P + N + 1)/(12·P·N)), the Mann-Whitney null's.
 */
public final class RocAuc {
    private RocAuc() {
    }

    /**
     * The exact AUC of {@code scores} labelled by {@code positive}; NaN without both classes.
     *
     * @throws IllegalArgumentException when the arrays differ in length or a score is NaN
     */
    public static double exact(double[] scores, boolean[] positive) {
        if (scores.length != positive.length) {
            throw new IllegalArgumentException("AUC of " + scores.length + " scores and " + positive.length
                    + " labels");
        }
        int n = scores.length;
        Integer[] order = new Integer[n];
        long positives = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("AUC of a NaN score (row " + i + ")");
            }
            order[i] = i;
            positives += positive[i] ? 1 : 0;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        // Sum of the positives' midranks (1-based).
        double rankSum = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double midrank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (positive[order[k]]) {
                    rankSum += midrank;
                }
            }
            i = j + 1;
        }
        double u = rankSum - positives * (positives + 1) / 2.0;
        return u / ((double) positives * negatives);
    }

    /**
     * Hanley and McNeil's standard error of an AUC {@code auc} from {@code positives} and {@code negatives}; NaN
     * when the AUC is NaN or a class is empty.
     */
    public static double standardError(double auc, long positives, long negatives) {
        if (Double.isNaN(auc) || positives < 1 || negatives < 1) {
            return Double.NaN;
        }
        double q1 = auc / (2 - auc);
        double q2 = 2 * auc * auc / (1 + auc);
        double v = (auc * (1 - auc) + (positives - 1) * (q1 - auc * auc) + (negatives - 1) * (q2 - auc * auc))
                / ((double) positives * negatives);
        return Math.sqrt(Math.max(0, v));
    }
}
