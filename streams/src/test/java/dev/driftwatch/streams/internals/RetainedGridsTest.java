package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.streams.ControlSettings;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The retained-windows store keeps a grid while a retained window uses it, and no longer. */
class RetainedGridsTest {
    private static NumericBaseline baseline(long seed, double shift) {
        Random r = new Random(seed);
        double[] reference = new double[3000];
        for (int i = 0; i < reference.length; i++) {
            reference[i] = shift + r.nextGaussian();
        }
        return NumericBaseline.fromSample(reference, 10, NumericGrid.DEFAULT_RESOLUTION, "test", null, null);
    }

    private static WindowBundle window(NumericBaseline x, long end) {
        WindowBundle b = new WindowBundle("m", "v1", "*", end - 60_000, end);
        SubjectSummary sx = SubjectSummary.numeric(x.id(), x.newWindow());
        Random r = new Random(end);
        for (int i = 0; i < 100; i++) {
            b.countEvent();
            sx.add(r.nextGaussian());
        }
        b.put("x", sx);
        return b;
    }

    private static List<String> gridKeys(KeyValueStore<String, byte[]> retained) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = retained.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                if (RetainedValues.isGrid(kv.key)) {
                    keys.add(kv.key);
                }
            }
        }
        return keys;
    }

    @Test
    void shouldDropTheGridOfARetainedWindowThatAWindowEvaluatedAgainReplaces() {
        ControlHandlerStores stores = new ControlHandlerStores(ControlSettings.defaults());
        ControlHandler handler = stores.handler;
        KeyValueStore<String, byte[]> retained = stores.retained;
        NumericBaseline before = baseline(1, 0);
        NumericBaseline after = baseline(2, 3);

        handler.retain(window(before, 60_000));
        handler.retain(window(before, 120_000));
        assertEquals(1, gridKeys(retained).size());
        // The baseline is replaced, and the window of 2 min is evaluated again on the new one (a late partial):
        // the old grid is still used by the window of 1 min, so both stay.
        handler.retain(window(after, 120_000));
        assertEquals(2, gridKeys(retained).size(), gridKeys(retained).toString());
        // Then the window of 1 min, the last one on the old baseline, is replaced too: its grid goes.
        handler.retain(window(after, 60_000));
        assertEquals(1, gridKeys(retained).size(), gridKeys(retained).toString());
    }
}
