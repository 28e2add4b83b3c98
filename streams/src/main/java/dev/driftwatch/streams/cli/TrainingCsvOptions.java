package dev.driftwatch.streams.cli;

import picocli.CommandLine.Option;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** How a training CSV becomes baselines, for {@code baseline --input} and {@code analyze --baseline TRAIN.csv}. */
final class TrainingCsvOptions {
    @Option(names = "--bins", defaultValue = "10", paramLabel = "N",
            description = "Quantile bins of a training CSV's numeric columns for the binned tests (1..10000; default"
                    + " ${DEFAULT-VALUE}).")
    int bins = 10;

    @Option(names = "--categorical", split = ",", paramLabel = "COL",
            description = "Training-CSV columns to treat as categorical even if their values are numbers"
                    + " (comma-separated).")
    List<String> categorical = List.of();

    /** The columns named in {@code --categorical}, trimmed, blanks left out, in the order given. */
    Set<String> categoricalColumns() {
        Set<String> names = new LinkedHashSet<>();
        for (String c : categorical) {
            if (!c.isBlank()) {
                names.add(c.trim());
            }
        }
        return names;
    }
}
