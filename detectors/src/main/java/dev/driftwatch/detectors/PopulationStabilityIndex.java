package dev.driftwatch.detectors;

import java.util.EnumSet;

/**
 * Population Stability Index, Σ (c − r)·ln(c / r) over the bins (numeric: the reference's quantile
 * bins; categorical: the union of categories), a proportion of 0 taken as ε = 1e-4. Range [0, +∞); in
 * practice below 0.1 means stable, 0.1–0.25 moderate drift, above 0.25 significant drift.
 *
 * <p>Streaming form: the same formula on the exact counts of the baseline's frozen bins, so it equals
 * the exact form on those bins (error bound 0).
 */
final class PopulationStabilityIndex extends CountBasedDriftTest {

    PopulationStabilityIndex() {
        super("psi", "PSI", Kind.EFFECT_SIZE, EnumSet.allOf(ColumnKind.class));
    }

    @Override
    TestResult onCounts(long[] reference, long[] current) {
        return TestResult.of(this, DriftStatistics.psi(reference, current));
    }

    @Override
    public Thresholds defaultThresholds() {
        return new Thresholds(0.1, 0.25);
    }

    @Override
    public boolean decidesByDefault() {
        return true;
    }

    @Override
    public String explanation() {
        return "Population Stability Index. Puts reference and current values in the same bins"
                + " (reference quantiles for numbers, categories otherwise) and adds up, bin by bin, how much the share"
                + " moved weighted by the log of its ratio. 0 means the same shares; below 0.1 is usually read as"
                + " stable, above 0.25 as a large shift. It says how much, not how surprising.";
    }
}
