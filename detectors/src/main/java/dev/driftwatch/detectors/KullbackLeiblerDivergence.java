package dev.driftwatch.detectors;

import java.util.EnumSet;

/**
 * Kullback-Leibler divergence KL(reference ‖ current) = Σ r̂·ln(r̂ / ĉ) over the bins, natural log, on
 * proportions renormalised after the ε = 1e-4 floor. Range [0, +∞); 0 when the binned distributions are
 * identical. Asymmetric and unbounded, so reported but not deciding by default.
 *
 * <p>Streaming form: the same formula on the exact counts of the baseline's frozen bins (error bound 0).
 */
final class KullbackLeiblerDivergence extends CountBasedDriftTest {

    KullbackLeiblerDivergence() {
        super("kl", "KL", Kind.EFFECT_SIZE, EnumSet.allOf(ColumnKind.class));
    }

    @Override
    TestResult onCounts(long[] reference, long[] current) {
        return TestResult.of(this, DriftStatistics.kl(reference, current));
    }

    @Override
    public Thresholds defaultThresholds() {
        return new Thresholds(0.1, 0.25);
    }

    @Override
    public String explanation() {
        return "Kullback-Leibler divergence of the reference from the current bins (natural log). 0 when"
                + " the binned distributions match; it grows without bound when the current sample leaves reference"
                + " bins empty. Reported for information; it decides nothing.";
    }
}
