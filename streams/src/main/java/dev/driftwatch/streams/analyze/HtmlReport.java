package dev.driftwatch.streams.analyze;

import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.FeatureKind;
import dev.driftwatch.schemas.avro.TestStatistic;
import dev.driftwatch.schemas.avro.WindowStats;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A self-contained HTML report of an offline analysis: inline CSS, inline SVG charts drawn here, and a
 * small inline script; nothing is fetched from the network. Per model version and subject: baseline vs
 * window histograms (the window with the highest PSI), the drift statistics over time with their
 * warning thresholds; an alert timeline and table; business metrics and SLIs sections say when there is
 * no data for them.
 *
 * <p>The inline script records any script error in the page title ({@code ERROR: …}) and, once the page
 * has loaded, checks that every chart drew something and sets the title to
 * {@code driftwatch report: N charts}; a headless browser reads the title to check the page.
 */
public final class HtmlReport {
    static final String BASELINE_COLOUR = "#4c78a8";
    static final String CURRENT_COLOUR = "#f58518";
    static final String THRESHOLD_COLOUR = "#e45756";
    private static final Map<String, String> TEST_COLOURS = Map.of("psi", "#54a24b", "js", "#b279a2",
            "wasserstein", "#9d755d", "kl", "#72b7b2", "ks", "#eeca3b", "chisq", "#ff9da6");
    private static final List<String> PLOTTED_TESTS = List.of("psi", "js", "wasserstein");

    private HtmlReport() {
    }

    /** The report; {@code title} names what was analysed (e.g. the input file). */
    public static String render(OfflineAnalysis.Result r, String title) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<title>driftwatch report</title>\n<script>\n")
                .append("window.onerror=function(m,s,l){document.title='ERROR: '+m+' at line '+l;return false;};\n")
                .append("window.addEventListener('load',function(){var c=document.querySelectorAll('svg.chart');")
                .append("var empty=0;for(var i=0;i<c.length;i++){var b=c[i].getBBox();")
                .append("if(c[i].childElementCount===0||b.width===0||b.height===0){empty++;}}")
                .append("if(document.title.indexOf('ERROR')!==0){document.title=empty?('ERROR: '+empty+' empty charts')")
                .append(":('driftwatch report: '+c.length+' charts');}});\n")
                .append("function toggle(id){var e=document.getElementById(id);e.hidden=!e.hidden;}\n")
                .append("</script>\n<style>\n")
                .append("body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#222;background:#fff}")
                .append("h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:32px}")
                .append("h3{font-size:15px;margin:18px 0 6px}table{border-collapse:collapse;font-size:13px}")
                .append("td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}th{background:#f4f4f4}")
                .append(".firing{color:#c0392b;font-weight:600}.resolved{color:#2e7d32;font-weight:600}")
                .append(".subject{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}")
                .append(".na{color:#777;font-style:italic}.legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}")
                .append(".drift{background:#fdecea}svg text{font-size:11px;fill:#333}button{font-size:12px}\n")
                .append("</style></head><body>\n");
        h.append("<h1>driftwatch offline analysis</h1>\n<p>").append(esc(title)).append("</p>\n");
        summary(h, r);
        timeline(h, r);
        alertsTable(h, r);
        businessTable(h, r);
        ServiceLevelTable.render(h, r);
        subjects(h, r);
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void summary(StringBuilder h, OfflineAnalysis.Result r) {
        long windows = r.stats().stream().map(s -> s.getModelVersion() + s.getWindowStart()).distinct().count();
        h.append("<table><tr><th>events</th><td>").append(r.events()).append("</td></tr>")
                .append("<tr><th>window statistics</th><td>").append(r.stats().size()).append(" (").append(windows)
                .append(" windows × model versions)</td></tr>")
                .append("<tr><th>alerts</th><td>").append(r.alerts().size()).append("</td></tr>")
                .append("<tr><th>dead letters</th><td>").append(r.deadLetters().size()).append("</td></tr>")
                .append("<tr><th>windows</th><td>").append(r.settings().windowSize()).append(" every ")
                .append(r.settings().windowAdvance()).append(", grace ").append(r.settings().grace())
                .append("</td></tr><tr><th>policy</th><td>").append(esc(r.settings().policy().version()))
                .append("</td></tr><tr><th>baselines</th><td>").append(r.baselines().size()).append("</td></tr></table>\n");
    }

    private static void timeline(StringBuilder h, OfflineAnalysis.Result r) {
        h.append("<h2>Alert timeline</h2>\n");
        if (r.stats().isEmpty()) {
            h.append("<p class=\"na\">No window closed.</p>\n");
            return;
        }
        long t0 = r.stats().stream().mapToLong(s -> s.getWindowStart().toEpochMilli()).min().orElse(0);
        long t1 = r.stats().stream().mapToLong(s -> s.getWindowEnd().toEpochMilli()).max().orElse(1);
        TreeSet<String> rows = new TreeSet<>();
        r.alerts().forEach(a -> rows.add(a.getModelVersion() + "  " + a.getSubject()));
        if (rows.isEmpty()) {
            rows.add("(no alerts)");
        }
        int left = 220;
        int width = 900;
        int rowHeight = 22;
        int height = 30 + rows.size() * rowHeight + 20;
        h.append("<svg class=\"chart\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" role=\"img\" aria-label=\"alert timeline\">");
        h.append(rect(left, 10, width - left - 10, height - 30, "#fafafa", "#ccc"));
        List<String> list = new ArrayList<>(rows);
        for (int i = 0; i < list.size(); i++) {
            int y = 30 + i * rowHeight;
            h.append(text(4, y + 4, list.get(i), "start"));
            h.append(line(left, y, width - 10, y, "#e5e5e5", false));
        }
        double scale = (width - left - 20) / (double) Math.max(1, t1 - t0);
        for (DriftAlert a : r.alerts()) {
            int row = list.indexOf(a.getModelVersion() + "  " + a.getSubject());
            double x = left + 5 + (a.getWindowEnd().toEpochMilli() - t0) * scale;
            int y = 30 + row * rowHeight;
            String colour = a.getState() == AlertState.FIRING ? "#c0392b" : "#2e7d32";
            h.append("<circle cx=\"").append(fmt(x)).append("\" cy=\"").append(y).append("\" r=\"6\" fill=\"")
                    .append(colour).append("\"><title>").append(esc(a.getState() + " " + a.getSubject() + " "
                            + a.getWindowStart() + " " + a.getAlertId())).append("</title></circle>");
        }
        h.append(text(left, height - 4, Instant.ofEpochMilli(t0).toString(), "start"));
        h.append(text(width - 10, height - 4, Instant.ofEpochMilli(t1).toString(), "end"));
        h.append("</svg>\n<p class=\"legend\"><span style=\"background:#c0392b\"></span>firing"
                + "<span style=\"background:#2e7d32\"></span>resolved (at the window's end)</p>\n");
    }

    private static void alertsTable(StringBuilder h, OfflineAnalysis.Result r) {
        h.append("<h2>Alerts</h2>\n");
        if (r.alerts().isEmpty()) {
            h.append("<p class=\"na\">No alerts.</p>\n");
            return;
        }
        h.append("<table><tr><th>state</th><th>severity</th><th>model</th><th>version</th><th>subject</th>")
                .append("<th>test</th><th>statistic</th><th>threshold</th><th>window</th><th>n</th><th>alert id</th></tr>\n");
        for (DriftAlert a : r.alerts()) {
            h.append("<tr><td class=\"").append(a.getState() == AlertState.FIRING ? "firing" : "resolved").append("\">")
                    .append(a.getState()).append("</td><td>").append(a.getSeverity()).append("</td><td>")
                    .append(esc(a.getModelId())).append("</td><td>").append(esc(a.getModelVersion())).append("</td><td>")
                    .append(esc(a.getSubject())).append("</td><td>").append(a.getTest()).append("</td><td>")
                    .append(fmt(a.getStatistic())).append("</td><td>").append(fmt(a.getThreshold())).append("</td><td>")
                    .append(a.getWindowStart()).append(" – ").append(a.getWindowEnd()).append("</td><td>")
                    .append(a.getCurrentSampleSize()).append("</td><td><code>").append(esc(a.getAlertId()))
                    .append("</code></td></tr>\n");
        }
        h.append("</table>\n");
    }

    /** Each window's CTR against its baseline, per model version; the drifted windows highlighted. */
    private static void businessTable(StringBuilder h, OfflineAnalysis.Result r) {
        h.append("<h2>Business metrics (CTR)</h2>\n");
        if (r.business().isEmpty()) {
            h.append("<p class=\"na\">Not available: this analysis has no outcome events"
                    + " (analyze --outcomes FILE.jsonl).</p>\n");
            return;
        }
        List<dev.driftwatch.schemas.avro.BusinessMetrics> rows = new ArrayList<>(r.business());
        rows.sort(Comparator.comparing((dev.driftwatch.schemas.avro.BusinessMetrics m) -> m.getModelId())
                .thenComparing(m -> m.getModelVersion()).thenComparing(m -> m.getSegment())
                .thenComparing(m -> m.getWindowStart()));
        h.append("<table><tr><th>model</th><th>version</th><th>segment</th><th>window</th><th>requests</th>")
                .append("<th>impressions</th><th>clicks</th><th>CTR</th><th>baseline CTR</th><th>relative drop</th>")
                .append("<th>p-value</th><th>conversions</th><th>duplicates</th><th>clicks without impression</th></tr>\n");
        for (var m : rows) {
            boolean alerting = r.alerts().stream().anyMatch(a -> a.getSubjectKind()
                    == dev.driftwatch.schemas.avro.SubjectKind.BUSINESS && a.getModelId().equals(m.getModelId())
                    && a.getModelVersion().equals(m.getModelVersion()) && a.getWindowStart().equals(m.getWindowStart()));
            h.append("<tr").append(alerting ? " class=\"drift\"" : "").append("><td>").append(esc(m.getModelId()))
                    .append("</td><td>").append(esc(m.getModelVersion())).append("</td><td>").append(esc(m.getSegment()))
                    .append("</td><td>").append(m.getWindowStart()).append(" – ").append(m.getWindowEnd())
                    .append("</td><td>").append(m.getRequestCount()).append("</td><td>").append(m.getImpressionCount())
                    .append("</td><td>").append(m.getClickCount()).append("</td><td>").append(opt(m.getCtr()))
                    .append("</td><td>").append(opt(m.getBaselineCtr())).append("</td><td>")
                    .append(opt(m.getCtrRelativeDrop())).append("</td><td>").append(opt(m.getCtrPValue()))
                    .append("</td><td>").append(m.getConversionCount()).append("</td><td>")
                    .append(m.getDuplicateOutcomes()).append("</td><td>").append(m.getClicksWithoutImpression())
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static String opt(Double d) {
        return d == null ? "–" : fmt(d);
    }

    private static void subjects(StringBuilder h, OfflineAnalysis.Result r) {
        Map<String, Map<String, List<WindowStats>>> byVersion = new TreeMap<>();
        for (WindowStats s : r.stats()) {
            byVersion.computeIfAbsent(s.getModelId() + " " + s.getModelVersion(), k -> new TreeMap<>())
                    .computeIfAbsent(s.getSubject(), k -> new ArrayList<>()).add(s);
        }
        int id = 0;
        for (Map.Entry<String, Map<String, List<WindowStats>>> v : byVersion.entrySet()) {
            h.append("<h2>Model ").append(esc(v.getKey())).append("</h2>\n");
            h.append("<p class=\"legend\"><span style=\"background:").append(BASELINE_COLOUR).append("\"></span>baseline")
                    .append("<span style=\"background:").append(CURRENT_COLOUR)
                    .append("\"></span>window with the highest PSI<span style=\"background:").append(THRESHOLD_COLOUR)
                    .append("\"></span>warning threshold</p>\n");
            for (Map.Entry<String, List<WindowStats>> s : v.getValue().entrySet()) {
                List<WindowStats> windows = new ArrayList<>(s.getValue());
                windows.sort(Comparator.comparing(WindowStats::getWindowStart));
                WindowStats first = windows.get(0);
                long drifting = windows.stream().filter(WindowStats::getDrifting).count();
                h.append("<h3").append(drifting > 0 ? " class=\"drift\"" : "").append(">").append(esc(s.getKey()))
                        .append(" <small>(").append(esc(first.getSubjectKind())).append(", drifting in ").append(drifting)
                        .append(" of ").append(windows.size()).append(" windows)</small> ")
                        .append("<button onclick=\"toggle('w").append(id).append("')\">windows</button></h3>\n")
                        .append("<div class=\"subject\">");
                histogram(h, r, first.getModelId(), first.getModelVersion(), s.getKey(), windows);
                statistics(h, windows);
                h.append("</div>\n");
                windowTable(h, windows, "w" + id++);
            }
        }
    }

    private static void histogram(StringBuilder h, OfflineAnalysis.Result r, String model, String version,
                                  String subject, List<WindowStats> windows) {
        Baseline b = r.histograms().baseline(model, version, subject);
        if (b == null) {
            h.append("<p class=\"na\">No baseline: no histogram.</p>");
            return;
        }
        WindowStats worst = windows.stream().max(Comparator.comparingDouble(w -> statistic(w, "psi"))).orElseThrow();
        WindowHistograms.Counts c = r.histograms().get(model, version, subject, worst.getWindowStart().toEpochMilli());
        List<String> labels = new ArrayList<>();
        List<Double> ref = new ArrayList<>();
        List<Double> cur = new ArrayList<>();
        if (b.getKind() == FeatureKind.NUMERIC) {
            List<Double> edges = b.getBinEdges();
            for (int i = 0; i <= edges.size(); i++) {
                labels.add(i == 0 ? (edges.isEmpty() ? "all" : "< " + fmt(edges.get(0)))
                        : i == edges.size() ? "≥ " + fmt(edges.get(i - 1))
                        : fmt(edges.get(i - 1)) + "–" + fmt(edges.get(i)));
                ref.add(i < b.getBinProportions().size() ? b.getBinProportions().get(i) : 0.0);
                cur.add(c == null || c.total() == 0 ? 0.0 : c.bins()[i] / (double) c.total());
            }
        } else {
            long total = b.getCategoryCounts().entrySet().stream().filter(e -> !e.getKey().isEmpty())
                    .mapToLong(Map.Entry::getValue).sum();
            TreeSet<String> cats = new TreeSet<>(b.getCategoryCounts().keySet());
            cats.remove("");
            if (c != null) {
                cats.addAll(c.categories().keySet());
            }
            for (String cat : cats) {
                labels.add(cat);
                ref.add(total == 0 ? 0.0 : b.getCategoryCounts().getOrDefault(cat, 0L) / (double) total);
                cur.add(c == null || c.total() == 0 ? 0.0 : c.categories().getOrDefault(cat, 0L) / (double) c.total());
            }
        }
        int width = 440;
        int height = 220;
        int left = 40;
        int bottom = 60;
        double max = 0.0;
        for (int i = 0; i < ref.size(); i++) {
            max = Math.max(max, Math.max(ref.get(i), cur.get(i)));
        }
        max = max <= 0 ? 1 : max * 1.1;
        h.append("<svg class=\"chart\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" role=\"img\" aria-label=\"histogram of ").append(esc(subject)).append("\">");
        h.append(text(left, 12, "bin proportions: baseline vs window " + worst.getWindowStart(), "start"));
        int plotH = height - bottom - 20;
        h.append(line(left, 20 + plotH, width - 5, 20 + plotH, "#999", false));
        h.append(text(left - 4, 24, fmt(max), "end")).append(text(left - 4, 20 + plotH, "0", "end"));
        double slot = (width - left - 10) / (double) Math.max(1, labels.size());
        for (int i = 0; i < labels.size(); i++) {
            double x = left + 5 + i * slot;
            double bw = Math.max(1, slot / 2 - 2);
            double rh = ref.get(i) / max * plotH;
            double ch = cur.get(i) / max * plotH;
            h.append(rect(x, 20 + plotH - rh, bw, rh, BASELINE_COLOUR, null));
            h.append(rect(x + bw + 1, 20 + plotH - ch, bw, ch, CURRENT_COLOUR, null));
            h.append("<text transform=\"translate(").append(fmt(x + bw)).append(',').append(24 + plotH)
                    .append(") rotate(40)\">").append(esc(shorten(labels.get(i)))).append("</text>");
        }
        h.append("</svg>");
    }

    private static void statistics(StringBuilder h, List<WindowStats> windows) {
        int width = 520;
        int height = 220;
        int left = 40;
        int plotW = width - left - 170;
        int plotH = height - 50;
        Map<String, double[]> series = new LinkedHashMap<>();
        Map<String, Double> thresholds = new LinkedHashMap<>();
        for (String test : PLOTTED_TESTS) {
            double[] values = new double[windows.size()];
            boolean any = false;
            for (int i = 0; i < windows.size(); i++) {
                values[i] = statistic(windows.get(i), test);
                any |= !Double.isNaN(values[i]);
                TestStatistic t = find(windows.get(i), test);
                if (t != null && t.getThreshold() != null) {
                    thresholds.put(test, t.getThreshold());
                }
            }
            if (any) {
                series.put(test, values);
            }
        }
        h.append("<svg class=\"chart\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" role=\"img\" aria-label=\"drift statistics over time\">");
        h.append(text(left, 12, "statistics per window (dashed: warning thresholds)", "start"));
        h.append(line(left, 20 + plotH, left + plotW, 20 + plotH, "#999", false));
        h.append(line(left, 20, left, 20 + plotH, "#999", false));
        if (series.isEmpty()) {
            h.append(text(left + 10, 40, "no statistics (no baseline)", "start")).append("</svg>");
            return;
        }
        double max = 0;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            for (double v : e.getValue()) {
                if (!Double.isNaN(v)) {
                    max = Math.max(max, v);
                }
            }
            max = Math.max(max, thresholds.getOrDefault(e.getKey(), 0.0));
        }
        max = max <= 0 ? 1 : max * 1.1;
        h.append(text(left - 4, 24, fmt(max), "end")).append(text(left - 4, 20 + plotH, "0", "end"));
        int n = windows.size();
        double step = plotW / (double) Math.max(1, n - 1);
        int legendY = 30;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            String colour = TEST_COLOURS.getOrDefault(e.getKey(), "#333");
            Double t = thresholds.get(e.getKey());
            if (t != null) {
                double y = 20 + plotH - t / max * plotH;
                h.append(line(left, y, left + plotW, y, colour, true));
            }
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < n; i++) {
                double v = e.getValue()[i];
                if (Double.isNaN(v)) {
                    continue;
                }
                double x = left + (n == 1 ? plotW / 2.0 : i * step);
                double y = 20 + plotH - v / max * plotH;
                points.append(fmt(x)).append(',').append(fmt(y)).append(' ');
                h.append("<circle cx=\"").append(fmt(x)).append("\" cy=\"").append(fmt(y)).append("\" r=\"2.5\" fill=\"")
                        .append(colour).append("\"><title>").append(esc(e.getKey() + " " + fmt(v) + " at "
                                + windows.get(i).getWindowStart())).append("</title></circle>");
            }
            h.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"2\" points=\"")
                    .append(points.toString().trim()).append("\"/>");
            h.append(rect(left + plotW + 10, legendY - 8, 10, 10, colour, null))
                    .append(text(left + plotW + 24, legendY, e.getKey() + (t == null ? "" : " (" + fmt(t) + ")"), "start"));
            legendY += 16;
        }
        h.append(text(left, height - 6, windows.get(0).getWindowStart().toString(), "start"));
        h.append(text(left + plotW, height - 6, windows.get(n - 1).getWindowStart().toString(), "end"));
        h.append("</svg>");
    }

    private static void windowTable(StringBuilder h, List<WindowStats> windows, String id) {
        h.append("<table id=\"").append(id).append("\" hidden><tr><th>window start</th><th>n</th><th>missing</th>")
                .append("<th>drifting</th><th>statistics</th></tr>");
        for (WindowStats w : windows) {
            StringBuilder stats = new StringBuilder();
            for (TestStatistic t : w.getStatistics()) {
                stats.append(t.getTest()).append('=').append(t.getValue() == null ? "—" : fmt(t.getValue()));
                if (t.getPValue() != null) {
                    stats.append(" (p ").append(fmt(t.getPValue())).append(')');
                }
                if (t.getUndefinedReason() != null) {
                    stats.append(" [").append(t.getUndefinedReason()).append(']');
                }
                stats.append("; ");
            }
            h.append("<tr").append(w.getDrifting() ? " class=\"drift\"" : "").append("><td>").append(w.getWindowStart())
                    .append("</td><td>").append(w.getSampleSize()).append("</td><td>").append(w.getMissingCount())
                    .append("</td><td>").append(w.getDrifting()).append("</td><td>").append(esc(stats.toString()))
                    .append("</td></tr>");
        }
        h.append("</table>\n");
    }

    private static TestStatistic find(WindowStats w, String test) {
        for (TestStatistic t : w.getStatistics()) {
            if (t.getTest().equals(test)) {
                return t;
            }
        }
        return null;
    }

    private static double statistic(WindowStats w, String test) {
        TestStatistic t = find(w, test);
        return t == null || t.getValue() == null || t.getValue().isNaN() || t.getValue().isInfinite()
                ? Double.NaN : t.getValue();
    }

    private static String rect(double x, double y, double w, double h, String fill, String stroke) {
        return "<rect x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" width=\"" + fmt(Math.max(0, w)) + "\" height=\""
                + fmt(Math.max(0, h)) + "\" fill=\"" + fill + "\"" + (stroke == null ? "" : " stroke=\"" + stroke + "\"")
                + "/>";
    }

    private static String line(double x1, double y1, double x2, double y2, String colour, boolean dashed) {
        return "<line x1=\"" + fmt(x1) + "\" y1=\"" + fmt(y1) + "\" x2=\"" + fmt(x2) + "\" y2=\"" + fmt(y2)
                + "\" stroke=\"" + colour + "\"" + (dashed ? " stroke-dasharray=\"5,4\"" : "") + "/>";
    }

    private static String text(double x, double y, String s, String anchor) {
        return "<text x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" text-anchor=\"" + anchor + "\">" + esc(s) + "</text>";
    }

    private static String shorten(String s) {
        return s.length() > 18 ? s.substring(0, 17) + "…" : s;
    }

    static String fmt(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "—";
        }
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e6)) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        return String.format(Locale.ROOT, a >= 100 ? "%.1f" : "%.3f", v);
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
