package dev.driftwatch.streams.failure;

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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exactly-once under failure: the pipeline runs as {@code driftwatch run} in a child JVM, over the same
 * deterministic traffic twice. The first run is left alone; the second is killed with SIGKILL three times
 * at seeded random points of its progress, restarted each time, and its broker is restarted once while
 * it runs. The alerts read by a read_committed consumer must be the same, id for id, with no repeat and
 * none missing, and so must the window statistics (one per window, version and subject, with the same
 * sample sizes: no event counted twice or lost).
 */
@Timeout(600)
class CrashRecoveryIntegrationTest {
    /**
     * Events per window and version: 2 versions x 8 windows x 62,500 = 1,000,000 events (+3 closing ones).
     * On 2 cores the whole test takes about 90 s: the uninterrupted run ~21 s, the interrupted one ~50 s.
     */
    static final int EVENTS_PER_WINDOW = Integer.getInteger("driftwatch.crash.eventsPerWindow", 62_500);
    static final int WINDOWS = 8;
    static final int PARTITIONS = 3;
    static final long SEED = Long.getLong("driftwatch.crash.seed", 20261124L);
    static final String EVENTS = "crash-events";
    static final String BASELINES = "crash-baselines";

    @TempDir
    static Path dir;
    private static ApicurioRegistryServer registry;
    private static KafkaBrokerProcess broker;
    private static long sent;
    /** Every driftwatch process started, killed in {@link #stopAll()} whatever happened. */
    private static final List<ChildJvm> PROCESSES = new ArrayList<>();

    @BeforeAll
    static void startBrokerAndRegistryAndSendTraffic() throws Exception {
        registry = ApicurioRegistryServer.start();
        broker = KafkaBrokerProcess.start(dir.resolve("broker"));
        broker.createTopics(List.of(EVENTS), PARTITIONS, Map.of());
        broker.createTopics(List.of(BASELINES), 1, Map.of("cleanup.policy", "compact"));
        for (String run : List.of("a", "b")) {
            broker.createTopics(List.of("crash-stats-" + run, "crash-alerts-" + run, "crash-dlq-" + run,
                    "crash-control-" + run, "crash-control-results-" + run), 1, Map.of());
        }
        Topics topics = topics("a");
        FailureTraffic.publishBaselines(broker.bootstrapServers(), topics, 20_000, SEED);
        long start = System.nanoTime();
        sent = FailureTraffic.sendWindows(broker.bootstrapServers(), topics, PARTITIONS, WINDOWS,
                new FailureTraffic.Generator(SEED, EVENTS_PER_WINDOW, 3, 6), EVENTS_PER_WINDOW);
        log("sent %,d events in %.1f s", sent, (System.nanoTime() - start) / 1e9);
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
        return Topics.of(Map.of("schema.registry.url", registry.confluentApiUrl()), EVENTS, BASELINES,
                "crash-stats-" + run, "crash-alerts-" + run, "crash-dlq-" + run);
    }

    @Test
    void shouldGiveTheSameAlertsIdForIdAfterThreeKillsAndABrokerRestart() throws Exception {
        int expectedStats = WINDOWS * 2 * FailureTraffic.SUBJECTS;

        long t0 = System.nanoTime();
        Pipeline reference = new Pipeline("a");
        reference.start();
        reference.awaitProgress(1.0, Duration.ofSeconds(180));
        Outputs expected = Outputs.read(broker.bootstrapServers(), topics("a"), expectedStats, Duration.ofSeconds(120));
        reference.stop();
        double referenceSeconds = (System.nanoTime() - t0) / 1e9;
        log("uninterrupted run: %,d events, %d alerts, %d window stats in %.1f s", sent, expected.alertIds.size(),
                expected.stats.size(), referenceSeconds);

        // Kill points and the broker restart as fractions of the input committed, seeded, in disjoint bands.
        SplittableRandom random = new SplittableRandom(SEED);
        double kill1 = 0.10 + 0.15 * random.nextDouble();
        double brokerRestart = 0.30 + 0.15 * random.nextDouble();
        double kill2 = 0.50 + 0.15 * random.nextDouble();
        double kill3 = 0.70 + 0.15 * random.nextDouble();
        t0 = System.nanoTime();
        Pipeline crashed = new Pipeline("b");
        crashed.start();
        for (double at : List.of(kill1, brokerRestart, kill2, kill3)) {
            double reached = crashed.awaitProgress(at, Duration.ofSeconds(90));
            if (at == brokerRestart) {
                log("broker restart at %.1f%% of the input committed", 100 * reached);
                broker.stop();
                broker.startAgain();
            } else {
                log("SIGKILL of driftwatch (pid %d) at %.1f%% of the input committed", crashed.pid(), 100 * reached);
                crashed.kill();
                crashed.start();
            }
        }
        crashed.awaitProgress(1.0, Duration.ofSeconds(240));
        Outputs actual = Outputs.read(broker.bootstrapServers(), topics("b"), expectedStats, Duration.ofSeconds(180));
        crashed.stop();
        log("interrupted run: 3 SIGKILLs, 1 broker restart, %d alerts, %d window stats in %.1f s",
                actual.alertIds.size(), actual.stats.size(), (System.nanoTime() - t0) / 1e9);

        assertTrue(expected.states.contains(AlertState.FIRING) && expected.states.contains(AlertState.RESOLVED),
                "the drift should fire and resolve: " + expected.alertIds);
        assertEquals(new HashSet<>(expected.alertIds).size(), expected.alertIds.size(), "repeated alert ids");
        assertEquals(new HashSet<>(actual.alertIds).size(), actual.alertIds.size(),
                "repeated alert ids after the failures: " + actual.alertIds);
        assertEquals(sorted(expected.alertIds), sorted(actual.alertIds));
        assertEquals(expectedStats, expected.stats.size());
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
                    "http.port=0", // a free port: the default one may be taken
                    "topic.inference.events=" + EVENTS,
                    "topic.baselines=" + BASELINES,
                    "topic.window.stats=crash-stats-" + run,
                    "topic.alerts=crash-alerts-" + run,
                    "topic.dlq=crash-dlq-" + run,
                    "topic.control=crash-control-" + run,
                    "topic.control.results=crash-control-results-" + run,
                    "window.size.ms=" + FailureTraffic.WINDOW_MS,
                    "window.grace.ms=" + FailureTraffic.GRACE_MS,
                    "replication.factor=1",
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

        void kill() throws InterruptedException {
            jvm.kill();
        }

        void stop() throws InterruptedException {
            jvm.stop(60);
        }

        /** Waits until the committed input offsets reach {@code fraction} of the input; returns the fraction. */
        double awaitProgress(double fraction, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            try (Admin admin = broker.admin()) {
                Map<TopicPartition, Long> ends = new HashMap<>();
                while (ends.isEmpty()) {
                    try {
                        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                        for (int p = 0; p < PARTITIONS; p++) {
                            latest.put(new TopicPartition(EVENTS, p), OffsetSpec.latest());
                        }
                        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e
                                : admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).entrySet()) {
                            ends.put(e.getKey(), e.getValue().offset());
                        }
                    } catch (Exception e) {
                        ends.clear(); // the broker restarting
                    }
                }
                long total = ends.values().stream().mapToLong(Long::longValue).sum();
                while (true) {
                    if (!jvm.isAlive()) {
                        throw new AssertionError("driftwatch exited with " + jvm.exitValue() + ": " + jvm.tail());
                    }
                    long done = 0;
                    try {
                        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                        for (TopicPartition tp : ends.keySet()) {
                            OffsetAndMetadata o = committed.get(tp);
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

    /** What a read_committed consumer reads from one run's output topics. */
    private static final class Outputs {
        final List<String> alertIds = new ArrayList<>();
        final List<AlertState> states = new ArrayList<>();
        final List<String> stats = new ArrayList<>();
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
                    out.stats.add(s.getModelVersion() + " " + s.getSubject() + " " + s.getWindowStart() + " n="
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
                while (out.stats.size() < expectedStats && System.nanoTime() < deadline) {
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
