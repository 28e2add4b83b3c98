package dev.driftwatch.detectors.policy;

import dev.driftwatch.detectors.ColumnComparison;
import dev.driftwatch.detectors.DriftTests;
import dev.driftwatch.detectors.TestResult;
import dev.driftwatch.detectors.WindowEvidence;
import dev.driftwatch.detectors.summary.CategoricalBaseline;
import dev.driftwatch.detectors.summary.CategoricalSummary;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.detectors.summary.NumericSummary;
import dev.driftwatch.detectors.summary.SummaryComparisons;
import dev.driftwatch.detectors.summary.SummaryEvidence;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The limit cases of the evidence rule, on window summaries built by the detectors' own classes: tiny
 * windows, a constant reference, a persistent change (no flapping), a RESOLVED below its level, a small
 * persistent shift that only the sequential statistic catches, and quiet stationary traffic.
 */
class EvidenceRuleTest {
    private static final AlertPolicy POLICY = AlertPolicy.defaults();
    private static final String[] CATEGORIES = {"a", "b", "c", "d", "e", "f", "g", "h"};
    private static final double[] RARE = {.45, .25, .15, .10, .03, .015, .004, .001};

    /** One numeric subject: a baseline and its stored states, judged window by window. */
    private static final class Numeric {
        final NumericBaseline baseline;
        final AlertPolicy policy;
        PersistenceState persistence = PersistenceState.initial();
        EvidenceState state = EvidenceState.initial();

        Numeric(double[] reference, AlertPolicy policy) {
            this.baseline = NumericBaseline.fromSample(reference, 10, NumericGrid.DEFAULT_RESOLUTION, "test", null, null);
            this.policy = policy;
        }

        Judgement window(SplittableRandom r, int size, ToDoubleFunction<SplittableRandom> draw) {
            NumericSummary w = baseline.newWindow();
            for (int i = 0; i < size; i++) {
                w.add(draw.applyAsDouble(r));
            }
            ColumnComparison c = SummaryComparisons.numeric(baseline, w);
            Judgement j = policy.judge(persistence, state, FeatureStatistics.of("x", new ArrayList<>(c.tests().values())),
                    SummaryEvidence.numeric(baseline, w, c));
            persistence = j.persistence();
            state = j.state();
            return j;
        }
    }

    private static double[] sample(SplittableRandom r, int n, ToDoubleFunction<SplittableRandom> draw) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = draw.applyAsDouble(r);
        }
        return v;
    }

    private static String rare(SplittableRandom r) {
        return draw(r, RARE);
    }

    private static Judgement categoricalWindow(CategoricalBaseline baseline, PersistenceState p, EvidenceState s,
                                               String[] values) {
        CategoricalSummary w = baseline.newWindow();
        w.addAll(values);
        ColumnComparison c = SummaryComparisons.categorical(baseline, w);
        return POLICY.judge(p, s, FeatureStatistics.of("c", new ArrayList<>(c.tests().values())),
                SummaryEvidence.categorical(baseline, w));
    }

    @Test
    void shouldNeitherFireNorResolveOnWindowsBelowTheMinimumSampleSize() {
        SplittableRandom r = new SplittableRandom(5);
        String[] reference = new String[10_000];
        for (int i = 0; i < reference.length; i++) {
            reference[i] = rare(r);
        }
        CategoricalBaseline baseline = CategoricalBaseline.fromSample(reference, "test", null, null);
        PersistenceState p = PersistenceState.initial();
        EvidenceState s = EvidenceState.initial();
        int firings = 0;
        for (int t = 0; t < 200; t++) {
            String[] five = new String[5];
            for (int i = 0; i < 5; i++) {
                five[i] = rare(r);
            }
            Judgement j = categoricalWindow(baseline, p, s, five);
            assertTrue(j.insufficient());
            assertEquals(p, j.persistence());
            assertEquals(s, j.state());
            firings += j.transition() == Transition.FIRING ? 1 : 0;
        }
        assertEquals(0, firings);

        // A firing alert is not resolved by five events, whatever their PSI.
        String[] drifted = new String[1000];
        java.util.Arrays.fill(drifted, "h");
        Judgement fired = categoricalWindow(baseline, p, s, drifted);
        assertEquals(Transition.FIRING, fired.transition());
        String[] calm = {"a", "a", "b", "c", "a"};
        for (int t = 0; t < 5; t++) {
            Judgement j = categoricalWindow(baseline, fired.persistence(), fired.state(), calm);
            assertEquals(Transition.NONE, j.transition());
            assertTrue(j.persistence().isFiring());
        }
    }

    @Test
    void shouldFireWhenTheValuesOfAConstantReferenceChange() {
        SplittableRandom r = new SplittableRandom(7);
        double[] constant = new double[8000];
        java.util.Arrays.fill(constant, 1.0);
        Numeric x = new Numeric(constant, POLICY);
        for (int t = 0; t < 5; t++) {
            assertEquals(Transition.NONE, x.window(r, 1000, g -> 1.0).transition());
        }
        NumericSummary w = x.baseline.newWindow();
        for (int i = 0; i < 1000; i++) {
            w.add(r.nextDouble() < 0.1 ? 2.0 : 1.0);
        }
        ColumnComparison c = SummaryComparisons.numeric(x.baseline, w);
        assertEquals(0.0, c.test(DriftTests.PSI).statistic(), 1e-12, "PSI cannot see it: one bin holds both values");
        assertNull(c.test(DriftTests.WASSERSTEIN).statistic(), "Wasserstein is undefined on a constant reference");
        Judgement j = x.window(r, 1000, g -> g.nextDouble() < 0.1 ? 2.0 : 1.0);
        assertEquals(Transition.FIRING, j.transition());
        assertTrue(j.evidence() > 10, "evidence " + j.evidence());
    }

    @Test
    void shouldFireOnceAndNeverResolveWhileAVarianceChangePersists() {
        SplittableRandom r = new SplittableRandom(11);
        Numeric x = new Numeric(sample(r, 6000, SplittableRandom::nextGaussian), POLICY);
        for (int t = 0; t < 5; t++) {
            x.window(r, 1000, SplittableRandom::nextGaussian);
        }
        List<Transition> transitions = new ArrayList<>();
        for (int t = 0; t < 40; t++) {
            Judgement j = x.window(r, 1000, g -> Math.sqrt(1.5) * g.nextGaussian());
            if (j.transition() != Transition.NONE) {
                transitions.add(j.transition());
            }
        }
        assertEquals(List.of(Transition.FIRING), transitions);
    }

    @Test
    void shouldResolveOnlyWithEvidenceBelowTheResolveLevelForTheResolveWindows() {
        SplittableRandom r = new SplittableRandom(13);
        Numeric x = new Numeric(sample(r, 10_000, SplittableRandom::nextGaussian), POLICY);
        Judgement fired = x.window(r, 1000, g -> g.nextGaussian() + 0.5);
        assertEquals(Transition.FIRING, fired.transition());
        int windows = 0;
        List<Double> before = new ArrayList<>();
        Judgement j;
        do {
            j = x.window(r, 1000, SplittableRandom::nextGaussian);
            before.add(j.evidence());
            windows++;
        } while (j.transition() != Transition.RESOLVED && windows < 30);
        assertEquals(Transition.RESOLVED, j.transition());
        double level = POLICY.evidence().resolveLevel();
        assertTrue(j.evidence() < level, "resolved with evidence " + j.evidence() + " >= " + level);
        int n = before.size();
        assertTrue(before.get(n - 2) < level, "the window before also below the level: " + before);
        assertFalse(j.persistence().isFiring());
    }

    @Test
    void shouldAccumulateASmallPersistentShiftThatNoSingleWindowShows() {
        AlertPolicy windowAlone = POLICY.toBuilder().evidence(EvidenceRule.of(4.5, 2.0, 2, 100, 40.0, 0.5)).build();
        int sequentialFired = 0;
        int aloneFired = 0;
        for (int stream = 0; stream < 10; stream++) {
            SplittableRandom r = new SplittableRandom(100 + stream);
            double[] reference = sample(r, 20_000, SplittableRandom::nextGaussian);
            Numeric sequential = new Numeric(reference, POLICY);
            Numeric alone = new Numeric(reference, windowAlone);
            SplittableRandom a = new SplittableRandom(1000 + stream);
            SplittableRandom b = new SplittableRandom(1000 + stream);
            boolean s = false;
            boolean w = false;
            for (int t = 0; t < 6; t++) {
                s |= sequential.window(a, 1000, g -> g.nextGaussian() + 0.1).transition() == Transition.FIRING;
                w |= alone.window(b, 1000, g -> g.nextGaussian() + 0.1).transition() == Transition.FIRING;
            }
            sequentialFired += s ? 1 : 0;
            aloneFired += w ? 1 : 0;
        }
        assertTrue(sequentialFired >= 8, "sequential fired in " + sequentialFired + " of 10 streams");
        assertTrue(aloneFired <= 4, "window alone fired in " + aloneFired + " of 10 streams");
    }

    @Test
    void shouldStayQuietOnStationaryTiesMostlyConstantValuesAndRareCategories() {
        SplittableRandom r = new SplittableRandom(17);
        List<ToDoubleFunction<SplittableRandom>> shapes = List.of(
                g -> Math.floor(-Math.log(1 - g.nextDouble()) * 3),
                g -> g.nextDouble() < 0.97 ? 0.0 : 5 + g.nextGaussian(),
                g -> Math.exp(g.nextGaussian()));
        for (ToDoubleFunction<SplittableRandom> shape : shapes) {
            Numeric x = new Numeric(sample(r, 5000, shape), POLICY);
            for (int t = 0; t < 150; t++) {
                assertFalse(x.window(r, 1000, shape).over());
            }
        }
        String[] reference = new String[5000];
        for (int i = 0; i < reference.length; i++) {
            reference[i] = rare(r);
        }
        CategoricalBaseline baseline = CategoricalBaseline.fromSample(reference, "test", null, null);
        for (int t = 0; t < 150; t++) {
            String[] w = new String[1000];
            for (int i = 0; i < w.length; i++) {
                w[i] = rare(r);
            }
            assertFalse(categoricalWindow(baseline, PersistenceState.initial(), EvidenceState.initial(), w).over());
        }
    }

    @Test
    void shouldNotCountATrivialEffectOnAHugeWindowAsOver() {
        FeatureStatistics tiny = FeatureStatistics.of("x", TestResult.of(DriftTests.PSI, 0.001),
                TestResult.of(DriftTests.WASSERSTEIN, 0.01), TestResult.of(DriftTests.KS, 0.004, 1e-12));
        Judgement j = POLICY.judge(PersistenceState.initial(), EvidenceState.initial(), tiny,
                WindowEvidence.ofPValue(5_000_000, 20_000, 1e-12));
        assertTrue(j.evidence() >= POLICY.evidence().fireLevel());
        assertFalse(j.over());
        assertEquals(Transition.NONE, j.transition());
    }

    @Test
    void shouldRejectRulesOutOfRangeNamingTheValue() {
        IllegalPolicyException e = assertThrows(IllegalPolicyException.class,
                () -> EvidenceRule.of(4.5, 5.0, 2, 100, 0.7, 0.5));
        assertTrue(e.getMessage().contains("resolve level 5.0"), e.getMessage());
        assertThrows(IllegalPolicyException.class, () -> EvidenceRule.of(4.5, 2.0, 2, 0, 0.7, 0.5));
        assertThrows(IllegalPolicyException.class, () -> EvidenceRule.of(4.5, 2.0, 2, 100, 0.0, 0.5));
    }

    @Test
    void shouldReadBackTheStoredEvidenceState() {
        SplittableRandom r = new SplittableRandom(19);
        Numeric x = new Numeric(sample(r, 5000, SplittableRandom::nextGaussian), POLICY);
        x.window(r, 1000, SplittableRandom::nextGaussian);
        x.window(r, 1000, SplittableRandom::nextGaussian);
        assertEquals(x.state, EvidenceState.fromBytes(x.state.toBytes()));
        assertThrows(IllegalArgumentException.class, () -> EvidenceState.fromBytes(new byte[3]));

        CategoricalSubject c = new CategoricalSubject(r, 5000, RARE);
        for (int t = 0; t < 3; t++) {
            c.window(r, 1000, RARE);
        }
        assertFalse(c.state.windows().isEmpty() && c.state.windows().get(0).groupCounts().length == 0);
        assertEquals(c.state, EvidenceState.fromBytes(c.state.toBytes()));

        // Format 1 (exponentially weighted sums, 61 bytes): its quiet windows are kept, its sums dropped.
        java.nio.ByteBuffer v1 = java.nio.ByteBuffer.allocate(61).put((byte) 1).putLong(5000);
        for (int i = 0; i < 6; i++) {
            v1.putDouble(0.5);
        }
        EvidenceState old = EvidenceState.fromBytes(v1.putInt(2).array());
        assertEquals(2, old.quietWindows());
        assertTrue(old.windows().isEmpty());
    }

    /** One categorical subject with its stored states. */
    private static final class CategoricalSubject {
        final CategoricalBaseline baseline;
        final AlertPolicy policy;
        PersistenceState persistence = PersistenceState.initial();
        EvidenceState state = EvidenceState.initial();

        CategoricalSubject(SplittableRandom r, int n, double[] p) {
            this(r, n, p, POLICY);
        }

        CategoricalSubject(SplittableRandom r, int n, double[] p, AlertPolicy policy) {
            String[] reference = new String[n];
            for (int i = 0; i < n; i++) {
                reference[i] = draw(r, p);
            }
            this.baseline = CategoricalBaseline.fromSample(reference, "test", null, null);
            this.policy = policy;
        }

        Judgement window(SplittableRandom r, int size, double[] p) {
            CategoricalSummary w = baseline.newWindow();
            for (int i = 0; i < size; i++) {
                w.add(draw(r, p));
            }
            ColumnComparison c = SummaryComparisons.categorical(baseline, w);
            Judgement j = policy.judge(persistence, state, FeatureStatistics.of("c", new ArrayList<>(c.tests().values())),
                    SummaryEvidence.categorical(baseline, w));
            persistence = j.persistence();
            state = j.state();
            return j;
        }
    }

    private static String draw(SplittableRandom r, double[] p) {
        double u = r.nextDouble();
        for (int i = 0; i < p.length - 1; i++) {
            u -= p[i];
            if (u < 0) {
                return CATEGORIES[i];
            }
        }
        return CATEGORIES[p.length - 1];
    }

    @Test
    void shouldCatchASmallPersistentCategoryShiftByPoolingWindows() {
        // Category "d" moves from 10 % to 12.5 %, the others shrink in proportion: no single window of 1,000 shows it
        // at the fire level, a few pooled windows do.
        double[] shifted = new double[RARE.length];
        for (int i = 0; i < RARE.length; i++) {
            shifted[i] = i == 3 ? 0.125 : RARE[i] * 0.875 / 0.90;
        }
        AlertPolicy windowAlone = POLICY.toBuilder().evidence(EvidenceRule.of(4.5, 2.0, 3, 100, 40.0, 0.0)).build();
        AlertPolicy pooledPolicy = POLICY.toBuilder().evidence(EvidenceRule.of(4.5, 2.0, 3, 100,
                EvidenceRule.DEFAULT_SEQUENTIAL_LEVEL, 0.0)).build();
        int pooledFired = 0;
        int aloneFired = 0;
        for (int stream = 0; stream < 10; stream++) {
            CategoricalSubject pooled = new CategoricalSubject(new SplittableRandom(300 + stream), 20_000, RARE,
                    pooledPolicy);
            CategoricalSubject alone = new CategoricalSubject(new SplittableRandom(300 + stream), 20_000, RARE,
                    windowAlone);
            SplittableRandom a = new SplittableRandom(3000 + stream);
            SplittableRandom b = new SplittableRandom(3000 + stream);
            boolean p = false;
            boolean w = false;
            for (int t = 0; t < 8; t++) {
                p |= pooled.window(a, 1000, shifted).transition() == Transition.FIRING;
                w |= alone.window(b, 1000, shifted).transition() == Transition.FIRING;
            }
            pooledFired += p ? 1 : 0;
            aloneFired += w ? 1 : 0;
        }
        assertTrue(pooledFired >= 8, "pooled windows fired in " + pooledFired + " of 10 streams");
        assertTrue(aloneFired <= 3, "windows alone fired in " + aloneFired + " of 10 streams");
    }

    @Test
    void shouldCatchATenthOfAStandardDeviationWithinThreeWindowsAgainstALargeReference() {
        // n = 20,000: three pooled windows give a location z of about 5 (see docs/policy.md, power calculation).
        int fired = 0;
        for (int stream = 0; stream < 40; stream++) {
            SplittableRandom r = new SplittableRandom(500 + stream);
            Numeric x = new Numeric(sample(r, 20_000, SplittableRandom::nextGaussian), POLICY);
            for (int t = 0; t < 3; t++) {
                x.window(r, 1000, SplittableRandom::nextGaussian);
            }
            boolean f = false;
            for (int t = 0; t < 3; t++) {
                f |= x.window(r, 1000, g -> g.nextGaussian() + 0.1).transition() == Transition.FIRING;
            }
            fired += f ? 1 : 0;
        }
        // The best test spending the whole false-alarm budget on this shift alone catches about 85 % (docs/policy.md).
        assertTrue(fired >= 28, "fired within 3 windows in " + fired + " of 40 streams");
    }

    @Test
    void shouldStopPoolingWhenAChangeEnds() {
        SplittableRandom r = new SplittableRandom(23);
        Numeric x = new Numeric(sample(r, 10_000, SplittableRandom::nextGaussian), POLICY);
        for (int t = 0; t < 6; t++) {
            x.window(r, 1000, g -> g.nextGaussian() + 0.3);
        }
        assertTrue(x.persistence.isFiring());
        List<Transition> after = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            after.add(x.window(r, 1000, SplittableRandom::nextGaussian).transition());
        }
        assertEquals(List.of(Transition.NONE, Transition.NONE, Transition.RESOLVED, Transition.NONE), after,
                "the pooled shifted windows must not hold the alert once the change ended");
    }
}
