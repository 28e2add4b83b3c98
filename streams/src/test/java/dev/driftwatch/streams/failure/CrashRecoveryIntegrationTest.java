package dev.driftwatch.streams.failure;

import dev.driftwatch.streams.DriftRecords;
import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.schemas.testkit.ApicurioRegistryServer;
import dev.driftwatch.streams.Topics;
import dev.driftwatch.streams.cli.DriftwatchCli;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exactly-once under failure: the pipeline runs as {@code driftwatch run} in a child JVM, over the same
 * deterministic traffic twice, each time published into its own input topic by {@code driftwatch replay
 * --close-windows} from one events file. The first run is left alone. In the second, replay (paced to take
 * about a minute) and the pipeline run together; the broker is restarted once while replay is publishing
 * (replay must wait and go on: every event exactly once), and the pipeline is killed with SIGKILL three times
 * at seeded random points of its progress, restarted each time. The alerts read by a read_committed consumer
 * must be the same, id for id, with no repeat and none missing, and so must the window statistics (one per
 * window, version and subject, with the same sample sizes: no event counted twice or lost).
 *
 * <p>1,000,000 events by default (about 3 minutes on 2 cores); {@code -Ddriftwatch.crash.eventsPerWindow=N}
 * sets 2 x 8 x N.</p>
 */
@Timeout(600)
class CrashRecoveryIntegrationTest {
    /** Events per window and version: 2 versions x 8 windows x 62,500 = 1,000,000 events (+3 closing ones). */
    static final int EVENTS_PER_WINDOW = Integer.getInteger("driftwatch.crash.eventsPerWindow", 62_500);
    static final int WINDOWS = 8;
    static final int PARTITIONS = 3;
    static final long SEED = Long.getLong("driftwatch.crash.seed", 20261124L);
    /** How long the replay of the interrupted run takes (its --rate), so that the broker restarts during it. */
    static final Duration REPLAY_TIME = Duration.ofSeconds(60);
    static final String BASELINES = "crash-baselines";

    @TempDir
    static Path dir;
    private static ApicurioRegistryServer registry;
    private static KafkaBrokerProcess broker;
    private static long sent;
    /** Every driftwatch process started, killed in {@link #stopAll()} whatever happened. */
    private static final List<ChildJvm> PROCESSES = new ArrayList<>();

    @BeforeAll
    static void startBrokerAndRegistryAndWriteTraffic() throws Exception {
        registry = ApicurioRegistryServer.start();
        broker = KafkaBrokerProcess.start(dir.resolve("broker"));
        broker.createTopics(List.of(BASELINES), 1, Map.of("cleanup.policy", "compact"));
        for (String run : List.of("a", "b")) {
            broker.createTopics(List.of(events(run)), PARTITIONS, Map.of());
            broker.createTopics(List.of("crash-stats-" + run, "crash-alerts-" + run, "crash-dlq-" + run,
                    "crash-control-" + run, "crash-control-results-" + run), 1, Map.of());
        }
        Topics topics = topics("a");
        FailureTraffic.publishBaselines(broker.bootstrapServers(), topics, 20_000, SEED);
        long start = System.nanoTime();
        sent = FailureTraffic.writeWindows(dir.resolve("events.avro"), WINDOWS,
                new FailureTraffic.Generator(SEED, EVENTS_PER_WINDOW, 3, 5), EVENTS_PER_WINDOW) + PARTITIONS;
        log("wrote %,d events in %.1f s", sent - PARTITIONS, (System.nanoTime() - start) / 1e9);
    }

    private static String events(String run) {
        return "crash-events-" + run;
    }

    @AfterAll
    static void stopAll() {
        PROCESSES.forEach(ChildJvm::close);
        if (broker != null) {
            broker.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    private static Topics topics(String run) {
        return Topics.of(Map.of("schema.registry.url", registry.confluentApiUrl()), events(run), BASELINES,
                "crash-stats-" + run, "crash-alerts-" + run, "crash-dlq-" + run);
    }

    @Test
    void shouldGiveTheSameAlertsIdForIdAfterThreeKillsAndABrokerRestart() throws Exception {
        // Drift records: per version and window, the subjects and the 3 operational ones the events carry;
        // the data-quality records beside them are compared too, not counted.
        int expectedStats = WINDOWS * 2 * (FailureTraffic.SUBJECTS + 3);

        long t0 = System.nanoTime();
        Pipeline reference = new Pipeline("a");
        Replay fill = reference.replay(0);
        assertEquals(0, fill.await(Duration.ofSeconds(180)), fill.tail());
        reference.start();
        reference.awaitProgress(1.0, Duration.ofSeconds(180));
        Outputs expected = Outputs.read(broker.bootstrapServers(), topics("a"), expectedStats, Duration.ofSeconds(120));
        reference.stop();
        double referenceSeconds = (System.nanoTime() - t0) / 1e9;
        log("uninterrupted run: %,d events, %d alerts, %d window stats in %.1f s", sent, expected.alertIds.size(),
                expected.stats.size(), referenceSeconds);

        // The broker restart first, at a fraction of the input replayed (early, so that replay is still
        // publishing whatever the pipeline's pace); then the kill points as fractions of the input committed,
        // seeded, in disjoint bands.
        SplittableRandom random = new SplittableRandom(SEED);
        double kill1 = 0.10 + 0.15 * random.nextDouble();
        double brokerRestart = 0.20 + 0.15 * random.nextDouble();
        double kill2 = 0.50 + 0.15 * random.nextDouble();
        double kill3 = 0.70 + 0.15 * random.nextDouble();
        t0 = System.nanoTime();
        Pipeline crashed = new Pipeline("b");
        Replay replay = crashed.replay(sent / (double) REPLAY_TIME.toSeconds());
        crashed.start();
        for (double at : List.of(brokerRestart, kill1, kill2, kill3)) {
            if (at == brokerRestart) {
                double reached = replay.awaitPublished(at, Duration.ofSeconds(120));
                assertTrue(replay.isAlive(), "replay should still be publishing: " + replay.tail());
                log("broker restart at %.1f%% of the input replayed", 100 * reached);
                broker.stop();
                broker.startAgain();
                assertTrue(replay.isAlive(), "replay should have waited for the broker: " + replay.tail());
            } else {
                double reached = crashed.awaitProgress(at, Duration.ofSeconds(150));
                log("SIGKILL of driftwatch (pid %d) at %.1f%% of the input committed", crashed.pid(), 100 * reached);
                crashed.kill();
                crashed.start();
            }
        }
        int exit = replay.await(Duration.ofSeconds(240));
        if (exit == 2) {
            // Replay gave up (no commit within its --timeout after the restart): go on with the --skip it printed.
            Matcher m = Pattern.compile("run the same command with --skip (\\S+)").matcher(replay.tail());
            assertTrue(m.find(), replay.tail());
            log("replay gave up after the broker restart; going on with --skip %s", m.group(1));
            replay = crashed.replay(0, "--skip", m.group(1));
            exit = replay.await(Duration.ofSeconds(240));
        }
        assertEquals(0, exit, replay.tail());
        assertEquals(sent, replay.committed(sent), "committed records in " + events("b") + ": every event once");
        crashed.awaitProgress(1.0, Duration.ofSeconds(240));
        Outputs actual = Outputs.read(broker.bootstrapServers(), topics("b"), expectedStats, Duration.ofSeconds(180));
        crashed.stop();
        log("interrupted run: 3 SIGKILLs, 1 broker restart during the replay, %d alerts, %d window stats in %.1f s",
                actual.alertIds.size(), actual.stats.size(), (System.nanoTime() - t0) / 1e9);

        assertTrue(expected.states.contains(AlertState.FIRING) && expected.states.contains(AlertState.RESOLVED),
                "the drift should fire and resolve: " + expected.alertIds);
        assertEquals(new HashSet<>(expected.alertIds).size(), expected.alertIds.size(), "repeated alert ids");
        assertEquals(new HashSet<>(actual.alertIds).size(), actual.alertIds.size(),
                "repeated alert ids after the failures: " + actual.alertIds);
        assertEquals(sorted(expected.alertIds), sorted(actual.alertIds));
        assertEquals(expectedStats, expected.driftStats);
        List<String> missing = new ArrayList<>(expected.stats);
        actual.stats.forEach(missing::remove);
        List<String> extra = new ArrayList<>(actual.stats);
        expected.stats.forEach(extra::remove);
        assertTrue(missing.isEmpty() && extra.isEmpty(), "window statistics differ after the failures: expected "
                + missing.size() + " not read " + missing.subList(0, Math.min(missing.size(), 12)) + ", read "
                + extra.size() + " not expected " + extra.subList(0, Math.min(extra.size(), 12)));
        assertTrue(actual.deadLetters == 0 && expected.deadLetters == 0, "no dead letters expected");
    }

    private static List<String> sorted(List<String> values) {
        return values.stream().sorted().toList();
    }

    static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[crash-test] " + format + "%n", args);
        System.out.flush();
    }

    /** {@code driftwatch run} in a child JVM for one application id, restartable on the same state folder. */
    private static final class Pipeline {
        private final String run;
        private final String applicationId;
        private final Path config;
        private int starts;
        private int replays;
        private ChildJvm jvm;

        Pipeline(String run) throws Exception {
            this.run = run;
            this.applicationId = "crash-" + run;
            this.config = dir.resolve("driftwatch-" + run + ".properties");
            Files.writeString(config, String.join("\n",
                    "bootstrap.servers=" + broker.bootstrapServers(),
                    "application.id=" + applicationId,
                    "schema.registry.url=" + registry.confluentApiUrl(),
                    "state.dir=" + dir.resolve("state-" + run),
                    "topic.inference.events=" + events(run),
                    "topic.baselines=" + BASELINES,
                    "topic.window.stats=crash-stats-" + run,
                    "topic.alerts=crash-alerts-" + run,
                    "topic.dlq=crash-dlq-" + run,
                    "topic.control=crash-control-" + run,
                    "topic.control.results=crash-control-results-" + run,
                    "window.size.ms=" + FailureTraffic.WINDOW_MS,
                    "window.grace.ms=" + FailureTraffic.GRACE_MS,
                    "replication.factor=1",
                    "http.enabled=false", // no fixed port: another process may hold 8080
                    // a killed member leaves the group after 6 s instead of 45 s
                    "session.timeout.ms=6000",
                    "heartbeat.interval.ms=1000") + "\n");
        }

        void start() throws Exception {
            Path log = Path.of("target", "it-logs", "failure-driftwatch-" + run + "-" + (++starts) + ".log")
                    .toAbsolutePath();
            jvm = ChildJvm.start(log, List.of("-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=" + System.getProperty("driftwatch.crash.logLevel", "warn")), DriftwatchCli.class.getName(), "run", "--config",
                    config.toString());
            PROCESSES.add(jvm);
        }

        long pid() {
            return jvm.pid();
        }

        /** {@code driftwatch replay} of the events file into this run's input topic, at most {@code rate}/s. */
        Replay replay(double rate, String... options) throws Exception {
            Path log = Path.of("target", "it-logs", "failure-replay-" + run + "-" + (++replays) + ".log")
                    .toAbsolutePath();
            List<String> args = new ArrayList<>(List.of("replay", "--input", dir.resolve("events.avro").toString(),
                    "--close-windows", "--config", config.toString(), "--rate", String.format(Locale.ROOT, "%.0f",
                            rate), "--timeout", "60s"));
            args.addAll(List.of(options));
            ChildJvm replay = ChildJvm.start(log, List.of("-Xmx512m"), DriftwatchCli.class.getName(),
                    args.toArray(String[]::new));
            PROCESSES.add(replay);
            return new Replay(replay, events(run));
        }

        void kill() throws InterruptedException {
            jvm.kill();
        }

        void stop() throws InterruptedException {
            jvm.stop(60);
        }

        /**
         * Waits until the committed input offsets reach {@code fraction} of the input; returns the fraction. The
         * input's offsets count replay's transaction markers too: {@code fraction} 1 (once replay is done) means
         * its end offsets.
         */
        double awaitProgress(double fraction, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            try (Admin admin = broker.admin()) {
                long total = fraction >= 1 ? endOffsets(admin, events(run)) : sent;
                while (true) {
                    if (!jvm.isAlive()) {
                        throw new AssertionError("driftwatch exited with " + jvm.exitValue() + ": " + jvm.tail());
                    }
                    long done = 0;
                    try {
                        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                        for (int p = 0; p < PARTITIONS; p++) {
                            OffsetAndMetadata o = committed.get(new TopicPartition(events(run), p));
                            done += o == null ? 0 : o.offset();
                        }
                    } catch (Exception e) {
                        done = -1; // the broker restarting
                    }
                    double reached = (double) done / total;
                    if (reached >= fraction) {
                        return reached;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError(String.format(Locale.ROOT,
                                "driftwatch %s committed %.1f%% of the input within %s, expected %.1f%%: %s",
                                applicationId, 100 * reached, timeout, 100 * fraction, jvm.tail()));
                    }
                    Thread.sleep(20); // poll interval of the committed offsets
                }
            }
        }
    }

    /** The sum of the end offsets of {@code topic}'s partitions. */
    private static long endOffsets(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        long n = 0;
        for (ListOffsetsResult.ListOffsetsResultInfo i : admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS)
                .values()) {
            n += i.offset();
        }
        return n;
    }

    /** A {@code driftwatch replay} in a child JVM, and the records it has put in its topic so far. */
    private record Replay(ChildJvm jvm, String topic) {
        boolean isAlive() {
            return jvm.isAlive();
        }

        String tail() {
            return jvm.tail();
        }

        /** Waits for the replay to exit; its exit status. */
        int await(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (jvm.isAlive()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("replay did not finish within " + timeout + ": " + jvm.tail());
                }
                Thread.sleep(100); // poll interval of the child's state
            }
            return jvm.exitValue();
        }

        /**
         * The sum of the topic's end offsets: about the records sent so far (transaction markers and aborted
         * records count too), for progress.
         */
        long published() throws Exception {
            try (Admin admin = broker.admin()) {
                return endOffsets(admin, topic);
            }
        }

        /**
         * The records a read_committed consumer reads from the topic, once {@code expected} are visible or 60 s have
         * passed: replay's last commit returns once the coordinator has decided it, and the markers that make its
         * records visible reach the partitions a moment later.
         */
        long committed(long expected) throws InterruptedException {
            Map<String, Object> c = new HashMap<>();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                List<TopicPartition> tps = new ArrayList<>();
                for (int p = 0; p < PARTITIONS; p++) {
                    tps.add(new TopicPartition(topic, p));
                }
                consumer.assign(tps);
                consumer.seekToBeginning(tps);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                long settled = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                long n = 0;
                while (true) {
                    Map<TopicPartition, Long> ends = consumer.endOffsets(tps, Duration.ofSeconds(30));
                    while (tps.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                        assertTrue(System.nanoTime() < deadline, "cannot read " + topic + " to its end " + ends);
                        n += consumer.poll(Duration.ofMillis(200)).count();
                    }
                    if (n >= expected || System.nanoTime() >= settled) {
                        return n;
                    }
                    Thread.sleep(200); // until the last commit's markers are written
                }
            }
        }

        /** Waits until the topic holds {@code fraction} of the input; returns the fraction. */
        double awaitPublished(double fraction, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                double reached = published() / (double) sent;
                if (reached >= fraction) {
                    return reached;
                }
                if (!jvm.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError(String.format(Locale.ROOT, "replay published %.1f%% of the input,"
                            + " expected %.1f%%: %s", 100 * reached, 100 * fraction, jvm.tail()));
                }
                Thread.sleep(20); // poll interval of the end offsets
            }
        }
    }

    /** What a read_committed consumer reads from one run's output topics. */
    private static final class Outputs {
        final List<String> alertIds = new ArrayList<>();
        final List<AlertState> states = new ArrayList<>();
        final List<String> stats = new ArrayList<>();
        int driftStats; // the drift records among stats (not the data-quality record beside each)
        int deadLetters;

        /** Reads until {@code expectedStats} window statistics came, then for 3 more seconds of silence. */
        static Outputs read(String bootstrap, Topics topics, int expectedStats, Duration timeout) {
            Outputs out = new Outputs();
            Map<String, Object> c = new HashMap<>();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            c.put(ConsumerConfig.GROUP_ID_CONFIG, "crash-reader-" + topics.alerts().name());
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            Consumer<ConsumerRecord<String, byte[]>> handle = r -> {
                if (r.topic().equals(topics.alerts().name())) {
                    DriftAlert a = topics.alerts().valueSerde().deserializer().deserialize(r.topic(), r.headers(),
                            r.value());
                    out.alertIds.add(a.getAlertId());
                    out.states.add(a.getState());
                } else if (r.topic().equals(topics.windowStats().name())) {
                    WindowStats s = topics.windowStats().valueSerde().deserializer().deserialize(r.topic(),
                            r.headers(), r.value());
                    if (DriftRecords.isDrift(s)) {
                        out.driftStats++;
                    }
                    out.stats.add(s.getSubjectKind() + " " + s.getModelVersion() + " " + s.getSubject() + " " + s.getWindowStart() + " n="
                            + s.getSampleSize() + " missing=" + s.getMissingCount() + " drifting=" + s.getDrifting());
                } else {
                    out.deadLetters++;
                }
            };
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(topics.alerts().name(), topics.windowStats().name(),
                        topics.deadLetters().name()));
                long deadline = System.nanoTime() + timeout.toNanos();
                while (out.driftStats < expectedStats && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(handle);
                }
                long quietUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                while (System.nanoTime() < quietUntil) {
                    consumer.poll(Duration.ofMillis(200)).forEach(handle);
                }
            }
            assertFalse(out.stats.isEmpty(), "no window statistics read from " + topics.windowStats().name());
            return out;
        }
    }
}
