package dev.driftwatch.streams;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftwatch.streams.ops.BaselineProblems;
import dev.driftwatch.streams.ops.DriftwatchMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A baseline record the pipeline cannot decode (here: a schema id its registry does not know, as when
 * baselines were published with another process's in-memory registry) is listed with its reason and makes
 * the instance not ready, until a readable record replaces it; subjects whose windows have no baseline at
 * all are listed too.
 */
class BaselineProblemsTopologyTest {
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();

    @TempDir
    Path stateDir;

    @Test
    void shouldListUnreadableBaselinesAndSubjectsWithoutOneUntilAReadableBaselineArrives() {
        DriftwatchMetrics metrics = new DriftwatchMetrics(new SimpleMeterRegistry(), 1000);
        PipelineSettings settings = PipelineSettings.defaults(Duration.ofMinutes(1)).withMetrics(metrics);
        try (PipelineFixture f = new PipelineFixture(settings, stateDir)) {
            TestInputTopic<byte[], byte[]> raw = f.driver.createInputTopic(f.topics.baselines().name(),
                    Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
            // the Confluent wire format: magic byte 0, then schema id 2147483000, unknown to this registry
            raw.pipeInput("m/1/x".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0x7f, -1, -3, 0x78, 2, 4, 6},
                    Instant.EPOCH);
            BaselineProblems problems = metrics.baselineProblems();
            assertEquals(1, problems.unreadableCount());
            String reason = problems.notReadyReason().orElseThrow();
            assertTrue(reason.startsWith("1 baseline cannot be decoded") && reason.contains("m/1/x"), reason);

            for (int i = 0; i < 50; i++) {
                f.send(f.event("m", "1", T0 + i * 100, Map.of("x", (double) i, "y", i * 2.0), Map.of(), null));
            }
            f.send(f.event("m", "1", T0 + 3 * 60_000, Map.of("x", 0.0, "y", 0.0), Map.of(), null));
            JsonNode listed = problems.json();
            assertEquals(2, listed.size(), listed.toString());
            assertEquals("x", listed.get(0).path("subject").asText(), listed.toString());
            assertEquals("unreadable", listed.get(0).path("problem").asText());
            assertEquals("y", listed.get(1).path("subject").asText(), listed.toString());
            assertEquals("missing", listed.get(1).path("problem").asText());
            assertEquals("m", listed.get(1).path("model").asText());
            assertEquals("1", listed.get(1).path("version").asText());

            Random r = new Random(1);
            double[] values = new double[500];
            for (int i = 0; i < values.length; i++) {
                values[i] = r.nextGaussian();
            }
            f.publishNumericBaseline("m", "1", "x", values);
            assertTrue(problems.notReadyReason().isEmpty(), "a readable baseline replaced the bad one");
            assertEquals(0, problems.unreadableCount());
        }
    }
}
