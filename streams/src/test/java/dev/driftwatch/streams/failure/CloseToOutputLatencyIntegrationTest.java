package dev.driftwatch.streams.failure;

import dev.driftwatch.streams.embedded.EmbeddedKafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
    private static EmbeddedKafkaBroker broker;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldPublishAClosedWindowsStatisticsWithoutWaitingForTheCommitInterval() throws Exception {
        Map<String, String> slowCommits = Map.of("commit.interval.ms", "120000",
                "producer.transaction.timeout.ms", "300000");
        try (PipelineUnderTest p = new PipelineUnderTest(broker, "close-latency", dir.resolve("close"), slowCommits)) {
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
