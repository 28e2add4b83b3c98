package dev.driftwatch.streams.it;

import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.streams.demo.DemoRun;
import dev.driftwatch.streams.demo.DemoTraffic;
import dev.driftwatch.streams.embedded.EmbeddedKafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pipeline on a real (in-process KRaft) broker with three input partitions: events in, alerts read
 * back with a read_committed consumer; and the same traffic run again gives the same alert ids.
 */
class PipelineIntegrationTest {
    private static EmbeddedKafkaBroker broker;

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

    private DemoRun.Outcome run(String suffix) throws InterruptedException {
        broker.createTopics(List.of("inference-events" + suffix), 3);
        broker.createTopics(List.of("driftwatch-baselines" + suffix, "driftwatch-window-stats" + suffix,
                "driftwatch-alerts" + suffix, "driftwatch-dlq" + suffix, "driftwatch-control" + suffix,
                "driftwatch-control-results" + suffix), 1);
        DemoRun.Plan plan = new DemoRun.Plan(5, 1000, 2, Duration.ofMinutes(1), 10_000, 2, 7);
        StringWriter log = new StringWriter();
        DemoRun.Outcome outcome = new DemoRun(broker.bootstrapServers(), new PrintWriter(log), false)
                .run(plan, 3, Duration.ofSeconds(90), suffix);
        assertEquals(outcome.expectedWindowStats(), outcome.windowStats(), log.toString());
        return outcome;
    }

    @Test
    void shouldAlertOnTheDriftedFeaturesOnlyAndRepeatTheSameAlertIdsOnReplay() throws InterruptedException {
        DemoRun.Outcome first = run("-a");
        assertEquals(2, first.deadLetters().size());
        Set<String> firingFeatures = first.alerts().stream()
                .filter(a -> a.getState() == AlertState.FIRING && !a.getSubject().startsWith("output.")
                        && !a.getSubject().equals("*dataset*"))
                .map(a -> a.getModelVersion() + " " + a.getSubject())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = DemoTraffic.DRIFTING_FEATURES.stream().map(f -> DemoRun.DRIFTING_VERSION + " " + f)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, firingFeatures, first.alerts().stream().map(DriftAlert::getSummary).toList().toString());
        for (DriftAlert a : first.alerts()) {
            assertEquals(2 * 60_000L, a.getWindowStart().toEpochMilli() % (60 * 60_000L) , "fires at the drift: " + a);
        }

        DemoRun.Outcome second = run("-b");
        List<String> firstIds = first.alerts().stream().map(DriftAlert::getAlertId).sorted().toList();
        List<String> secondIds = second.alerts().stream().map(DriftAlert::getAlertId).sorted().toList();
        assertTrue(!firstIds.isEmpty());
        assertEquals(firstIds, secondIds);
    }
}
