package dev.driftwatch.streams.compare;

import dev.driftwatch.detectors.ColumnComparison;
import dev.driftwatch.detectors.DriftTest;
import dev.driftwatch.detectors.TestResult;
import dev.driftwatch.detectors.policy.DatasetVerdict;
import dev.driftwatch.detectors.policy.FeatureVerdict;
import dev.driftwatch.detectors.policy.Threshold;
import dev.driftwatch.streams.report.Charts;
import dev.driftwatch.streams.report.FeatureRow;
import dev.driftwatch.streams.report.FeatureTable;
import dev.driftwatch.streams.report.Histogram;
import dev.driftwatch.streams.report.ReportPage;
import dev.driftwatch.streams.report.ShortNumbers;
import dev.driftwatch.streams.report.TestGlossary;
import dev.driftwatch.streams.report.VerdictBox;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static dev.driftwatch.streams.report.ReportPage.esc;

/**
 * {@code compare --report}: the comparison of two files as a self-contained HTML page, with the same
 * dataset verdict, per-feature table and histograms as the {@code analyze} report.
 */
public final class CompareHtml {
    private CompareHtml() {
    }

    /** The page; {@code reference} and {@code current} name the two files. */
    public static String render(CompareReport report, String reference, String current) {
        StringBuilder h = new StringBuilder(64 * 1024);
        ReportPage.begin(h, "driftwatch compare", "Reference " + reference + " vs current " + current);
        DatasetVerdict d = report.evaluation().dataset();
        List<VerdictBox.Figure> figures = List.of(
                new VerdictBox.Figure(d.driftedFeatures() + " / " + d.totalFeatures(), "columns drifted"),
                new VerdictBox.Figure(ShortNumbers.percent(d.share()) + " vs " + ShortNumbers.percent(d.shareThreshold()),
                        "drifted share vs dataset threshold"),
                new VerdictBox.Figure(ShortNumbers.format(report.policy().alpha()), "alpha (Benjamini-Hochberg)"),
                new VerdictBox.Figure(Integer.toString(report.bins()), "quantile bins"));
        VerdictBox.render(h, current + " vs " + reference, d.isDrifted(), d.driftedFeatures(), figures, "");
        h.append("<h2>Columns</h2>\n");
        List<FeatureRow> rows = new ArrayList<>();
        Set<String> tests = new LinkedHashSet<>();
        for (int i = 0; i < report.columns().size(); i++) {
            ColumnComparison c = report.columns().get(i);
            c.tests().keySet().forEach(t -> tests.add(t.id()));
            rows.add(row(report, report.names().get(i), c, report.evaluation().features().get(i),
                    report.histograms().get(i)));
        }
        FeatureTable.render(h, "features-table-0", rows, false, Double.NaN);
        quality(h, report);
        TestGlossary.render(h, tests, false, Double.NaN, Double.NaN);
        ReportPage.end(h);
        return h.toString();
    }

    /** The data-quality checks of every column (see {@link CsvQuality}), as the text report prints them. */
    private static void quality(StringBuilder h, CompareReport report) {
        h.append("<h2 id=\"data-quality\">Data quality</h2>\n<table><tr><th>column</th><th>missing share ref / cur")
                .append(" (p)</th><th>out of range [range]</th><th>unseen (top)</th><th>type mismatches</th>")
                .append("<th>problems</th></tr>\n");
        for (CsvQuality q : report.quality()) {
            h.append("<tr><td>").append(esc(q.column())).append("</td><td>")
                    .append(percent(q.referenceMissingShare())).append(" / ").append(percent(q.currentMissingShare()))
                    .append(String.format(java.util.Locale.ROOT, " (%.3g)", q.missingP())).append("</td><td>")
                    .append(q.outOfRangeShare() == null ? "—" : percent(q.outOfRangeShare()) + " ["
                            + q.rangeLow() + ", " + q.rangeHigh() + "]").append("</td><td>")
                    .append(q.unseenShare() == null ? "—" : percent(q.unseenShare()) + " "
                            + esc(q.unseenTop().toString())).append("</td><td>")
                    .append(q.typeMismatch() == 0 ? "0" : q.typeMismatch() + " (" + esc(q.typeExample()) + ")")
                    .append("</td><td").append(q.problems().isEmpty() ? ">—" : " class=\"firing\">"
                            + esc(String.join(", ", q.problems()).toLowerCase(java.util.Locale.ROOT)))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static String percent(double share) {
        return String.format(java.util.Locale.ROOT, "%.2f %%", 100 * share);
    }

    private static FeatureRow row(CompareReport report, String name, ColumnComparison c, FeatureVerdict v,
                                  Histogram histogram) {
        TestResult effect = null;
        double bestRatio = Double.NEGATIVE_INFINITY;
        TestResult significance = null;
        for (TestResult r : c.tests().values()) {
            Threshold t = report.policy().thresholds().get(r.test());
            if (report.policy().decidingTests().contains(r.test()) && t != null) {
                double ratio = r.isDefined() ? r.statistic() / t.warning() : Double.NEGATIVE_INFINITY;
                if (effect == null || ratio > bestRatio) {
                    effect = r;
                    bestRatio = ratio;
                }
            }
            if (r.test().isSignificanceTest()) {
                significance = r;
            }
        }
        Threshold threshold = effect == null ? null : report.policy().thresholds().get(effect.test());
        StringBuilder details = new StringBuilder("<div class=\"charts\">");
        if (histogram == null) {
            details.append("<p class=\"na\">No values in the reference: no histogram.</p>");
        } else {
            Charts.histogram(details, histogram, name + ": reference vs current", "current");
        }
        details.append("</div>");
        testsTable(details, report, c, v);
        String note = v.isDrifted() ? v.severity().name().toLowerCase(Locale.ROOT) + ", by "
                + String.join(", ", v.driftedBy().stream().map(DriftTest::id).toList()) : "";
        long n = c.currentCount() + c.currentMissing();
        return new FeatureRow(name, c.kind().id(), effect == null ? null : effect.test().id(),
                significance == null ? null : significance.test().id(),
                effect == null || !effect.isDefined() ? null : effect.statistic(),
                threshold == null ? null : threshold.warning(),
                significance == null ? null : significance.pValue(), null, v.isDrifted(), note,
                n == 0 ? 0.0 : c.currentMissing() / (double) n, c.referenceCount(), c.currentCount(), details.toString());
    }

    private static void testsTable(StringBuilder h, CompareReport report, ColumnComparison c, FeatureVerdict v) {
        h.append("<table class=\"tests\"><tr><th>test</th><th>statistic</th><th>warning</th><th>critical</th>")
                .append("<th>p-value</th><th>note</th></tr>");
        for (TestResult r : c.tests().values()) {
            Threshold t = report.policy().thresholds().get(r.test());
            h.append("<tr><td>").append(esc(r.test().id().toUpperCase(Locale.ROOT))).append("</td><td class=\"num\">")
                    .append(r.isDefined() ? ShortNumbers.format(r.statistic(), 4) : "—").append("</td><td class=\"num\">")
                    .append(t == null ? "—" : ShortNumbers.format(t.warning(), 3)).append("</td><td class=\"num\">")
                    .append(t == null ? "—" : ShortNumbers.format(t.critical(), 3)).append("</td><td class=\"num\">")
                    .append(ShortNumbers.pValue(r.pValue())).append("</td><td>")
                    .append(r.isDefined() ? "" : esc(r.undefinedReason()))
                    .append(r.method() != null ? esc(r.method()) + " p-value" : "")
                    .append("</td></tr>");
        }
        h.append("</table><p class=\"sub\"><small>Reference ").append(ShortNumbers.count(c.referenceCount()))
                .append(" values (").append(ShortNumbers.count(c.referenceMissing())).append(" missing), current ")
                .append(ShortNumbers.count(c.currentCount())).append(" (").append(ShortNumbers.count(c.currentMissing()))
                .append(" missing)").append(v.adjustedPValue().isPresent() ? "; adjusted p-value "
                        + ShortNumbers.pValue(v.adjustedPValue().getAsDouble()) : "")
                .append(".</small></p>");
    }
}
