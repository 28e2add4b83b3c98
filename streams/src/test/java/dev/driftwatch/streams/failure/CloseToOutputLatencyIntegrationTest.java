package dev.driftwatch.streams.failure;

import dev.driftwatch.streams.embedded.EmbeddedKafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A closed window's records do not wait for the commit interval: under exactly-once, what the stages write is
 * read only once committed, so the summarizing stage asks for a commit when it hands closed windows on, and the
 * evaluating stage when it has evaluated one. With a commit interval of two minutes, the statistics of a window
 * arrive well before the first periodic commit.
 */
@Timeout(240)
class CloseToOutputLatencyIntegrationTest {
    @RegisterExtension
    static final EmbeddedKafkaBrokerExtension KAFKA = new EmbeddedKafkaBrokerExtension();

    @TempDir
    static Path dir;

    @Test
    void shouldPublishAClosedWindowsStatisticsWithoutWaitingForTheCommitInterval() throws Exception {
        Map<String, String> slowCommits = Map.of("commit.interval.ms", "120000",
                "producer.transaction.timeout.ms", "300000");
        try (PipelineUnderTest p = new PipelineUnderTest(KAFKA.broker(), "close-latency", dir.resolve("close"),
                slowCommits)) {
            p.publishBaselines(2_000, 5);
            FailureTraffic.Generator gen = new FailureTraffic.Generator(3, 100, 99, 99);
            for (int i = 0; i < 100; i++) {
                p.send(gen.stable(0, i));
            }
            p.send(gen.stableAt(FailureTraffic.T0 + FailureTraffic.WINDOW_MS + FailureTraffic.GRACE_MS)); // closes 0
            p.flush();
            // The first periodic commit comes two minutes after the start: the statistics must come before.
            p.readUntil("window 0 before the first periodic commit", Duration.ofSeconds(60),
                    () -> p.driftCount() >= FailureTraffic.SUBJECTS);
        }
    }
}
