package dev.driftwatch.streams.roles;

import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.internals.WindowBundle;
import dev.driftwatch.streams.internals.WindowParts;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The role-pairs window part alone: counting, merging across partitions, bytes. */
class RolePairsTest {
    /** Reads this signal's window parts back. */
    private static final WindowParts PARTS = WindowParts.of(List.of(new RoleSignal(
            PipelineSettings.defaults(Duration.ofMinutes(1)))));

    private static NumericBaseline baseline(double shift) {
        double[] values = new double[101];
        for (int i = 0; i < values.length; i++) {
            values[i] = i / 100.0 + shift;
        }
        return NumericBaseline.fromSample(values, 10, NumericGrid.DEFAULT_RESOLUTION, "test", null, null);
    }

    private static WindowBundle bundle() {
        return new WindowBundle("m", "s1", "*", 0, 60_000);
    }

    @Test
    void shouldCountAgreementByLabelThenScoreWithinTheTolerance() {
        RolePairs p = new RolePairs();
        NumericBaseline b = baseline(0);
        p.addPair("SHADOW", "p1", 0.5, null, 0.55, null, b, 0.05);  // 0.05 apart: agrees (decimal rounding)
        p.addPair("SHADOW", "p1", 0.5, null, 0.56, null, b, 0.05);  // 0.06: disagrees
        p.addPair("SHADOW", "p1", 0.1, "a", 0.9, "a", b, 0.05);     // labels equal: agrees
        p.addPair("SHADOW", "p1", 0.1, "a", 0.1, "b", b, 0.05);     // labels differ: disagrees
        p.addPair("SHADOW", "p1", Double.NaN, null, 0.1, null, b, 0.05); // nothing comparable
        RolePairs.Pairs pairs = p.byPrimary().get("p1");
        assertEquals(5, pairs.paired());
        assertEquals(2, pairs.agreeing());
        assertEquals(1, pairs.incomparable());
        assertEquals(4, pairs.scorePairs());
        assertEquals(4, pairs.scoredPairs());
        assertEquals(2, pairs.primaryLabels().count());
        assertEquals(b.id(), pairs.baselineId());
    }

    @Test
    void shouldMergePartitionsAndWriteTheSameBytesWhateverTheOrder() {
        NumericBaseline b = baseline(0);
        WindowBundle a = bundle();
        RolePairs.of(a).addPair("SHADOW", "p1", 0.2, null, 0.25, null, b, 0.05);
        RolePairs.of(a).addUnpaired("SHADOW");
        WindowBundle c = bundle();
        RolePairs.of(c).addPair("SHADOW", "p1", 0.7, "x", 0.1, "y", b, 0.05);
        RolePairs.of(c).addPair("SHADOW", "p2", 0.3, null, 0.3, null, null, 0.05);

        byte[] ac = WindowBundle.fromBytes(a.toBytes(), PARTS).merge(WindowBundle.fromBytes(c.toBytes(), PARTS))
                .toBytes();
        byte[] ca = WindowBundle.fromBytes(c.toBytes(), PARTS).merge(WindowBundle.fromBytes(a.toBytes(), PARTS))
                .toBytes();
        assertArrayEquals(ac, ca);
        RolePairs merged = (RolePairs) WindowBundle.fromBytes(ac, PARTS).part(RolePairs.NAME);
        assertEquals(1, merged.unpaired());
        assertEquals("SHADOW", merged.candidateRole());
        RolePairs.Pairs p1 = merged.byPrimary().get("p1");
        assertEquals(2, p1.paired());
        assertEquals(1, p1.agreeing());
        assertEquals(2, p1.scoredPairs());
        assertEquals(0.45, p1.primaryScores().mean(), 1e-12);
        RolePairs.Pairs p2 = merged.byPrimary().get("p2");
        assertEquals(1, p2.scorePairs());
        assertEquals(0, p2.scoredPairs(), "no baseline for p2");
        assertNull(p2.primaryScores());
    }

    @Test
    void shouldDropTheScoreSummariesWhenThePrimarysBaselineChanged() {
        WindowBundle a = bundle();
        RolePairs.of(a).addPair("SHADOW", "p1", 0.2, null, 0.25, null, baseline(0), 0.05);
        WindowBundle c = bundle();
        RolePairs.of(c).addPair("SHADOW", "p1", 0.2, null, 0.25, null, baseline(1), 0.05);
        RolePairs.Pairs merged = ((RolePairs) a.merge(c).part(RolePairs.NAME)).byPrimary().get("p1");
        assertTrue(merged.mixedBaselines());
        assertEquals(2, merged.paired());
        assertEquals(0, merged.scoredPairs());
        RolePairs one = new RolePairs();
        one.addPair("SHADOW", "p1", 0.2, null, 0.25, null, baseline(0), 0.05);
        one.addPair("SHADOW", "p1", 0.2, null, 0.25, null, baseline(1), 0.05);
        assertTrue(one.byPrimary().get("p1").mixedBaselines());
    }

    @Test
    void shouldKeepAtMostFourPrimaryVersions() {
        RolePairs p = new RolePairs();
        for (int v = 0; v < RolePairs.MAX_PRIMARY_VERSIONS; v++) {
            assertTrue(p.addPair("CANARY", "p" + v, 0.1, null, 0.1, null, null, 0.05));
        }
        assertFalse(p.addPair("CANARY", "p9", 0.1, null, 0.1, null, null, 0.05));
        assertEquals(Arrays.asList("p0", "p1", "p2", "p3"), p.byPrimary().keySet().stream().toList());
    }
}
