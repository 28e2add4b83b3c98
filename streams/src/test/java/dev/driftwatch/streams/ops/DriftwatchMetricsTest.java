package dev.driftwatch.streams.ops;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Inference meters are cached per thread for the last few versions; counts and drops stay exact. */
class DriftwatchMetricsTest {
    @Test
    void countsEveryEventOfInterleavedVersionsOnItsOwnSeries() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DriftwatchMetrics metrics = new DriftwatchMetrics(registry, 1000);
        // Twelve versions interleaved: more than the eight a thread keeps, so entries are replaced too.
        for (int round = 0; round < 5; round++) {
            for (int v = 0; v < 12; v++) {
                metrics.inference("m", "v" + v, 10.0 + v, v == 3, 7L, null, 0.5);
            }
        }
        for (int v = 0; v < 12; v++) {
            assertEquals(5, registry.get("driftwatch_inference_events").tags("model", "m", "version", "v" + v)
                    .counter().count(), 0.0, "v" + v);
            assertEquals(35, registry.get("driftwatch_inference_tokens").tags("version", "v" + v, "direction", "in")
                    .counter().count(), 0.0);
            assertEquals(5, registry.get("driftwatch_inference_latency_ms").tags("version", "v" + v).summary().count());
        }
        assertEquals(5, registry.get("driftwatch_inference_errors").tags("version", "v3").counter().count(), 0.0);
        assertEquals(0, registry.find("driftwatch_inference_errors").tags("version", "v4").counters().size());
    }

    @Test
    void countsEveryDropPastTheSeriesBound() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DriftwatchMetrics metrics = new DriftwatchMetrics(registry, 1);
        for (int i = 0; i < 4; i++) {
            metrics.inference("m", "a", null, false, null, null, null); // creates the one series allowed
            metrics.inference("m", "b", null, false, null, null, null); // dropped, every time
        }
        assertEquals(4, registry.get("driftwatch_inference_events").tags("version", "a").counter().count(), 0.0);
        assertEquals(4, metrics.droppedSeries());
    }
}
