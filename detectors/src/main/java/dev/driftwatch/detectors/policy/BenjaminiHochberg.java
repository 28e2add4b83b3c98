package dev.driftwatch.detectors.policy;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The Benjamini-Hochberg step-up procedure, which controls the false discovery rate (the expected
 * share of false alarms among the features declared drifted) when many features are tested in
 * the same window.
 *
 * <p>For m p-values sorted ascending p₍₁₎ ≤ … ≤ p₍ₘ₎, the adjusted p-value (q-value) of the one
 * with rank i is q₍ᵢ₎ = min over j ≥ i of min(1, p₍ⱼ₎·m / j). Rejecting every hypothesis with
 * q ≤ α is the same as the step-up rule "reject the k smallest, k the largest rank with
 * p₍ₖ₎ ≤ k·α / m". The values equal R's {@code p.adjust(p, "BH")}, statsmodels'
 * {@code multipletests(p, method="fdr_bh")} and SciPy's {@code false_discovery_control(p)}.
 *
 * <p>Stateless; all methods are static.
 */
public final class BenjaminiHochberg {

    private BenjaminiHochberg() {
    }

    /**
     * The Benjamini-Hochberg adjusted p-values, in the order of the input.
     *
     * <p>Each adjusted value is in [p, 1] for its p-value p; ties get equal adjusted values; a
     * single p-value is returned unchanged. An empty input gives an empty result.
     *
     * @param pValues the raw p-values, each in [0, 1] (not NaN); not modified
     * @return a new array of adjusted p-values (q-values), aligned with {@code pValues}
     * @throws IllegalArgumentException if {@code pValues} is null or holds a value outside [0, 1]
     *     or NaN; the message names the index and the value
     */
    public static double[] adjust(double[] pValues) {
        checkPValues(pValues);
        int m = pValues.length;
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> pValues[i]));

        double[] adjusted = new double[m];
        double runningMin = 1.0;
        for (int rank = m; rank >= 1; rank--) {
            int index = order[rank - 1];
            // m / rank first: the factor is ≥ 1 exactly, so the result is never below the raw p.
            double candidate = pValues[index] * ((double) m / rank);
            if (candidate < runningMin) {
                runningMin = candidate;
            }
            adjusted[index] = runningMin;
        }
        return adjusted;
    }

    /**
     * Which hypotheses the Benjamini-Hochberg procedure rejects at false discovery rate
     * {@code alpha}: those whose adjusted p-value is ≤ {@code alpha}.
     *
     * @param pValues the raw p-values, each in [0, 1] (not NaN); not modified
     * @param alpha the false discovery rate to control, in (0, 1), typically 0.05
     * @return a new array, true where the hypothesis is rejected (the feature is significant),
     *     aligned with {@code pValues}
     * @throws IllegalArgumentException if a p-value is outside [0, 1] or NaN, or {@code alpha} is
     *     not in (0, 1)
     */
    public static boolean[] reject(double[] pValues, double alpha) {
        checkAlpha(alpha);
        double[] adjusted = adjust(pValues);
        boolean[] rejected = new boolean[adjusted.length];
        for (int i = 0; i < adjusted.length; i++) {
            rejected[i] = adjusted[i] <= alpha;
        }
        return rejected;
    }

    static void checkAlpha(double alpha) {
        if (!(alpha > 0.0 && alpha < 1.0)) {
            throw new IllegalArgumentException("alpha " + alpha + " is not allowed; expected a"
                    + " significance level strictly between 0 and 1, typically 0.05");
        }
    }

    private static void checkPValues(double[] pValues) {
        if (pValues == null) {
            throw new IllegalArgumentException("p-values must not be null; pass an empty array when"
                    + " there is nothing to adjust");
        }
        for (int i = 0; i < pValues.length; i++) {
            double p = pValues[i];
            if (!(p >= 0.0 && p <= 1.0)) {
                throw new IllegalArgumentException("p-value at index " + i + " is " + p
                        + "; expected a value in [0, 1]");
            }
        }
    }
}
