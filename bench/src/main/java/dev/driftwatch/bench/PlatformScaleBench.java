package dev.driftwatch.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.driftwatch.detectors.summary.CategoricalBaseline;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.Topics;
import dev.driftwatch.streams.app.DriftwatchApp;
import dev.driftwatch.streams.config.DriftwatchConfig;
import dev.driftwatch.streams.embedded.EmbeddedKafkaBroker;
import dev.driftwatch.streams.internals.BaselineCodec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Platform scale and scale-out (issue 22), on the in-process KRaft broker: many model versions and features
 * on one or more instances of the application, with the same id, in one JVM.
 *
 * <ol>
 *   <li>baselines for every feature of every version ({@code versions × (numeric + categorical)} subjects):
 *       with {@code --baselines distinct} (the default) each version's numeric baselines have a grid and reference
 *       of their own (the feature's training sample scaled by the version's number), as versions
 *       trained on data of their own have; with {@code --baselines shared} one baseline per feature is published
 *       under every version's key, the cheapest case for the baselines' memory (their parts are held once);</li>
 *   <li>warm-up: the application works through {@code --warm-windows} one-minute windows and publishes their
 *       statistics, then every instance is paused ({@code KafkaStreams.pause()});</li>
 *   <li>rate: {@code --windows} windows of {@code --per-version} events per version per window are appended,
 *       and the time runs from {@code resume()} to the last window's statistics of every subject; a plain
 *       consumer reads the same topic with the same deserializer for the ratio;</li>
 *   <li>latency: with the application caught up (its committed offsets at the input's end), one window of
 *       traffic at a time (numeric feature {@code n0} drifts by one standard deviation in every 100th version
 *       in every other window), then one event per partition past the window's end; the time from sending
 *       those to the first alert of the window, to each of its alerts (their p50 and p99 over the windows: the
 *       evaluating stage takes versions in the order of their keys), and to the last statistic of the window;</li>
 *   <li>heap: the live heap after a full collection before the application starts (the broker and the bench's
 *       clients: what the figures after it hold besides the application), the largest heap after a collection
 *       during the run (the broker, in the same JVM, included) and the live heap after a full collection with one
 *       window open in every version; the changelog and repartition bytes written per window; the baselines'
 *       bytes as published (the global store holds a numeric baseline's grid and reference once per content).</li>
 * </ol>
 *
 * Usage: {@code java -Xmx2g -cp bench/target/benchmarks.jar dev.driftwatch.bench.PlatformScaleBench
 * [--versions 1000] [--numeric 40] [--categorical 10] [--per-version 100] [--windows 5] [--warm-windows 2]
 * [--latency-windows 6] [--partitions 2] [--instances 1] [--threads 2] [--stall-seconds 180]
 * [--baselines distinct|shared] [--label NAME] [--json FILE]}.
 * {@code -Dbench.set=key=value,...} adds pipeline settings, as in {@link EndToEndBench}.
 */
public final class PlatformScaleBench {
    private static final long WINDOW_MS = 60_000;
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    private static final String MODEL = "bench-model";
    private static final String INPUT = "inference-events";

    private final Map<String, String> opts;
    private final int versions;
    private final int numeric;
    private final int categorical;
    private final int perVersion;
    private final int partitions;
    private final int instances;
    private final int threads;
    /** Seconds without a new statistic after which a run is given up (the first window's include the warm-up's work). */
    private final int stallSeconds;
    /** Whether each version's numeric baselines are its own (true) or one per feature for every version. */
    private final boolean distinctBaselines;
    private final List<String> versionNames = new ArrayList<>();
    private final Set<String> features = new HashSet<>();
    private final HeapWatch heap = new HeapWatch();
    private final Map<String, Object> results = new LinkedHashMap<>();

    private PlatformScaleBench(Map<String, String> opts) {
        this.opts = opts;
        versions = intOption("versions", 1000);
        numeric = intOption("numeric", 40);
        categorical = intOption("categorical", 10);
        perVersion = intOption("per-version", 100);
        partitions = intOption("partitions", 2);
        instances = intOption("instances", 1);
        threads = intOption("threads", 2);
        stallSeconds = intOption("stall-seconds", 180);
        distinctBaselines = switch (opts.getOrDefault("baselines", "distinct")) {
            case "distinct" -> true;
            case "shared" -> false;
            default -> throw new IllegalArgumentException("--baselines " + opts.get("baselines")
                    + ": use distinct (a grid and reference per version) or shared (one per feature)");
        };
        for (int v = 0; v < versions; v++) {
            versionNames.add(String.format(Locale.ROOT, "v%04d", v));
        }
        for (int f = 0; f < numeric; f++) {
            features.add("n" + f);
        }
        for (int f = 0; f < categorical; f++) {
            features.add("c" + f);
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: PlatformScaleBench [--versions N] [--numeric N]"
                        + " [--categorical N] [--per-version N] [--windows N] [--warm-windows N] [--latency-windows N]"
                        + " [--partitions N] [--instances N] [--threads N] [--stall-seconds N] [--baselines distinct|shared]"
                        + " [--label NAME] [--json FILE]");
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        EndToEndBench.quietLogs();
        new PlatformScaleBench(opts).run();
    }

    private int intOption(String name, int otherwise) {
        return Integer.parseInt(opts.getOrDefault(name, Integer.toString(otherwise)));
    }

    private void run() throws Exception {
        int windows = intOption("windows", 5);
        int warmWindows = intOption("warm-windows", 2);
        int latencyWindows = intOption("latency-windows", 6);
        Path json = Path.of(opts.getOrDefault("json", "bench/target/platform-scale.json"));
        heap.install();
        results.put("label", opts.getOrDefault("label", ""));
        results.put("machine", EndToEndBench.machine());
        results.put("load_average_at_start", loadAverage());
        results.put("versions", versions);
        results.put("features_per_version", numeric + categorical);
        results.put("subjects", versions * (numeric + categorical));
        results.put("events_per_version_window", perVersion);
        results.put("events_per_window", (long) versions * perVersion);
        results.put("partitions", partitions);
        results.put("instances", instances);
        results.put("threads_per_instance", threads);
        results.put("baselines", distinctBaselines ? "distinct" : "shared");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopics(List.of(INPUT), partitions);
            broker.createTopics(List.of("driftwatch-baselines", "driftwatch-window-stats", "driftwatch-alerts",
                    "driftwatch-dlq", "driftwatch-control", "driftwatch-control-results"), 1);
            Topics topics = Topics.defaults(Map.of("schema.registry.url", "mock://bench"));
            publishBaselines(broker, topics);
            long warmStart = T0 - (warmWindows + 1L) * WINDOW_MS;
            long warmEvents = produce(broker, topics, 2, warmStart, warmWindows, true);
            // What the heap figures below hold besides the application: the in-process broker (its log cleaner's
            // dedupe buffer alone is 128 MiB) and the bench's own clients, before any instance starts.
            System.gc();
            results.put("heap_after_full_gc_mb_before_application", heap.usedHeap() / 1e6);
            String applicationId = "scale-" + UUID.randomUUID().toString().substring(0, 8);
            List<Path> stateDirs = new ArrayList<>();
            List<DriftwatchApp> apps = new ArrayList<>();
            try (KafkaConsumer<String, byte[]> outputs = outputs(broker, topics)) {
                long started = System.nanoTime();
                for (int i = 0; i < instances; i++) {
                    Path dir = Files.createTempDirectory("driftwatch-scale-state");
                    stateDirs.add(dir);
                    DriftwatchConfig config = new DriftwatchConfig(appConfig(broker, applicationId, dir));
                    apps.add(DriftwatchApp.start(config, config.pipelineSettings(partitions)));
                }
                for (DriftwatchApp app : apps) {
                    app.awaitState(KafkaStreams.State.RUNNING, Duration.ofMinutes(5));
                }
                results.put("start_to_running_s", (System.nanoTime() - started) / 1e9);
                Progress warm = awaitWindow(outputs, topics, warmStart + (warmWindows - 1) * WINDOW_MS, null);
                results.put("warmup_s", (System.nanoTime() - started) / 1e9);
                System.out.printf(Locale.ROOT, "warm-up: %,d events, %,d statistics in %.1f s%n", warmEvents,
                        warm.stats, (System.nanoTime() - started) / 1e9);
                apps.forEach(a -> a.streams().pause());
                long measured = produce(broker, topics, 1, T0, windows, true);
                double raw = rawRate(broker, topics, warmEvents + measured);
                raw = rawRate(broker, topics, warmEvents + measured);
                results.put("raw_consume_events_per_s", raw);
                Map<String, Long> bytesBefore = EndToEndBench.topicBytes(broker, applicationId);
                heap.reset();
                double loadBefore = loadAverage();
                long cpu = EndToEndBench.processCpu();
                long streamCpu = streamThreadCpu();
                long resumed = System.nanoTime();
                apps.forEach(a -> a.streams().resume());
                Progress done = awaitWindow(outputs, topics, T0 + (windows - 1) * WINDOW_MS, null);
                long wall = System.nanoTime() - resumed;
                long cpuUsed = EndToEndBench.processCpu() - cpu;
                results.put("driftwatch_events_per_s", measured / (wall / 1e9));
                results.put("ratio_driftwatch_to_raw", measured / (wall / 1e9) / raw);
                results.put("measured_events", measured);
                results.put("measured_windows", windows);
                results.put("driftwatch_seconds", wall / 1e9);
                results.put("window_stats_per_window", done.stats);
                results.put("driftwatch_process_cpu_us_per_event", cpuUsed / 1e3 / measured);
                results.put("driftwatch_stream_threads_cpu_us_per_event",
                        (streamThreadCpu() - streamCpu) / 1e3 / measured);
                results.put("driftwatch_process_cpu_cores_busy", cpuUsed / (double) wall);
                results.put("load_average_during_rate", List.of(loadBefore, loadAverage()));
                results.put("heap_max_after_gc_mb_during_rate", heap.maxAfterGc() / 1e6);
                Map<String, Long> bytesAfter = EndToEndBench.topicBytes(broker, applicationId);
                Map<String, Object> perWindow = new LinkedHashMap<>();
                bytesAfter.forEach((topic, n) -> perWindow.put(topic, (n - bytesBefore.getOrDefault(topic, 0L)) / windows));
                results.put("internal_topic_bytes_per_window", perWindow);
                results.put("state_dir_bytes", stateDirs.stream().mapToLong(PlatformScaleBench::size).sum());
                if (latencyWindows > 0) {
                    latency(broker, topics, outputs, applicationId, windows, latencyWindows);
                }
            } finally {
                apps.forEach(a -> a.close(Duration.ofSeconds(60)));
            }
        }
        results.put("load_average_at_end", loadAverage());
        Files.createDirectories(json.toAbsolutePath().getParent());
        Files.writeString(json, EndToEndBench.toJson(results) + System.lineSeparator());
        System.out.println();
        results.forEach((k, v) -> System.out.printf(Locale.ROOT, "%-48s %s%n", k,
                v instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : v));
        System.out.println("written " + json);
    }

    private Map<String, Object> appConfig(EmbeddedKafkaBroker broker, String applicationId, Path stateDir) {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("bootstrap.servers", broker.bootstrapServers());
        cfg.put("application.id", applicationId);
        cfg.put("schema.registry.url", "mock://bench");
        cfg.put("state.dir", stateDir.toString());
        cfg.put("window.size.ms", Long.toString(WINDOW_MS));
        cfg.put("window.grace.ms", "0");
        cfg.put("num.stream.threads", Integer.toString(threads));
        cfg.put("commit.interval.ms", "100");
        cfg.put("http.enabled", "false");
        for (String kv : System.getProperty("bench.set", "").split(",")) {
            if (kv.contains("=")) {
                cfg.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        return cfg;
    }

    /**
     * A numeric baseline of the training sample as version {@code k} saw it, scaled by 1 + k/1,000,000: every
     * version has a grid and reference bytes of its own (version 0 is the sample itself), while the traffic, drawn
     * from the unscaled distribution, stays within 0.1 % of it (no version alerts for its baseline alone).
     */
    private static NumericBaseline numericBaseline(double[] sample, int k) {
        double[] v = sample;
        if (k > 0) {
            v = new double[sample.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = sample[i] * (1 + k / 1_000_000.0);
            }
        }
        return NumericBaseline.fromSample(v, 10, NumericGrid.DEFAULT_RESOLUTION, "bench", null, null);
    }

    /**
     * A baseline per feature and version (from 5,000 values of the bench's traffic), published under the version's
     * key: the version's own ({@code --baselines distinct}) or the feature's one for every version ({@code shared}).
     */
    private void publishBaselines(EmbeddedKafkaBroker broker, Topics topics) {
        long started = System.nanoTime();
        Serializer<Baseline> serializer = topics.baselines().valueSerde().serializer();
        String topic = topics.baselines().name();
        long bytes = 0;
        long records = 0;
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(EndToEndBench.producerProps(broker),
                new StringSerializer(), new ByteArraySerializer())) {
            int n = 5_000;
            for (int f = 0; f < numeric + categorical; f++) {
                BenchTraffic t = new BenchTraffic(1000 + f);
                double[] sample = null;
                CategoricalBaseline cb = null;
                if (f < numeric) {
                    sample = new double[n];
                    for (int i = 0; i < n; i++) {
                        sample[i] = t.numeric(f, false);
                    }
                } else {
                    String[] v = new String[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = t.categorical((f - numeric) % BenchTraffic.CATEGORICAL);
                    }
                    cb = CategoricalBaseline.fromSample(v, "bench", null, null);
                }
                String feature = f < numeric ? "n" + f : "c" + (f - numeric);
                NumericBaseline shared = sample == null || distinctBaselines ? null : numericBaseline(sample, 0);
                for (int k = 0; k < versionNames.size(); k++) {
                    String version = versionNames.get(k);
                    NumericBaseline nb = sample == null ? null : distinctBaselines ? numericBaseline(sample, k) : shared;
                    Baseline b = nb != null ? BaselineCodec.toAvro(MODEL, version, feature, nb, null)
                            : BaselineCodec.toAvro(MODEL, version, feature, cb, null);
                    byte[] value = serializer.serialize(topic, b);
                    bytes += value.length;
                    records++;
                    p.send(new ProducerRecord<>(topic, BaselineCodec.key(MODEL, version, feature), value));
                }
            }
            p.flush();
        }
        results.put("baseline_records", records);
        results.put("baseline_bytes", bytes);
        System.out.printf(Locale.ROOT, "published %,d baselines, %,d bytes, in %.1f s%n", records, bytes,
                (System.nanoTime() - started) / 1e9);
    }

    /**
     * Appends {@code windows} one-minute windows from {@code start}: in each, {@code perVersion} events of every
     * version, the versions interleaved; then, when {@code close}, one event per partition past the last
     * window's end. The same seed and start give the same bytes.
     */
    private long produce(EmbeddedKafkaBroker broker, Topics topics, long seed, long start, int windows,
                         boolean close) {
        long started = System.nanoTime();
        long sent = 0;
        BenchTraffic t = new BenchTraffic(seed);
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(EndToEndBench.producerProps(broker),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int w = 0; w < windows; w++) {
                sent += window(p, topics, t, start + w * WINDOW_MS, false);
            }
            if (close) {
                sent += closeWindows(p, topics, t, start + windows * WINDOW_MS);
            }
            p.flush();
        }
        System.out.printf(Locale.ROOT, "produced %,d events in %.1f s%n", sent, (System.nanoTime() - started) / 1e9);
        return sent;
    }

    /** One window's traffic; with {@code drift}, n0 of every 100th version is shifted. */
    private long window(KafkaProducer<String, byte[]> p, Topics topics, BenchTraffic t, long start, boolean drift) {
        Serializer<InferenceEvent> serializer = topics.events().valueSerde().serializer();
        long events = (long) versions * perVersion;
        for (long i = 0; i < events; i++) {
            int v = (int) (i % versions);
            long time = start + i * WINDOW_MS / events;
            InferenceEvent e = t.event(versionNames.get(v), time, drift && v % 100 == 0, numeric, categorical);
            p.send(new ProducerRecord<>(INPUT, null, time, e.getRequestId(), serializer.serialize(INPUT, e)));
        }
        return events;
    }

    /** One event per partition at {@code time}: every partition's stream time passes the windows before it. */
    private int closeWindows(KafkaProducer<String, byte[]> p, Topics topics, BenchTraffic t, long time) {
        Serializer<InferenceEvent> serializer = topics.events().valueSerde().serializer();
        for (int partition = 0; partition < partitions; partition++) {
            InferenceEvent e = t.event(versionNames.get(0), time, false, numeric, categorical);
            p.send(new ProducerRecord<>(INPUT, partition, time, e.getRequestId(), serializer.serialize(INPUT, e)));
        }
        return partitions;
    }

    private double rawRate(EmbeddedKafkaBroker broker, Topics topics, long expected) {
        Deserializer<InferenceEvent> deserializer = topics.events().valueSerde().deserializer();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(EndToEndBench.consumerProps(broker,
                "raw-" + UUID.randomUUID()), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                parts.add(new TopicPartition(INPUT, p));
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long read = 0;
            long check = 0;
            long started = System.nanoTime();
            long deadline = started + Duration.ofMinutes(5).toNanos();
            while (read < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    check += deserializer.deserialize(r.topic(), r.headers(), r.value()).getNumericFeatures().size();
                    read++;
                }
            }
            double rate = read / ((System.nanoTime() - started) / 1e9);
            System.out.printf(Locale.ROOT, "raw consumer: %,d events, %,.0f/s (%d)%n", read, rate, check);
            return rate;
        }
    }

    private static KafkaConsumer<String, byte[]> outputs(EmbeddedKafkaBroker broker, Topics topics) {
        Map<String, Object> props = EndToEndBench.consumerProps(broker, "r-" + UUID.randomUUID());
        props.put("max.poll.records", 10_000);
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer());
        c.assign(List.of(new TopicPartition(topics.windowStats().name(), 0),
                new TopicPartition(topics.alerts().name(), 0)));
        return c;
    }

    /** Statistics of one window read so far, and when the first alert of it and its last feature statistic came. */
    private static final class Progress {
        long stats;
        long featureStats;
        /** When each alert of the window came, in the order read. */
        final List<Long> alertNanos = new ArrayList<>();
        long lastStatNanos;
    }

    /**
     * Reads statistics and alerts until every version has published the window starting at {@code windowStart}
     * for every feature (statistics of later windows are not expected here). Gives up after 180 s without any
     * statistic.
     */
    private Progress awaitWindow(KafkaConsumer<String, byte[]> outputs, Topics topics, long windowStart,
                                 Progress progress) {
        Deserializer<WindowStats> stats = topics.windowStats().valueSerde().deserializer();
        Deserializer<DriftAlert> alerts = topics.alerts().valueSerde().deserializer();
        Progress p = progress != null ? progress : new Progress();
        long expected = (long) versions * features.size();
        long lastProgress = System.nanoTime();
        long lastReport = lastProgress;
        while (p.featureStats < expected) {
            if (System.nanoTime() - lastReport > Duration.ofSeconds(30).toNanos()) {
                lastReport = System.nanoTime();
                System.out.printf(Locale.ROOT, "waiting for window %s: %,d of %,d feature statistics%n",
                        Instant.ofEpochMilli(windowStart), p.featureStats, expected);
            }
            for (ConsumerRecord<String, byte[]> r : outputs.poll(Duration.ofMillis(20))) {
                if (r.topic().equals(topics.windowStats().name())) {
                    WindowStats s = stats.deserialize(r.topic(), r.headers(), r.value());
                    lastProgress = System.nanoTime(); // statistics of earlier windows are progress too
                    if (s.getWindowStart().toEpochMilli() == windowStart) {
                        p.stats++;
                        // A feature's drift statistic, not its data-quality record: counting both reached the
                        // count when about half the versions had published the window.
                        if (features.contains(s.getSubject()) && EndToEndBench.isDriftStatistic(s)) {
                            p.featureStats++;
                            p.lastStatNanos = lastProgress;
                        }
                    }
                } else if (alerts.deserialize(r.topic(), r.headers(), r.value()).getWindowStart().toEpochMilli()
                        == windowStart) {
                    p.alertNanos.add(System.nanoTime());
                }
            }
            if (System.nanoTime() - lastProgress > Duration.ofSeconds(stallSeconds).toNanos()) {
                throw new IllegalStateException("no statistics for " + stallSeconds + " s, waiting for window "
                        + Instant.ofEpochMilli(windowStart) + ": " + p.featureStats + " of " + expected);
            }
        }
        // The window's other records (operational and data-quality subjects) come in the same transactions.
        for (ConsumerRecord<String, byte[]> r : outputs.poll(Duration.ofMillis(200))) {
            if (r.topic().equals(topics.windowStats().name())
                    && stats.deserialize(r.topic(), r.headers(), r.value()).getWindowStart().toEpochMilli() == windowStart) {
                p.stats++;
            }
        }
        return p;
    }

    /**
     * Close → alert latency with the application caught up: per window, its traffic; once the application has
     * committed the input's end, one event per partition past the window's end.
     */
    private void latency(EmbeddedKafkaBroker broker, Topics topics, KafkaConsumer<String, byte[]> outputs,
                         String applicationId, int firstWindow, int count) throws Exception {
        BenchTraffic t = new BenchTraffic(9);
        List<Double> toAlert = new ArrayList<>();
        List<Double> toLast = new ArrayList<>();
        // Every alert of the windows, not only each window's first: versions are evaluated in the order of their keys.
        List<Double> toEveryAlert = new ArrayList<>();
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(EndToEndBench.producerProps(broker),
                new StringSerializer(), new ByteArraySerializer()); Admin admin = broker.admin()) {
            for (int k = 0; k < count; k++) {
                long start = T0 + (firstWindow + 1L + k) * WINDOW_MS;
                window(p, topics, t, start, k % 2 == 0);
                p.flush();
                awaitCommitted(admin, applicationId);
                long sent = System.nanoTime();
                closeWindows(p, topics, t, start + WINDOW_MS);
                p.flush();
                Progress progress = awaitWindow(outputs, topics, start, null);
                toLast.add((progress.lastStatNanos - sent) / 1e6);
                for (long at : progress.alertNanos) {
                    toEveryAlert.add((at - sent) / 1e6);
                }
                String first = "none";
                if (!progress.alertNanos.isEmpty()) {
                    double ms = (progress.alertNanos.get(0) - sent) / 1e6;
                    toAlert.add(ms);
                    first = String.format(Locale.ROOT, "%.0f ms", ms);
                }
                System.out.printf(Locale.ROOT, "latency window %d: last statistic %.0f ms, first alert %s%n", k,
                        (progress.lastStatNanos - sent) / 1e6, first);
            }
        }
        results.put("latency_windows_measured", count);
        results.put("latency_close_to_alert_ms", toAlert);
        results.put("latency_close_to_alert_p50_ms", percentile(toAlert, 0.5));
        results.put("latency_close_to_alert_p99_ms", percentile(toAlert, 0.99));
        results.put("latency_close_to_every_alert_count", toEveryAlert.size());
        results.put("latency_close_to_every_alert_p50_ms", percentile(toEveryAlert, 0.5));
        results.put("latency_close_to_every_alert_p99_ms", percentile(toEveryAlert, 0.99));
        results.put("latency_close_to_last_statistic_ms", toLast);
        results.put("latency_close_to_last_statistic_p50_ms", percentile(toLast, 0.5));
        results.put("latency_close_to_last_statistic_p99_ms", percentile(toLast, 0.99));
        results.put("heap_max_after_gc_mb", heap.maxAfterGc() / 1e6);
        System.gc();
        results.put("heap_after_full_gc_mb_one_window_open", heap.usedHeap() / 1e6);
    }

    /** Waits until the application's committed offsets of the input topic are at its end. */
    private void awaitCommitted(Admin admin, String group) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(INPUT, p), OffsetSpec.latest());
        }
        var ends = admin.listOffsets(latest).all().get();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            boolean caughtUp = true;
            for (var e : ends.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                caughtUp &= c != null && c.offset() >= e.getValue().offset();
            }
            if (caughtUp) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the application did not catch up in 5 minutes");
    }

    private static double percentile(List<Double> values, double q) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static long streamThreadCpu() {
        Map<String, Long> groups = EndToEndBench.cpuByGroup();
        return groups.getOrDefault("stream thread", 0L) + groups.getOrDefault("stream producer", 0L);
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static long size(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The largest heap in use after a garbage collection, from the collectors' notifications. */
    private static final class HeapWatch {
        private final AtomicLong max = new AtomicLong();

        void install() {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).addNotificationListener((n, handback) -> {
                    if (n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                        var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                        long used = 0;
                        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
                            var after = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
                            if (pool.getType() == MemoryType.HEAP && after != null) {
                                used += after.getUsed();
                            }
                        }
                        max.accumulateAndGet(used, Math::max);
                    }
                }, null, null);
            }
        }

        void reset() {
            max.set(0);
        }

        long maxAfterGc() {
            return max.get();
        }

        long usedHeap() {
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }
    }
}
