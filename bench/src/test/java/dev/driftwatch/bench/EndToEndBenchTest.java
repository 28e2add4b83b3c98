package dev.driftwatch.bench;

import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.Storage;
import dev.driftwatch.streams.Topics;
import dev.driftwatch.streams.app.DriftwatchTopology;
import dev.driftwatch.streams.config.DriftwatchConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The end-to-end bench's idea of when a window is done, against what the pipeline publishes for its traffic. */
class EndToEndBenchTest {
    private static final long WINDOW_MS = 60_000;
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();

    /**
     * The bench waits for {@code expectedStats(windows)} statistics and then times the next thing (the first
     * latency window, the running application's measured pass). The pipeline publishes a data-quality record
     * beside each subject's drift statistics, and operational subjects: counted all together, the count was
     * reached when half the windows were in, and the rest of the pass was timed as the first window's latency
     * (6.1-6.7 s). Here, the whole pipeline with the bench's settings over two windows of the bench's traffic:
     * each window has exactly the counted statistics of one window.
     */
    @Test
    void everyWindowHasExactlyTheCountedStatisticsOfOneWindow(@TempDir Path stateDir) throws Exception {
        Map<String, Object> cfg = EndToEndBench.appConfig("unused:9092", "bench-test");
        Files.delete(Path.of(cfg.get("state.dir").toString()));
        cfg.put("state.dir", stateDir.toString());
        DriftwatchConfig config = new DriftwatchConfig(cfg);
        PipelineSettings settings = config.pipelineSettings(1);
        Topics topics = config.topics();
        List<String> versions = List.of("v1", "v2");
        // The application's topology on in-memory stores (RocksDB and a checkpoint per record take a minute here).
        try (TopologyTestDriver driver = new TopologyTestDriver(DriftwatchTopology.build(settings, topics,
                config.controlSettings(), Storage.IN_MEMORY), config.streamsProperties())) {
            TestInputTopic<String, dev.driftwatch.schemas.avro.Baseline> baselines = driver.createInputTopic(
                    topics.baselines().name(), Serdes.String().serializer(), topics.baselines().valueSerde().serializer());
            BenchTraffic.baselines(versions).forEach((key, b) -> baselines.pipeInput(key, b, Instant.EPOCH));
            TestInputTopic<String, InferenceEvent> events = driver.createInputTopic(topics.events().name(),
                    Serdes.String().serializer(), topics.events().valueSerde().serializer());
            BenchTraffic t = new BenchTraffic(5);
            for (int w = 0; w < 2; w++) {
                for (int i = 0; i < 1_000; i++) {
                    long time = T0 + w * WINDOW_MS + i * 50L;
                    InferenceEvent e = t.event(versions.get(i % 2), time, w == 1 && i % 2 == 1 ? 3 : -1);
                    events.pipeInput(e.getRequestId(), e, time);
                }
            }
            InferenceEvent closing = t.event("v1", T0 + 2 * WINDOW_MS, false);
            events.pipeInput(closing.getRequestId(), closing, T0 + 2 * WINDOW_MS);

            Map<Long, Long> counted = new TreeMap<>();
            for (WindowStats ws : driver.createOutputTopic(topics.windowStats().name(), Serdes.String().deserializer(),
                    topics.windowStats().valueSerde().deserializer()).readValuesToList()) {
                if (EndToEndBench.isDriftStatistic(ws)) {
                    counted.merge(ws.getWindowStart().toEpochMilli(), 1L, Long::sum);
                }
            }
            assertEquals(Map.of(T0, EndToEndBench.expectedStats(1), T0 + WINDOW_MS, EndToEndBench.expectedStats(1)),
                    counted);
        }
    }
}
