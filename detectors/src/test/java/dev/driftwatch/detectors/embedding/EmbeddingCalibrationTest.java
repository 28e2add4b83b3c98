package dev.driftwatch.detectors.embedding;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.driftwatch.detectors.DriftTests;
import dev.driftwatch.detectors.policy.Persistence;
import dev.driftwatch.detectors.policy.PersistenceState;
import dev.driftwatch.detectors.policy.Severity;
import dev.driftwatch.detectors.policy.Transition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The false-alarm rate of embedding drift, measured: many stationary windows (drawn from the distribution the
 * reference was drawn from) go through the real code (fit, add, merge, compare) and the share that drifts must be
 * within a binomial bound of α. Each reference is a fresh sample, so the rate measured is the unconditional one
 * (over references and windows), which is what α promises.
 *
 * <p>Windows are merges of blocks of 25 vectors summarised once: a pool of fresh vectors is cut into blocks, and a
 * window of n vectors is n/25 distinct blocks picked at random, so that it is an i.i.d. sample of the distribution
 * (the blocks are picked without looking at their values; a block picked twice would not be); windows of the same
 * pool share a block now and then, which only widens the spread of the measured rate a little.
 *
 * <p>{@code -Ddriftwatch.calibration.full=true} runs the full measurement of docs/signals.md (more references and
 * windows); the default run is smaller, with a bound to match.
 */
class EmbeddingCalibrationTest {
    private static final double ALPHA = 0.01;
    private static final int REFERENCE_ROWS = 5000;
    private static final int BLOCK = 25;
    private static final double[] MIX = {0.35, 0.25, 0.2, 0.14, 0.04, 0.02};
    private static final boolean FULL = Boolean.getBoolean("driftwatch.calibration.full");

    /** The settings' defaults (streams' EmbeddingSettings.defaultFit), with the reference's own seed. */
    static EmbeddingReference.Options options(long seed) {
        return new EmbeddingReference.Options(10, 256, seed, 999, 3200, DriftTests.WASSERSTEIN, 0.01, 100);
    }

    /** Six topics (centres of norm 2.5, as in the LLM demo) with unit Gaussian noise, in d dimensions. */
    static final class Topics {
        private final double[][] centres;

        Topics(int d) {
            SplittableRandom r = new SplittableRandom(2026);
            centres = new double[MIX.length][d];
            for (double[] c : centres) {
                double norm = 0;
                for (int j = 0; j < d; j++) {
                    c[j] = r.nextGaussian();
                    norm += c[j] * c[j];
                }
                for (int j = 0; j < d; j++) {
                    c[j] *= 2.5 / Math.sqrt(norm);
                }
            }
        }

        double[][] sample(SplittableRandom r, int n) {
            double[][] x = new double[n][];
            for (int i = 0; i < n; i++) {
                double u = r.nextDouble();
                int t = 0;
                for (double acc = MIX[0]; u >= acc && t < MIX.length - 1; acc += MIX[++t]) {
                    // the topic whose cumulative weight first exceeds u
                }
                double[] v = centres[t].clone();
                for (int j = 0; j < v.length; j++) {
                    v[j] += r.nextGaussian();
                }
                x[i] = v;
            }
            return x;
        }
    }

    /** What one configuration gave. */
    record Rate(int dimension, int size, int windows, int drifted, int alerts1of1, int alerts2of3, int[] byStatistic) {
        double share() {
            return (double) drifted / windows;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "d=%d n=%d: %d of %d windows drift (%.4f); FIRING 1-of-1 %d (%.4f),"
                            + " 2-of-3 %d (%.4f); over the level: mean %d, components %d, MMD %d", dimension, size,
                    drifted, windows, share(), alerts1of1, (double) alerts1of1 / windows, alerts2of3,
                    (double) alerts2of3 / windows, byStatistic[0], byStatistic[1], byStatistic[2]);
        }
    }

    /** Runs {@code windowsPerReference} windows of every size against each of {@code references} fresh references. */
    static List<Rate> measure(int d, int references, int windowsPerReference, int[] sizes, int poolBlocks) {
        Topics topics = new Topics(d);
        int[] drifted = new int[sizes.length];
        int[] fired1 = new int[sizes.length];
        int[] fired2 = new int[sizes.length];
        int[][] byStatistic = new int[sizes.length][3];
        for (int r = 0; r < references; r++) {
            SplittableRandom random = new SplittableRandom(1000L * d + r);
            EmbeddingReference ref = EmbeddingReference.fit(topics.sample(random, REFERENCE_ROWS), options(17 + r));
            EmbeddingWindow[] blocks = new EmbeddingWindow[poolBlocks];
            for (int b = 0; b < poolBlocks; b++) {
                blocks[b] = ref.newWindow();
                for (double[] v : topics.sample(random, BLOCK)) {
                    ref.add(blocks[b], v);
                }
            }
            for (int s = 0; s < sizes.length; s++) {
                PersistenceState one = PersistenceState.initial();
                PersistenceState two = PersistenceState.initial();
                for (int w = 0; w < windowsPerReference; w++) {
                    EmbeddingWindow window = ref.newWindow();
                    for (int b = 0; b < sizes[s] / BLOCK; b++) { // distinct blocks (a partial shuffle)
                        int pick = b + random.nextInt(poolBlocks - b);
                        EmbeddingWindow chosen = blocks[pick];
                        blocks[pick] = blocks[b];
                        blocks[b] = chosen;
                        window.merge(chosen);
                    }
                    EmbeddingComparison c = ref.compare(window, ALPHA);
                    boolean drifts = c.combinedP() <= ALPHA;
                    byStatistic[s][0] += c.meanP() <= c.level() ? 1 : 0;
                    byStatistic[s][1] += c.pcaP() <= c.level() ? 1 : 0;
                    byStatistic[s][2] += c.mmdP() <= c.level() ? 1 : 0;
                    Severity severity = drifts ? Severity.WARNING : Severity.NONE;
                    Persistence.Step a = Persistence.of(1, 1).next(one, severity);
                    Persistence.Step t = Persistence.of(2, 3).next(two, severity);
                    one = a.state();
                    two = t.state();
                    drifted[s] += drifts ? 1 : 0;
                    fired1[s] += a.transition() == Transition.FIRING ? 1 : 0;
                    fired2[s] += t.transition() == Transition.FIRING ? 1 : 0;
                }
            }
        }
        List<Rate> rates = new ArrayList<>();
        for (int s = 0; s < sizes.length; s++) {
            rates.add(new Rate(d, sizes[s], references * windowsPerReference, drifted[s], fired1[s], fired2[s],
                    byStatistic[s]));
        }
        return rates;
    }

    /**
     * The upper end of a one-sided binomial bound: α + z·√(α(1 − α)/W) with z = 3.09 (0.1 %), widened by 1.5 for
     * what the windows of one reference share (the reference's own sampling noise, the same for all its windows).
     */
    static double upperBound(int windows) {
        return ALPHA + 1.5 * 3.09 * Math.sqrt(ALPHA * (1 - ALPHA) / windows);
    }

    private static void check(List<Rate> rates) {
        int windows = 0;
        int drifted = 0;
        for (Rate r : rates) {
            System.out.println("embedding false-alarm rate: " + r);
            windows += r.windows();
            drifted += r.drifted();
        }
        for (Rate r : rates) {
            assertTrue(r.share() <= upperBound(r.windows()), r + " is over the bound "
                    + String.format(Locale.ROOT, "%.4f", upperBound(r.windows())));
        }
        double all = (double) drifted / windows;
        System.out.printf(Locale.ROOT, "embedding false-alarm rate: all sizes %d of %d (%.4f), bound %.4f%n", drifted,
                windows, all, upperBound(windows));
        assertTrue(all <= upperBound(windows), "overall " + all);
        if (FULL) { // calibrated, not mute: not far below alpha either (too few windows for this in the short run)
            assertTrue(all >= ALPHA / 4, "overall " + all + " is far below alpha " + ALPHA);
        }
    }

    @Test
    void shouldDriftOnAboutAlphaOfStationaryWindowsIn64Dimensions() {
        check(FULL ? measure(64, 10, 200, new int[] {50, 200, 1000, 1500}, 1600)
                : measure(64, 3, 100, new int[] {50, 1500}, 800));
    }

    @Test
    void shouldDriftOnAboutAlphaOfStationaryWindowsIn384Dimensions() {
        check(FULL ? measure(384, 5, 400, new int[] {100, 1000}, 800)
                : measure(384, 1, 200, new int[] {1000}, 400));
    }
}
