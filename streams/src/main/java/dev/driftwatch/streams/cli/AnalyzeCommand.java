package dev.driftwatch.streams.cli;

import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.analyze.AnalysisJson;
import dev.driftwatch.streams.analyze.BaselineFiles;
import dev.driftwatch.streams.analyze.HtmlReport;
import dev.driftwatch.streams.analyze.OfflineAnalysis;
import dev.driftwatch.streams.business.BusinessSettings;
import dev.driftwatch.streams.business.OutcomeFiles;
import dev.driftwatch.streams.business.UnattributedOutcomes;
import dev.driftwatch.streams.config.DriftwatchConfig;
import dev.driftwatch.streams.replay.BadRecords;
import dev.driftwatch.streams.replay.EventFileReader;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code driftwatch analyze}: the pipeline over an events file, without a broker. */
@Command(name = "analyze",
        header = "Run the pipeline over an events file offline and report every window and alert.",
        sortOptions = false,
        description = {
            "Run the pipeline's processors over an events file without a broker (in this",
            "process, one partition, stores on the heap, in-memory registry) and write",
            "every window's statistics and every alert: the same as the live pipeline gives",
            "on the same traffic with the same settings, alert ids included. The input is",
            "read as replay reads it (Avro container, JSON lines or CSV).",
            "",
            "--baseline is a JSON file from 'baseline --output' or 'sample --baselines', or",
            "a training CSV (then --model and --version say which model version it",
            "describes). Window and policy settings come from --config and DRIFTWATCH_<KEY>",
            "variables, or the flags below.",
            "",
            "--outcomes adds outcome events (JSON lines): they are joined to the events by",
            "request id and each window's CTR, tested against a business.ctr baseline,",
            "goes to the output, the JSON and the report. The file is read as the events",
            "are: in event-time order, the outcomes of up to 100,000 lines out of order",
            "put back in order.",
            "",
            "The input is streamed: memory holds the open windows and the results, not the",
            "events (10 million events run in -Xmx512m). Progress goes to stderr: a bar with",
            "events/s and the time left when stderr is a terminal, else one final line.",
        },
        footer = {"", "Example:",
            "  bin/driftwatch analyze --input traffic.avro --baseline baselines.json --report report.html"})
public final class AnalyzeCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "Events file.")
    Path input;

    @Option(names = "--baseline", required = true, paramLabel = "FILE",
            description = "Baselines: JSON array of Baseline records, or a training CSV.")
    Path baseline;

    @Option(names = "--model", paramLabel = "MODEL", description = "Model id of a training-CSV baseline.")
    String model;

    @Option(names = "--version", paramLabel = "VERSION", description = "Model version of a training-CSV baseline.")
    String version;

    @Mixin
    TrainingCsvOptions csv;

    @Option(names = "--outcomes", paramLabel = "FILE.jsonl",
            description = "Outcome events, one JSON object per line ({\"request_id\":..., \"type\":\"click\","
                    + " \"event_time\":..., \"value\":...}), joined to the events for CTR (business outcomes on).")
    Path outcomes;

    @Option(names = "--report", paramLabel = "FILE.html", description = "Write a self-contained HTML report.")
    Path report;

    @Option(names = "--json", paramLabel = "FILE.json",
            description = "Write the window statistics and alerts (Avro JSON records) to this file.")
    Path json;

    @Mixin
    ConfigFileOption config;

    @Option(names = "--window-size", paramLabel = "DURATION",
            description = "Window size: 5m, PT5M or 300 (seconds) (overrides window.size.ms).")
    String windowSize;

    @Option(names = "--window-advance", paramLabel = "DURATION",
            description = "Hop of hopping windows (overrides window.advance.ms).")
    String windowAdvance;

    @Option(names = "--grace", paramLabel = "DURATION",
            description = "Grace period: 30s, PT30S or 30 (seconds), 0 allowed (overrides window.grace.ms).")
    String grace;

    @Option(names = "--fail-on-bad", description = "Exit 2 when any record of the input cannot be read.")
    boolean failOnBad;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (OutputFiles outputs = OutputFiles.check("--json", json, "--report", report);
             OutcomeFiles.InTimeOrder outcomeEvents = outcomes == null ? null : OutcomeFiles.inTimeOrder(outcomes)) {
            Map<String, String> overrides = new HashMap<>();
            if (windowSize != null) {
                overrides.put(DriftwatchConfig.WINDOW_SIZE_MS_CONFIG,
                        Long.toString(CommandTimes.duration("--window-size", windowSize).toMillis()));
            }
            if (windowAdvance != null) {
                overrides.put(DriftwatchConfig.WINDOW_ADVANCE_MS_CONFIG,
                        Long.toString(CommandTimes.duration("--window-advance", windowAdvance).toMillis()));
            }
            if (grace != null) {
                overrides.put(DriftwatchConfig.WINDOW_GRACE_MS_CONFIG,
                        Long.toString(CommandTimes.duration("--grace", grace, Duration.ZERO, null).toMillis()));
            }
            DriftwatchConfig cfg = DriftwatchConfig.load(config.file, System.getenv(), overrides);
            PipelineSettings settings = cfg.pipelineSettings(1);
            if (outcomes != null && !BusinessSettings.of(settings.signals()).enabled()) {
                BusinessSettings b = BusinessSettings.of(settings.signals());
                settings = settings.withSignals(settings.signals().with(new BusinessSettings(true,
                        b.joinWindow(), b.joinGrace(), b.minImpressions(), b.dropWarning(), b.dropCritical(), b.alpha())));
            }
            List<Baseline> baselines = BaselineFiles.read(baseline, model, version, csv.bins,
                    csv.categoricalColumns());
            EventFileReader reader = EventFileReader.open(input);
            BadRecords bad = new BadRecords();
            Progress progress = new Progress(err, CommandSupport.stderrIsTerminal(), "analyze",
                    () -> reader.size() <= 0 ? Double.NaN : (double) reader.bytesRead() / reader.size());
            long[] read = {0};
            OfflineAnalysis.Result result = OfflineAnalysis.run(settings, baselines,
                    outcomeEvents == null ? Collections.emptyIterator() : outcomeEvents,
                    sink -> reader.read(e -> {
                        sink.accept(e);
                        progress.update(++read[0]);
                    }, bad));
            progress.finish(result.events(), String.format(Locale.ROOT, ", %,d windows, %,d alerts",
                    result.stats().stream().map(s -> s.getWindowStart()).distinct().count(), result.alerts().size()));
            if (bad.count() > 0) {
                err.printf("analyze: %,d bad records in %s%s:%n", bad.count(), input,
                        bad.count() > bad.first().size() ? ", the first " + bad.first().size() : "");
                bad.first().forEach(p -> err.println("  " + p));
                err.flush();
                if (failOnBad) {
                    return CommandSupport.badInput("analyze", bad.count() + " bad records in " + input
                            + " (--fail-on-bad)", err);
                }
            }
            if (json != null) {
                Files.writeString(outputs.temp(json), AnalysisJson.render(result), StandardCharsets.UTF_8);
            }
            if (report != null) {
                Files.writeString(outputs.temp(report), HtmlReport.render(result, "Input " + input.getFileName() + " ("
                        + reader.format().id() + "), baselines " + baseline.getFileName()), StandardCharsets.UTF_8);
            }
            outputs.commit();
            for (DriftAlert a : result.alerts()) {
                out.printf(Locale.ROOT, "%-8s %-8s %s %s %-20s %s=%.4f  window %s  %s%n",
                        a.getState() == AlertState.FIRING ? "FIRING" : "RESOLVED", a.getSeverity(), a.getModelId(),
                        a.getModelVersion(), a.getSubject(), a.getTest().name().toLowerCase(Locale.ROOT),
                        a.getStatistic(), a.getWindowStart(), a.getAlertId());
            }
            out.printf("analyzed %,d events (%s): %,d window statistics, %,d alerts, %,d dead letters, %,d bad records%s%s%s%n",
                    result.events(), reader.format().id(), result.stats().size(), result.alerts().size(),
                    result.deadLetters().size(), bad.count(), outcomes == null ? ""
                            : String.format(Locale.ROOT, "; %,d outcomes, %,d windows of business metrics, %,d"
                                    + " outcomes unmatched and %,d late (joined no request)", outcomeEvents.read(),
                                    result.business().stream().filter(m -> !UnattributedOutcomes.MODEL.equals(
                                            m.getModelId())).count(),
                                    result.business().stream().mapToLong(m -> m.getUnmatchedOutcomes()).sum(),
                                    result.business().stream().mapToLong(m -> m.getLateOutcomes()).sum()),
                    json == null ? "" : "; JSON in " + json, report == null ? "" : "; report in " + report);
            out.flush();
            return 0;
        } catch (ConfigException | IllegalArgumentException e) {
            return CommandSupport.badInput("analyze", e.getMessage(), err);
        } catch (IOException e) {
            return CommandSupport.badInput("analyze", "cannot write the output: " + e.getMessage(), err);
        }
    }
}
