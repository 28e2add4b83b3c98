package dev.driftwatch.streams;

import dev.driftwatch.detectors.summary.CategoricalBaseline;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.ControlCommand;
import dev.driftwatch.schemas.avro.ControlResult;
import dev.driftwatch.schemas.avro.DeadLetter;
import dev.driftwatch.schemas.avro.DeploymentRole;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ModelOutputs;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.app.DriftwatchTopology;
import dev.driftwatch.streams.internals.BaselineCodec;
import dev.driftwatch.streams.internals.WindowEvaluator;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/** The whole topology on a TopologyTestDriver, with an in-memory registry and typed topics. */
final class PipelineFixture implements AutoCloseable {
    final Topics topics;
    final TopologyTestDriver driver;
    final TestInputTopic<String, InferenceEvent> events;
    final TestInputTopic<byte[], byte[]> rawEvents;
    final TestInputTopic<String, Baseline> baselines;
    final TestOutputTopic<String, WindowStats> stats;
    final TestOutputTopic<String, DriftAlert> alerts;
    final TestOutputTopic<String, DeadLetter> deadLetters;
    final TestInputTopic<String, ControlCommand> control;
    final TestInputTopic<byte[], byte[]> rawControl;
    final TestOutputTopic<String, ControlResult> controlResults;
    final TestOutputTopic<String, Baseline> baselinesOut;
    private int sequence;

    PipelineFixture(PipelineSettings settings, Path stateDir) {
        this(settings, ControlSettings.defaults(), stateDir);
    }

    PipelineFixture(PipelineSettings settings, ControlSettings controlSettings, Path stateDir) {
        this(settings, controlSettings, stateDir, null);
    }

    /** @param wallClock the driver's wall-clock time at the start; null for the real clock's */
    PipelineFixture(PipelineSettings settings, ControlSettings controlSettings, Path stateDir, Instant wallClock) {
        this(settings, controlSettings, stateDir, wallClock, WindowEvaluator.CHUNK_SUBJECTS);
    }

    /** @param chunkSubjects subjects the evaluating stage evaluates per step (per punctuation) */
    PipelineFixture(PipelineSettings settings, ControlSettings controlSettings, Path stateDir, Instant wallClock,
                    int chunkSubjects) {
        this(settings, controlSettings, stateDir, wallClock, DriftwatchTopology.handoffSubjects(chunkSubjects),
                chunkSubjects);
    }

    /**
     * @param handoffSubjects subjects the summarizing stage hands on per step (per punctuation)
     * @param chunkSubjects   subjects the evaluating stage evaluates per step (per punctuation)
     */
    PipelineFixture(PipelineSettings settings, ControlSettings controlSettings, Path stateDir, Instant wallClock,
                    int handoffSubjects, int chunkSubjects) {
        Map<String, Object> serde = new HashMap<>();
        serde.put("schema.registry.url", "mock://pipeline-" + UUID.randomUUID());
        topics = Topics.defaults(serde);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        var topology = DriftwatchTopology.build(settings, topics, controlSettings, Storage.PERSISTENT,
                handoffSubjects, chunkSubjects);
        driver = wallClock == null ? new TopologyTestDriver(topology, props)
                : new TopologyTestDriver(topology, props, wallClock);
        events = driver.createInputTopic(topics.events().name(), Serdes.String().serializer(),
                topics.events().valueSerde().serializer());
        rawEvents = driver.createInputTopic(topics.events().name(), Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer());
        baselines = driver.createInputTopic(topics.baselines().name(), Serdes.String().serializer(),
                topics.baselines().valueSerde().serializer());
        stats = driver.createOutputTopic(topics.windowStats().name(), Serdes.String().deserializer(),
                topics.windowStats().valueSerde().deserializer());
        alerts = driver.createOutputTopic(topics.alerts().name(), Serdes.String().deserializer(),
                topics.alerts().valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetters().name(), Serdes.String().deserializer(),
                topics.deadLetters().valueSerde().deserializer());
        control = driver.createInputTopic(topics.control().name(), Serdes.String().serializer(),
                topics.control().valueSerde().serializer());
        rawControl = driver.createInputTopic(topics.control().name(), Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer());
        controlResults = driver.createOutputTopic(topics.controlResults().name(), Serdes.String().deserializer(),
                topics.controlResults().valueSerde().deserializer());
        baselinesOut = driver.createOutputTopic(topics.baselines().name(), Serdes.String().deserializer(),
                topics.baselines().valueSerde().deserializer());
    }

    void publishNumericBaseline(String model, String version, String subject, double[] values) {
        NumericBaseline b = NumericBaseline.fromSample(values, 10, NumericGrid.DEFAULT_RESOLUTION, "test:" + subject,
                null, null);
        baselines.pipeInput(BaselineCodec.key(model, version, subject),
                BaselineCodec.toAvro(model, version, subject, b, null), Instant.EPOCH);
    }

    void publishCategoricalBaseline(String model, String version, String subject, String[] values) {
        CategoricalBaseline b = CategoricalBaseline.fromSample(values, "test:" + subject, null, null);
        baselines.pipeInput(BaselineCodec.key(model, version, subject),
                BaselineCodec.toAvro(model, version, subject, b, null), Instant.EPOCH);
    }

    InferenceEvent event(String model, String version, long time, Map<String, Double> numeric,
                         Map<String, String> categorical, Double score) {
        String id = "req-" + (sequence++);
        return InferenceEvent.newBuilder()
                .setEventId("evt-" + id)
                .setRequestId(id)
                .setModelId(model)
                .setModelVersion(version)
                .setRole(DeploymentRole.PRIMARY)
                .setEventTime(Instant.ofEpochMilli(time))
                .setNumericFeatures(numeric)
                .setCategoricalFeatures(categorical)
                .setOutputs(ModelOutputs.newBuilder().setScore(score).setLabel(null).setConfidence(null).build())
                .setLatencyMs(12.0)
                .setTokensIn(null)
                .setTokensOut(null)
                .setCost(null)
                .setErrorCode(null)
                .setSegment(Map.of())
                .build();
    }

    void send(InferenceEvent e) {
        events.pipeInput(e.getRequestId(), e, e.getEventTime());
    }

    List<WindowStats> readStats() {
        return stats.readValuesToList();
    }

    List<DriftAlert> readAlerts() {
        return alerts.readValuesToList();
    }

    @Override
    public void close() {
        driver.close();
    }
}
