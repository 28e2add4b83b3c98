package dev.driftwatch.streams.business;

import dev.driftwatch.schemas.avro.DeploymentRole;
import dev.driftwatch.schemas.avro.OutcomeEvent;
import dev.driftwatch.schemas.avro.OutcomeType;
import dev.driftwatch.streams.PipelineMetrics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The join alone, with the two instances a task has (the summarising processor's and the outcome
 * reader's) on one store: nothing waits forever, and what cannot join is counted.
 */
class OutcomeJoinTest {
    private static final long J = 10_000;
    private KeyValueStore<String, byte[]> store;
    private final Map<String, Long> counts = new TreeMap<>();
    private OutcomeJoin summarizer;
    private OutcomeJoin reader;

    @BeforeEach
    void setUp() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(OutcomeJoin.STORE), Serdes.String(),
                Serdes.ByteArray()).withLoggingDisabled().build();
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        store.init(context.getStateStoreContext(), store);
        PipelineMetrics metrics = new PipelineMetrics() {
            @Override
            public void outcomes(String result, long count) {
                counts.merge(result, count, Long::sum);
            }
        };
        BusinessSettings settings = BusinessSettings.enabled(Duration.ofMillis(J));
        summarizer = new OutcomeJoin(settings, metrics, store);
        reader = new OutcomeJoin(settings, metrics, store);
    }

    private static OutcomeEvent outcome(String id, OutcomeType type, long time) {
        return OutcomeEvent.newBuilder().setRequestId(id).setType(type).setValue(null)
                .setEventTime(Instant.ofEpochMilli(time)).setAttributes(Map.of()).build();
    }

    private int entries() {
        int n = 0;
        try (var it = store.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    @Test
    void shouldCountAnOutcomeBehindAnExactFinishAsLateInsteadOfLeavingItInTheStore() {
        List<JoinedRequest> finished = new ArrayList<>();
        summarizer.inference("a", DeploymentRole.PRIMARY, "m", "1", "*", 1_000, 60_000);
        // Windows close: the join finishes exactly at stream time 12,500 (between two 1 s steps).
        summarizer.finish(12_500, true, finished::add);
        assertEquals(1, finished.size(), "a's deadline 11,000 has passed");
        // An outcome of time 2,200: its own deadline 12,200 is behind stream time, so it is late.
        assertEquals("late", reader.outcome(outcome("b", OutcomeType.CLICK, 2_200), 12_500));
        // One of time 3,000 waits (deadline 13,000) and is unmatched once stream time passes it.
        assertEquals("joined", reader.outcome(outcome("c", OutcomeType.CLICK, 3_000), 12_500));
        summarizer.finish(14_000, false, finished::add);
        assertEquals(1, finished.size());
        assertEquals(0, entries(), "nothing is left waiting");
        assertEquals(Map.of("late", 1L, "unmatched", 1L), counts);
    }

    @Test
    void shouldJoinAnOutcomeThatArrivedBeforeItsInferenceAndIgnoreShadows() {
        List<JoinedRequest> finished = new ArrayList<>();
        reader.outcome(outcome("r", OutcomeType.IMPRESSION, 5_000), Long.MIN_VALUE);
        summarizer.inference("r", DeploymentRole.SHADOW, "m", "1", "*", 4_000, 60_000);
        summarizer.inference("r", DeploymentRole.CANARY, "m", "2", "*", 4_500, 60_000);
        reader.outcome(outcome("r", OutcomeType.CLICK, 6_000), 4_500);
        reader.outcome(outcome("r", OutcomeType.CLICK, 6_100), 4_500);
        summarizer.finish(14_000, false, finished::add);
        assertEquals(0, finished.size(), "final at 4,500 + 10,000");
        summarizer.finish(15_000, false, finished::add);
        assertEquals(1, finished.size());
        JoinedRequest r = finished.get(0);
        assertEquals("2", r.modelVersion(), "the canary's request; the shadow gets no outcomes");
        assertTrue(r.has(JoinedRequest.IMPRESSION) && r.has(JoinedRequest.CLICK));
        assertEquals(1, r.duplicates());
        assertEquals(0, entries());
        assertEquals(Map.of("duplicate", 1L, "joined", 2L), counts);
    }
}
