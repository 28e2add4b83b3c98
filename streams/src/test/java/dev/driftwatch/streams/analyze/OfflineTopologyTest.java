package dev.driftwatch.streams.analyze;

import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.BusinessMetrics;
import dev.driftwatch.schemas.avro.DeadLetter;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.OutcomeEvent;
import dev.driftwatch.schemas.avro.ServiceLevels;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.ControlSettings;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.Storage;
import dev.driftwatch.streams.Topics;
import dev.driftwatch.streams.app.DriftwatchTopology;
import dev.driftwatch.streams.business.BusinessSettings;
import dev.driftwatch.streams.demo.DemoOutcomes;
import dev.driftwatch.streams.demo.SampleTraffic;
import dev.driftwatch.streams.internals.BaselineCodec;
import dev.driftwatch.streams.slo.ServiceLevelSettings;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * analyze's own runner of the pipeline's processors against Kafka Streams' test driver running the pipeline's
 * topology, on the same records in the same order: every output analyze reports is the same, in the same
 * order, with business outcomes and service levels on and records that go to the dead letters.
 */
class OfflineTopologyTest {
    private static final SampleTraffic.Plan PLAN = new SampleTraffic.Plan(4, 300, 2, Duration.ofMinutes(1),
            Instant.parse("2026-11-01T09:00:00Z").toEpochMilli(), 5);

    @Test
    void shouldGiveWhatTheTopologyGivesOnKafkaStreamsTestDriver(@TempDir Path stateDir) {
        PipelineSettings base = PipelineSettings.defaults(Duration.ofMinutes(1)).withGrace(Duration.ofSeconds(5));
        PipelineSettings settings = base.withSignals(base.signals()
                .with(BusinessSettings.enabled(Duration.ofSeconds(30)).withMinImpressions(10))
                .with(ServiceLevelSettings.defaults().with("latency:latency.p95<=800@0.99,errors:error.rate<=0.01",
                        "1h/5m@14.4:CRITICAL,6h/30m@6:WARNING"))).withInputPartitions(1);
        List<Baseline> baselines = SampleTraffic.baselines(5, 1000);
        List<InferenceEvent> events = new ArrayList<>();
        DemoOutcomes outcomeTraffic = new DemoOutcomes(7);
        List<OutcomeEvent> outcomes = new ArrayList<>();
        long driftFrom = PLAN.startMillis() + PLAN.driftFromWindow() * PLAN.windowSize().toMillis();
        SampleTraffic.events(PLAN, e -> {
            events.add(e);
            outcomes.addAll(outcomeTraffic.of(e, e.getEventTime().toEpochMilli() >= driftFrom));
        });
        // Two records the pipeline refuses (no model version, a negative latency), and an event late for every window.
        events.add(600, InferenceEvent.newBuilder(events.get(600)).setModelVersion(" ").build());
        events.add(700, InferenceEvent.newBuilder(events.get(700)).setLatencyMs(-1.0).build());
        events.add(900, InferenceEvent.newBuilder(events.get(900)).setEventTime(Instant.ofEpochMilli(PLAN.startMillis()))
                .build());
        outcomes.sort(Comparator.comparing(OutcomeEvent::getEventTime));

        OfflineAnalysis.Result offline = OfflineAnalysis.run(settings, baselines, outcomes, sink -> events.forEach(sink));
        Outputs driver = onTestDriver(settings, baselines, outcomes, events, stateDir);

        assertFalse(offline.alerts().isEmpty());
        assertFalse(offline.business().isEmpty());
        assertFalse(offline.serviceLevels().isEmpty());
        assertEquals(2, offline.deadLetters().size());
        assertEquals(1, offline.stats().stream().mapToLong(WindowStats::getLateEventsDropped).max().orElse(0));
        assertEquals(driver.stats, offline.stats());
        assertEquals(driver.alerts, offline.alerts());
        assertEquals(driver.business, offline.business());
        assertEquals(driver.serviceLevels, offline.serviceLevels());
        assertEquals(withoutSchemaIds(driver.deadLetters), withoutSchemaIds(offline.deadLetters()));
    }

    private record Outputs(List<WindowStats> stats, List<DriftAlert> alerts, List<DeadLetter> deadLetters,
                           List<BusinessMetrics> business, List<ServiceLevels> serviceLevels) {
    }

    /** What analyze did before it had a runner of its own: the topology on the test driver, in-memory stores. */
    private static Outputs onTestDriver(PipelineSettings settings, List<Baseline> baselines,
                                        List<OutcomeEvent> outcomes, List<InferenceEvent> events, Path stateDir) {
        Topics topics = Topics.defaults(Map.of("schema.registry.url", "mock://driver-" + UUID.randomUUID()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "offline:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(DriftwatchTopology.build(settings, topics,
                ControlSettings.defaults(), Storage.IN_MEMORY), props)) {
            TestInputTopic<String, Baseline> baselineTopic = driver.createInputTopic(topics.baselines().name(),
                    Serdes.String().serializer(), topics.baselines().valueSerde().serializer());
            TestInputTopic<String, InferenceEvent> eventTopic = driver.createInputTopic(topics.events().name(),
                    Serdes.String().serializer(), topics.events().valueSerde().serializer());
            TestInputTopic<String, OutcomeEvent> outcomeTopic = driver.createInputTopic(topics.outcomes().name(),
                    Serdes.String().serializer(), topics.outcomes().valueSerde().serializer());
            for (Baseline b : baselines) {
                baselineTopic.pipeInput(BaselineCodec.key(b.getModelId(), b.getModelVersion(), b.getFeature()), b,
                        Instant.EPOCH);
            }
            int next = 0;
            long maxTime = Long.MIN_VALUE;
            for (InferenceEvent e : events) {
                while (next < outcomes.size() && !outcomes.get(next).getEventTime().isAfter(e.getEventTime())) {
                    OutcomeEvent o = outcomes.get(next++);
                    outcomeTopic.pipeInput(o.getRequestId(), o, o.getEventTime());
                }
                eventTopic.pipeInput(e.getRequestId(), e, e.getEventTime());
                maxTime = Math.max(maxTime, e.getEventTime().toEpochMilli());
            }
            for (; next < outcomes.size(); next++) {
                outcomeTopic.pipeInput(outcomes.get(next).getRequestId(), outcomes.get(next),
                        outcomes.get(next).getEventTime());
            }
            long closing = maxTime + settings.windowSize().toMillis() + settings.grace().toMillis()
                    + settings.signals().closeDelayMs() + 1;
            InferenceEvent close = OfflineAnalysis.closingEvent(closing);
            eventTopic.pipeInput(close.getRequestId(), close, closing);
            return new Outputs(
                    driver.createOutputTopic(topics.windowStats().name(), Serdes.String().deserializer(),
                            topics.windowStats().valueSerde().deserializer()).readValuesToList(),
                    driver.createOutputTopic(topics.alerts().name(), Serdes.String().deserializer(),
                            topics.alerts().valueSerde().deserializer()).readValuesToList(),
                    driver.createOutputTopic(topics.deadLetters().name(), Serdes.String().deserializer(),
                            topics.deadLetters().valueSerde().deserializer()).readValuesToList(),
                    driver.createOutputTopic(topics.businessMetrics().name(), Serdes.String().deserializer(),
                            topics.businessMetrics().valueSerde().deserializer()).readValuesToList(),
                    driver.createOutputTopic(topics.serviceLevels().name(), Serdes.String().deserializer(),
                            topics.serviceLevels().valueSerde().deserializer()).readValuesToList());
        }
    }

    /** Dead letters without the registry's schema id in the value's first bytes (each run has its registry). */
    private static List<DeadLetter> withoutSchemaIds(List<DeadLetter> letters) {
        return letters.stream().map(d -> {
            if (d.getOriginalValue() == null) {
                return d;
            }
            ByteBuffer v = d.getOriginalValue().duplicate();
            byte[] bytes = new byte[v.remaining()];
            v.get(bytes);
            if (bytes.length >= 5) {
                java.util.Arrays.fill(bytes, 1, 5, (byte) 0);
            }
            return DeadLetter.newBuilder(d).setOriginalValue(ByteBuffer.wrap(bytes)).setSchemaId(null).build();
        }).toList();
    }
}
