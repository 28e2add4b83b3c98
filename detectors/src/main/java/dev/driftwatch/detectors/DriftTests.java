package dev.driftwatch.detectors;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of drift tests: every {@link DriftTest} driftwatch computes, in canonical order. The
 * comparisons ({@link Comparisons} and the summary comparisons), the configuration and control-topic
 * policy keys, the window statistics and the {@code compare} report derive their tests from this list.
 *
 * <p>To add a test, write its {@link DriftTest} subclass and append it here. Append only: a test's
 * position ({@link DriftTest#ordinal()}) is stored in alert state.
 */
public final class DriftTests {

    /** Population Stability Index on the reference's bins. */
    public static final DriftTest PSI = new PopulationStabilityIndex();
    /** Kullback-Leibler divergence KL(reference ‖ current). */
    public static final DriftTest KL = new KullbackLeiblerDivergence();
    /** Jensen-Shannon distance. */
    public static final DriftTest JS = new JensenShannonDistance();
    /** Two-sample Kolmogorov-Smirnov test. */
    public static final DriftTest KS = new KolmogorovSmirnovTwoSample();
    /** First Wasserstein distance over the reference's standard deviation. */
    public static final DriftTest WASSERSTEIN = new NormalisedWasserstein();
    /** Pearson chi-square test of the categories. */
    public static final DriftTest CHI_SQUARE = new PearsonChiSquare();

    private static final List<DriftTest> ALL = List.of(PSI, KL, JS, KS, WASSERSTEIN, CHI_SQUARE,
            new AndersonDarlingKSample());

    /** {@link #forKind}'s lists, each taken once (every subject of every window asks). */
    private static final Map<ColumnKind, List<DriftTest>> BY_KIND = byKind();

    private DriftTests() {
    }

    private static Map<ColumnKind, List<DriftTest>> byKind() {
        Map<ColumnKind, List<DriftTest>> out = new EnumMap<>(ColumnKind.class);
        for (ColumnKind kind : ColumnKind.values()) {
            out.put(kind, ALL.stream().filter(t -> t.appliesTo(kind)).toList());
        }
        return out;
    }

    /**
     * Every test, in canonical order.
     *
     * @return an unmodifiable list
     */
    public static List<DriftTest> all() {
        return ALL;
    }

    /**
     * The tests that apply to a kind of column, in canonical order.
     *
     * @param kind numeric or categorical
     * @return an unmodifiable list
     */
    public static List<DriftTest> forKind(ColumnKind kind) {
        return kind == null ? List.of() : BY_KIND.get(kind);
    }

    /**
     * The effect sizes, which have thresholds, in canonical order.
     *
     * @return an unmodifiable list
     */
    public static List<DriftTest> effectSizes() {
        return ALL.stream().filter(DriftTest::isEffectSize).toList();
    }

    /**
     * The ids of the effect sizes, for messages: "psi, kl, js, wasserstein".
     *
     * @return the ids joined by ", "
     */
    public static String effectSizeIds() {
        return String.join(", ", effectSizes().stream().map(DriftTest::id).toList());
    }
}
