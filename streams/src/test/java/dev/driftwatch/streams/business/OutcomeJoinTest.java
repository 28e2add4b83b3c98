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

    private PipelineMetrics metrics;

    @BeforeEach
    void setUp() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(OutcomeJoin.STORE), Serdes.String(),
                Serdes.ByteArray()).withLoggingDisabled().build();
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        store.init(context.getStateStoreContext(), store);
        metrics = new PipelineMetrics() {
            @Override
            public void outcomes(String result, long count) {
                counts.merge(result, count, Long::sum);
            }

            @Override
            public void inferencesNotJoined(String reason, long count) {
                counts.merge("inference:" + reason, count, Long::sum);
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

    private static byte[] key(String requestId) {
        return requestId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
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
        summarizer.inference(key("a"), "a", DeploymentRole.PRIMARY, "m", "1", "*", 1_000, 60_000, 1_000);
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
        summarizer.inference(key("r"), "r", DeploymentRole.SHADOW, "m", "1", "*", 4_000, 60_000, 4_000);
        summarizer.inference(key("r"), "r", DeploymentRole.CANARY, "m", "2", "*", 4_500, 60_000, 4_500);
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

    /** The two joins of a task with the given join grace (in place of the ones without). */
    private void withGrace(long grace) {
        BusinessSettings settings = BusinessSettings.enabled(Duration.ofMillis(J)).withJoinGrace(Duration.ofMillis(grace));
        summarizer = new OutcomeJoin(settings, metrics, store);
        reader = new OutcomeJoin(settings, metrics, store);
    }

    private void inference(String id, long time, long streamTime) {
        summarizer.inference(key(id), id, DeploymentRole.PRIMARY, "m", "1", "*", time, 60_000, streamTime);
    }

    @Test
    void shouldJoinAClickDeliveredAfterLaterInferencesWithinTheJoinGrace() {
        withGrace(2_000);
        List<JoinedRequest> finished = new ArrayList<>();
        inference("a", 1_000, 1_000);
        // Inferences move stream time to 12,500 before a's click of 10,500 (9.5 s after it) is read: past
        // a's join window (11,000) but within its grace (13,000).
        inference("b", 12_500, 12_500);
        summarizer.finish(12_500, false, finished::add);
        assertEquals(0, finished.size(), "a is final at 1,000 + 10,000 + 2,000");
        assertEquals("joined", reader.outcome(outcome("a", OutcomeType.CLICK, 10_500), 12_500));
        // An outcome whose own time + J + G (2,400 + 12,000) has been reached is late.
        assertEquals("late", reader.outcome(outcome("c", OutcomeType.CLICK, 500), 12_500));
        summarizer.finish(13_000, false, finished::add);
        assertEquals(1, finished.size());
        assertTrue(finished.get(0).has(JoinedRequest.CLICK), "the late-delivered click counts");
        assertEquals(Map.of("joined", 1L, "late", 1L), counts);
    }

    @Test
    void shouldJudgeEveryWaitingOutcomeOnItsOwnEventTimeWhenTheInferenceComes() {
        List<JoinedRequest> finished = new ArrayList<>();
        // p: an impression of 1,000 and a click of 14,000 wait; the inference of 13,000 comes when stream time
        // is 13,000. The impression is 12,000 away (outside J), the click 1,000 (joined): the click must not be
        // lost with the impression.
        reader.outcome(outcome("p", OutcomeType.IMPRESSION, 1_000), 500);
        reader.outcome(outcome("p", OutcomeType.CLICK, 14_000), 500);
        // q: an impression of 1,000 and a click of 25,000 wait; the inference of 5,000 keeps the impression
        // and counts the click (20,000 away) as outside the join window.
        reader.outcome(outcome("q", OutcomeType.IMPRESSION, 1_000), 500);
        reader.outcome(outcome("q", OutcomeType.CLICK, 25_000), 500);
        inference("q", 5_000, 5_000);
        inference("p", 13_000, 13_000);
        summarizer.finish(23_000, true, finished::add);
        assertEquals(2, finished.size());
        JoinedRequest q = finished.get(0);
        JoinedRequest p = finished.get(1);
        assertEquals(5_000, q.eventTime());
        assertTrue(q.has(JoinedRequest.IMPRESSION) && !q.has(JoinedRequest.CLICK));
        assertEquals(1, q.outsideWindow());
        assertTrue(p.has(JoinedRequest.CLICK) && !p.has(JoinedRequest.IMPRESSION));
        assertEquals(1, p.outsideWindow());
        assertEquals(0, entries());
        assertEquals(Map.of("joined", 2L, "outside_window", 2L), counts);
    }

    @Test
    void shouldWaitUntilTheLatestWaitingOutcomePlusTheJoinWindow() {
        List<JoinedRequest> finished = new ArrayList<>();
        reader.outcome(outcome("w", OutcomeType.IMPRESSION, 1_000), 500);
        reader.outcome(outcome("w", OutcomeType.CLICK, 8_000), 500);
        // Stream time 12,000: the impression's deadline (11,000) has passed, the click's (18,000) not.
        summarizer.finish(12_000, true, finished::add);
        assertEquals(2, entries(), "still waiting: the request and its index entry");
        inference("w", 12_000, 12_000);
        summarizer.finish(22_000, true, finished::add);
        assertEquals(1, finished.size());
        assertTrue(finished.get(0).has(JoinedRequest.CLICK));
        assertEquals(1, finished.get(0).outsideWindow(), "the impression is 11,000 before the inference");
        assertEquals(Map.of("joined", 1L, "outside_window", 1L), counts);
    }

    @Test
    void shouldCountAnOutcomeLateOnceStreamTimeReachedItsRequestsDeadlineWhateverTheLastScan() {
        List<JoinedRequest> finished = new ArrayList<>();
        inference("a", 1_000, 1_000);
        // Stream time reaches a's deadline (11,000); no scan has taken a out of the store yet (the
        // summarising join scans in 1 s steps, and a restarted one has not scanned at all).
        inference("b", 11_000, 11_000);
        assertEquals("late", reader.outcome(outcome("a", OutcomeType.CLICK, 10_900), 11_000),
                "a is final at 11,000: the click is late, as it would be after any scan or restart");
        // A fresh join on the same store (a restart) finishes a with no click.
        OutcomeJoin restarted = new OutcomeJoin(BusinessSettings.enabled(Duration.ofMillis(J)), metrics, store);
        restarted.finish(11_000, true, finished::add);
        assertEquals(1, finished.size());
        assertEquals(0, finished.get(0).outcomes());
        assertEquals(Map.of("late", 1L), counts);
    }

    @Test
    void shouldGiveASharedRequestToItsFirstModelAndCountTheOthers() {
        List<JoinedRequest> finished = new ArrayList<>();
        summarizer.inference(key("s"), "s", DeploymentRole.PRIMARY, "ranker", "1", "*", 1_000, 60_000, 1_000);
        summarizer.inference(key("s"), "s", DeploymentRole.PRIMARY, "reranker", "3", "*", 1_000, 60_000, 1_000);
        summarizer.inference(key("s"), "s", DeploymentRole.PRIMARY, "ranker", "1", "*", 1_000, 60_000, 1_000);
        reader.outcome(outcome("s", OutcomeType.CLICK, 2_000), 1_000);
        summarizer.finish(11_000, true, finished::add);
        assertEquals(1, finished.size());
        assertEquals("ranker", finished.get(0).modelId());
        assertEquals(Map.of("inference:shared_request", 1L, "inference:duplicate_inference", 1L, "joined", 1L),
                counts);
    }

    @Test
    void shouldUseEveryOtherOutcomeWithoutCallingItADuplicate() {
        List<JoinedRequest> finished = new ArrayList<>();
        // Two OTHER outcomes wait for the inference, a third comes after it; a second click is a duplicate.
        assertEquals("joined", reader.outcome(outcome("o", OutcomeType.OTHER, 1_500), 500));
        assertEquals("joined", reader.outcome(outcome("o", OutcomeType.OTHER, 1_600), 500));
        inference("o", 1_000, 1_000);
        assertEquals("joined", reader.outcome(outcome("o", OutcomeType.OTHER, 1_700), 1_000));
        assertEquals("joined", reader.outcome(outcome("o", OutcomeType.CLICK, 1_800), 1_000));
        assertEquals("duplicate", reader.outcome(outcome("o", OutcomeType.CLICK, 1_900), 1_000));
        summarizer.finish(11_000, true, finished::add);
        JoinedRequest o = finished.get(0);
        assertEquals(1, o.duplicates(), "only the second click");
        assertEquals(2, o.otherRepeats());
        assertEquals(4, o.outcomes(), "three OTHER and one click");
        assertEquals(Map.of("duplicate", 1L, "joined", 4L), counts);
    }
}
