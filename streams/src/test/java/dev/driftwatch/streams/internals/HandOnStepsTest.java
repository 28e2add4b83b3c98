package dev.driftwatch.streams.internals;

import dev.driftwatch.schemas.avro.DeploymentRole;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ModelOutputs;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.Topics;
import dev.driftwatch.streams.drift.DriftSignal;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The summarizing stage hands closed windows on in steps (here one window each), in key order, a hand-on mark naming
 * the last window sent after each step, the watermark only after the last; the windows up to a boundary are closed
 * (the store's watermark) as soon as stream time passes it, even while an earlier hand-on is still under way, since
 * the signals that change windows after their events (shadow pairs, outcomes) read that.
 */
class HandOnStepsTest {
    private static final long MINUTE = 60_000;
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    private static final Topics TOPICS = Topics.defaults(Map.of("schema.registry.url", "mock://hand-on-steps-test"));

    private final MockProcessorContext<String, EventSummarizer.Output> context = new MockProcessorContext<>();
    private final WindowStateStore store =
            WindowStateStore.unlogged(Stores.inMemoryKeyValueStore(EventSummarizer.STORE));
    private final EventSummarizer summarizer;
    private int sequence;

    HandOnStepsTest() {
        TestBaselineLookups.publishNumeric(TestBaselineLookups.store(context), TOPICS.baselines(),
                List.of("1", "2", "3"));
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        summarizer = new EventSummarizer(PipelineSettings.defaults(Duration.ofMinutes(1)),
                TOPICS.events().valueSerde().deserializer(), new BaselineLookup(TOPICS.baselines()),
                List.of(new DriftSignal()), 1);
        summarizer.init(context);
        context.setRecordMetadata(TOPICS.events().name(), 0, 0);
        context.setCurrentSystemTimeMs(T0 + 10 * MINUTE);
    }

    private void event(String version, long time) {
        Serializer<InferenceEvent> serializer = TOPICS.events().valueSerde().serializer();
        String id = "r" + sequence++;
        InferenceEvent e = InferenceEvent.newBuilder()
                .setEventId("e" + id).setRequestId(id).setModelId("m").setModelVersion(version)
                .setRole(DeploymentRole.PRIMARY).setEventTime(Instant.ofEpochMilli(time))
                .setNumericFeatures(Map.of("n0", 1.0)).setCategoricalFeatures(Map.of())
                .setOutputs(ModelOutputs.newBuilder().setScore(0.5).setLabel(null).setConfidence(null).build())
                .setLatencyMs(null).setTokensIn(null).setTokensOut(null).setCost(null).setErrorCode(null)
                .setSegment(Map.of())
                .build();
        summarizer.process(new Record<>(id.getBytes(StandardCharsets.UTF_8),
                serializer.serialize(TOPICS.events().name(), e), time));
    }

    /** What was forwarded since the last call: "v@minute" for a window, "mark v@minute", "watermark minute". */
    private List<String> sent() {
        List<String> out = new ArrayList<>();
        for (var f : context.forwarded()) {
            Partial p = f.record().value().partial();
            if (p == null) {
                continue;
            }
            if (p.isHandedOn()) {
                String[] key = p.handedOnThrough().split("\\|");
                out.add("mark " + key[2] + "@" + (Long.parseLong(key[0]) - T0) / MINUTE);
            } else if (p.isWatermark()) {
                out.add("watermark " + (p.closedUpTo() - T0) / MINUTE);
            } else {
                out.add(p.bundle().modelVersion() + "@" + (p.bundle().windowEnd() - T0) / MINUTE);
            }
        }
        context.resetForwards();
        return out;
    }

    /** Kafka Streams' commit (the store's flush), then the step punctuation. */
    private void commitAndStep() {
        store.flushCache();
        context.scheduledPunctuators().stream().filter(p -> !p.cancelled()).findFirst().orElseThrow()
                .getPunctuator().punctuate(T0 + 10 * MINUTE);
    }

    @Test
    void shouldHandClosedWindowsOnAStepAtATimeAndCloseLaterBoundariesAtOnce() {
        for (String v : List.of("1", "2", "3")) {
            event(v, T0 + 1_000);
        }
        sent(); // the first watermark, which closes nothing
        event("1", T0 + MINUTE + 1_000); // passes the first window's end
        assertEquals(List.of("1@1", "mark 1@1"), sent(), "one window per step, then a mark naming it");
        assertEquals(T0 + MINUTE, store.watermark(), "the first window of every version is closed at once");

        event("2", T0 + MINUTE + 2_000);
        event("3", T0 + 2 * MINUTE + 1_000); // passes the second window's end, the first hand-on under way
        assertEquals(List.of(), sent(), "the hand-on goes on at its punctuation only");
        assertEquals(T0 + 2 * MINUTE, store.watermark(), "the second boundary closes its windows at once all the same");

        commitAndStep();
        assertEquals(List.of("2@1", "mark 2@1"), sent());
        commitAndStep();
        assertEquals(List.of("3@1", "mark 3@1"), sent());
        commitAndStep();
        assertEquals(List.of("1@2", "mark 1@2"), sent());
        commitAndStep();
        assertEquals(List.of("2@2", "watermark 2"), sent(), "the watermark after the last window of both boundaries");
        assertTrue(context.scheduledPunctuators().stream().allMatch(p -> p.cancelled()), "the hand-on is over");
    }

    @Test
    void shouldTakeTheNextStepOnlyAfterTheCommitOfThePrevious() {
        for (String v : List.of("1", "2", "3")) {
            event(v, T0 + 1_000);
        }
        event("1", T0 + MINUTE + 1_000);
        sent();
        context.scheduledPunctuators().stream().filter(p -> !p.cancelled()).findFirst().orElseThrow()
                .getPunctuator().punctuate(T0 + 10 * MINUTE);
        assertEquals(List.of(), sent(), "no step before the previous one's partials are committed");
        commitAndStep();
        assertEquals(List.of("2@1", "mark 2@1"), sent());
    }

    /** A mark goes to every partition of the merging stage, as a watermark does, and reads back as it was sent. */
    @Test
    void shouldSendAMarkToEveryPartitionAndReadItBack() {
        Partial mark = Partial.handedOn(1, 3, WindowKeys.window(T0 + MINUTE, "m", "v7", "*"));
        assertEquals(java.util.Optional.of(java.util.Set.of(0, 1, 2, 3)),
                new PartialPartitioner().partitions("partials", "", mark, 4));
        var serde = Partial.serde();
        Partial read = serde.deserializer().deserialize("partials", serde.serializer().serialize("partials", mark));
        assertEquals(mark, read);
        assertTrue(read.isHandedOn() && !read.isWatermark() && !read.isCommand());
    }
}
