package dev.driftwatch.bench;

import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.streams.analyze.BaselineFiles;
import dev.driftwatch.streams.replay.EventFileWriter;
import dev.driftwatch.streams.replay.EventFormat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code driftwatch analyze} over a file of N bench events (20 numeric + 5 categorical features, 2 model
 * versions, 20,000 events per one-minute window as in {@link EndToEndBench}), run as a user runs it: the
 * packaged CLI in a child JVM with a heap limit. For each N it records the wall time of the child, its peak
 * resident set (VmHWM, polled from /proc), the largest heap left after a collection (the live set, from the
 * child's GC log), and the rate analyze itself reports (reading, the topology and the outputs; not the
 * JVM's start-up).
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar dev.driftwatch.bench.AnalyzeBench
 * [--events 1000000,10000000] [--heap 512m] [--dir /tmp/driftwatch-analyze-bench]
 * [--jar streams/target/driftwatch.jar] [--json bench/results/analyze.json]}. Input files are written once
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
            runs.put(Integer.toString(events), run(jar, heap, input, baselines, dir, events));
        }
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("command", "java -cp bench/target/benchmarks.jar dev.driftwatch.bench.AnalyzeBench --events "
                + opts.getOrDefault("events", "1000000,10000000") + " --heap " + heap);
        results.put("heap_limit", heap);
        results.put("runs", runs);
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

    private static Map<String, Object> run(Path jar, String heap, Path input, Path baselines, Path dir, int events)
            throws IOException, InterruptedException {
        Path gcLog = dir.resolve("gc-" + events + ".log");
        Path stderr = dir.resolve("stderr-" + events + ".txt");
        Path stdout = dir.resolve("stdout-" + events + ".txt");
        List<String> command = List.of("java", "-Xmx" + heap, "-Xlog:gc:file=" + gcLog, "-jar", jar.toString(),
                "analyze", "--input", input.toString(), "--baseline", baselines.toString(),
                "--json", dir.resolve("analysis-" + events + ".json").toString());
        System.out.println(String.join(" ", command));
        long started = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).redirectOutput(stdout.toFile()).start();
        long peakRssKb = 0;
        Path status = Path.of("/proc/" + p.pid() + "/status");
        while (p.isAlive()) {
            peakRssKb = Math.max(peakRssKb, peakRss(status));
            Thread.sleep(100);
        }
        double wall = (System.nanoTime() - started) / 1e9;
        String err = Files.readString(stderr);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("analyze exited with " + p.exitValue() + ": " + err);
        }
        Matcher m = SUMMARY.matcher(err);
        if (!m.find()) {
            throw new IllegalStateException("no summary line in analyze's stderr: " + err);
        }
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
        r.put("peak_rss_mb", peakRssKb / 1024.0);
        r.put("max_heap_after_gc_mb", maxAfterGc);
        r.put("summary", m.group(0));
        System.out.printf(Locale.ROOT, "%,d events: %.1f s wall, %s, peak RSS %.0f MB, heap after GC <= %d MB%n",
                events, wall, m.group(0), peakRssKb / 1024.0, maxAfterGc);
        return r;
    }

    /** VmHWM of a live process in kB, or 0 once it has gone. */
    private static long peakRss(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended between isAlive() and the read
        }
        return 0;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return opts;
    }
}
