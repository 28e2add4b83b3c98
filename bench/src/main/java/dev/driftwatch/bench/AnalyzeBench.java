package dev.driftwatch.bench;

import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.streams.ControlSettings;
import dev.driftwatch.streams.Storage;
import dev.driftwatch.streams.app.DriftwatchTopology;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.Topics;
import dev.driftwatch.streams.analyze.BaselineFiles;
import dev.driftwatch.streams.replay.EventFileWriter;
import dev.driftwatch.streams.replay.EventFormat;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code driftwatch analyze} over a file of N bench events (20 numeric + 5 categorical features, 2 model
 * versions, 20,000 events per one-minute window as in {@link EndToEndBench}), run as a user runs it: the
 * packaged CLI through the launcher {@code bin/driftwatch} (with the JVM options it sets for analyze; {@code --jar}
 * is handed to it as {@code DRIFTWATCH_JAR}, the heap limit and the GC log as {@code DRIFTWATCH_JAVA_OPTS}). For each N it records the child's wall time, CPU time
 * (all threads) and peak resident set (GNU time), the largest heap left after a collection (the live set,
 * from the child's GC log), and the rate analyze itself reports on its summary line (reading, the topology
 * and the outputs; not the JVM's start-up). On a shared machine the CPU time per event is the steadier
 * figure: the load average is recorded beside it.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar dev.driftwatch.bench.AnalyzeBench
 * [--events 1000000,10000000] [--heap 512m] [--dir /tmp/driftwatch-analyze-bench]
 * [--jar streams/target/driftwatch.jar] [--launcher bin/driftwatch] [--driver-events 1000000]
 * [--json bench/results/analyze.json] [--jvm-args "-XX:StartFlightRecording=filename=analyze.jfr"]}
 * ({@code --jvm-args}: more options for the child JVM, e.g. a flight recording, separated by spaces; they come
 * after the launcher's and win).
 * It also measures, in process, the CPU time per event of the test driver's thread over driftwatch's
 * topology and over a topology that does nothing ({@link #driverCpu}). {@code --measured-only N,...} reads the
 * figures of earlier runs of those sizes from the files they left in {@code --dir} instead of running again. Input files are written once
 * per N into {@code --dir} and reused (the same seed gives the same file).
 */
public final class AnalyzeBench {
    private static final long WINDOW_MS = 60_000;
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    private static final int EVENTS_PER_WINDOW = 20_000;
    private static final List<String> VERSIONS = List.of("v1", "v2");
    /** The final line analyze writes to stderr when it is not a terminal. */
    private static final Pattern SUMMARY = Pattern.compile("analyze: ([\\d,]+) events.* in ([\\d.]+) s \\(([\\d,]+) events/s\\)");
    private static final Pattern GC_AFTER = Pattern.compile("->(\\d+)M\\(");

    private AnalyzeBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        String heap = opts.getOrDefault("heap", "512m");
        Path dir = Path.of(opts.getOrDefault("dir", "/tmp/driftwatch-analyze-bench"));
        Path jar = Path.of(opts.getOrDefault("jar", "streams/target/driftwatch.jar"));
        Path launcher = Path.of(opts.getOrDefault("launcher", "bin/driftwatch"));
        Files.createDirectories(dir);
        Path baselines = dir.resolve("baselines.json");
        List<Baseline> list = new ArrayList<>(BenchTraffic.baselines(VERSIONS).values());
        Files.writeString(baselines, BaselineFiles.toJson(list), StandardCharsets.UTF_8);

        Map<String, Object> runs = new LinkedHashMap<>();
        for (String n : opts.getOrDefault("events", "1000000,10000000").split(",")) {
            int events = Integer.parseInt(n.trim());
            Path input = dir.resolve("events-" + events + ".avro");
            if (!Files.isRegularFile(input)) {
                write(input, events);
            }
            boolean measured = List.of(opts.getOrDefault("measured-only", "").split(",")).contains(n.trim());
            runs.put(Integer.toString(events), measured ? measured(input, heap, dir, events)
                    : run(launcher, jar, heap, opts.getOrDefault("jvm-args", ""), input, baselines, dir, events));
        }
        int floorEvents = Integer.parseInt(opts.getOrDefault("driver-events", "1000000"));
        Map<String, Object> driver = new LinkedHashMap<>();
        if (floorEvents > 0) {
            // twice each: the first pass warms the JIT up
            driverCpu(floorEvents / 4, false);
            driver.put("no_op_topology_cpu_us_per_event", driverCpu(floorEvents, false));
            driverCpu(floorEvents / 4, true);
            driver.put("driftwatch_topology_cpu_us_per_event", driverCpu(floorEvents, true));
        }
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("command", "java -cp bench/target/benchmarks.jar dev.driftwatch.bench.AnalyzeBench --events "
                + opts.getOrDefault("events", "1000000,10000000") + " --heap " + heap);
        results.put("heap_limit", heap);
        results.put("runs", runs);
        results.put("test_driver", driver);
        String json = EndToEndBench.toJson(results);
        System.out.println(json);
        if (opts.containsKey("json")) {
            Files.writeString(Path.of(opts.get("json")), json + "\n", StandardCharsets.UTF_8);
        }
    }

    /** N events in 20,000-event windows, the versions alternating, times spread evenly over each window. */
    static void write(Path file, int events) {
        long started = System.nanoTime();
        BenchTraffic t = new BenchTraffic(1);
        int windows = Math.max(1, events / EVENTS_PER_WINDOW);
        int perWindow = events / windows;
        try (EventFileWriter w = EventFileWriter.create(file, EventFormat.AVRO)) {
            for (int win = 0; win < windows; win++) {
                for (int i = 0; i < perWindow; i++) {
                    long time = T0 + win * WINDOW_MS + (long) i * WINDOW_MS / perWindow;
                    InferenceEvent e = t.event(VERSIONS.get(i % 2), time, false);
                    w.write(e);
                }
            }
        }
        System.out.printf(Locale.ROOT, "wrote %,d events to %s in %.1f s%n", (long) windows * perWindow, file,
                (System.nanoTime() - started) / 1e9);
    }

    private static Map<String, Object> run(Path launcher, Path jar, String heap, String jvmArgs, Path input,
                                           Path baselines, Path dir, int events)
            throws IOException, InterruptedException {
        Path gcLog = dir.resolve("gc-" + events + ".log");
        Path stderr = dir.resolve("stderr-" + events + ".txt");
        Path stdout = dir.resolve("stdout-" + events + ".txt");
        Path times = dir.resolve("time-" + events + ".txt");
        // GNU time gives the child's wall time, CPU time (all its threads: reader, driver, JIT, GC) and peak RSS.
        // The launcher execs java in its own process, so the child's threads are the JVM's.
        String javaOpts = ("-Xmx" + heap + " -Xlog:gc:file=" + gcLog + " " + jvmArgs).trim();
        List<String> command = List.of("/usr/bin/time", "-o", times.toString(), "-f", "%e %U %S %M",
                launcher.toString(), "analyze", "--input", input.toString(), "--baseline", baselines.toString(),
                "--json", dir.resolve("analysis-" + events + ".json").toString());
        System.out.println("DRIFTWATCH_JAR=" + jar + " DRIFTWATCH_JAVA_OPTS='" + javaOpts + "' "
                + String.join(" ", command));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(stderr.toFile()).redirectOutput(stdout.toFile());
        pb.environment().put("DRIFTWATCH_JAR", jar.toString());
        pb.environment().put("DRIFTWATCH_JAVA_OPTS", javaOpts);
        Process p = pb.start();
        Map<String, Double> threadCpu = threadCpu(p);
        p.waitFor();
        Files.writeString(dir.resolve("threads-" + events + ".txt"), threadCpu.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(java.util.stream.Collectors.joining("\n")));
        Files.writeString(dir.resolve("load-" + events + ".txt"), Double.toString(loadAverage()));
        if (p.exitValue() != 0) {
            throw new IllegalStateException("analyze exited with " + p.exitValue() + ": " + Files.readString(stderr));
        }
        return measured(input, heap, dir, events);
    }

    /** The figures of a run from the files it left in {@code dir}: its stderr, GNU time's line and its GC log. */
    private static Map<String, Object> measured(Path input, String heap, Path dir, int events) throws IOException {
        Path gcLog = dir.resolve("gc-" + events + ".log");
        Path times = dir.resolve("time-" + events + ".txt");
        String err = Files.readString(dir.resolve("stderr-" + events + ".txt"));
        Matcher m = SUMMARY.matcher(err);
        if (!m.find()) {
            throw new IllegalStateException("no summary line in analyze's stderr: " + err);
        }
        String[] t = Files.readString(times).trim().split("\\s+");
        double wall = Double.parseDouble(t[0]);
        double cpu = Double.parseDouble(t[1]) + Double.parseDouble(t[2]);
        long peakRssKb = Long.parseLong(t[3]);
        long maxAfterGc = 0;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher g = GC_AFTER.matcher(line);
            if (g.find()) {
                maxAfterGc = Math.max(maxAfterGc, Long.parseLong(g.group(1)));
            }
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("events", Long.parseLong(m.group(1).replace(",", "")));
        r.put("input_bytes", Files.size(input));
        r.put("heap_limit", heap);
        r.put("wall_seconds", wall);
        r.put("analyze_seconds", Double.parseDouble(m.group(2)));
        r.put("analyze_events_per_s", Double.parseDouble(m.group(3).replace(",", "")));
        r.put("cpu_seconds", cpu);
        r.put("cpu_us_per_event", cpu * 1e6 / events);
        r.put("load_average_1m", Double.parseDouble(Files.readString(dir.resolve("load-" + events + ".txt"))));
        r.put("peak_rss_mb", peakRssKb / 1024.0);
        r.put("max_heap_after_gc_mb", maxAfterGc);
        r.put("summary", m.group(0));
        Path threads = dir.resolve("threads-" + events + ".txt");
        if (Files.isRegularFile(threads)) {
            Map<String, Object> perEvent = new LinkedHashMap<>();
            for (String line : Files.readAllLines(threads)) {
                String[] kv = line.split(" ");
                if (kv.length == 2) {
                    perEvent.put(kv[0], Math.round(Double.parseDouble(kv[1]) * 1e6 / events * 100) / 100.0);
                }
            }
            r.put("cpu_us_per_event_by_thread", perEvent);
            System.out.println("CPU us per event by thread: " + perEvent);
        }
        System.out.printf(Locale.ROOT, "%,d events: %.1f s wall, %.1f s CPU (%.1f us/event), %s, peak RSS %.0f MB,"
                + " heap after GC <= %d MB%n", events, wall, cpu, cpu * 1e6 / events, m.group(0), peakRssKb / 1024.0,
                maxAfterGc);
        return r;
    }

    /**
     * CPU time per event of the thread that pipes serialised events into Kafka Streams' test driver (as analyze's
     * driver thread does), with analyze's driver settings: over driftwatch's topology, or over a topology whose
     * one processor does nothing (what the driver itself costs per record: its commit and checkpoint after
     * every record, the source-topic checks, the record queue). Serialising the events is not counted.
     */
    static double driverCpu(int events, boolean driftwatch) throws IOException {
        Path stateDir = Files.createTempDirectory("analyze-bench-state");
        Topics topics = Topics.defaults(Map.of("schema.registry.url", "mock://analyze-bench-" + System.nanoTime()));
        PipelineSettings settings = PipelineSettings.defaults(Duration.ofMinutes(1)).withInputPartitions(1);
        Topology topology;
        if (driftwatch) {
            topology = DriftwatchTopology.build(settings, topics, ControlSettings.defaults(),
                    Storage.IN_MEMORY);
        } else {
            StreamsBuilder b = new StreamsBuilder();
            b.stream(topics.events().name(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                    .process(() -> new Processor<byte[], byte[], Void, Void>() {
                        @Override
                        public void process(Record<byte[], byte[]> record) {
                            // nothing: the driver's own cost per record is measured
                        }
                    });
            topology = b.build();
        }
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "analyze-bench");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "offline:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.MAX_VALUE);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu = 0;
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
            if (driftwatch) {
                TestInputTopic<String, Baseline> baselines = driver.createInputTopic(topics.baselines().name(),
                        Serdes.String().serializer(), topics.baselines().valueSerde().serializer());
                BenchTraffic.baselines(VERSIONS).forEach((k, v) -> baselines.pipeInput(k, v, 0L));
            }
            TestInputTopic<byte[], byte[]> in = driver.createInputTopic(topics.events().name(),
                    Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
            Serializer<InferenceEvent> values = topics.events().valueSerde().serializer();
            BenchTraffic t = new BenchTraffic(1);
            int windows = Math.max(1, events / EVENTS_PER_WINDOW);
            int perWindow = events / windows;
            byte[][] keys = new byte[perWindow][];
            byte[][] bytes = new byte[perWindow][];
            long[] times = new long[perWindow];
            for (int w = 0; w < windows; w++) {
                for (int i = 0; i < perWindow; i++) {
                    times[i] = T0 + w * WINDOW_MS + (long) i * WINDOW_MS / perWindow;
                    InferenceEvent e = t.event(VERSIONS.get(i % 2), times[i], false);
                    keys[i] = e.getRequestId().getBytes(StandardCharsets.UTF_8);
                    bytes[i] = values.serialize(topics.events().name(), e);
                }
                long before = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < perWindow; i++) {
                    in.pipeInput(keys[i], bytes[i], times[i]);
                }
                cpu += threads.getCurrentThreadCpuTime() - before;
                for (String topic : driver.producedTopicNames()) {
                    driver.createOutputTopic(topic, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer())
                            .readRecordsToList();
                }
            }
            double perEvent = cpu / 1e3 / ((double) windows * perWindow);
            System.out.printf(Locale.ROOT, "test driver, %s topology: %.2f us CPU per event (%,d events)%n",
                    driftwatch ? "driftwatch's" : "a no-op", perEvent, (long) windows * perWindow);
            return perEvent;
        } finally {
            try (var paths = Files.walk(stateDir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /**
     * The CPU seconds of the child JVM's threads, by kind (the summarizing thread "main", the file's "reader", the
     * garbage collector's, the JIT compilers', the rest), read from /proc every 100 ms while it runs: the last
     * figure seen of each thread (one that ends between two reads loses at most 100 ms). Empty without /proc.
     */
    private static Map<String, Double> threadCpu(Process time) throws InterruptedException {
        Map<String, long[]> byTask = new LinkedHashMap<>();
        Map<String, String> kinds = new LinkedHashMap<>();
        Path proc = Path.of("/proc", Long.toString(time.pid()), "task", Long.toString(time.pid()), "children");
        String java = null;
        while (time.isAlive()) {
            try {
                if (java == null) {
                    String children = Files.readString(proc).trim();
                    java = children.isEmpty() ? null : children.split(" ")[0];
                }
                if (java != null) {
                    try (var tasks = Files.list(Path.of("/proc", java, "task"))) {
                        for (Path task : (Iterable<Path>) tasks::iterator) {
                            String comm = Files.readString(task.resolve("comm")).trim();
                            String stat = Files.readString(task.resolve("stat"));
                            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                            // fields 14 and 15 of stat (utime, stime), counted from the state (field 3) here
                            byTask.put(task.getFileName().toString(), new long[] {Long.parseLong(f[11])
                                    + Long.parseLong(f[12])});
                            kinds.put(task.getFileName().toString(), kind(comm, task.getFileName().toString(), java));
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // a thread or the process ended between two reads
            }
            Thread.sleep(100);
        }
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (String k : List.of("main", "reader", "gc", "jit", "other")) {
            seconds.put(k, 0.0);
        }
        byTask.forEach((tid, ticks) -> seconds.merge(kinds.get(tid), ticks[0] / 100.0, Double::sum));
        return seconds;
    }

    private static String kind(String comm, String tid, String pid) {
        if (comm.startsWith("driftwatch-anal")) {
            return "reader";
        }
        if (comm.startsWith("GC Thread") || comm.startsWith("G1 ")) {
            return "gc";
        }
        if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
            return "jit";
        }
        // the launcher's first thread only waits; the JVM's main thread is the next one, also named "java"
        return comm.equals("java") && !tid.equals(pid) ? "main" : "other";
    }

    /** The machine's load over the last minute (the machine may be shared: rates depend on it). */
    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return opts;
    }
}
