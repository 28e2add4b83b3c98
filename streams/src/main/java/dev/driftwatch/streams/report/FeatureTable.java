package dev.driftwatch.streams.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import static dev.driftwatch.streams.report.ReportPage.esc;

/**
 * The per-feature table: drifted features first, sortable by clicking a header, each row opening its
 * charts and test details underneath.
 */
public final class FeatureTable {
    private FeatureTable() {
    }

    /**
     * Renders {@code rows}, drifted first, then by statistic over threshold (largest first); the first row's
     * charts are open when it drifted.
     *
     * @param id           the table's element id
     * @param withEvidence whether to show the evidence column (streams; a file comparison has none)
     * @param evidenceLevel the fire level quoted in the evidence column's header
     */
    public static void render(StringBuilder h, String id, List<FeatureRow> rows, boolean withEvidence,
                              double evidenceLevel) {
        List<FeatureRow> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparing((FeatureRow r) -> r.drifted() ? 0 : 1)
                .thenComparing(r -> Double.isNaN(r.ratio()) ? Double.POSITIVE_INFINITY : -r.ratio())
                .thenComparing(FeatureRow::name));
        int columns = withEvidence ? 11 : 10;
        h.append("<table class=\"features\" id=\"").append(esc(id)).append("\"><thead><tr>")
                .append(th("column", false, "feature or model output"))
                .append(th("type", false, null))
                .append(th("test", false, "effect size shown, and the significance test whose p-value is shown"))
                .append(th("statistic", true, "sorts by statistic ÷ threshold"))
                .append(th("threshold", true, "warning threshold of the effect size"))
                .append(th("p-value", true, "before the correction across features"));
        if (withEvidence) {
            h.append(th("evidence", true, "standard-normal units; fires at " + ShortNumbers.format(evidenceLevel)));
        }
        h.append(th("drift", false, null))
                .append(th("missing", true, "share of missing values in the current sample"))
                .append(th("reference n", true, null))
                .append(th("current n", true, null))
                .append("</tr></thead><tbody>\n");
        for (int i = 0; i < sorted.size(); i++) {
            FeatureRow r = sorted.get(i);
            // The most drifted feature's charts are open from the start: the first thing to look at.
            boolean open = i == 0 && r.drifted();
            h.append("<tr class=\"row").append(r.drifted() ? " drift" : "").append("\" data-feature=\"")
                    .append(esc(r.name())).append("\" data-drift=\"").append(r.drifted())
                    .append("\" aria-expanded=\"").append(open).append("\" onclick=\"openRow(this)\">")
                    .append("<td><b>").append(esc(r.name())).append("</b></td><td>").append(esc(r.type()))
                    .append("</td><td class=\"test\">").append(esc(r.effectTest() == null ? "—" : r.effectTest().toUpperCase(Locale.ROOT)))
                    .append(r.pValueTest() == null ? "" : " · " + esc(r.pValueTest().toUpperCase(Locale.ROOT)))
                    .append("</td>")
                    .append(num(Double.isNaN(r.ratio()) ? "" : Double.toString(r.ratio()), opt(r.statistic(), 4)))
                    .append(num(sortKey(r.threshold()), opt(r.threshold(), 3)))
                    .append(num(sortKey(r.pValue() == null ? null : -r.pValue()), ShortNumbers.pValue(r.pValue())));
            if (withEvidence) {
                h.append(num(sortKey(r.evidence()), opt(r.evidence(), 3)));
            }
            h.append("<td data-sort=\"").append(r.drifted() ? "1" : "0").append("\" class=\"")
                    .append(r.drifted() ? "yes\">yes" : "no\">no").append(r.driftNote().isEmpty() ? ""
                            : " <small>(" + esc(r.driftNote()) + ")</small>").append("</td>")
                    .append(num(Double.toString(r.missingShare()), ShortNumbers.percent(r.missingShare())))
                    .append(num(Long.toString(r.referenceSize()), ShortNumbers.count(r.referenceSize())))
                    .append(num(Long.toString(r.currentSize()), ShortNumbers.count(r.currentSize())))
                    .append("</tr>\n<tr class=\"detail\"").append(open ? "" : " hidden").append("><td colspan=\"").append(columns).append("\">")
                    .append(r.details()).append("</td></tr>\n");
        }
        h.append("</tbody></table>\n<p class=\"sub\"><small>Click a header to sort, a row to open its charts."
                + " p-values are sorted smallest first.</small></p>\n");
    }

    private static String th(String name, boolean numeric, String title) {
        return "<th" + (numeric ? " data-type=\"number\"" : "") + (title == null ? "" : " title=\"" + esc(title) + "\"")
                + " onclick=\"sortBy(this)\">" + esc(name) + "</th>";
    }

    private static String num(String sortKey, String shown) {
        return "<td class=\"num\" data-sort=\"" + esc(sortKey) + "\">" + esc(shown) + "</td>";
    }

    private static String sortKey(Double v) {
        return v == null || v.isNaN() ? "" : Double.toString(v);
    }

    private static String opt(Double v, int digits) {
        return v == null ? "—" : ShortNumbers.format(v, digits);
    }
}
