package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.summary.CategoricalSummary;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The self-contained form of a window's state and the store's form with the grids kept apart. */
class WindowBundleBytesTest {
    private static WindowBundle bundle() {
        Random r = new Random(4);
        double[] reference = new double[5000];
        for (int i = 0; i < reference.length; i++) {
            reference[i] = r.nextGaussian();
        }
        NumericBaseline baseline = NumericBaseline.fromSample(reference, 10, NumericGrid.DEFAULT_RESOLUTION, "test",
                null, null);
        WindowBundle b = new WindowBundle("m", "v1", "*", 0, 60_000);
        SubjectSummary x = SubjectSummary.numeric(baseline.id(), baseline.newWindow());
        SubjectSummary y = SubjectSummary.numeric(baseline.id(), baseline.newWindow());
        SubjectSummary k = SubjectSummary.categorical(null, new CategoricalSummary());
        SubjectSummary z = SubjectSummary.numericWithoutBaseline();
        for (int i = 0; i < 300; i++) {
            b.countEvent();
            x.add(r.nextGaussian());
            y.add(i % 50 == 0 ? Double.NaN : 2 + r.nextGaussian());
            k.add(i % 3 == 0 ? "red" : "blue");
            z.add(r.nextDouble());
        }
        b.put("x", x);
        b.put("y", y);
        b.put("k", k);
        b.put("z", z);
        b.countLate(2);
        return b;
    }

    @Test
    void shouldReadBackTheSelfContainedFormByteForByte() {
        WindowBundle b = bundle();
        byte[] bytes = b.toBytes();
        assertArrayEquals(bytes, WindowBundle.fromBytes(bytes).toBytes());
    }

    @Test
    void shouldKeepEachGridOnceApartAndReadTheSameStateBack() {
        WindowBundle b = bundle();
        byte[] whole = b.toBytes();
        Map<Long, NumericGrid> grids = new HashMap<>();
        byte[] apart = b.toBytesGridsApart(grids);

        // Two numeric subjects on one baseline: one grid, and each subject writes 8 bytes of fingerprint instead.
        assertEquals(1, grids.size());
        NumericGrid grid = grids.values().iterator().next();
        int gridBytes = SubjectSummary.gridToBytes(grid).length;
        assertEquals(whole.length - 2 * (gridBytes - 8), apart.length);
        assertTrue(apart.length < 0.75 * whole.length, apart.length + " vs " + whole.length);

        WindowBundle back = WindowBundle.fromBytes(apart, grids::get);
        assertArrayEquals(whole, back.toBytes());
        assertEquals(300, back.events());
        assertEquals(2, back.lateEvents());
    }

    @Test
    void shouldRefuseTheStoresFormWithoutItsGrids() {
        byte[] apart = bundle().toBytesGridsApart(new HashMap<>());
        IllegalArgumentException noGrids = assertThrows(IllegalArgumentException.class,
                () -> WindowBundle.fromBytes(apart));
        assertTrue(noGrids.getMessage().contains("version 3"), noGrids.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> WindowBundle.fromBytes(apart, fingerprint -> null));
        assertTrue(missing.getMessage().contains("not among the grids"), missing.getMessage());
    }

    @Test
    void shouldReadAGridBackFromItsBytes() throws Exception {
        Map<Long, NumericGrid> grids = new HashMap<>();
        bundle().toBytesGridsApart(grids);
        NumericGrid grid = grids.values().iterator().next();
        assertEquals(grid, SubjectSummary.gridFromBytes(SubjectSummary.gridToBytes(grid)));
    }
}
