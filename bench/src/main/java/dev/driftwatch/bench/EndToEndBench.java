package dev.driftwatch.bench;

import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.detectors.summary.NumericSummary;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.streams.app.DriftwatchApp;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.Topics;
import dev.driftwatch.streams.config.DriftwatchConfig;
import dev.driftwatch.streams.embedded.EmbeddedKafkaBroker;
import dev.driftwatch.streams.internals.SubjectSummary;
import dev.driftwatch.streams.internals.WindowBundle;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The end-to-end benchmark of issue 8, on a real (in-process KRaft) broker in one run:
 * <ol>
 *   <li>produce N inference events (20 numeric + 5 categorical features, 2 model versions) once;</li>
 *   <li>raw rate: a plain consumer reads them with the same Avro deserializer;</li>
 *   <li>driftwatch rate: the pipeline processes the same records from the start (a new application id);</li>
 *   <li>both rates are measured after {@code --warmup} unmeasured passes of both over the same records
 *       (default 2), so that the JIT has compiled both paths; the first pass's rates are kept as
 *       {@code cold_*};</li>
 *   <li>latency: with the pipeline caught up, from the record that closes a window to the window's alert on
 *       the alerts topic (read_committed), p50 and p99, and to its last statistic; windows without an alert are
 *       counted;</li>
 *   <li>state bytes per feature-window at 1x and 10x events per window.</li>
 * </ol>
 * Usage: {@code java -cp bench/target/benchmarks.jar dev.driftwatch.bench.EndToEndBench [--events N]
 * [--latency-windows K] [--warmup PASSES] [--floor yes] [--fresh no] [--running-warmup-events N]
 * [--running-rounds R] [--running no] [--state-bytes-only yes] [--jfr FILE] [--json FILE]} (defaults 3,000,000
 * events, 30 latency windows, 2 warm-up passes). Prints a table and
 * writes the figures as JSON; {@code --floor yes} also measures Kafka Streams alone with the pipeline's settings
 * (decoding only; the median of its runs, with their spread); {@code --fresh no} skips the new application's
 * measured pass; {@code --running-warmup-events} sets the running application's history before its measured
 * events (default: as many as are measured), and {@code --running-rounds} in how many rounds of that many (default
 * 1; each later round is produced while the application is paused, then resumed, as the measured events are, and
 * its CPU and the JIT's compile time are printed); {@code --running no} stops after the new application's pass and its
 * latency (each latency window is printed: its index, when it closed, its times and what the stream threads did
 * meanwhile); {@code --jfr} records
 * the measured pass with Java Flight Recorder, and {@code -Dbench.set=key=value,...} adds pipeline
 * settings for experiments.
 */
public final class EndToEndBench {
    private static final long WINDOW_MS = 60_000;
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    private static final int PARTITIONS = 2;
    private static final List<String> VERSIONS = List.of("v1", "v2");

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        int events = Integer.parseInt(opts.getOrDefault("events", "3000000"));
        int latencyWindows = Integer.parseInt(opts.getOrDefault("latency-windows", "30"));
        int warmups = Integer.parseInt(opts.getOrDefault("warmup", "2"));
        Path json = Path.of(opts.getOrDefault("json", "bench/target/end-to-end.json"));
        quietLogs();
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("machine", machine());
        results.put("events", events);
        stateBytes(results);
        if (opts.getOrDefault("state-bytes-only", "no").equals("yes")) {
            // Only the state bytes (no broker): printed, for a row of BENCHMARKS.md without a whole run.
            results.remove("machine");
            results.remove("events");
            System.out.println(toJson(results));
            return;
        }
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopics(List.of("inference-events"), PARTITIONS);
            broker.createTopics(List.of("driftwatch-baselines", "driftwatch-window-stats", "driftwatch-alerts",
                    "driftwatch-dlq", "driftwatch-control", "driftwatch-control-results"), 1);
            Map<String, Object> serde = Map.of("schema.registry.url", "mock://bench");
            Topics topics = Topics.defaults(serde);
            publishBaselines(broker, topics);
            int windows = Math.max(2, events / 20_000);
            long produced = produce(broker, topics, "inference-events", 1, T0, events, windows);
            results.put("windows", windows);
            for (int pass = 1; pass <= warmups; pass++) {
                // The same records, unmeasured: the JIT compiles both paths before either is timed (a pipeline
                // runs for days; at 1M events the first pass spends about as much CPU compiling as processing).
                System.out.printf(Locale.ROOT, "warm-up pass %d of %d%n", pass, warmups);
                double coldRaw = rawConsumeRate(broker, topics, produced);
                Map<String, Object> cold = pipelineRun(broker, topics, produced, windows, 0);
                if (pass == 1) {
                    // The first pass in a fresh JVM, for comparison: both sides still interpreted and compiling.
                    double coldRate = (double) cold.get("driftwatch_events_per_s");
                    results.put("cold_raw_consume_events_per_s", coldRaw);
                    results.put("cold_driftwatch_events_per_s", coldRate);
                    results.put("cold_ratio_driftwatch_to_raw", coldRate / coldRaw);
                }
            }
            results.put("warmup_passes", warmups);
            // The raw consumer varies by a fifth from pass to pass on this machine, as much as the running application
            // does: the median of three passes is the rate the ratios divide by, and the spread goes to the table.
            List<double[]> raws = new ArrayList<>();
            for (int pass = 0; pass < 3; pass++) {
                raws.add(new double[] {rawConsumeRate(broker, topics, produced), rawCpuMicrosPerEvent});
            }
            double raw = putRuns(results, "raw_consume", raws.stream().mapToDouble(r -> r[0]).sorted().toArray());
            // The median of the passes' CPU per event, each figure on its own (steadier than the rates).
            results.put("raw_consumer_cpu_us_per_event",
                    median(raws.stream().mapToDouble(r -> r[1]).sorted().toArray()));
            if (opts.containsKey("floor")) {
                // Kafka Streams alone, with the pipeline's settings: read and decode every event, nothing else.
                // Its runs vary by a third on a shared machine: the median is the floor, and the spread is printed.
                List<double[]> floors = new ArrayList<>();
                for (int pass = 0; pass <= warmups; pass++) {
                    floors.add(floorRun(broker, topics, produced));
                }
                double[] rates = floors.stream().mapToDouble(f -> f[0]).sorted().toArray();
                double[] cpu = floors.stream().mapToDouble(f -> f[1]).sorted().toArray();
                putRuns(results, "streams_floor", rates);
                results.put("streams_floor_stream_threads_cpu_us_per_event", median(cpu));
                System.out.printf(Locale.ROOT, "streams floor: median of %d runs %,.0f events/s (%,.0f..%,.0f), stream"
                        + " threads %.2f us/event (%.2f..%.2f)%n", rates.length, median(rates), rates[0],
                        rates[rates.length - 1], median(cpu), cpu[0], cpu[cpu.length - 1]);
            }
            if (!opts.getOrDefault("fresh", "yes").equals("no")) {
                Map<String, Object> fresh = pipelineRun(broker, topics, produced, windows, latencyWindows);
                fresh.forEach((k, v) -> results.put(k.startsWith("latency_") ? k : "fresh_app_" + k, v));
                results.put("fresh_app_ratio_driftwatch_to_raw", (double) fresh.get("driftwatch_events_per_s") / raw);
            }
            if (opts.getOrDefault("running", "yes").equals("no")) {
                // Only the new application's pass and its latency (--running no): quicker, e.g. for latency alone.
                writeResults(results, json);
                return;
            }
            jdk.jfr.Recording recording = null;
            if (opts.containsKey("jfr")) {
                // The running application's pass (its warm-up included: filter samples by time).
                recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration(System.getProperty("bench.jfr.settings", "default")));
                recording.setDestination(Path.of(opts.get("jfr")));
                recording.start();
            }
            int warmupEvents = Integer.parseInt(opts.getOrDefault("running-warmup-events", Integer.toString(events)));
            int rounds = Integer.parseInt(opts.getOrDefault("running-rounds", "1"));
            if (rounds < 1) {
                // 0 would put the warm-up on the measured windows, and the measured events would come late.
                throw new IllegalArgumentException("--running-rounds must be at least 1, got " + rounds);
            }
            Map<String, Object> running = runningRun(broker, topics, events, windows, warmupEvents, rounds);
            if (recording != null) {
                recording.stop();
                recording.close();
            }
            results.putAll(running);
            results.put("ratio_driftwatch_to_raw", (double) running.get("driftwatch_events_per_s") / raw);
            if (results.containsKey("streams_floor_events_per_s")) {
                double floor = (double) results.get("streams_floor_events_per_s");
                results.put("ratio_driftwatch_to_streams_floor", (double) running.get("driftwatch_events_per_s") / floor);
                if (results.containsKey("fresh_app_driftwatch_events_per_s")) {
                    results.put("fresh_app_ratio_driftwatch_to_streams_floor",
                            (double) results.get("fresh_app_driftwatch_events_per_s") / floor);
                }
                // CPU per event of driftwatch's stream threads (their producers' included) over the floor's.
                results.put("stream_threads_cpu_ratio_to_streams_floor",
                        (double) running.get("driftwatch_stream_threads_cpu_us_per_event")
                                / (double) results.get("streams_floor_stream_threads_cpu_us_per_event"));
            }
        }
        writeResults(results, json);
    }

    /** Writes the figures as JSON and prints them. */
    private static void writeResults(Map<String, Object> results, Path json) throws IOException {
        Files.createDirectories(json.toAbsolutePath().getParent());
        Files.writeString(json, toJson(results) + System.lineSeparator());
        System.out.println();
        results.forEach((k, v) -> System.out.printf(Locale.ROOT, "%-40s %s%n", k,
                v instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : v));
        System.out.println("written " + json);
    }

    /** Serialised and in-memory bytes of one numeric feature-window at 10k and 100k events. */
    private static void stateBytes(Map<String, Object> results) {
        BenchTraffic t = new BenchTraffic(3);
        double[] reference = new double[20_000];
        for (int i = 0; i < reference.length; i++) {
            reference[i] = t.numeric(1, false);
        }
        NumericBaseline baseline = NumericBaseline.fromSample(reference, 10, NumericGrid.DEFAULT_RESOLUTION, "bench",
                null, null);
        long[] sizes = new long[2];
        long[] storeSizes = new long[2];
        int[] counts = {10_000, 100_000};
        for (int k = 0; k < 2; k++) {
            NumericSummary s = baseline.newWindow();
            for (int i = 0; i < counts[k]; i++) {
                s.add(t.numeric(1, false));
            }
            WindowBundle empty = new WindowBundle("m", "v", "*", 0, 1);
            WindowBundle one = new WindowBundle("m", "v", "*", 0, 1);
            one.put("n1", SubjectSummary.numeric(baseline.id(), s));
            sizes[k] = one.toBytes().length - empty.toBytes().length;
            // As the window-state store keeps it: the grid once per baseline, apart from the windows.
            storeSizes[k] = one.toBytesGridsApart(new HashMap<>()).length
                    - empty.toBytesGridsApart(new HashMap<>()).length;
        }
        int cells = baseline.grid().cellCount();
        long heap = 16L + cells * 8L + (baseline.grid().pointCount() + 1) * 8L + 64;
        results.put("state_bytes_feature_window_10k_events", sizes[0]);
        results.put("state_bytes_feature_window_100k_events", sizes[1]);
        results.put("state_bytes_ratio_10x", sizes[1] / (double) sizes[0]);
        results.put("state_store_bytes_feature_window_10k_events", storeSizes[0]);
        results.put("state_store_bytes_feature_window_100k_events", storeSizes[1]);
        results.put("state_heap_bytes_feature_window_any_events", heap);
    }

    private static void publishBaselines(EmbeddedKafkaBroker broker, Topics topics) {
        try (KafkaProducer<String, Baseline> p = new KafkaProducer<>(producerProps(broker), new StringSerializer(),
                topics.baselines().valueSerde().serializer())) {
            BenchTraffic.baselines(VERSIONS).forEach((key, baseline) ->
                    p.send(new ProducerRecord<>(topics.baselines().name(), key, baseline)));
            p.flush();
        }
    }

    /**
     * Appends the bench's traffic to an input topic: {@code windows} one-minute windows from {@code start}, then
     * one event per partition past the last window's end so that every partition closes it. The same seed
     * and start give the same bytes.
     */
    private static long produce(EmbeddedKafkaBroker broker, Topics topics, String topic, long seed, long start,
                                int events, int windows) {
        Serializer<InferenceEvent> serializer = topics.events().valueSerde().serializer();
        BenchTraffic t = new BenchTraffic(seed);
        long sent = 0;
        long started = System.nanoTime();
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(producerProps(broker), new StringSerializer(),
                new ByteArraySerializer())) {
            int perWindow = events / windows;
            for (int w = 0; w < windows; w++) {
                for (int i = 0; i < perWindow; i++) {
                    String version = VERSIONS.get(i % 2);
                    long time = start + w * WINDOW_MS + (long) i * WINDOW_MS / perWindow;
                    InferenceEvent e = t.event(version, time, false);
                    p.send(new ProducerRecord<>(topic, null, time, e.getRequestId(), serializer.serialize(topic, e)));
                    sent++;
                }
            }
            sent += closeWindows(p, serializer, topic, t, start + windows * WINDOW_MS + 60_000);
            p.flush();
        }
        System.out.printf(Locale.ROOT, "produced %,d events to %s in %.1f s%n", sent, topic,
                (System.nanoTime() - started) / 1e9);
        return sent;
    }

    /** One event per partition past the window end plus grace, so that every partition closes it. */
    private static int closeWindows(KafkaProducer<String, byte[]> p, Serializer<InferenceEvent> serializer,
                                    String topic, BenchTraffic t, long time) {
        for (int partition = 0; partition < PARTITIONS; partition++) {
            InferenceEvent e = t.event("v1", time, false);
            p.send(new ProducerRecord<>(topic, partition, time, e.getRequestId(), serializer.serialize(topic, e)));
        }
        return PARTITIONS;
    }

    private static double rawConsumeRate(EmbeddedKafkaBroker broker, Topics topics, long expected) {
        Deserializer<InferenceEvent> deserializer = topics.events().valueSerde().deserializer();
        Map<String, Object> c = consumerProps(broker, "raw-" + UUID.randomUUID());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                parts.add(new TopicPartition("inference-events", p));
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long read = 0;
            long checksum = 0;
            long started = System.nanoTime();
            long cpuStarted = THREADS.getCurrentThreadCpuTime();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (read < expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the raw consumer read only " + read + " of " + expected
                            + " events in 2 minutes");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    InferenceEvent e = deserializer.deserialize(r.topic(), r.headers(), r.value());
                    checksum += e.getNumericFeatures().size();
                    read++;
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            rawCpuMicrosPerEvent = (THREADS.getCurrentThreadCpuTime() - cpuStarted) / 1e3 / read;
            System.out.printf(Locale.ROOT, "raw consumer: %,d events in %.2f s (checksum %d)%n", read, seconds, checksum);
            return read / seconds;
        }
    }

    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** CPU time of the raw consumer's thread per event, microseconds. */
    private static double rawCpuMicrosPerEvent = Double.NaN;

    /** CPU nanoseconds of every live Java thread, summed by a coarse name group. */
    static Map<String, Long> cpuByGroup() {
        Map<String, Long> groups = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            String n = t.getThreadName();
            String g = n.contains("-StreamThread-") ? (n.contains("producer") ? "stream producer" : "stream thread")
                    : n.contains("producer-network") ? "producer network"
                    : n.contains("request-handler") ? "broker request handler"
                    : n.contains("network-thread") || n.contains("acceptor") ? "broker network"
                    : n.contains("log-cleaner") || n.contains("kafka-scheduler") ? "broker background"
                    : n.contains("consumer") ? "consumer" : "other";
            groups.merge(g, Math.max(0, THREADS.getThreadCpuTime(t.getThreadId())), Long::sum);
        }
        return groups;
    }

    /** Committed offset, end offset and last stable offset of every partition the application consumes. */
    static void printLag(EmbeddedKafkaBroker broker, String group) {
        try (org.apache.kafka.clients.admin.Admin admin = broker.admin()) {
            Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
            committed.keySet().forEach(tp -> latest.put(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get();
            var stable = admin.listOffsets(latest, new org.apache.kafka.clients.admin.ListOffsetsOptions(
                    org.apache.kafka.common.IsolationLevel.READ_COMMITTED)).all().get();
            new java.util.TreeMap<>(committed.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                    e -> e.getKey().toString(), e -> e.getKey()))).forEach((name, tp) -> System.out.printf(Locale.ROOT,
                    "  %-70s committed %,d end %,d stable %,d%n", name, committed.get(tp).offset(),
                    ends.get(tp).offset(), stable.get(tp).offset()));
            admin.listTransactions().all().get().forEach(t -> System.out.println("  transaction " + t));
        } catch (Exception e) {
            System.out.println("  (lag not available: " + e + ")");
        }
    }

    /**
     * Waits until the application has committed the end of its input topic: the latency is measured with the
     * pipeline caught up, and a backlog would be timed as the first window's latency. Fails after 30 s.
     */
    static void awaitCaughtUp(EmbeddedKafkaBroker broker, String group, String topic) throws Exception {
        long started = System.nanoTime();
        try (org.apache.kafka.clients.admin.Admin admin = broker.admin()) {
            Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                latest.put(new TopicPartition(topic, p), org.apache.kafka.clients.admin.OffsetSpec.latest());
            }
            var ends = admin.listOffsets(latest).all().get();
            long behind = Long.MAX_VALUE;
            while (System.nanoTime() - started < Duration.ofSeconds(30).toNanos()) {
                var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                behind = 0;
                for (TopicPartition tp : latest.keySet()) {
                    var c = committed.get(tp);
                    behind += ends.get(tp).offset() - (c == null ? 0 : c.offset());
                }
                if (behind == 0) {
                    System.out.printf(Locale.ROOT, "caught up: %s committed to its end %.0f ms after the statistics%n",
                            topic, (System.nanoTime() - started) / 1e6);
                    return;
                }
                Thread.sleep(20);
            }
            throw new IllegalStateException("the application is still " + behind + " records behind on " + topic
                    + " 30 s after its last window's statistics");
        }
    }

    /** Bytes on the broker of the application's internal topics: what its state and repartitioning wrote. */
    static void printTopicBytes(EmbeddedKafkaBroker broker, String applicationId) {
        topicBytes(broker, applicationId).forEach((topic, n) -> System.out.printf(Locale.ROOT, "  %-50s %,14d bytes%n",
                topic, n));
    }

    /** Bytes on the broker of each of the application's internal topics, by name less the application id; empty if unknown. */
    static Map<String, Long> topicBytes(EmbeddedKafkaBroker broker, String applicationId) {
        Map<String, Long> bytes = new java.util.TreeMap<>();
        try (org.apache.kafka.clients.admin.Admin admin = broker.admin()) {
            admin.describeLogDirs(admin.describeCluster().nodes().get().stream().map(org.apache.kafka.common.Node::id).toList()).allDescriptions().get().values().forEach(dirs -> dirs.values()
                    .forEach(dir -> dir.replicaInfos().forEach((tp, info) -> {
                        if (tp.topic().startsWith(applicationId)) {
                            bytes.merge(tp.topic().substring(applicationId.length() + 1), info.size(), Long::sum);
                        }
                    })));
        } catch (Exception e) {
            System.out.println("  (topic sizes not available: " + e + ")");
        }
        return bytes;
    }

    static long gcMillis() {
        long total = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The pipeline's settings in every pass: a new application id and state directory each time. */
    private static Map<String, Object> appConfig(EmbeddedKafkaBroker broker, String name) throws IOException {
        return appConfig(broker.bootstrapServers(), name);
    }

    static Map<String, Object> appConfig(String bootstrapServers, String name) throws IOException {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("bootstrap.servers", bootstrapServers);
        cfg.put("application.id", name + "-" + UUID.randomUUID().toString().substring(0, 8));
        cfg.put("schema.registry.url", "mock://bench");
        cfg.put("state.dir", Files.createTempDirectory("driftwatch-bench-state").toString());
        cfg.put("window.size.ms", Long.toString(WINDOW_MS));
        cfg.put("window.grace.ms", "0");
        cfg.put("num.stream.threads", Integer.toString(PARTITIONS));
        cfg.put("commit.interval.ms", "100");
        cfg.put("http.enabled", "false"); // port 8080 may be taken on a shared machine; nothing here reads it
        // -Dbench.set=key=value,key=value: extra pipeline settings, for experiments.
        for (String kv : System.getProperty("bench.set", "").split(",")) {
            if (kv.contains("=")) {
                cfg.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        return cfg;
    }

    /** A read_committed consumer of the window statistics and alerts, from the topics' current ends. */
    private static KafkaConsumer<String, byte[]> outputs(EmbeddedKafkaBroker broker, Topics topics) {
        KafkaConsumer<String, byte[]> results = new KafkaConsumer<>(consumerProps(broker, "r-" + UUID.randomUUID()),
                new org.apache.kafka.common.serialization.StringDeserializer(), new ByteArrayDeserializer());
        // An earlier pass in this run has already written statistics there.
        List<TopicPartition> outputs = new ArrayList<>();
        for (String topic : List.of(topics.windowStats().name(), topics.alerts().name())) {
            results.partitionsFor(topic).forEach(i -> outputs.add(new TopicPartition(topic, i.partition())));
        }
        results.assign(outputs);
        results.seekToEnd(outputs);
        outputs.forEach(results::position);
        return results;
    }

    /**
     * The drift statistics one pass over the bench's events publishes: every baselined subject (numeric and
     * categorical features, the score) of every version in every window. The pipeline publishes more window
     * statistics than these (a data-quality record per subject, the operational subjects), and which ones depends on
     * its signals: only these are counted (see {@link #isDriftStatistic}), so that the count cannot be reached
     * before the pipeline has published the last window.
     */
    static long expectedStats(int windows) {
        return (long) windows * VERSIONS.size() * (BenchTraffic.NUMERIC + BenchTraffic.CATEGORICAL + 1);
    }

    /** Whether a window statistic is one of those {@link #expectedStats} counts: the drift test of a feature or output. */
    static boolean isDriftStatistic(dev.driftwatch.schemas.avro.WindowStats ws) {
        return ws.getSubjectKind().equals("feature") || ws.getSubjectKind().equals("output");
    }

    /**
     * Fails once a window has more drift statistics than {@link #expectedStats} of one window: the count would be
     * reached early, and the rest of the pass timed as part of whatever is measured next (it was: data-quality
     * statistics made the count twice a window's, a new application was "done" at half its events, and the first
     * latency window waited for the other half).
     */
    private static void checkCount(long windowStart, long count) {
        if (count > expectedStats(1)) {
            throw new IllegalStateException("window " + Instant.ofEpochMilli(windowStart) + " has more than "
                    + expectedStats(1) + " drift statistics: EndToEndBench.expectedStats is out of date with the"
                    + " pipeline's subjects");
        }
    }

    /**
     * Reads window statistics until {@code expected} drift statistics ({@link #isDriftStatistic}) of windows
     * starting at or after {@code from} have arrived; prints the application's lag and gives up after 30 s without
     * one.
     *
     * @return how many arrived
     */
    private static long awaitStats(KafkaConsumer<String, byte[]> results, Topics topics, long from, long expected,
                                   EmbeddedKafkaBroker broker, String applicationId) {
        Deserializer<dev.driftwatch.schemas.avro.WindowStats> stats = topics.windowStats().valueSerde().deserializer();
        long seen = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        long lastProgress = System.nanoTime();
        Map<Long, Long> perWindow = new HashMap<>();
        while (seen < expected && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : results.poll(Duration.ofMillis(100))) {
                if (r.topic().equals(topics.windowStats().name())) {
                    dev.driftwatch.schemas.avro.WindowStats ws = stats.deserialize(r.topic(), r.headers(), r.value());
                    long start = ws.getWindowStart().toEpochMilli();
                    if (start >= from && isDriftStatistic(ws)) {
                        seen++;
                        lastProgress = System.nanoTime();
                        checkCount(start, perWindow.merge(start, 1L, Long::sum));
                    }
                }
            }
            if (System.nanoTime() - lastProgress > Duration.ofSeconds(30).toNanos()) {
                System.out.printf(Locale.ROOT, "no statistics for 30 s at %d of %d; the application's lag:%n",
                        seen, expected);
                printLag(broker, applicationId);
                break;
            }
        }
        return seen;
    }

    /** Kafka Streams' counts of the stream threads' work (records processed, polls, commits), summed over threads. */
    static Map<String, Double> threadWork(KafkaStreams streams) {
        Map<String, Double> work = new java.util.TreeMap<>();
        streams.metrics().forEach((name, metric) -> {
            if (name.group().equals("stream-thread-metrics") && name.name().endsWith("-total")
                    && metric.metricValue() instanceof Double d) {
                work.merge(name.name(), d, Double::sum);
            }
            // Records the stream threads' consumers fetched (the restore consumers' apart), by client.
            String client = name.tags().getOrDefault("client-id", "");
            if (name.group().equals("consumer-fetch-manager-metrics") && name.name().equals("records-consumed-total")
                    && !name.tags().containsKey("topic") && metric.metricValue() instanceof Double d) {
                work.merge((client.contains("restore") ? "restore-" : client.contains("global") ? "global-" : "")
                        + "records-consumed-total", d, Double::sum);
            }
            if (name.group().equals("producer-metrics") && name.name().equals("record-send-total")
                    && metric.metricValue() instanceof Double d) {
                work.merge("records-sent-total", d, Double::sum);
            }
        });
        return work;
    }

    /** What the stream threads did between two {@link #threadWork} counts, per measured event. */
    static void printThreadWork(Map<String, Double> before, Map<String, Double> after, long events) {
        StringBuilder b = new StringBuilder("  stream threads:");
        after.forEach((name, n) -> {
            double delta = n - before.getOrDefault(name, 0.0);
            if (delta > 0) {
                b.append(String.format(Locale.ROOT, " %s %,.0f (%.3f/event)", name.replace("-total", ""), delta,
                        delta / events));
            }
        });
        System.out.println(b);
    }

    /** CPU used from a start: the whole process's, per thread group, the GC's and the JIT's. */
    private static final class Usage {
        private final long started = System.nanoTime();
        private final long processCpu = processCpu();
        private final Map<String, Long> groups = cpuByGroup();
        private final long gc = gcMillis();
        private final long jit = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();

        /** Prints the usage since the start and puts the per-event figures into {@code out}. */
        void report(long events, Map<String, Object> out) {
            long wall = System.nanoTime() - started;
            long processCpuUsed = processCpu() - processCpu;
            Map<String, Long> used = cpuByGroup();
            groups.forEach((g, ns) -> used.merge(g, -ns, Long::sum));
            System.out.printf(Locale.ROOT, "process CPU %.1f s over %.1f s wall (%.2f cores)%n",
                    processCpuUsed / 1e9, wall / 1e9, processCpuUsed / (double) wall);
            System.out.printf(Locale.ROOT, "  GC pauses+concurrent %.1f s, JIT %.1f s%n", (gcMillis() - gc) / 1e3,
                    (ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jit) / 1e3);
            used.forEach((g, ns) -> System.out.printf(Locale.ROOT, "  %-24s %6.1f s  %5.2f us/event%n", g,
                    ns / 1e9, ns / 1e3 / events));
            // Only live threads are counted: a stream thread that ended during the pass takes its CPU time with it.
            for (java.lang.management.ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
                if (t != null && t.getThreadName().contains("-StreamThread-")) {
                    System.out.printf(Locale.ROOT, "    %-70s %6.1f s since it started%n", t.getThreadName(),
                            THREADS.getThreadCpuTime(t.getThreadId()) / 1e9);
                }
            }
            // The stream threads and their producers' network threads (the earlier passes' are gone). CPU per
            // event is steadier than rates when other work shares the cores.
            long streamCpu = used.getOrDefault("stream thread", 0L) + used.getOrDefault("stream producer", 0L);
            out.put("driftwatch_stream_threads_cpu_us_per_event", streamCpu / 1e3 / events);
            out.put("driftwatch_process_cpu_us_per_event", processCpuUsed / 1e3 / events);
            out.put("driftwatch_process_cpu_cores_busy", processCpuUsed / (double) wall);
            out.put("driftwatch_jit_compile_s",
                    (ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jit) / 1e3);
        }
    }

    /**
     * A new application over the bench's events, from {@code start()} to the last window's statistics: its
     * start-up (internal topics, two rebalances, empty stores) included, and the JIT still at work on the
     * code paths of a new application.
     */
    private static Map<String, Object> pipelineRun(EmbeddedKafkaBroker broker, Topics topics, long produced,
                                                   int windows, int latencyWindows) throws Exception {
        Map<String, Object> cfg = appConfig(broker, "bench");
        String applicationId = cfg.get("application.id").toString();
        DriftwatchConfig config = new DriftwatchConfig(cfg);
        PipelineSettings settings = config.pipelineSettings(PARTITIONS);
        long expected = expectedStats(windows);
        Map<String, Object> out = new LinkedHashMap<>();
        try (KafkaConsumer<String, byte[]> results = outputs(broker, topics)) {
            System.out.println("pipeline pass starts at " + Instant.now());
            Usage usage = new Usage();
            DriftwatchApp app = DriftwatchApp.start(config, settings);
            try {
                app.awaitState(KafkaStreams.State.RUNNING, Duration.ofSeconds(60));
                long running = System.nanoTime();
                long stats = awaitStats(results, topics, T0, expected, broker, applicationId);
                long done = System.nanoTime();
                usage.report(produced, out);
                printThreadWork(Map.of(), threadWork(app.streams()), produced);
                printTopicBytes(broker, applicationId);
                if (stats < expected) {
                    throw new IllegalStateException("only " + stats + " of " + expected + " window stats");
                }
                out.put("driftwatch_events_per_s", produced / ((done - usage.started) / 1e9));
                out.put("driftwatch_events_per_s_after_running", produced / ((done - running) / 1e9));
                out.put("driftwatch_seconds", (done - usage.started) / 1e9);
                if (latencyWindows > 0) {
                    awaitCaughtUp(broker, applicationId, topics.events().name());
                    out.putAll(latency(broker, topics, results, windows, latencyWindows, app.streams()));
                }
            } finally {
                app.close(Duration.ofSeconds(30));
            }
        }
        return out;
    }

    /**
     * A running application's rate. The application first works through warm-up events on an input topic
     * of its own (the same traffic, in the windows before the measured ones) and is paused once it has
     * published their statistics. The measured events, the same bytes as the raw consumer reads, are then
     * appended, and the time runs from {@code resume()} to the last measured window's statistics: what a
     * pipeline that has been running keeps up with, without a new application's start-up and JIT work.
     */
    private static Map<String, Object> runningRun(EmbeddedKafkaBroker broker, Topics topics, int events,
                                                  int windows, int warmupEvents, int rounds) throws Exception {
        String input = "inference-events-running";
        broker.createTopics(List.of(input), PARTITIONS);
        // The warm-up's rounds follow each other, and the last one's windows close one window before the measured
        // events begin.
        int warmupWindows = Math.max(2, warmupEvents / 20_000);
        long roundMs = (warmupWindows + 2L) * WINDOW_MS;
        produce(broker, topics, input, 2, T0 - rounds * roundMs, warmupEvents, warmupWindows);
        Map<String, Object> cfg = appConfig(broker, "running");
        cfg.put("topic.inference.events", input);
        String applicationId = cfg.get("application.id").toString();
        DriftwatchConfig config = new DriftwatchConfig(cfg);
        long expected = expectedStats(windows);
        Map<String, Object> out = new LinkedHashMap<>();
        try (KafkaConsumer<String, byte[]> results = outputs(broker, topics)) {
            DriftwatchApp app = DriftwatchApp.start(config, config.pipelineSettings(PARTITIONS));
            try {
                long warm = awaitStats(results, topics, 0, expectedStats(warmupWindows), broker, applicationId);
                if (warm < expectedStats(warmupWindows)) {
                    throw new IllegalStateException("warm-up: only " + warm + " of " + expectedStats(warmupWindows)
                            + " window stats");
                }
                app.streams().pause();
                for (int round = 2; round <= rounds; round++) {
                    // Another round of warm-up, produced while the application is paused and then resumed, as the
                    // measured events are: what each round costs (the JIT's compile time above all) is printed.
                    long start = T0 - (rounds - round + 1) * roundMs;
                    long sent = produce(broker, topics, input, 1 + round, start, warmupEvents, warmupWindows);
                    System.out.printf(Locale.ROOT, "running warm-up round %d of %d resumes at %s%n", round, rounds,
                            Instant.now());
                    Usage usage = new Usage();
                    app.streams().resume();
                    long roundStats = awaitStats(results, topics, start, expectedStats(warmupWindows), broker,
                            applicationId);
                    usage.report(sent, new LinkedHashMap<>());
                    app.streams().pause();
                    if (roundStats < expectedStats(warmupWindows)) {
                        throw new IllegalStateException("warm-up round " + round + ": only " + roundStats + " of "
                                + expectedStats(warmupWindows) + " window stats");
                    }
                }
                long measured = produce(broker, topics, input, 1, T0, events, windows);
                System.out.println("running pipeline resumes at " + Instant.now());
                Map<String, Double> workBefore = threadWork(app.streams());
                Usage usage = new Usage();
                app.streams().resume();
                long stats = awaitStats(results, topics, T0, expected, broker, applicationId);
                long done = System.nanoTime();
                usage.report(measured, out);
                printThreadWork(workBefore, threadWork(app.streams()), measured);
                if (stats < expected) {
                    throw new IllegalStateException("only " + stats + " of " + expected + " window stats");
                }
                out.put("driftwatch_events_per_s", measured / ((done - usage.started) / 1e9));
                out.put("driftwatch_seconds", (done - usage.started) / 1e9);
            } finally {
                app.close(Duration.ofSeconds(30));
            }
        }
        return out;
    }

    /**
     * The floor under the pipeline: a Kafka Streams application with the pipeline's settings (exactly-once,
     * commit interval, threads) whose only processor decodes each event with the same deserializer.
     */
    private static double[] floorRun(EmbeddedKafkaBroker broker, Topics topics, long produced) throws Exception {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("bootstrap.servers", broker.bootstrapServers());
        cfg.put("application.id", "floor-" + UUID.randomUUID().toString().substring(0, 8));
        cfg.put("schema.registry.url", "mock://bench");
        cfg.put("state.dir", Files.createTempDirectory("driftwatch-bench-floor").toString());
        cfg.put("num.stream.threads", Integer.toString(PARTITIONS));
        cfg.put("commit.interval.ms", "100");
        cfg.put("http.enabled", "false");
        java.util.Properties props = new DriftwatchConfig(cfg).streamsProperties();
        java.util.concurrent.atomic.LongAdder seen = new java.util.concurrent.atomic.LongAdder();
        org.apache.kafka.streams.StreamsBuilder builder = new org.apache.kafka.streams.StreamsBuilder();
        Deserializer<InferenceEvent> deserializer = topics.events().valueSerde().deserializer();
        builder.stream("inference-events", org.apache.kafka.streams.kstream.Consumed.with(
                        org.apache.kafka.common.serialization.Serdes.ByteArray(),
                        org.apache.kafka.common.serialization.Serdes.ByteArray()))
                .process(() -> new org.apache.kafka.streams.processor.api.Processor<byte[], byte[], Void, Void>() {
                    @Override
                    public void process(org.apache.kafka.streams.processor.api.Record<byte[], byte[]> r) {
                        if (deserializer.deserialize("inference-events", r.headers(), r.value())
                                .getNumericFeatures().size() > 0) {
                            seen.increment();
                        }
                    }
                });
        Map<String, Long> groupsAtStart = cpuByGroup();
        long processCpuAtStart = processCpu();
        long started = System.nanoTime();
        try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
            streams.start();
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (seen.sum() < produced && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            long done = System.nanoTime();
            Map<String, Long> groups = cpuByGroup();
            groupsAtStart.forEach((g, ns) -> groups.merge(g, -ns, Long::sum));
            double rate = seen.sum() / ((done - started) / 1e9);
            // As for driftwatch: the stream threads and their producers' network threads.
            double streamCpu = (groups.getOrDefault("stream thread", 0L) + groups.getOrDefault("stream producer", 0L))
                    / 1e3 / produced;
            System.out.printf(Locale.ROOT, "streams floor: %,d events in %.2f s (%,.0f/s), process CPU %.2f us/event,"
                    + " stream threads %.2f us/event (with their producers %.2f)%n", seen.sum(), (done - started) / 1e9,
                    rate, (processCpu() - processCpuAtStart) / 1e3 / produced,
                    groups.getOrDefault("stream thread", 0L) / 1e3 / produced, streamCpu);
            return new double[] {rate, streamCpu};
        }
    }

    /**
     * With the pipeline caught up: per window, 2,000 events of both versions in which one numeric feature of v2
     * ({@code n(k mod 20)} in the k-th window) is shifted far enough for the policy to fire on it in that window,
     * then one record per partition past the window end. Alerts are state changes, so each window shifts a feature
     * that has been quiet for 19 windows (resolved after 3): every window has a FIRING alert of its own. Measured
     * from sending the closing records: to the window's last statistic (all its drift statistics, see
     * {@link #isDriftStatistic}; its other window stats come in the same transaction) and to its
     * first alert on the alerts topic (read_committed). A window without an alert is counted and printed, never
     * waited out silently: once its statistics are all in, its alert (evaluated in the same transaction) gets 2 s.
     */
    private static Map<String, Object> latency(EmbeddedKafkaBroker broker, Topics topics,
                                               KafkaConsumer<String, byte[]> results, int firstWindow, int count,
                                               KafkaStreams streams) {
        Serializer<InferenceEvent> serializer = topics.events().valueSerde().serializer();
        Deserializer<DriftAlert> alerts = topics.alerts().valueSerde().deserializer();
        Deserializer<dev.driftwatch.schemas.avro.WindowStats> statsReader = topics.windowStats().valueSerde().deserializer();
        long statsPerWindow = expectedStats(1);
        BenchTraffic t = new BenchTraffic(9);
        List<Double> toAlert = new ArrayList<>();
        List<Double> toStats = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(producerProps(broker), new StringSerializer(),
                new ByteArraySerializer())) {
            for (int k = 0; k < count; k++) {
                int w = firstWindow + 2 + k;
                long start = T0 + w * WINDOW_MS;
                int drifted = k % BenchTraffic.NUMERIC;
                for (int i = 0; i < 2_000; i++) {
                    String version = VERSIONS.get(i % 2);
                    long time = start + i * 20L;
                    InferenceEvent e = t.event(version, time, version.equals("v2") ? drifted : -1);
                    p.send(new ProducerRecord<>("inference-events", null, time, e.getRequestId(),
                            serializer.serialize("inference-events", e)));
                }
                p.flush();
                Map<String, Double> workBefore = threadWork(streams);
                long streamCpuBefore = cpuByGroup().getOrDefault("stream thread", 0L);
                long sent = System.nanoTime();
                closeWindows(p, serializer, "inference-events", t, start + WINDOW_MS);
                p.flush();
                long deadline = sent + Duration.ofSeconds(30).toNanos();
                long statsSeen = 0;
                long statsDone = 0;
                long alertAt = 0;
                while ((alertAt == 0 || statsDone == 0) && System.nanoTime() < deadline
                        && (statsDone == 0 || System.nanoTime() < statsDone + Duration.ofSeconds(2).toNanos())) {
                    for (ConsumerRecord<String, byte[]> r : results.poll(Duration.ofMillis(5))) {
                        long now = System.nanoTime();
                        if (r.topic().equals(topics.alerts().name())) {
                            DriftAlert a = alerts.deserialize(r.topic(), r.headers(), r.value());
                            if (a.getWindowStart().toEpochMilli() == start && alertAt == 0) {
                                alertAt = now;
                            }
                        } else {
                            dev.driftwatch.schemas.avro.WindowStats ws = statsReader.deserialize(r.topic(),
                                    r.headers(), r.value());
                            if (ws.getWindowStart().toEpochMilli() == start && isDriftStatistic(ws)) {
                                checkCount(start, ++statsSeen);
                                if (statsSeen == statsPerWindow) {
                                    statsDone = now;
                                }
                            }
                        }
                    }
                }
                if (statsDone > 0) {
                    toStats.add((statsDone - sent) / 1e6);
                }
                // Per window: which one, and when (wall clock) its closing records went out; a slow window among
                // forty is otherwise only a p99.
                System.out.printf(Locale.ROOT, "latency window %2d (start %s) closed at %s: last statistic %s ms,"
                        + " alert %s ms%n", k, Instant.ofEpochMilli(start), Instant.now().minusNanos(System.nanoTime() - sent),
                        statsDone > 0 ? String.format(Locale.ROOT, "%.0f", (statsDone - sent) / 1e6) : "-",
                        alertAt > 0 ? String.format(Locale.ROOT, "%.0f", (alertAt - sent) / 1e6) : "-");
                Map<String, Double> work = threadWork(streams);
                System.out.printf(Locale.ROOT, "  meanwhile: stream threads %.0f ms CPU, %s%n",
                        (cpuByGroup().getOrDefault("stream thread", 0L) - streamCpuBefore) / 1e6,
                        String.join(", ", java.util.stream.Stream.of("poll-total", "process-total",
                                "records-consumed-total", "commit-total", "records-sent-total").map(n -> n.replace(
                                "-total", "") + " " + Math.round(work.getOrDefault(n, 0.0)
                                - workBefore.getOrDefault(n, 0.0))).toList()));
                if (alertAt > 0) {
                    toAlert.add((alertAt - sent) / 1e6);
                } else {
                    missing.add(String.format(Locale.ROOT, "window %d (%d of %d statistics)", k, statsSeen,
                            statsPerWindow));
                }
            }
        }
        if (!missing.isEmpty()) {
            System.out.printf(Locale.ROOT, "latency: %d of %d windows without an alert: %s%n", missing.size(), count,
                    missing);
        }
        double[] sorted = toAlert.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] stats = toStats.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("latency_windows_measured", sorted.length);
        out.put("latency_windows_without_alert", missing.size());
        out.put("latency_window_close_to_alert_p50_ms", percentile(sorted, 0.50));
        out.put("latency_window_close_to_alert_p99_ms", percentile(sorted, 0.99));
        out.put("latency_window_close_to_alert_max_ms", sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1]);
        out.put("latency_window_close_to_last_stats_p50_ms", percentile(stats, 0.50));
        out.put("latency_window_close_to_last_stats_p99_ms", percentile(stats, 0.99));
        return out;
    }

    /**
     * Puts the rates of runs of one kind under {@code prefix}: {@code _runs}, their median as {@code _events_per_s},
     * and {@code _events_per_s_min} and {@code _max}.
     *
     * @return the median
     */
    private static double putRuns(Map<String, Object> results, String prefix, double[] sortedRates) {
        double median = median(sortedRates);
        results.put(prefix + "_runs", sortedRates.length);
        results.put(prefix + "_events_per_s", median);
        results.put(prefix + "_events_per_s_min", sortedRates[0]);
        results.put(prefix + "_events_per_s_max", sortedRates[sortedRates.length - 1]);
        return median;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static Map<String, Object> producerProps(EmbeddedKafkaBroker broker) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return p;
    }

    static Map<String, Object> consumerProps(EmbeddedKafkaBroker broker, String group) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        return c;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: EndToEndBench [--events N] [--latency-windows K] [--warmup PASSES] [--floor yes] [--fresh no] [--running-warmup-events N] [--running-rounds R] [--running no] [--state-bytes-only yes] [--jfr FILE] [--json FILE]");
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        return opts;
    }

    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        m.put("java", System.getProperty("java.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("jvm_args", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        return m;
    }

    /** Quiet logs, unless a level is given on the command line (-Dorg.slf4j.simpleLogger.log.NAME=LEVEL). */
    static void quietLogs() {
        quiet("kafka", "off");
        quiet("state.change.logger", "off");
        quiet("org.apache.kafka", "error");
        quiet("dev.driftwatch", "warn");
    }

    private static void quiet(String logger, String level) {
        String key = "org.slf4j.simpleLogger.log." + logger;
        if (System.getProperty(key) == null) {
            System.setProperty(key, level);
        }
    }

    static String toJson(Object value) {
        if (value instanceof Map<?, ?> map) {
            StringBuilder b = new StringBuilder("{");
            map.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append('"').append(k).append("\": ")
                    .append(toJson(v)));
            return b.append('}').toString();
        }
        if (value instanceof String s) {
            return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
        if (value instanceof Double d) {
            return Double.isFinite(d) ? String.format(Locale.ROOT, "%.4f", d) : "null";
        }
        return String.valueOf(value);
    }

}
