package dev.driftwatch.streams.slo;

import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.DeploymentRole;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ModelOutputs;
import dev.driftwatch.streams.PipelineMetrics;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.internals.WindowBundle;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The judge alone on a store that outlives a change of the window advance. */
class ServiceLevelJudgeTest {
    private static final long MINUTE = 60_000;
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();

    /** Counts the burn-rate history discards by objective and reason. */
    private static final class Discards implements PipelineMetrics {
        final Map<String, Integer> counts = new TreeMap<>();

        @Override
        public void budgetHistoryDiscard(String model, String version, String objective, String reason) {
            counts.merge(objective + " " + reason, 1, Integer::sum);
        }
    }

    private static PipelineSettings settings(long windowMinutes, PipelineMetrics metrics) {
        PipelineSettings base = PipelineSettings.defaults(Duration.ofMinutes(windowMinutes)).withMetrics(metrics);
        return base.withSignals(base.signals().with(ServiceLevelSettings.defaults()
                .with(ServiceLevelSettings.DEFAULT_OBJECTIVES, "1h/10m@14.4:CRITICAL")));
    }

    /** A window of {@code calls} calls of 12 ms, the first {@code failing} of them failing. */
    private static WindowBundle window(PipelineSettings settings, long start, long end, int calls, int failing) {
        WindowBundle b = new WindowBundle("m", "1", "*", start, end);
        for (int i = 0; i < calls; i++) {
            InferenceEvent e = InferenceEvent.newBuilder()
                    .setEventId("e" + start + "-" + i).setRequestId("r" + start + "-" + i).setModelId("m")
                    .setModelVersion("1").setRole(DeploymentRole.PRIMARY).setEventTime(Instant.ofEpochMilli(start + i))
                    .setNumericFeatures(Map.of()).setCategoricalFeatures(Map.of())
                    .setOutputs(ModelOutputs.newBuilder().setScore(null).setLabel(null).setConfidence(null).build())
                    .setLatencyMs(12.0).setTokensIn(null).setTokensOut(null).setCost(null)
                    .setErrorCode(i < failing ? "E" : null).setSegment(Map.of()).build();
            ServiceLevelPart.add(b, e, settings);
        }
        return b;
    }

    @Test
    void shouldStartTheHistoryAgainWhenTheWindowAdvanceChangesAndCountWindowsTooOldForIt() {
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(ServiceLevelJudge.STORE), Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        Discards discards = new Discards();

        // A first run on 5-minute windows: twelve clean windows of 100 calls (1h of history).
        PipelineSettings five = settings(5, discards);
        ServiceLevelJudge first = new ServiceLevelJudge(five, store);
        for (int w = 0; w < 12; w++) {
            long start = T0 + w * 5 * MINUTE;
            assertTrue(first.judge(window(five, start, start + 5 * MINUTE, 100, 0), null).orElseThrow()
                    .alerts().isEmpty());
        }
        assertTrue(discards.counts.isEmpty());

        // The next run has 10-minute windows. Its step indices (end / 10 min) are about half the stored ones
        // (end / 5 min): kept as they were, every window would be "older than the ring" and the burn rates stay
        // those of the clean hour. Started again, the history holds this window only: 50 of 100 calls fail,
        // burn 0.5 / 0.01 = 50 over 1h and 10m.
        PipelineSettings ten = settings(10, discards);
        ServiceLevelJudge second = new ServiceLevelJudge(ten, store);
        long start = T0 + 60 * MINUTE;
        List<ServiceLevelJudge.Alert> alerts = second.judge(window(ten, start, start + 10 * MINUTE, 100, 50), null)
                .orElseThrow().alerts();
        assertEquals(1, alerts.size(), alerts.toString());
        assertEquals(AlertState.FIRING, alerts.get(0).alert().getState());
        assertEquals("slo.errors", alerts.get(0).subject());
        assertEquals(50.0, alerts.get(0).alert().getStatistic(), 1e-9);
        assertEquals(100, alerts.get(0).alert().getCurrentSampleSize(), "the 5-minute history is gone");
        assertEquals(Map.of("slo.errors advance_changed", 1, "slo.latency advance_changed", 1), discards.counts);

        // A window an hour older than the newest (1h/10m keeps 6 steps) cannot be counted: it is reported.
        second.judge(window(ten, T0, T0 + 10 * MINUTE, 100, 100), null);
        assertEquals(Map.of("slo.errors advance_changed", 1, "slo.latency advance_changed", 1,
                "slo.errors window_too_old", 1, "slo.latency window_too_old", 1), discards.counts);
    }
}
