package dev.driftwatch.detectors.summary;

import dev.driftwatch.detectors.ColumnComparison;
import dev.driftwatch.detectors.Comparisons;
import dev.driftwatch.detectors.DriftTest;
import dev.driftwatch.detectors.DriftTests;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Statistics from window summaries against the exact statistics of the raw values: PSI, KL, JS and
 * chi-square must be equal; KS D within the documented bound 1/G; Wasserstein within 1% of the
 * reference standard deviation (or 2% relative).
 */
class SummaryComparisonsTest {
    private static final int G = NumericGrid.DEFAULT_RESOLUTION;

    private record Scenario(String name, int nRef, int nCur, DoubleSupplier ref, DoubleSupplier cur) {
    }

    private static Scenario[] scenarios(Random r) {
        return new Scenario[] {
            new Scenario("identical normal", 20_000, 5_000, r::nextGaussian, r::nextGaussian),
            new Scenario("small shift", 20_000, 5_000, r::nextGaussian, () -> r.nextGaussian() + 0.1),
            new Scenario("large shift", 5_000, 5_000, r::nextGaussian, () -> r.nextGaussian() + 5),
            new Scenario("scale change", 10_000, 8_000, r::nextGaussian, () -> 2 * r.nextGaussian()),
            new Scenario("lognormal", 20_000, 5_000, () -> Math.exp(r.nextGaussian()),
                    () -> Math.exp(r.nextGaussian() + 0.3)),
            new Scenario("integer ties", 20_000, 5_000, () -> Math.floor(2 * r.nextGaussian()),
                    () -> Math.floor(2 * r.nextGaussian() + 0.5)),
            new Scenario("bimodal", 20_000, 5_000, () -> (r.nextBoolean() ? -3 : 3) + r.nextGaussian(),
                    () -> (r.nextBoolean() ? -3 : 3) + 1.5 * r.nextGaussian()),
            new Scenario("small reference", 300, 200, r::nextGaussian, () -> r.nextGaussian() + 0.3),
            new Scenario("outside reference range", 2_000, 2_000, r::nextDouble, () -> 0.5 + r.nextDouble()),
            new Scenario("exponential tail", 50_000, 20_000, () -> -Math.log(1 - r.nextDouble()),
                    () -> -1.2 * Math.log(1 - r.nextDouble())),
        };
    }

    private static double[] draw(int n, DoubleSupplier s) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = s.getAsDouble();
        }
        return out;
    }

    @Test
    void shouldMatchExactStatisticsWithinTheDocumentedBounds() {
        Random random = new Random(20261124L);
        for (Scenario s : scenarios(random)) {
            double[] ref = draw(s.nRef, s.ref);
            double[] cur = draw(s.nCur, s.cur);
            NumericBaseline baseline = NumericBaseline.fromSample(ref, 10, G, "test", null, null);
            NumericSummary window = baseline.newWindow();
            window.addAll(cur);
            ColumnComparison exact = Comparisons.numeric(ref, cur, 10);
            ColumnComparison approx = SummaryComparisons.numeric(baseline, window);
            for (DriftTest t : new DriftTest[] {DriftTests.PSI, DriftTests.KL, DriftTests.JS}) {
                assertEquals(exact.test(t).statistic(), approx.test(t).statistic(), 1e-12, s.name + " " + t);
            }
            double d = exact.test(DriftTests.KS).statistic();
            double dGrid = approx.test(DriftTests.KS).statistic();
            assertTrue(dGrid <= d + 1e-12, s.name + ": grid D " + dGrid + " above exact " + d);
            assertTrue(d - dGrid < 1.0 / G, s.name + ": grid D " + dGrid + " more than 1/G below exact " + d);
            assertTrue(d - dGrid <= 0.005, s.name);
            double w = exact.test(DriftTests.WASSERSTEIN).statistic();
            double wGrid = approx.test(DriftTests.WASSERSTEIN).statistic();
            assertTrue(Math.abs(w - wGrid) <= Math.max(0.01, 0.02 * w), s.name + ": W " + wGrid + " vs " + w);
            assertEquals(s.nCur, approx.currentCount());
        }
    }

    @Test
    void shouldMergePartitionSummariesIntoTheWholeWindow() {
        Random random = new Random(7);
        double[] ref = draw(10_000, random::nextGaussian);
        NumericBaseline baseline = NumericBaseline.fromSample(ref, 10, G, "test", null, null);
        NumericSummary whole = baseline.newWindow();
        NumericSummary[] parts = new NumericSummary[4];
        for (int p = 0; p < parts.length; p++) {
            parts[p] = baseline.newWindow();
        }
        for (int i = 0; i < 8_000; i++) {
            double v = i % 97 == 0 ? Double.NaN : random.nextGaussian() * 1.3 + 0.2;
            whole.add(v);
            parts[i % parts.length].add(v);
        }
        NumericSummary merged = baseline.newWindow();
        for (NumericSummary part : parts) {
            merged.merge(part);
        }
        assertEquals(whole.count(), merged.count());
        assertEquals(whole.missing(), merged.missing());
        for (int c = 0; c < baseline.grid().cellCount(); c++) {
            assertEquals(whole.cellCount(c), merged.cellCount(c), "cell " + c);
        }
        assertEquals(whole.mean(), merged.mean(), 1e-12);
        assertEquals(whole.populationStd(), merged.populationStd(), 1e-12);
        ColumnComparison a = SummaryComparisons.numeric(baseline, whole);
        ColumnComparison b = SummaryComparisons.numeric(baseline, merged);
        for (DriftTest t : a.tests().keySet()) {
            assertEquals(a.test(t).statistic(), b.test(t).statistic(), 1e-9, t.id());
        }
    }

    @Test
    void shouldKeepTheSameSizeWhateverTheNumberOfValues() {
        Random random = new Random(3);
        NumericBaseline baseline = NumericBaseline.fromSample(draw(5_000, random::nextGaussian), 10, G, "t", null,
                null);
        NumericSummary small = baseline.newWindow();
        small.addAll(draw(10_000, random::nextGaussian));
        NumericSummary large = baseline.newWindow();
        large.addAll(draw(100_000, random::nextGaussian));
        int smallBytes = small.toBytes().length;
        int largeBytes = large.toBytes().length;
        // Fixed layout: 4 bytes a cell count and 8 an open-cell sum, whatever the counts.
        assertEquals(smallBytes, largeBytes, "a summary has the same size whatever the number of values");
        int cells = baseline.grid().cellCount();
        int bound = 1 + 8 * 7 + 4 + cells * 4 + (baseline.grid().pointCount() + 1) * 8;
        assertEquals(bound, largeBytes);
        assertTrue(largeBytes < 16 * 1024, "summary is " + largeBytes + " bytes");
    }

    @Test
    void shouldRoundTripThroughBytes() {
        Random random = new Random(11);
        NumericBaseline baseline = NumericBaseline.fromSample(draw(3_000, random::nextGaussian), 10, G, "t", null,
                null);
        NumericSummary window = baseline.newWindow();
        window.addAll(draw(2_000, () -> random.nextGaussian() + 0.5));
        window.add(Double.NaN);
        NumericSummary back = NumericSummary.fromBytes(baseline.grid(), window.toBytes());
        assertEquals(window.count(), back.count());
        assertEquals(1, back.missing());
        assertEquals(window.mean(), back.mean(), 0.0);
        for (int c = 0; c < baseline.grid().cellCount(); c++) {
            assertEquals(window.cellCount(c), back.cellCount(c));
            assertEquals(window.cellMean(c), back.cellMean(c), 0.0);
        }
    }

    @Test
    void shouldRefuseSummariesOfAnotherGrid() {
        Random random = new Random(5);
        NumericBaseline a = NumericBaseline.fromSample(draw(1_000, random::nextGaussian), 10, G, "a", null, null);
        NumericBaseline b = NumericBaseline.fromSample(draw(1_000, random::nextGaussian), 10, G, "b", null, null);
        NumericSummary w = a.newWindow();
        w.add(1.0);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> NumericSummary.fromBytes(b.grid(), w.toBytes()));
        assertTrue(e.getMessage().contains("grid"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> b.newWindow().merge(w));
    }

    @Test
    void shouldBuildTheSameBaselineFromMergedWindowsAsFromTheirValues() {
        Random random = new Random(9);
        NumericBaseline seed = NumericBaseline.fromSample(draw(4_000, random::nextGaussian), 10, G, "seed", null,
                null);
        double[] first = draw(1_000, random::nextGaussian);
        double[] second = draw(1_500, random::nextGaussian);
        NumericSummary day1 = seed.newWindow();
        NumericSummary day2 = seed.newWindow();
        day1.addAll(first);
        day2.addAll(second);
        NumericSummary direct = seed.newWindow();
        direct.addAll(first);
        direct.addAll(second);
        NumericBaseline captured = NumericBaseline.fromSummary(day1.copy().merge(day2), "windows:test", 0L,
                172_800_000L);
        NumericSummary reference = captured.reference();
        assertEquals(2_500, reference.count());
        for (int c = 0; c < seed.grid().cellCount(); c++) {
            assertEquals(direct.cellCount(c), reference.cellCount(c), "cell " + c);
            assertEquals(direct.openCellSum(c), reference.openCellSum(c), 1e-9, "sum of cell " + c);
        }
        assertEquals(direct.mean(), reference.mean(), 1e-12);
        assertEquals(direct.populationStd(), reference.populationStd(), 1e-12);
        assertEquals(seed.grid(), captured.grid());
        assertEquals("windows:test", captured.provenance().source());
        assertEquals(172_800_000L, captured.provenance().toMillis());
        // The same windows merged in the other order give the same baseline id.
        NumericBaseline again = NumericBaseline.fromSummary(day2.copy().merge(day1), "windows:test", 0L,
                172_800_000L);
        assertEquals(captured.reference().binCounts().length, again.reference().binCounts().length);
        assertTrue(captured.id().startsWith("bl-"));
    }

    @Test
    void shouldCompareCategoricalSummariesExactly() {
        String[] ref = {"a", "a", "b", "c", "", "a"};
        String[] cur = {"a", "d", "d", "b", null};
        CategoricalBaseline baseline = CategoricalBaseline.fromSample(ref, "test", null, null);
        CategoricalSummary window = baseline.newWindow();
        window.addAll(cur);
        ColumnComparison exact = Comparisons.categorical(ref, cur);
        ColumnComparison approx = SummaryComparisons.categorical(baseline, window);
        for (DriftTest t : exact.tests().keySet()) {
            assertEquals(exact.test(t).statistic(), approx.test(t).statistic(), 1e-12, t.id());
        }
        assertEquals(exact.test(DriftTests.CHI_SQUARE).pValue(), approx.test(DriftTests.CHI_SQUARE).pValue(), 1e-12);
        assertEquals(1, approx.currentMissing());
        CategoricalSummary back = CategoricalSummary.fromBytes(window.toBytes());
        assertEquals(window.counts(), back.counts());
    }

    @Test
    void shouldBoundTheNumberOfCategories() {
        CategoricalSummary s = new CategoricalSummary(3);
        for (int i = 0; i < 1000; i++) {
            s.add("user-" + i);
        }
        assertEquals(4, s.counts().size());
        assertEquals(997, s.count(CategoricalSummary.OTHER));
        assertEquals(1000, s.count());
        assertFalse(s.counts().containsKey("user-999"));
    }
}
