package dev.driftwatch.streams.report;

import java.util.List;

import static dev.driftwatch.streams.report.ReportPage.esc;

/**
 * The dataset verdict at the top of a model version (or of a file comparison): drifted, some features
 * drifted but below the dataset share, or stable; with its figures in large type.
 */
public final class VerdictBox {
    /** One figure of the box: a value in large type and what it is. */
    public record Figure(String value, String label) {
    }

    private VerdictBox() {
    }

    /**
     * @param subject         what the verdict is about, e.g. "ctr-model 1.5.0"
     * @param datasetDrifted  whether the drifted share reached its threshold
     * @param driftedFeatures features drifted (in the worst window, for streams)
     * @param figures         the figures shown under the heading
     * @param note            a sentence under the figures (HTML, escaped by the caller); may be empty
     */
    public static void render(StringBuilder h, String subject, boolean datasetDrifted, int driftedFeatures,
                              List<Figure> figures, String note) {
        String state = datasetDrifted ? "drifted" : driftedFeatures > 0 ? "partial" : "stable";
        String verdict = datasetDrifted ? "dataset drift detected"
                : driftedFeatures > 0 ? "no dataset drift, but " + driftedFeatures + " feature"
                + (driftedFeatures == 1 ? "" : "s") + " drifted" : "no drift detected";
        h.append("<section class=\"verdict ").append(state).append("\" data-verdict=\"").append(state).append("\">")
                .append("<h2>").append(esc(subject)).append(": ").append(esc(verdict)).append("</h2>")
                .append("<div class=\"figures\">");
        for (Figure f : figures) {
            h.append("<div class=\"figure\"><b>").append(esc(f.value())).append("</b>").append(esc(f.label()))
                    .append("</div>");
        }
        h.append("</div>");
        if (!note.isEmpty()) {
            h.append("<p>").append(note).append("</p>");
        }
        h.append("</section>\n");
    }
}
