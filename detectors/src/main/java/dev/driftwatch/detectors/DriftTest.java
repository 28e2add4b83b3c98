package dev.driftwatch.detectors;

/**
 * The drift tests driftwatch computes. Each constant documents the range of its statistic.
 */
public enum DriftTest {
    /** Population stability index on frozen bins; ≥ 0, where 0.1–0.25 is moderate and above 0.25 large drift. */
    PSI("psi"),
    /** Kullback–Leibler divergence KL(reference ‖ current) on frozen bins, natural log; ≥ 0. */
    KL("kl"),
    /** Jensen–Shannon distance on frozen bins, natural log; 0 (identical) to √ln 2 ≈ 0.8326 (disjoint). */
    JS("js"),
    /** Two-sample Kolmogorov–Smirnov: D in 0..1, with a two-sided p-value. */
    KS("ks"),
    /** Wasserstein-1 distance divided by the reference's population standard deviation; ≥ 0. */
    WASSERSTEIN("wasserstein"),
    /** Pearson chi-square of current counts against reference proportions; ≥ 0, with a p-value. */
    CHI_SQUARE("chisq");

    private final String id;

    DriftTest(String id) {
        this.id = id;
    }

    /** The short lower-case name used in JSON, configuration and topics, e.g. {@code "psi"}. */
    public String id() {
        return id;
    }

    /** True for the tests whose statistic is an effect size (PSI, KL, JS, Wasserstein). */
    public boolean isEffectSize() {
        return this == PSI || this == KL || this == JS || this == WASSERSTEIN;
    }

    /** True for the tests that carry a p-value (KS, chi-square). */
    public boolean isSignificanceTest() {
        return this == KS || this == CHI_SQUARE;
    }

    /**
     * The test with the given short name.
     *
     * @throws IllegalArgumentException naming the value and the accepted names
     */
    public static DriftTest fromId(String id) {
        for (DriftTest t : values()) {
            if (t.id.equals(id)) {
                return t;
            }
        }
        StringBuilder names = new StringBuilder();
        for (DriftTest t : values()) {
            names.append(names.length() == 0 ? "" : ", ").append(t.id);
        }
        throw new IllegalArgumentException("unknown drift test '" + id + "'; expected one of " + names);
    }
}
