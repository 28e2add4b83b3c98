package dev.driftwatch.detectors;

import java.util.EnumSet;

/**
 * Jensen-Shannon <em>distance</em> √(½KL(r̂‖m) + ½KL(ĉ‖m)), m = (r̂ + ĉ)/2, natural log, over the bins.
 * Range [0, √ln 2 ≈ 0.8326]; 0 for identical distributions, √ln 2 for disjoint ones.
 *
 * <p>Streaming form: the same formula on the exact counts of the baseline's frozen bins (error bound 0).
 */
final class JensenShannonDistance extends CountBasedDriftTest {

    JensenShannonDistance() {
        super("js", "JS", Kind.EFFECT_SIZE, EnumSet.allOf(ColumnKind.class));
    }

    @Override
    TestResult onCounts(long[] reference, long[] current) {
        return TestResult.of(this, DriftStatistics.js(reference, current));
    }

    @Override
    public Thresholds defaultThresholds() {
        return new Thresholds(0.1, 0.2);
    }

    @Override
    public boolean decidesByDefault() {
        return true;
    }

    @Override
    public String explanation() {
        return "Jensen-Shannon distance: a symmetric, bounded cousin of KL on the same bins, from 0"
                + " (same shares) to 0.83 (no bin in common). Good for comparing features with each other.";
    }
}
