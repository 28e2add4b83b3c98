package dev.driftwatch.streams.report;

import dev.driftwatch.detectors.DriftTest;
import dev.driftwatch.detectors.DriftTests;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

import static dev.driftwatch.streams.report.ReportPage.esc;

/**
 * "How to read this report": each test the report shows, explained in a few sentences (the registry's
 * {@link DriftTest#explanation}).
 */
public final class TestGlossary {
    private TestGlossary() {
    }

    /**
     * The explanations of {@code tests} (ids such as "psi"), and, when {@code streaming}, of the evidence,
     * fire and resolve levels that decide alerts.
     */
    public static void render(StringBuilder h, Collection<String> tests, boolean streaming, double fireLevel,
                              double resolveLevel) {
        h.append("<h2>How to read this report</h2>\n<dl class=\"glossary\">");
        List<String> deciding = DriftTests.all().stream().filter(DriftTest::decidesByDefault)
                .map(t -> t.id().toUpperCase(Locale.ROOT)).toList();
        h.append("<dt>Drift</dt><dd>A feature drifts when an effect size (")
                .append(esc(String.join(", ", deciding)))
                .append(") is large enough to matter and the difference is unlikely to be chance: ")
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
            String text = DriftTests.all().stream().filter(t -> t.id().equals(id)).findFirst()
                    .map(DriftTest::explanation).orElse(null);
            if (text != null) {
                h.append("<dt>").append(esc(id.toUpperCase(Locale.ROOT))).append("</dt><dd>").append(esc(text))
                        .append("</dd>");
            }
        }
        h.append("<dt>Missing</dt><dd>Empty cells, NaN and infinities are counted apart and left out of every"
                + " test; a jump in the missing share is drift of its own.</dd></dl>\n");
    }
}
