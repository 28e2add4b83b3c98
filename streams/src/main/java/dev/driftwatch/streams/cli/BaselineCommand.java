package dev.driftwatch.streams.cli;

import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.streams.analyze.BaselineFiles;
import dev.driftwatch.streams.baseline.CsvBaselines;
import dev.driftwatch.streams.business.CtrBaseline;
import dev.driftwatch.streams.business.OutcomeRate;
import dev.driftwatch.streams.business.RateBaseline;
import dev.driftwatch.streams.client.BaselinePublisher;
import dev.driftwatch.streams.compare.CsvColumns;
import dev.driftwatch.streams.compare.CsvFormatException;
import dev.driftwatch.streams.config.DriftwatchConfig;
import dev.driftwatch.streams.config.Preflight.PreflightException;
import dev.driftwatch.streams.embedding.EmbeddingBaselines;
import dev.driftwatch.streams.embedding.EmbeddingSettings;
import dev.driftwatch.streams.internals.BaselineCodec;
import dev.driftwatch.streams.multivariate.MultivariateBaseline;
import dev.driftwatch.streams.multivariate.MultivariateCsv;
import dev.driftwatch.streams.performance.PerformanceBaseline;
import dev.driftwatch.streams.performance.PerformanceCsv;
import dev.driftwatch.streams.performance.PerformanceSettings;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code driftwatch baseline}: baselines of a model version from a training CSV, published to Kafka. */
@Command(name = "baseline",
        header = "Build baselines from a training CSV and publish them to the baselines topic.",
        sortOptions = false,
        description = {
            "Build one baseline per column of a training CSV file and publish them to the compacted",
            "baselines topic, keyed <model>/<version>/<column>, where the pipeline picks them up.",
            "",
            "Columns are subjects: feature names, or output.score, output.confidence (numeric) and",
            "output.label (categorical) for the model's outputs. A column is numeric when every",
            "non-missing value parses as a number, unless named in --categorical. Missing cells (empty,",
            "NaN, Inf) are counted apart. Numeric baselines get --bins quantile bins of the column.",
            "",
            "--ctr-impressions and --ctr-clicks publish the model version's click-through-rate baseline",
            "(subject business.ctr), which CTR alerts compare each window with (business.enabled=true);",
            "with or without --input. --outcome-rate SUBJECT=SUCCESSES/TRIALS publishes the baseline",
            "of another outcome rate: business.conversion (conversions of clicks),",
            "business.feedback.negative (thumbs down of all feedback) or business.success (successes of",
            "SUCCESS and FAILURE); repeat it for several. A column business.value or business.judge.score",
            "of --input gives the numeric baseline of the value per request or of the judge scores.",
            "",
            "--multivariate also fits the model version's *multivariate* baseline on the feature",
            "columns (PCA data reconstruction; see docs/signals.md).",
            "",
            "--performance FILE.csv publishes the model version's *performance* baseline: the realized",
            "performance (ROC AUC, log loss, Brier score, calibration, base rate) of a labelled file,",
            "one row per request with its score (--performance-score, default output.score, in [0, 1])",
            "and its label (--performance-label, default label: 1/0, true/false, yes/no, click/no_click),",
            "which PERFORMANCE alerts compare each window with (performance.enabled=true).",
            "",
            "--from-json publishes the baselines of a JSON file that sample --baselines or",
            "baseline --output wrote, as they are (every model version in it, or only those of",
            "--model and --version when given).",
            "",
            "Connection settings come from --config, DRIFTWATCH_<KEY> environment variables and the",
            "flags below (flags win). One line per subject is printed once the broker has acknowledged it.",
        },
        footer = {"", "Example:",
            "  bin/driftwatch baseline --input train.csv --model churn --version 7 --bootstrap-servers localhost:9092",
            "  bin/driftwatch baseline --from-json baselines.json --config driftwatch.properties"})
public final class BaselineCommand implements java.util.concurrent.Callable<Integer> {
    @Mixin
    HelpOption help;

    @Option(names = "--input", paramLabel = "TRAIN.csv",
            description = "Training CSV file with a header row; one baseline per column.")
    Path input;

    @Option(names = "--embeddings", paramLabel = "EMBEDDINGS.csv",
            description = "CSV file of reference embeddings: a column per embedding name, each cell a vector of"
                    + " space- or ';'-separated floats; one EMBEDDING baseline (embedding.NAME) per column, fitted"
                    + " with the embedding.* settings.")
    Path embeddings;

    @Option(names = "--from-json", paramLabel = "FILE.json",
            description = "Publish the baselines of this JSON file (from sample --baselines or baseline --output).")
    Path fromJson;

    @Option(names = "--ctr-impressions", paramLabel = "N",
            description = "Impressions of the reference period of the CTR baseline (with --ctr-clicks).")
    Long ctrImpressions;

    @Option(names = "--ctr-clicks", paramLabel = "K",
            description = "Clicked impressions of the reference period (0 <= K <= N).")
    Long ctrClicks;

    @Option(names = "--outcome-rate", paramLabel = "SUBJECT=K/N",
            description = "Baseline of an outcome rate: K successes of N trials over the reference period, e.g."
                    + " business.success=800/1000 (subjects business.conversion, business.feedback.negative,"
                    + " business.success, business.ctr). Repeatable.")
    List<String> outcomeRates = new ArrayList<>();

    @Option(names = "--model", paramLabel = "MODEL",
            description = "Model id, as in the events (required with --input and --ctr-impressions).")
    String model;

    @Option(names = "--version", paramLabel = "VERSION",
            description = "Model version, as in the events (required with --input and --ctr-impressions).")
    String version;

    @Mixin
    TrainingCsvOptions csv;

    @Option(names = "--multivariate",
            description = "With --input: also fit the *multivariate* baseline (PCA data reconstruction of the feature"
                    + " columns) that multivariate.enabled=true tests every window against.")
    boolean multivariate;

    @Option(names = "--multivariate-share", paramLabel = "S", defaultValue = "0.9",
            description = "Share of the reference's variance the kept principal components explain, in (0, 1]"
                    + " (default ${DEFAULT-VALUE}).")
    double multivariateShare = MultivariateBaseline.DEFAULT_VARIANCE_SHARE;

    @Option(names = "--multivariate-chunk", paramLabel = "ROWS", defaultValue = "500",
            description = "Rows per reference chunk, whose mean errors give the reference's window means; about a"
                    + " window's events (default ${DEFAULT-VALUE}).")
    int multivariateChunk = MultivariateBaseline.DEFAULT_CHUNK_SIZE;

    @Option(names = "--performance", paramLabel = "LABELLED.csv",
            description = "Labelled scores (a score and a label column) of the reference: publish the *performance*"
                    + " baseline (ROC AUC, log loss, Brier, calibration, base rate).")
    Path performance;

    @Option(names = "--performance-score", paramLabel = "COLUMN", defaultValue = PerformanceCsv.DEFAULT_SCORE_COLUMN,
            description = "Score column of --performance, the predicted probability in [0, 1] (default"
                    + " ${DEFAULT-VALUE}).")
    String performanceScore = PerformanceCsv.DEFAULT_SCORE_COLUMN;

    @Option(names = "--performance-label", paramLabel = "COLUMN", defaultValue = PerformanceCsv.DEFAULT_LABEL_COLUMN,
            description = "Label column of --performance: 1/0, true/false, yes/no or click/no_click (default"
                    + " ${DEFAULT-VALUE}).")
    String performanceLabel = PerformanceCsv.DEFAULT_LABEL_COLUMN;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--topic", paramLabel = "TOPIC",
            description = "Baselines topic (overrides topic.baselines; default driftwatch-baselines).")
    String topic;

    @Option(names = "--dry-run", description = "Build and print the baselines without publishing them.")
    boolean dryRun;

    @Option(names = "--output", paramLabel = "FILE.json",
            description = "Also write the baselines to this file, as a JSON array of Avro JSON records.")
    Path output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The baseline of {@code SUBJECT=K/N}, e.g. {@code business.success=800/1000}. */
    static CsvBaselines.Entry outcomeRate(String spec, String model, String version) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([a-z.]+)=(\\d+)/(\\d+)").matcher(spec.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("--outcome-rate " + spec + " is not SUBJECT=K/N; write e.g."
                    + " business.success=800/1000 (K successes of N trials)");
        }
        OutcomeRate rate = OutcomeRate.ofSubject(m.group(1)).orElseThrow(() -> new IllegalArgumentException(
                "--outcome-rate " + spec + ": no outcome rate has subject " + m.group(1) + "; use one of "
                        + java.util.Arrays.stream(OutcomeRate.values()).map(OutcomeRate::subject).toList()));
        long successes;
        long trials;
        try {
            successes = Long.parseLong(m.group(2));
            trials = Long.parseLong(m.group(3));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--outcome-rate " + spec + ": the counts are too large");
        }
        if (trials < 1 || successes > trials) {
            throw new IllegalArgumentException("--outcome-rate " + spec + ": need 1 <= N and K <= N, got " + successes
                    + "/" + trials);
        }
        return new CsvBaselines.Entry(rate.subject(), BaselineCodec.key(model, version, rate.subject()),
                RateBaseline.toAvro(rate, model, version, trials, successes, "cli:rate-counts", null, null, null));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (OutputFiles outputs = OutputFiles.check("--output", output)) {
            Map<String, String> overrides = new HashMap<>();
            overrides.put(DriftwatchConfig.TOPIC_BASELINES_CONFIG, topic);
            DriftwatchConfig cfg = connection.settings(overrides);
            if (input == null && ctrImpressions == null && fromJson == null && embeddings == null
                    && outcomeRates.isEmpty() && performance == null) {
                throw new IllegalArgumentException("nothing to build: give --input TRAIN.csv, or --ctr-impressions N"
                        + " --ctr-clicks K for a CTR baseline, --outcome-rate SUBJECT=K/N, --embeddings EMBEDDINGS.csv or"
                        + " --performance LABELLED.csv; or --from-json FILE.json to publish built ones");
            }
            if (fromJson != null && (input != null || ctrImpressions != null || ctrClicks != null
                    || embeddings != null || !outcomeRates.isEmpty() || performance != null)) {
                throw new IllegalArgumentException("--from-json publishes the baselines of a file as they are; give it"
                        + " without --input, --embeddings, --ctr-impressions/--ctr-clicks, --outcome-rate and"
                        + " --performance");
            }
            if ((ctrImpressions == null) != (ctrClicks == null)) {
                throw new IllegalArgumentException("--ctr-impressions and --ctr-clicks go together; give both");
            }
            if (fromJson == null && (model == null || version == null)) {
                throw new IllegalArgumentException("give the model version the baselines describe: --model MODEL"
                        + " --version VERSION");
            }
            List<CsvBaselines.Entry> entries = new ArrayList<>(fromJson != null ? fromJson(fromJson, model, version)
                    : input == null ? List.of() : CsvBaselines.fromCsv(input, model, version, csv.bins,
                            csv.categoricalColumns()));
            if (embeddings != null) {
                EmbeddingBaselines.fromCsv(embeddings, model, version, EmbeddingSettings.from(cfg).fit())
                        .forEach((key, b) -> entries.add(new CsvBaselines.Entry(b.getFeature(), key, b)));
            }
            if (multivariate) {
                if (input == null) {
                    throw new IllegalArgumentException("--multivariate fits on a training file; give --input TRAIN.csv");
                }
                Set<String> asCategories = new LinkedHashSet<>(csv.categoricalColumns());
                MultivariateBaseline fitted = MultivariateCsv.fromCsv(input, CsvColumns.read(input, asCategories),
                        model, version, multivariateShare, multivariateChunk, csv.bins);
                entries.add(new CsvBaselines.Entry(MultivariateBaseline.SUBJECT,
                        BaselineCodec.key(model, version, MultivariateBaseline.SUBJECT), fitted.avro()));
            }
            if (ctrImpressions != null) {
                entries.add(new CsvBaselines.Entry(CtrBaseline.SUBJECT,
                        BaselineCodec.key(model, version, CtrBaseline.SUBJECT),
                        CtrBaseline.toAvro(model, version, ctrImpressions, ctrClicks, "cli:ctr-counts", null, null,
                                null)));
            }
            for (String spec : outcomeRates) {
                entries.add(outcomeRate(spec, model, version));
            }
            if (performance != null) {
                entries.add(new CsvBaselines.Entry(PerformanceBaseline.SUBJECT,
                        BaselineCodec.key(model, version, PerformanceBaseline.SUBJECT), PerformanceCsv.fromCsv(
                                performance, performanceScore, performanceLabel, model, version,
                                PerformanceSettings.from(cfg).bins())));
            }
            if (output != null) {
                write(outputs, output, CsvBaselines.toJson(entries));
            }
            int width = entries.stream().mapToInt(e -> e.subject().length()).max().orElse(0);
            if (dryRun) {
                entries.forEach(e -> out.println(line(e, width)));
                out.println("dry run: " + entries.size() + " baselines of " + describe(entries)
                        + " built, nothing published");
                out.flush();
                return 0;
            }
            cfg.requireBootstrapServers();
            CommandSupport.refuseInMemoryRegistry(cfg);
            new BaselinePublisher(cfg).publish(entries, e -> {
                out.println(line(e, width));
                out.flush();
            });
            out.println("published " + entries.size() + " baselines of " + describe(entries) + " to "
                    + cfg.baselinesTopic());
            out.flush();
            return 0;
        } catch (ConfigException | PreflightException | CsvFormatException | IllegalArgumentException e) {
            return CommandSupport.badInput("baseline", e.getMessage(), err);
        }
    }

    /**
     * The baselines of a JSON file (a JSON array of Avro JSON {@code Baseline} records), each keyed by its own
     * model, version and subject; only those of {@code model} and {@code version} when given. An entry's subject
     * is its key, so that the printed lines name the model version.
     */
    static List<CsvBaselines.Entry> fromJson(Path file, String model, String version) {
        List<CsvBaselines.Entry> entries = new ArrayList<>();
        for (Baseline b : BaselineFiles.readJson(file)) {
            if ((model == null || model.equals(b.getModelId())) && (version == null || version.equals(b.getModelVersion()))) {
                String key = BaselineCodec.key(b.getModelId(), b.getModelVersion(), b.getFeature());
                entries.add(new CsvBaselines.Entry(key, key, b));
            }
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("no baseline of model " + model + " version " + version + " in " + file
                    + "; leave out --model and --version to publish all of them");
        }
        return entries;
    }

    /** "model m version v", or "models m1 1.0, m1 2.0" when the entries describe several versions. */
    private static String describe(List<CsvBaselines.Entry> entries) {
        Set<String> versions = new LinkedHashSet<>();
        for (CsvBaselines.Entry e : entries) {
            versions.add(e.baseline().getModelId() + " version " + e.baseline().getModelVersion());
        }
        return (versions.size() == 1 ? "model " : "models ") + String.join(", ", versions);
    }

    /** {@code subject  kind  n=…  missing=…  baseline-id}, subjects padded to {@code width}. */
    static String line(CsvBaselines.Entry e, int width) {
        Baseline b = e.baseline();
        String line = String.format(Locale.ROOT, "%-" + Math.max(1, width) + "s  %-11s  n=%-8d  missing=%-6d  %s",
                e.subject(), b.getKind().name().toLowerCase(Locale.ROOT), b.getTotalCount(), b.getMissingCount(),
                b.getBaselineId());
        return PerformanceBaseline.from(b).map(p -> line + String.format(Locale.ROOT, "  roc_auc=%.4f log_loss=%.4f"
                + " brier=%.4f calibration=%.4f base_rate=%.4f", p.rocAuc(), p.logLoss(), p.brier(), p.calibration(),
                p.baseRate())).orElse(line);
    }

    private static void write(OutputFiles outputs, Path file, String text) {
        try {
            Files.writeString(outputs.temp(file), text, StandardCharsets.UTF_8);
            outputs.commit();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write --output " + file + ": " + e.getMessage());
        }
    }
}
