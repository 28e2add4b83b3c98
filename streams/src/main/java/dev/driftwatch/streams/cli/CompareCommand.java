package dev.driftwatch.streams.cli;

import dev.driftwatch.detectors.BinEdges;
import dev.driftwatch.detectors.policy.AlertPolicy;
import dev.driftwatch.streams.compare.CompareHtml;
import dev.driftwatch.streams.compare.CompareReport;
import dev.driftwatch.streams.compare.CsvFormatException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code driftwatch compare}: every drift statistic of two CSV files, column by column. */
@Command(name = "compare",
        header = "Compare a current CSV file with a reference CSV file, column by column.",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Both files need a header row and the same columns. A column is numeric when every",
            "non-missing value parses as a number (or categorical if named in --categorical).",
            "Missing cells (empty, NaN, Inf, -Inf) are counted apart and left out of every test.",
            "Numeric columns: {numeric-tests} (the binned ones on --bins quantile bins of the",
            "reference). Categorical columns: {categorical-tests}. docs/architecture.md defines",
            "each test.",
            "",
            "A column drifts when an effect size ({deciding-tests}) reaches its warning",
            "threshold and its {significance-gates} p-value, Benjamini-Hochberg adjusted across",
            "columns, is below --alpha.",
        },
        footer = {"", "Examples:", "  bin/driftwatch compare --reference train.csv --current today.csv --format json",
            "  bin/driftwatch compare --reference train.csv --current today.csv --report drift.html"})
public final class CompareCommand implements Callable<Integer> {

    @Option(names = "--reference", required = true, paramLabel = "REF.csv",
            description = "The reference (baseline) CSV file.")
    Path reference;

    @Option(names = "--current", required = true, paramLabel = "CUR.csv",
            description = "The current CSV file compared with the reference.")
    Path current;

    @Option(names = "--bins", defaultValue = "10", paramLabel = "N",
            description = "Quantile bins of the reference for the binned tests (1..10000; default ${DEFAULT-VALUE}).")
    int bins;

    @Option(names = "--categorical", split = ",", paramLabel = "COL",
            description = "Columns to treat as categorical even if their values are numbers (comma-separated).")
    List<String> categorical = List.of();

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
            description = "Output format: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--alpha", defaultValue = "0.05", paramLabel = "P",
            description = "Significance level for the adjusted p-values (default ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--report", paramLabel = "FILE.html",
            description = "Also write a self-contained HTML report: the dataset verdict, a sortable per-column"
                    + " table and each column's histograms.")
    Path report;

    @Option(names = "--fail-on-drift",
            description = "Exit with status 1 when the dataset drifts (for CI pipelines).")
    boolean failOnDrift;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Output formats. */
    enum Format { json, text }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (OutputFiles outputs = OutputFiles.check("--report", report)) {
            BinEdges.checkBins(bins);
            if (!(alpha > 0 && alpha < 1)) {
                throw new IllegalArgumentException("--alpha must be between 0 and 1 (exclusive), got " + alpha);
            }
            Set<String> names = new LinkedHashSet<>();
            for (String c : categorical) {
                if (!c.isBlank()) {
                    names.add(c.trim());
                }
            }
            AlertPolicy policy = AlertPolicy.defaults().toBuilder().alpha(alpha).build();
            CompareReport result = CompareReport.compare(reference, current, bins, names, policy);
            if (report != null) {
                Files.writeString(outputs.temp(report), CompareHtml.render(result, reference.getFileName().toString(),
                        current.getFileName().toString()), StandardCharsets.UTF_8);
                outputs.commit();
            }
            out.print(format == Format.json ? result.toJson() + System.lineSeparator() : result.toText());
            out.flush();
            return failOnDrift && result.evaluation().dataset().isDrifted() ? 1 : 0;
        } catch (IOException e) {
            err.println("driftwatch compare: cannot write the report: " + e.getMessage());
            err.flush();
            return DriftwatchCli.EXIT_BAD_INPUT;
        } catch (CsvFormatException | IllegalArgumentException e) {
            err.println("driftwatch compare: " + e.getMessage());
            err.flush();
            return DriftwatchCli.EXIT_BAD_INPUT;
        }
    }
}
