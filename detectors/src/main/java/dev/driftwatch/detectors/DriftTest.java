package dev.driftwatch.detectors;

import java.util.Locale;

/**
 * The drift tests driftwatch computes between a reference (baseline) distribution and a current
 * window. Each constant documents the range of its statistic; the exact formulas are the
 * statistical conventions of {@code DESIGN.md}.
 *
 * <p>Tests fall in two kinds: <em>effect sizes</em> ({@link #isEffectSize()}), whose statistic says
 * how far apart the distributions are and is compared with a threshold, and <em>significance
 * tests</em> ({@link #isSignificanceTest()}), which also give a p-value that says how surprising the
 * difference is under "no drift". The declaration order is the canonical order used when tests are
 * listed (for example in an alert's {@code drifted_by}).
 */
public enum DriftTest {

    /**
     * Population Stability Index, Σ (c − r)·ln(c / r) over the bins. Range [0, +∞); in practice
     * below 0.1 means stable, 0.1–0.25 moderate drift, above 0.25 significant drift.
     */
    PSI("psi"),

    /**
     * Kullback-Leibler divergence KL(reference ‖ current), natural log. Range [0, +∞); 0 when the
     * binned distributions are identical. Asymmetric and unbounded, so usually reported only.
     */
    KL("kl"),

    /**
     * Jensen-Shannon <em>distance</em> (the square root of the divergence), natural log. Range
     * [0, √ln 2 ≈ 0.8326]; 0 for identical distributions, √ln 2 for disjoint ones.
     */
    JS("js"),

    /**
     * Two-sample Kolmogorov-Smirnov test. Statistic D = sup |F_ref − F_cur| in [0, 1], with a
     * two-sided p-value in [0, 1].
     */
    KS("ks"),

    /**
     * First Wasserstein distance between the empirical distributions divided by the reference's
     * population standard deviation. Range [0, +∞); about 0.1 is a small shift, 1 a shift of one
     * reference standard deviation. Undefined when the reference standard deviation is 0.
     */
    WASSERSTEIN("wasserstein"),

    /**
     * Pearson chi-square test of the current category counts against the reference proportions.
     * Statistic in [0, +∞) with categories − 1 degrees of freedom, and a p-value in [0, 1].
     */
    CHI_SQUARE("chisq");

    private final String id;

    DriftTest(String id) {
        this.id = id;
    }

    /**
     * The stable lower-case identifier of this test, used in configuration, topics and reports:
     * "psi", "kl", "js", "ks", "wasserstein" or "chisq".
     *
     * @return the identifier, never null
     */
    public String id() {
        return id;
    }

    /**
     * Looks a test up by its {@link #id()}, ignoring case and surrounding blanks.
     *
     * @param id an identifier such as "psi" or "chisq"
     * @return the test with that identifier
     * @throws IllegalArgumentException if {@code id} is null or names no test; the message lists
     *     the known identifiers
     */
    public static DriftTest fromId(String id) {
        if (id != null) {
            String wanted = id.strip().toLowerCase(Locale.ROOT);
            for (DriftTest test : values()) {
                if (test.id.equals(wanted)) {
                    return test;
                }
            }
        }
        StringBuilder known = new StringBuilder();
        for (DriftTest test : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(test.id);
        }
        throw new IllegalArgumentException(
                "unknown drift test id '" + id + "'; expected one of: " + known);
    }

    /**
     * Whether this test is an effect size, whose statistic is compared with a threshold:
     * true for {@link #PSI}, {@link #KL}, {@link #JS} and {@link #WASSERSTEIN}.
     *
     * @return true for an effect size
     */
    public boolean isEffectSize() {
        return this == PSI || this == KL || this == JS || this == WASSERSTEIN;
    }

    /**
     * Whether this test gives a p-value used as a significance gate: true for {@link #KS}
     * (numeric features) and {@link #CHI_SQUARE} (categorical features).
     *
     * @return true for a significance test
     */
    public boolean isSignificanceTest() {
        return this == KS || this == CHI_SQUARE;
    }
}
