package dev.driftwatch.streams.analyze;

import dev.driftwatch.schemas.avro.DataQuality;
import dev.driftwatch.schemas.avro.SubjectKind;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.quality.QualitySettings;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static dev.driftwatch.streams.report.ReportPage.esc;

/**
 * The report's "Data quality" section: per model version and subject, over the analysed windows, how many
 * windows had a data-quality problem and which, the largest missing share against the reference's, the windows
 * the subject was absent from, the largest unseen-category and out-of-range shares, infinities and type
 * mismatches. Says why when there is nothing.
 */
final class QualityTable {
    private QualityTable() {
    }

    /** Whether a window-stats record is a data-quality one (kept out of the drift tables). */
    static boolean isQuality(WindowStats s) {
        return SubjectKind.DATA_QUALITY.name().equals(s.getSubjectKind());
    }

    static void render(StringBuilder h, OfflineAnalysis.Result r) {
        h.append("<h2 id=\"data-quality\">Data quality</h2>\n");
        if (!QualitySettings.of(r.settings().signals()).enabled()) {
            h.append("<p class=\"na\">Not available: data-quality checks are off (set quality.enabled=true).</p>\n");
            return;
        }
        Map<String, List<WindowStats>> bySubject = new TreeMap<>();
        for (WindowStats s : r.stats()) {
            if (isQuality(s) && s.getDataQuality() != null) {
                bySubject.computeIfAbsent(s.getModelId() + " " + s.getModelVersion() + "\u0000" + s.getSubject(),
                        k -> new ArrayList<>()).add(s);
            }
        }
        if (bySubject.isEmpty()) {
            h.append("<p class=\"na\">No window closed.</p>\n");
            return;
        }
        h.append("<table><tr><th>model version</th><th>subject</th><th>windows with a problem</th><th>problems</th>")
                .append("<th>max missing share (reference)</th><th>absent windows</th><th>max unseen share (top)</th>")
                .append("<th>max out-of-range share [range]</th><th>infinities</th><th>type mismatches (e.g.)</th></tr>\n");
        bySubject.forEach((key, stats) -> row(h, key, stats));
        h.append("</table>\n");
    }

    private static void row(StringBuilder h, String key, List<WindowStats> stats) {
        int bad = 0;
        int absent = 0;
        long infinite = 0;
        long mismatches = 0;
        String example = null;
        Set<String> problems = new LinkedHashSet<>();
        DataQuality missing = null;
        DataQuality unseen = null;
        DataQuality range = null;
        for (WindowStats s : stats) {
            DataQuality q = s.getDataQuality();
            bad += q.getProblems().isEmpty() ? 0 : 1;
            problems.addAll(q.getProblems());
            absent += q.getAbsent() ? 1 : 0;
            infinite += q.getInfiniteCount();
            mismatches += q.getTypeMismatchCount();
            if (example == null) {
                example = q.getTypeMismatchExample();
            }
            missing = larger(missing, q, q.getMissingShare(), missing == null ? null : missing.getMissingShare());
            unseen = larger(unseen, q, q.getUnseenShare(), unseen == null ? null : unseen.getUnseenShare());
            range = larger(range, q, q.getOutOfRangeShare(), range == null ? null : range.getOutOfRangeShare());
        }
        String[] names = key.split("\u0000", 2);
        h.append("<tr><td>").append(esc(names[0])).append("</td><td>").append(esc(names[1])).append("</td><td")
                .append(bad > 0 ? " class=\"firing\">" : ">").append(bad).append(" / ").append(stats.size())
                .append("</td><td>").append(esc(problems.isEmpty() ? "—" : String.join(", ", problems).toLowerCase(Locale.ROOT)))
                .append("</td><td>").append(missing == null ? "—" : percent(missing.getMissingShare()) + " ("
                        + percent(missing.getReferenceMissingShare()) + ")")
                .append("</td><td>").append(absent).append("</td><td>")
                .append(unseen == null ? "—" : percent(unseen.getUnseenShare()) + " " + esc(unseen.getUnseenTop().toString()))
                .append("</td><td>").append(range == null ? "—" : percent(range.getOutOfRangeShare()) + " ["
                        + range.getRangeLow() + ", " + range.getRangeHigh() + "]")
                .append("</td><td>").append(infinite).append("</td><td>").append(mismatches)
                .append(example == null ? "" : " (" + esc(example) + ")").append("</td></tr>\n");
    }

    private static DataQuality larger(DataQuality best, DataQuality q, Double value, Double bestValue) {
        if (value == null) {
            return best;
        }
        return best == null || bestValue == null || value > bestValue ? q : best;
    }

    private static String percent(Double share) {
        return share == null ? "n/a" : String.format(Locale.ROOT, "%.2f %%", share * 100);
    }
}
