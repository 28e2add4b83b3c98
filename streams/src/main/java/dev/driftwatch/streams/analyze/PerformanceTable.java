package dev.driftwatch.streams.analyze;

import dev.driftwatch.schemas.avro.TestStatistic;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.performance.LabelSignal;
import dev.driftwatch.streams.performance.PerformanceSettings;
import dev.driftwatch.streams.performance.PerformanceSignal;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import static dev.driftwatch.streams.report.ReportPage.esc;

/**
 * The report's "Model performance" section: one row per model version and window with the realized performance on
 * the labelled requests (ROC AUC within its bound, calibration, log loss, Brier score, accuracy) beside the
 * estimate from the scores alone (CBPE: expected ROC AUC and accuracy, which assume calibrated scores) and the
 * reference's values when the version has a performance baseline. Says why when there is nothing.
 */
final class PerformanceTable {
    private PerformanceTable() {
    }

    /** Whether a window-stats record is a performance one: scores against clicks, or predictions against labels. */
    static boolean isPerformance(WindowStats s) {
        return s.getSubject().equals(PerformanceSignal.STATS_SUBJECT) || isLabels(s);
    }

    private static boolean isLabels(WindowStats s) {
        return s.getSubject().equals(LabelSignal.STATS_SUBJECT);
    }

    static void render(StringBuilder h, OfflineAnalysis.Result r) {
        h.append("<h2 id=\"performance\">Model performance</h2>\n");
        renderLabels(h, r);
        if (!PerformanceSettings.of(r.settings().signals()).enabled()) {
            h.append("<p class=\"na\">Not available: model performance is off (set performance.enabled=true; realized"
                    + " values also need business.enabled=true and outcomes).</p>\n");
            return;
        }
        List<WindowStats> rows = r.stats().stream().filter(t -> t.getSubject().equals(PerformanceSignal.STATS_SUBJECT))
                .sorted(Comparator.comparing(WindowStats::getModelId).thenComparing(WindowStats::getModelVersion)
                        .thenComparing(WindowStats::getWindowStart))
                .toList();
        if (rows.isEmpty()) {
            h.append("<p class=\"na\">No window closed with a score.</p>\n");
            return;
        }
        h.append("<p>Realized on the requests with an impression once their outcomes are final; estimated from every"
                + " score, assuming the scores are calibrated (as on the reference). Reference values come from the"
                + " version's performance baseline (subject <code>*performance*</code>), when it has one.</p>\n");
        h.append("<table><tr><th>model</th><th>version</th><th>window</th><th>labelled</th>")
                .append("<th>ROC AUC realized (± bound)</th><th>estimated</th><th>reference</th>")
                .append("<th>calibration</th><th>vs reference</th><th>reference</th>")
                .append("<th>log loss</th><th>reference</th><th>Brier</th><th>accuracy</th><th>estimated</th>")
                .append("<th></th></tr>\n");
        for (WindowStats s : rows) {
            h.append("<tr><td>").append(esc(s.getModelId())).append("</td><td>").append(esc(s.getModelVersion()))
                    .append("</td><td>").append(s.getWindowStart()).append(" .. ").append(s.getWindowEnd())
                    .append("</td><td>").append(s.getSampleSize()).append("</td><td>").append(value(s, "roc_auc"))
                    .append(bound(s)).append("</td><td>").append(value(s, "expected_roc_auc")).append("</td><td>")
                    .append(value(s, "reference_roc_auc")).append("</td><td>").append(value(s, "calibration"))
                    .append("</td><td>").append(value(s, "relative_calibration")).append("</td><td>")
                    .append(value(s, "reference_calibration")).append("</td><td>").append(value(s, "log_loss"))
                    .append("</td><td>").append(value(s, "reference_log_loss")).append("</td><td>")
                    .append(value(s, "brier")).append("</td><td>").append(value(s, "accuracy")).append("</td><td>")
                    .append(value(s, "expected_accuracy")).append("</td><td>")
                    .append(s.getDrifting() ? "<b>degraded</b>" : s.getInsufficientData() ? "too few labelled" : "")
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    /** Predictions against LABEL outcomes (accuracy and macro-F1 of classifiers, MAE, RMSE and bias of regressions). */
    private static void renderLabels(StringBuilder h, OfflineAnalysis.Result r) {
        List<WindowStats> rows = r.stats().stream().filter(PerformanceTable::isLabels)
                .sorted(Comparator.comparing(WindowStats::getModelId).thenComparing(WindowStats::getModelVersion)
                        .thenComparing(WindowStats::getWindowStart))
                .toList();
        if (rows.isEmpty()) {
            return;
        }
        h.append("<p>Predictions against labels (<code>LABEL</code> outcomes): a classifier's "
                + "<code>outputs.label</code> against the true class, a regression's <code>outputs.score</code> "
                + "against the true value.</p>\n");
        h.append("<table><tr><th>model</th><th>version</th><th>window</th><th>labelled</th><th>accuracy</th>")
                .append("<th>macro-F1</th><th>MAE</th><th>RMSE</th><th>bias</th><th></th></tr>\n");
        for (WindowStats s : rows) {
            h.append("<tr><td>").append(esc(s.getModelId())).append("</td><td>").append(esc(s.getModelVersion()))
                    .append("</td><td>").append(s.getWindowStart()).append(" .. ").append(s.getWindowEnd())
                    .append("</td><td>").append(s.getSampleSize()).append("</td><td>").append(value(s, "accuracy"))
                    .append("</td><td>").append(value(s, "macro_f1")).append("</td><td>").append(value(s, "mae"))
                    .append("</td><td>").append(value(s, "rmse")).append("</td><td>").append(value(s, "bias"))
                    .append("</td><td>").append(s.getDrifting() ? "<b>degraded</b>" : "").append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static TestStatistic statistic(WindowStats s, String test) {
        return s.getStatistics().stream().filter(t -> t.getTest().equals(test)).findFirst().orElse(null);
    }

    private static String value(WindowStats s, String test) {
        TestStatistic t = statistic(s, test);
        return t == null || t.getValue() == null ? "n/a" : String.format(Locale.ROOT, "%.4f", t.getValue());
    }

    private static String bound(WindowStats s) {
        TestStatistic t = statistic(s, "roc_auc");
        return t == null || t.getErrorBound() == null ? ""
                : String.format(Locale.ROOT, " (± %.4f)", t.getErrorBound());
    }
}
