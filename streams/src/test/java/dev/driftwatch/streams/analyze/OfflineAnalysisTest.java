package dev.driftwatch.streams.analyze;

import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.FeatureKind;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.Topics;
import dev.driftwatch.streams.internals.BaselineCodec;
import dev.driftwatch.streams.demo.DemoRun;
import dev.driftwatch.streams.demo.SampleTraffic;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.time.Duration;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OfflineAnalysisTest {
    private static final SampleTraffic.Plan PLAN = new SampleTraffic.Plan(3, 100, 5, Duration.ofMinutes(1),
            Instant.parse("2026-11-01T09:00:00Z").toEpochMilli(), 9);

    @Test
    void shouldCloseTheLastWindowWithoutCountingTheClosingEventAnywhere() {
        List<Baseline> baselines = SampleTraffic.baselines(9, 1000);
        OfflineAnalysis.Result r = OfflineAnalysis.run(PipelineSettings.defaults(Duration.ofMinutes(1))
                .withGrace(Duration.ofSeconds(5)), baselines, sink -> SampleTraffic.events(PLAN, sink));
        assertEquals(600, r.events());
        assertEquals(PLAN.windows() * 2 * DemoRun.subjectsPerWindow(), r.stats().size());
        Set<Instant> starts = r.stats().stream().map(WindowStats::getWindowStart).collect(Collectors.toSet());
        assertEquals(PLAN.windows(), starts.size(), "every window closed, the last one included");
        for (WindowStats s : r.stats()) {
            assertTrue(s.getModelId().equals(DemoRun.MODEL), "only the traffic's model: " + s.getModelId());
            assertEquals(PLAN.eventsPerWindow(), s.getSampleSize() + s.getMissingCount(), s.toString());
        }
    }

    @Test
    void shouldCountEachWindowOnTheBaselineBinsAsThePipelineCountsIt() {
        List<Baseline> baselines = SampleTraffic.baselines(9, 1000);
        OfflineAnalysis.Result r = OfflineAnalysis.run(PipelineSettings.defaults(Duration.ofMinutes(1)), baselines,
                sink -> SampleTraffic.events(PLAN, sink));
        for (WindowStats s : r.stats()) {
            WindowHistograms.Counts c = r.histograms().get(s.getModelId(), s.getModelVersion(), s.getSubject(),
                    s.getWindowStart().toEpochMilli());
            Baseline b = r.histograms().baseline(s.getModelId(), s.getModelVersion(), s.getSubject());
            assertEquals(s.getSampleSize(), c.total(), s.getSubject());
            if (b.getKind() == FeatureKind.NUMERIC) {
                assertEquals(b.getBinEdges().size() + 1, c.bins().length);
            }
        }
    }

    /**
     * The test driver keeps every record written to a topic until it is read, and commits after every event:
     * a changelogged window store put each event's whole window on a changelog nobody read (about 46 KB per
     * event of the bench's traffic, until the heap ran out). analyze's stores have no changelog, and the
     * records of the topics it does not report (the repartition topic's) are dropped as it goes.
     */
    @Test
    void shouldWriteNoChangelogAndKeepNoRecordOfTheTopicsItDoesNotReport(@TempDir Path stateDir) {
        PipelineSettings one = PipelineSettings.defaults(Duration.ofMinutes(1)).withInputPartitions(1);
        Topics topics = Topics.defaults(Map.of("schema.registry.url", "mock://offline-" + UUID.randomUUID()));
        try (TopologyTestDriver driver = OfflineAnalysis.driver(one, topics, stateDir)) {
            TestInputTopic<String, Baseline> baselines = driver.createInputTopic(topics.baselines().name(),
                    Serdes.String().serializer(), topics.baselines().valueSerde().serializer());
            for (Baseline b : SampleTraffic.baselines(9, 1000)) {
                baselines.pipeInput(BaselineCodec.key(b.getModelId(), b.getModelVersion(), b.getFeature()), b,
                        Instant.EPOCH);
            }
            TestInputTopic<String, InferenceEvent> events = driver.createInputTopic(topics.events().name(),
                    Serdes.String().serializer(), topics.events().valueSerde().serializer());
            SampleTraffic.events(PLAN, e -> events.pipeInput(e.getRequestId(), e, e.getEventTime()));

            assertEquals(List.of(), driver.producedTopicNames().stream().filter(t -> t.endsWith("-changelog"))
                    .sorted().toList());
            Set<String> read = Set.of(topics.windowStats().name(), topics.alerts().name());
            OfflineAnalysis.UnreadTopics unread = new OfflineAnalysis.UnreadTopics(driver, read);
            unread.drop();
            assertTrue(unread.dropped() > 0, "the windows sent to the merging stage were dropped");
            for (String topic : driver.producedTopicNames()) {
                if (!read.contains(topic)) {
                    assertTrue(driver.createOutputTopic(topic, Serdes.ByteArray().deserializer(),
                            Serdes.ByteArray().deserializer()).isEmpty(), topic);
                }
            }
            assertTrue(driver.createOutputTopic(topics.windowStats().name(), Serdes.ByteArray().deserializer(),
                    Serdes.ByteArray().deserializer()).getQueueSize() > 0, "what analyze reports is left to it");
        }
    }
}
