package dev.driftwatch.streams.report;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static dev.driftwatch.streams.report.ReportPage.esc;

/** "How to read this report": each test the report shows, explained in a few sentences. */
public final class TestGlossary {
    private static final Map<String, String> TESTS = new LinkedHashMap<>();

    static {
        TESTS.put("psi", "Population Stability Index. Puts reference and current values in the same bins"
                + " (reference quantiles for numbers, categories otherwise) and adds up, bin by bin, how much the share"
                + " moved weighted by the log of its ratio. 0 means the same shares; below 0.1 is usually read as"
                + " stable, above 0.25 as a large shift. It says how much, not how surprising.");
        TESTS.put("kl", "Kullback-Leibler divergence of the reference from the current bins (natural log). 0 when"
                + " the binned distributions match; it grows without bound when the current sample leaves reference"
                + " bins empty. Reported for information; it decides nothing.");
        TESTS.put("js", "Jensen-Shannon distance: a symmetric, bounded cousin of KL on the same bins, from 0"
                + " (same shares) to 0.83 (no bin in common). Good for comparing features with each other.");
        TESTS.put("ks", "Kolmogorov-Smirnov: the largest vertical gap between the reference's and the current"
                + " cumulative distributions (0..1), with a p-value for \"both samples come from one distribution\"."
                + " With thousands of values even a tiny gap has a tiny p-value, so it gates but does not decide alone.");
        TESTS.put("wasserstein", "Wasserstein distance (earth mover's) divided by the reference's standard deviation:"
                + " how far, on average, values had to move, in reference standard deviations. 0.1 is a small shift,"
                + " 1 a shift of a whole standard deviation. Undefined for a constant reference.");
        TESTS.put("chisq", "Chi-square test of the current category counts against the reference shares, with a"
                + " p-value; the categorical counterpart of KS.");
    }

    private TestGlossary() {
    }

    /**
     * The explanations of {@code tests} (ids such as "psi"), and, when {@code streaming}, of the evidence,
     * fire and resolve levels that decide alerts.
     */
    public static void render(StringBuilder h, Collection<String> tests, boolean streaming, double fireLevel,
                              double resolveLevel) {
        h.append("<h2>How to read this report</h2>\n<dl class=\"glossary\">");
        h.append("<dt>Drift</dt><dd>A feature drifts when an effect size (PSI, JS or Wasserstein) is large enough"
                + " to matter and the difference is unlikely to be chance: ")
                .append(streaming ? "its evidence reaches the fire level." : "its p-value, corrected across columns"
                        + " (Benjamini-Hochberg), is below alpha.")
                .append(" The dataset drifts when the share of drifted features reaches the dataset threshold.</dd>");
        if (streaming) {
            h.append("<dt>Evidence</dt><dd>How unlikely the window is under \"nothing changed\", in standard-normal"
                    + " units (a z-score): the larger of the window's own two-sample test against the baseline and a"
                    + " running score that adds up small changes that persist over windows. A window is over when it"
                    + " reaches the fire level (").append(ShortNumbers.format(fireLevel))
                    .append(") with an effect size that matters; a firing alert resolves after its evidence stays"
                            + " below the resolve level (").append(ShortNumbers.format(resolveLevel))
                    .append(") for a few windows in a row, so that it does not flap.</dd>");
        }
        for (String test : tests) {
            String id = test.toLowerCase(Locale.ROOT);
            String text = TESTS.get(id);
            if (text != null) {
                h.append("<dt>").append(esc(id.toUpperCase(Locale.ROOT))).append("</dt><dd>").append(esc(text))
                        .append("</dd>");
            }
        }
        h.append("<dt>Missing</dt><dd>Empty cells, NaN and infinities are counted apart and left out of every"
                + " test; a jump in the missing share is drift of its own.</dd></dl>\n");
    }
}
