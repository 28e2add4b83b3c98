package dev.driftwatch.streams.cli;

import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.streams.analyze.BaselineFiles;
import dev.driftwatch.streams.demo.DemoRun;
import dev.driftwatch.streams.demo.LlmTraffic;
import dev.driftwatch.streams.demo.SampleTraffic;
import dev.driftwatch.streams.embedding.EmbeddingSettings;
import dev.driftwatch.streams.replay.EventFileWriter;
import dev.driftwatch.streams.replay.EventFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code driftwatch sample}: the demo's sample traffic written to a file, for replay and analyze. */
@Command(name = "sample",
        header = "Write the demo's sample traffic (and its baselines) to a file.",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Write the demo's sample traffic to a file: a click-through-rate model in",
            "versions 1.4.0 and 1.5.0, --events-per-window events per version and window,",
            "in event-time order; from window --drift-from on, 1.5.0 drifts (income,",
            "session_seconds and device move; outputs follow). Same options, same file.",
            "--baselines also writes both versions' baselines (from undrifted training",
            "rows), as a JSON array that analyze --baseline and baseline --from-json read.",
            "",
            "Event times: without --start, the windows end at the last window boundary",
            "before now (times aligned to --window-size), so that topics keeping 7 days",
            "keep them; give --start for the same file on every run.",
        },
        footer = {"", "Example:",
            "  bin/driftwatch sample --output traffic.avro --baselines baselines.json --windows 10"})
public final class SampleCommand implements Callable<Integer> {
    @Option(names = "--output", required = true, paramLabel = "FILE", description = "File to write the events to.")
    Path output;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "avro, jsonl or csv (default: from the file name's extension, else avro).")
    String format;

    @Option(names = "--baselines", paramLabel = "FILE.json",
            description = "Also write the baselines of both versions to this file.")
    Path baselines;

    @Option(names = "--windows", defaultValue = "10", paramLabel = "N", description = "Windows (default ${DEFAULT-VALUE}).")
    int windows;

    @Option(names = "--events-per-window", defaultValue = "1500", paramLabel = "N",
            description = "Events per window and version (default ${DEFAULT-VALUE}).")
    int eventsPerWindow;

    @Option(names = "--drift-from", defaultValue = "5", paramLabel = "W",
            description = "First drifted window, 0-based (default ${DEFAULT-VALUE}).")
    int driftFrom;

    @Option(names = "--window-size", defaultValue = "PT1M", paramLabel = "DURATION",
            description = "Window size: 1m, PT1M or 60 (seconds) (default ${DEFAULT-VALUE}).")
    String windowSize;

    @Option(names = "--start", paramLabel = "TIME",
            description = "Event time of the first window, e.g. 2026-11-01T09:00:00Z (default: the windows end at"
                    + " the last window boundary before now).")
    String start;

    @Option(names = "--training-rows", defaultValue = "20000", paramLabel = "N",
            description = "Training rows behind each baseline (default ${DEFAULT-VALUE}).")
    int trainingRows;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--scenario", defaultValue = "ctr", paramLabel = "SCENARIO",
            description = "ctr (the click-through-rate model, the default) or llm (a chat model with prompt and"
                    + " response texts, tokens, cost, error codes and 64-dimensional prompt embeddings; its prompt mix"
                    + " shifts from --drift-from on). Texts and embeddings are kept in avro only.")
    String scenario;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (OutputFiles outputs = OutputFiles.check("--output", output, "--baselines", baselines)) {
            EventFormat fmt = format != null ? EventFormat.of(format)
                    : java.util.Objects.requireNonNullElse(EventFormat.fromFileName(output), EventFormat.AVRO);
            if (!scenario.equals("ctr") && !scenario.equals("llm")) {
                throw new IllegalArgumentException("--scenario '" + scenario + "' is not known; use ctr or llm");
            }
            boolean llm = scenario.equals("llm");
            if (trainingRows < 10) {
                throw new IllegalArgumentException("--training-rows must be >= 10, got " + trainingRows);
            }
            Duration size = CommandTimes.duration("--window-size", windowSize);
            long first = start != null ? CommandTimes.time("--start", start).toEpochMilli()
                    : recentStart(Instant.now(), size, windows);
            SampleTraffic.Plan plan = new SampleTraffic.Plan(windows, eventsPerWindow, driftFrom, size, first, seed);
            long n;
            try (EventFileWriter writer = EventFileWriter.create(outputs.temp(output), fmt)) {
                n = llm ? LlmTraffic.events(plan, writer::write) : SampleTraffic.events(plan, writer::write);
            }
            List<Baseline> list = baselines == null ? List.of() : llm
                    ? LlmTraffic.baselines(seed, trainingRows, EmbeddingSettings.defaultFit())
                    : SampleTraffic.baselines(seed, trainingRows);
            if (baselines != null) {
                Files.writeString(outputs.temp(baselines), BaselineFiles.toJson(list), StandardCharsets.UTF_8);
            }
            outputs.commit();
            if (llm) {
                out.printf("wrote %,d calls of %s %s (%d windows of %s from %s, prompt mix shifted from window %d)"
                        + " to %s as %s%n", n, LlmTraffic.MODEL, LlmTraffic.VERSION, windows, plan.windowSize(),
                        Instant.ofEpochMilli(plan.startMillis()), driftFrom, output, fmt.id());
            } else {
                out.printf("wrote %,d events of %s %s and %s (%d windows of %s from %s, drift in %s from window %d)"
                            + " to %s as %s%n", n, DemoRun.MODEL, DemoRun.STABLE_VERSION, DemoRun.DRIFTING_VERSION,
                    windows, plan.windowSize(), Instant.ofEpochMilli(plan.startMillis()), DemoRun.DRIFTING_VERSION,
                    driftFrom, output, fmt.id());
            }
            if (baselines != null) {
                out.printf("wrote %d baselines to %s%n", list.size(), baselines);
            }
            out.flush();
            return 0;
        } catch (IllegalArgumentException | UncheckedIOException e) {
            return CommandSupport.badInput("sample", e.getMessage(), err);
        } catch (IOException e) {
            return CommandSupport.badInput("sample", "cannot write the output: " + e.getMessage(), err);
        }
    }

    /**
     * The start of {@code windows} windows of {@code size} that end at the last multiple of {@code size}
     * (since the epoch) not after {@code now}: recent event times on window boundaries.
     */
    static long recentStart(Instant now, Duration size, int windows) {
        long ms = size.toMillis();
        long end = Math.floorDiv(now.toEpochMilli(), ms) * ms;
        return end - Math.max(0, windows) * ms;
    }
}
