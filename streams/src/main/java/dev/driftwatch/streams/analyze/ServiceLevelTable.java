package dev.driftwatch.streams.analyze;

import dev.driftwatch.schemas.avro.ServiceLevels;
import dev.driftwatch.streams.slo.ServiceLevelObjective;
import dev.driftwatch.streams.slo.ServiceLevelSettings;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The report's "Operational SLIs" section: the objectives and rules the analysis judged, and one row per
 * window and model version (and segment) with calls, error rate, latency percentiles (within their
 * relative error), tokens, cost per call and the low-confidence share. Says why when there is nothing.
 */
final class ServiceLevelTable {
    private ServiceLevelTable() {
    }

    static void render(StringBuilder h, OfflineAnalysis.Result r) {
        h.append("<h2>Operational SLIs</h2>\n");
        ServiceLevelSettings slo = ServiceLevelSettings.of(r.settings().signals());
        if (!slo.enabled()) {
            h.append("<p class=\"na\">Not available: service levels are off (set slo.enabled=true).</p>\n");
            return;
        }
        List<ServiceLevels> rows = r.serviceLevels().stream()
                .sorted(Comparator.comparing(ServiceLevels::getModelId).thenComparing(ServiceLevels::getModelVersion)
                        .thenComparing(ServiceLevels::getSegment).thenComparing(ServiceLevels::getWindowStart))
                .toList();
        h.append("<p>Objectives: ");
        for (ServiceLevelObjective o : slo.objectives()) {
            h.append("<code>").append(esc(o.text())).append("</code> ");
        }
        h.append("; burn-rate rules: <code>").append(esc(slo.rulesText())).append("</code>.</p>\n");
        if (rows.isEmpty()) {
            h.append("<p class=\"na\">No window closed.</p>\n");
            return;
        }
        double relativeError = rows.get(0).getLatencyRelativeError();
        h.append("<table><tr><th>model</th><th>version</th><th>segment</th><th>window</th><th>calls</th>")
                .append("<th>error rate</th><th>latency p50 / p95 / p99 ms (±")
                .append(fmt("%.3g", relativeError * 100)).append(" %)</th><th>tokens in / out</th>")
                .append("<th>cost per call</th><th>low-confidence share</th></tr>\n");
        for (ServiceLevels s : rows) {
            h.append("<tr><td>").append(esc(s.getModelId())).append("</td><td>").append(esc(s.getModelVersion()))
                    .append("</td><td>").append(esc(s.getSegment())).append("</td><td>")
                    .append(s.getWindowStart()).append(" .. ").append(s.getWindowEnd()).append("</td><td>")
                    .append(s.getRequests()).append("</td><td>").append(percent(s.getErrorRate())).append("</td><td>")
                    .append(ms(s.getLatencyP50Ms())).append(" / ").append(ms(s.getLatencyP95Ms())).append(" / ")
                    .append(ms(s.getLatencyP99Ms())).append("</td><td>").append(s.getTokensIn()).append(" / ")
                    .append(s.getTokensOut()).append("</td><td>")
                    .append(s.getCostPerRequest() == null ? "n/a" : fmt("%.6g", s.getCostPerRequest()))
                    .append("</td><td>").append(percent(s.getLowConfidenceShare())).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static String percent(Double share) {
        return share == null ? "n/a" : fmt("%.2f %%", share * 100);
    }

    private static String ms(Double v) {
        return v == null ? "n/a" : fmt("%.1f", v);
    }

    private static String fmt(String format, double v) {
        return String.format(Locale.ROOT, format, v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
