package dev.driftwatch.streams.failure;

import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.registry.InMemorySchemaRegistry;
import dev.driftwatch.streams.cli.DriftwatchCli;
import dev.driftwatch.streams.demo.SampleTraffic;
import dev.driftwatch.streams.replay.EventFileWriter;
import dev.driftwatch.streams.replay.EventFormat;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code replay} while its broker is away: a broker (a real KRaft broker in its own process, so that it can be
 * stopped and started again on the same port and log folder) is stopped in the middle of a replay for longer
 * than a producer's default wait. Within {@code --timeout} the replay waits and writes every event exactly once,
 * in order, as a read_committed consumer sees the topic (replay publishes in transactions: a chunk sent again
 * after a failed one leaves the failed copy aborted); past it, replay gives up, names the {@code --skip} that
 * goes on, and nothing after the last committed event is visible.
 */
@Timeout(300)
class ReplayThroughOutageIntegrationTest {
    static final int PARTITIONS = 3;
    static final int EVENTS = 12_000;

    @TempDir
    static Path dir;
    private static KafkaBrokerProcess broker;
    private static Path file;
    /** Request id (the record key) of each event, in file order. */
    private static final List<String> KEYS = new ArrayList<>();

    @BeforeAll
    static void startBrokerAndWriteTheFile() throws Exception {
        broker = KafkaBrokerProcess.start(dir.resolve("broker"));
        file = dir.resolve("events.avro");
        try (EventFileWriter w = EventFileWriter.create(file, EventFormat.AVRO)) {
            SampleTraffic.events(new SampleTraffic.Plan(2, EVENTS / 4, 1, Duration.ofMinutes(1),
                    Instant.parse("2026-11-01T09:00:00Z").toEpochMilli(), 7), (InferenceEvent e) -> {
                        w.write(e);
                        KEYS.add(e.getRequestId());
                    });
        }
        assertEquals(EVENTS, KEYS.size());
        assertEquals(EVENTS, KEYS.stream().distinct().count(), "request ids are unique");
        // The records are read back as bytes here; replay's serde and this test share one in-memory registry
        // (replay refuses one that nothing else in its process uses).
        InMemorySchemaRegistry.forScope(InMemorySchemaRegistry.scopeOf("mock://outage"));
        Files.writeString(dir.resolve("replay.properties"), "schema.registry.url=mock://outage\n");
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldWriteEveryEventOnceAndInOrderThroughABrokerOutageOfFifteenSeconds() throws Exception {
        assertEveryEventOnceInOrderThrough("outage-events", "800", 2_000, replay -> {
            broker.stop();
            // The outage itself: longer than the producer's 10 s max.block.ms that used to lose a record.
            Thread.sleep(15_000);
            assertFalse(replay.isDone(), "replay should wait for the broker: " + (replay.isDone() ? replay.get() : ""));
            broker.startAgain();
        });
    }

    @Test
    void shouldWriteEveryEventOnceAndInOrderThroughABrokerKilledAndStartedAgain() throws Exception {
        assertEveryEventOnceInOrderThrough("killed-broker-events", "1500", 3_000, replay -> {
            broker.kill();
            Thread.sleep(5_000); // the broker away for a while
            broker.startAgain();
        });
    }

    /** What happens to the broker while a replay runs. */
    private interface Outage {
        void during(CompletableFuture<Run> replay) throws Exception;
    }

    /**
     * Replays the file into a new topic at {@code rate} events/s, runs {@code outage} once {@code before} records
     * are in the topic, and checks that the replay ends well with every event once and in order (read_committed).
     */
    private static void assertEveryEventOnceInOrderThrough(String topic, String rate, long before, Outage outage)
            throws Exception {
        broker.createTopics(List.of(topic), PARTITIONS, Map.of());
        CompletableFuture<Run> replay = replay(topic, "--rate", rate, "--timeout", "2m");
        awaitRecords(topic, before, replay);
        outage.during(replay);
        Run run = replay.get(240, TimeUnit.SECONDS);
        assertEquals(0, run.exit, run.toString());
        assertTrue(run.out.contains("replayed 12,000 events to " + topic), run.toString());
        assertExactlyOnceInOrder(readAll(topic, EVENTS), EVENTS);
    }

    @Test
    void shouldGiveUpAfterTheTimeoutWithNothingAfterTheHoleAndGoOnWithTheSkipItNames() throws Exception {
        String topic = "outage-give-up";
        broker.createTopics(List.of(topic), PARTITIONS, Map.of());
        CompletableFuture<Run> replay = replay(topic, "--rate", "1500", "--timeout", "5s");
        awaitRecords(topic, 2_000, replay);
        broker.stop();
        Run run;
        try {
            run = replay.get(120, TimeUnit.SECONDS);
        } finally {
            broker.startAgain();
        }
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, run.exit, run.toString());
        String line = run.err.strip().lines().filter(l -> l.startsWith("driftwatch replay:")).reduce((x, y) -> y)
                .orElseThrow();
        assertEquals(1, run.err.lines().filter(l -> l.startsWith("driftwatch replay:")).count(), run.err);
        assertTrue(line.contains("nothing committed for 5s (--timeout)"), line);
        Matcher m = Pattern.compile(" to go on, run the same command with --skip (\\S+)$").matcher(line);
        assertTrue(m.find(), line);
        String resume = m.group(1);
        // the first n events of the file, each once, in order, and nothing after them
        long n = Long.parseLong(resume);
        // 0 is possible: the first commit may not have finished before the broker stopped (a coordinator still
        // loading its log after an earlier test's restart, say)
        assertTrue(n < EVENTS, line);
        assertExactlyOnceInOrder(readAll(topic, (int) n), (int) n);

        Run rest = replay(topic, "--timeout", "2m", "--skip", resume).get(120, TimeUnit.SECONDS);
        assertEquals(0, rest.exit, rest.toString());
        assertExactlyOnceInOrder(readAll(topic, EVENTS), EVENTS);
    }

    /** Each partition holds a subsequence of the file's first {@code count} events, in file order, all of them once. */
    private static void assertExactlyOnceInOrder(Map<Integer, List<String>> partitions, int count) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < KEYS.size(); i++) {
            index.put(KEYS.get(i), i);
        }
        boolean[] seen = new boolean[KEYS.size()];
        int total = 0;
        for (Map.Entry<Integer, List<String>> p : partitions.entrySet()) {
            int last = -1;
            for (String key : p.getValue()) {
                Integer i = index.get(key);
                assertTrue(i != null && i < count, "partition " + p.getKey() + " holds " + key + ", event " + i
                        + ", beyond the first " + count);
                assertFalse(seen[i], "event " + i + " (" + key + ") written twice");
                assertTrue(i > last, "partition " + p.getKey() + ": event " + i + " after event " + last);
                seen[i] = true;
                last = i;
                total++;
            }
        }
        assertEquals(count, total, "events written");
    }

    private record Run(int exit, String out, String err) {
    }

    private static CompletableFuture<Run> replay(String topic, String... options) {
        List<String> args = new ArrayList<>(List.of("replay", "--input", file.toString(), "--topic", topic,
                "--bootstrap-servers", broker.bootstrapServers(), "--config", dir.resolve("replay.properties")
                        .toString()));
        args.addAll(List.of(options));
        return CompletableFuture.supplyAsync(() -> {
            CommandLine cli = DriftwatchCli.commandLine();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            cli.setOut(new PrintWriter(out));
            cli.setErr(new PrintWriter(err));
            int exit = cli.execute(args.toArray(String[]::new));
            return new Run(exit, out.toString(), err.toString());
        });
    }

    /** Waits until the topic holds {@code count} records, while the replay runs. */
    private static void awaitRecords(String topic, long count, CompletableFuture<Run> replay) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Admin admin = broker.admin()) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            while (true) {
                assertFalse(replay.isDone(), () -> "replay ended before the outage: " + replay.join());
                long n = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).values().stream()
                        .mapToLong(i -> i.offset()).sum();
                if (n >= count) {
                    return;
                }
                assertTrue(System.nanoTime() < deadline, "only " + n + " records in " + topic + " after 60 s");
                Thread.sleep(50); // poll interval of the end offsets
            }
        }
    }

    /**
     * The keys of every committed record of {@code topic} (read_committed), per partition, in offset order, once at
     * least {@code expected} are visible. A producer's commit returns once the coordinator has decided it; the
     * markers that make its records visible reach the partitions a moment later (longer after a broker restart), so
     * the end offsets are read again until that many records are there or 60 s have passed.
     */
    private static Map<Integer, List<String>> readAll(String topic, int expected) throws InterruptedException {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<Integer, List<String>> out = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                tps.add(new TopicPartition(topic, p));
                out.put(p, new ArrayList<>());
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int read = 0;
            while (true) {
                Map<TopicPartition, Long> ends = consumer.endOffsets(tps, Duration.ofSeconds(30));
                while (tps.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                    assertTrue(System.nanoTime() < deadline, "cannot read " + topic + " to its end " + ends);
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        out.get(r.partition()).add(new String(r.key(), StandardCharsets.UTF_8));
                        read++;
                    }
                }
                if (read >= expected || System.nanoTime() >= deadline) {
                    return out;
                }
                Thread.sleep(200); // until the last commit's markers are written
            }
        }
    }
}
