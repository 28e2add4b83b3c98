package dev.driftwatch.streams.analyze;

import dev.driftwatch.detectors.ColumnKind;
import dev.driftwatch.detectors.DriftTest;
import dev.driftwatch.detectors.DriftTests;
import dev.driftwatch.detectors.policy.AlertPolicy;
import dev.driftwatch.detectors.policy.DatasetVerdict;
import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.BusinessMetrics;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.FeatureKind;
import dev.driftwatch.schemas.avro.SubjectKind;
import dev.driftwatch.schemas.avro.TestStatistic;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.roles.RoleSettings;
import dev.driftwatch.streams.report.Charts;
import dev.driftwatch.streams.report.FeatureRow;
import dev.driftwatch.streams.report.FeatureTable;
import dev.driftwatch.streams.report.Histogram;
import dev.driftwatch.streams.report.ReportPage;
import dev.driftwatch.streams.report.ShortNumbers;
import dev.driftwatch.streams.report.TestGlossary;
import dev.driftwatch.streams.report.VerdictBox;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static dev.driftwatch.streams.report.ReportPage.esc;

/**
 * A self-contained HTML report of an offline analysis (see {@link ReportPage}: inline CSS, SVG and script,
 * nothing fetched). From the top: each model version's dataset verdict (drifted share of the judged
 * features against the policy's threshold, in the worst window), drifted versions first; per version, the
 * per-feature table of the worst window, drifted features first, each row opening the reference vs window
 * histogram, the evidence over time with the fire and resolve levels and the alerts, and the effect sizes
 * over time with their thresholds; then the alert timeline and table, CTR, service levels, shadow and
 * canary comparisons, and what each test means.
 */
public final class HtmlReport {
    private static final DateTimeFormatter WINDOW = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    /** The colours of the effect sizes' series, in the registry's order of effect sizes, round robin. */
    private static final List<String> EFFECT_PALETTE = List.of("#54a24b", "#e45756", "#b279a2", "#9d755d",
            "#4c78a8", "#f58518", "#72b7b2");

    private HtmlReport() {
    }

    /** The colour of an effect size's series (psi, kl, js, wasserstein, ... in the registry's order). */
    private static String effectColour(String id) {
        List<DriftTest> effects = DriftTests.effectSizes();
        for (int i = 0; i < effects.size(); i++) {
            if (effects.get(i).id().equalsIgnoreCase(id)) {
                return EFFECT_PALETTE.get(i % EFFECT_PALETTE.size());
            }
        }
        return "#333";
    }

    /** Whether the test of this id applies to numeric subjects (an unknown id counts as numeric). */
    private static boolean numericTest(String id) {
        return DriftTests.all().stream().filter(t -> t.id().equalsIgnoreCase(id)).findFirst()
                .map(t -> t.appliesTo(ColumnKind.NUMERIC)).orElse(true);
    }

    /** The report; {@code title} names what was analysed (e.g. the input file). */
    public static String render(OfflineAnalysis.Result r, String title) {
        StringBuilder h = new StringBuilder(256 * 1024);
        ReportPage.begin(h, "driftwatch offline analysis", title);
        AlertPolicy policy = r.settings().policy();
        List<VersionSummary> versions = VersionSummary.of(r.stats(), policy);
        summary(h, r, versions);
        for (VersionSummary v : versions) {
            verdict(h, r, v);
        }
        int table = 0;
        for (VersionSummary v : versions) {
            features(h, r, v, policy, table++);
        }
        timeline(h, r);
        alertsTable(h, r);
        businessTable(h, r);
        outcomesTable(h, r);
        ServiceLevelTable.render(h, r);
        roles(h, r);
        QualityTable.render(h, r);
        PerformanceTable.render(h, r);
        Set<String> tests = new LinkedHashSet<>();
        r.stats().stream().filter(s -> !QualityTable.isQuality(s) && !PerformanceTable.isPerformance(s))
                .forEach(s -> s.getStatistics().forEach(t -> tests.add(t.getTest().toLowerCase(Locale.ROOT))));
        TestGlossary.render(h, tests, true, policy.evidence().fireLevel(), policy.evidence().resolveLevel());
        ReportPage.end(h);
        return h.toString();
    }

    private static void summary(StringBuilder h, OfflineAnalysis.Result r, List<VersionSummary> versions) {
        int windows = versions.stream().mapToInt(v -> v.windows.size()).max().orElse(0);
        h.append("<p class=\"sub\">").append(ShortNumbers.count(r.events())).append(" events · ")
                .append(versions.size()).append(" model version").append(versions.size() == 1 ? "" : "s").append(" · ")
                .append(windows).append(" windows of ").append(r.settings().windowSize()).append(" every ")
                .append(r.settings().windowAdvance()).append(" (grace ").append(r.settings().grace()).append(") · policy ")
                .append(esc(r.settings().policy().version())).append(" · ").append(r.baselines().size())
                .append(" baselines · ").append(r.alerts().size()).append(" alerts · ").append(r.deadLetters().size())
                .append(" dead letters</p>\n");
        if (versions.isEmpty()) {
            h.append("<p class=\"na\">No window closed: nothing to judge.</p>\n");
        }
    }

    private static void verdict(StringBuilder h, OfflineAnalysis.Result r, VersionSummary v) {
        DatasetVerdict worst = v.worstVerdict();
        List<VerdictBox.Figure> figures = new ArrayList<>();
        String note;
        if (worst == null) {
            figures.add(new VerdictBox.Figure("—", "no window had enough data to judge"));
            note = "";
        } else {
            figures.add(new VerdictBox.Figure(worst.driftedFeatures() + " / " + worst.totalFeatures(),
                    "features drifted in the worst window"));
            figures.add(new VerdictBox.Figure(ShortNumbers.percent(worst.share()) + " vs "
                    + ShortNumbers.percent(worst.shareThreshold()), "drifted share vs dataset threshold"));
            figures.add(new VerdictBox.Figure(window(v.windows.get(v.worst)), "worst window (UTC)"));
            figures.add(new VerdictBox.Figure(v.datasetDriftWindows() + " / " + v.windows.size(),
                    "windows with dataset drift"));
            List<String> firing = firingAtEnd(r, v);
            figures.add(new VerdictBox.Figure(Integer.toString(firing.size()), "alerts firing at the end"));
            note = firing.isEmpty() ? "" : "Firing at the end: " + esc(String.join(", ", firing)) + ".";
        }
        long outputsDrifted = v.subjects.keySet().stream().map(s -> v.at(s, v.worst))
                .filter(s -> s != null && !VersionSummary.isFeature(s) && s.getDrifting()).count();
        if (outputsDrifted > 0) {
            note += (note.isEmpty() ? "" : " ") + outputsDrifted + " model output" + (outputsDrifted == 1 ? "" : "s")
                    + " drifted too (outputs are not counted in the dataset share).";
        }
        note += (note.isEmpty() ? "" : " ") + "<a href=\"#features-" + esc(anchor(v)) + "\">Per-feature table</a>";
        VerdictBox.render(h, v.name(), worst != null && worst.isDrifted(),
                worst == null ? 0 : worst.driftedFeatures(), figures, note);
    }

    /** Subjects whose last alert is FIRING. */
    private static List<String> firingAtEnd(OfflineAnalysis.Result r, VersionSummary v) {
        Map<String, DriftAlert> last = new TreeMap<>();
        for (DriftAlert a : r.alerts()) {
            if (a.getModelId().equals(v.modelId) && a.getModelVersion().equals(v.modelVersion)) {
                last.put(a.getSubjectKind() == SubjectKind.DATASET ? "dataset"
                        : a.getSubjectKind() == SubjectKind.DATA_QUALITY ? a.getSubject() + " (data quality)"
                        : a.getSubject(), a);
            }
        }
        List<String> out = new ArrayList<>();
        last.forEach((s, a) -> {
            if (a.getState() == AlertState.FIRING) {
                out.add(s);
            }
        });
        return out;
    }

    private static void features(StringBuilder h, OfflineAnalysis.Result r, VersionSummary v, AlertPolicy policy,
                                 int index) {
        h.append("<h2 id=\"features-").append(esc(anchor(v))).append("\">Features of ").append(esc(v.name()))
                .append(" <small>in the worst window, ").append(window(v.windows.get(v.worst))).append("</small></h2>\n");
        List<FeatureRow> rows = new ArrayList<>();
        for (String subject : v.subjects.keySet()) {
            rows.add(row(r, v, policy, subject));
        }
        FeatureTable.render(h, "features-table-" + index, rows, true, policy.evidence().fireLevel());
    }

    private static FeatureRow row(OfflineAnalysis.Result r, VersionSummary v, AlertPolicy policy, String subject) {
        Map<Instant, WindowStats> byWindow = v.subjects.get(subject);
        WindowStats s = v.at(subject, v.worst);
        if (s == null) {
            s = byWindow.values().stream().reduce((a, b) -> b).orElseThrow();
        }
        TestStatistic effect = VersionSummary.decidingEffect(s, policy);
        TestStatistic significance = VersionSummary.significance(s);
        long drifting = byWindow.values().stream().filter(WindowStats::getDrifting).count();
        Baseline baseline = r.histograms().baseline(v.modelId, v.modelVersion, subject);
        String kind = baseline != null ? (baseline.getKind() == FeatureKind.NUMERIC ? "numeric" : "categorical")
                : significance != null && !numericTest(significance.getTest()) ? "categorical" : "numeric";
        String role = s.getSubjectKind().toLowerCase(Locale.ROOT);
        long n = s.getSampleSize() + s.getMissingCount();
        StringBuilder details = new StringBuilder();
        details(details, r, v, policy, subject, s, baseline);
        return new FeatureRow(subject, role.equals("feature") ? kind : kind + " " + role,
                effect == null ? null : effect.getTest().toLowerCase(Locale.ROOT),
                significance == null ? null : significance.getTest().toLowerCase(Locale.ROOT),
                effect == null ? null : effect.getValue(), effect == null ? null : effect.getThreshold(),
                significance == null ? null : significance.getPValue(), s.getEvidence(), s.getDrifting(),
                drifting + " of " + byWindow.size() + " windows" + (s.getInsufficientData() ? "; too few values" : ""),
                n == 0 ? 0.0 : s.getMissingCount() / (double) n, s.getReferenceSampleSize(), s.getSampleSize(),
                details.toString());
    }

    /** A feature's opened row: the histogram, the evidence and effects over time, and every test. */
    private static void details(StringBuilder h, OfflineAnalysis.Result r, VersionSummary v, AlertPolicy policy,
                                String subject, WindowStats shown, Baseline baseline) {
        h.append("<div class=\"charts\">");
        Histogram hist = histogram(r, v, subject, shown, baseline);
        if (hist == null) {
            h.append("<p class=\"na\">No baseline for ").append(esc(subject)).append(": no histogram.</p>");
        } else {
            Charts.histogram(h, hist, subject + ": reference vs window " + TIME.format(shown.getWindowStart()),
                    "window " + TIME.format(shown.getWindowStart()));
        }
        int n = v.windows.size();
        double[] evidence = new double[n];
        boolean[] over = new boolean[n];
        Map<String, double[]> effects = new LinkedHashMap<>();
        Map<String, Double> thresholds = new HashMap<>();
        Set<String> deciding = new TreeSet<>();
        policy.decidingTests().forEach(t -> deciding.add(t.id()));
        for (int i = 0; i < n; i++) {
            WindowStats s = v.at(subject, i);
            evidence[i] = s == null || s.getEvidence() == null ? Double.NaN : s.getEvidence();
            over[i] = s != null && s.getDrifting();
            for (TestStatistic t : s == null ? List.<TestStatistic>of() : s.getStatistics()) {
                String id = t.getTest().toLowerCase(Locale.ROOT);
                if (!deciding.contains(id)) {
                    continue;
                }
                effects.computeIfAbsent(id, k -> filledNaN(n))[i] = t.getValue() == null ? Double.NaN : t.getValue();
                if (t.getThreshold() != null) {
                    thresholds.put(id, t.getThreshold());
                }
            }
        }
        List<Charts.Marker> markers = markers(r, v, subject);
        Charts.overTime(h, subject + ": evidence per window", v.windows,
                List.of(new Charts.Series("evidence (z)", "#333", evidence)),
                List.of(new Charts.Level("fire level", Charts.FIRE_COLOUR, policy.evidence().fireLevel()),
                        new Charts.Level("resolve level", Charts.RESOLVE_COLOUR, policy.evidence().resolveLevel())),
                over, markers, 4 * policy.evidence().fireLevel());
        List<Charts.Series> series = new ArrayList<>();
        List<Charts.Level> levels = new ArrayList<>();
        boolean oneThreshold = new HashSet<>(thresholds.values()).size() == 1;
        effects.forEach((id, values) -> {
            String colour = effectColour(id);
            series.add(new Charts.Series(id, colour, values));
            if (thresholds.containsKey(id) && !oneThreshold) {
                levels.add(new Charts.Level(id + " warning", colour, thresholds.get(id)));
            }
        });
        if (oneThreshold) {
            levels.add(new Charts.Level("warning", Charts.FIRE_COLOUR, thresholds.values().iterator().next()));
        }
        if (!series.isEmpty()) {
            Charts.overTime(h, subject + ": effect sizes per window", v.windows, series, levels, over, markers,
                    Double.NaN);
        }
        h.append("</div>");
        testsTable(h, shown);
    }

    private static double[] filledNaN(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }

    private static List<Charts.Marker> markers(OfflineAnalysis.Result r, VersionSummary v, String subject) {
        List<Charts.Marker> out = new ArrayList<>();
        for (DriftAlert a : r.alerts()) {
            if (a.getModelId().equals(v.modelId) && a.getModelVersion().equals(v.modelVersion)
                    && a.getSubject().equals(subject) && a.getSubjectKind() != SubjectKind.DATASET
                    && a.getSubjectKind() != SubjectKind.DATA_QUALITY) {
                int i = v.windows.indexOf(a.getWindowStart());
                if (i >= 0) {
                    out.add(new Charts.Marker(i, a.getState() == AlertState.FIRING, a.getSummary() == null
                            ? a.getState() + " " + a.getSeverity() + " " + a.getAlertId() : a.getSummary()));
                }
            }
        }
        return out;
    }

    private static Histogram histogram(OfflineAnalysis.Result r, VersionSummary v, String subject, WindowStats shown,
                                       Baseline b) {
        if (b == null) {
            return null;
        }
        WindowHistograms.Counts c = r.histograms().get(v.modelId, v.modelVersion, subject,
                shown.getWindowStart().toEpochMilli());
        if (b.getKind() == FeatureKind.NUMERIC) {
            double[] edges = b.getBinEdges().stream().mapToDouble(Double::doubleValue).toArray();
            long[] ref = new long[edges.length + 1];
            for (int i = 0; i < ref.length && i < b.getBinCounts().size(); i++) {
                ref[i] = b.getBinCounts().get(i);
            }
            return Histogram.numeric(edges, ref, c == null ? new long[edges.length + 1] : c.bins());
        }
        Map<String, Long> ref = new TreeMap<>(b.getCategoryCounts());
        ref.remove("");
        return Histogram.categorical(ref, c == null ? Map.of() : c.categories());
    }

    private static void testsTable(StringBuilder h, WindowStats s) {
        h.append("<table class=\"tests\"><tr><th>test</th><th>statistic</th><th>threshold</th><th>over</th>")
                .append("<th>p-value</th><th>error bound</th><th>note</th></tr>");
        for (TestStatistic t : s.getStatistics()) {
            h.append("<tr><td>").append(esc(t.getTest().toUpperCase(Locale.ROOT))).append("</td><td class=\"num\">")
                    .append(t.getValue() == null ? "—" : ShortNumbers.format(t.getValue(), 4)).append("</td><td class=\"num\">")
                    .append(t.getThreshold() == null ? "—" : ShortNumbers.format(t.getThreshold(), 3))
                    .append("</td><td>").append(t.getOverThreshold() ? "yes" : "no").append("</td><td class=\"num\">")
                    .append(ShortNumbers.pValue(t.getPValue())).append("</td><td class=\"num\">")
                    .append(t.getErrorBound() == null ? "exact" : "± " + ShortNumbers.format(t.getErrorBound(), 2))
                    .append("</td><td>").append(esc(t.getUndefinedReason())).append("</td></tr>");
        }
        h.append("</table><p class=\"sub\"><small>Window ").append(window(s.getWindowStart())).append(": ")
                .append(ShortNumbers.count(s.getSampleSize())).append(" values, ")
                .append(ShortNumbers.count(s.getMissingCount())).append(" missing; evidence ")
                .append(s.getEvidence() == null ? "not judged" : ShortNumbers.format(s.getEvidence(), 3))
                .append(s.getSequentialEvidence() == null ? "" : " (sequential "
                        + ShortNumbers.format(s.getSequentialEvidence(), 3) + ")")
                .append(s.getInsufficientData() ? "; too few values to fire or resolve" : "")
                .append(".</small></p>");
    }

    private static void timeline(StringBuilder h, OfflineAnalysis.Result r) {
        h.append("<h2 id=\"timeline\">Alert timeline</h2>\n");
        if (r.stats().isEmpty()) {
            h.append("<p class=\"na\">No window closed.</p>\n");
            return;
        }
        long t0 = r.stats().stream().mapToLong(s -> s.getWindowStart().toEpochMilli()).min().orElse(0);
        long t1 = r.stats().stream().mapToLong(s -> s.getWindowEnd().toEpochMilli()).max().orElse(1);
        TreeSet<String> rows = new TreeSet<>();
        r.alerts().forEach(a -> rows.add(a.getModelVersion() + "  " + subjectName(a)));
        if (rows.isEmpty()) {
            h.append("<p class=\"na\">No alerts.</p>\n");
            return;
        }
        int left = 220;
        int width = 900;
        int rowHeight = 22;
        int height = 30 + rows.size() * rowHeight + 20;
        h.append("<svg class=\"chart\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" role=\"img\" aria-label=\"alert timeline\">");
        h.append("<rect x=\"").append(left).append("\" y=\"10\" width=\"").append(width - left - 10).append("\" height=\"")
                .append(height - 30).append("\" fill=\"#fafafa\" stroke=\"#ccc\"/>");
        List<String> list = new ArrayList<>(rows);
        for (int i = 0; i < list.size(); i++) {
            int y = 30 + i * rowHeight;
            h.append("<text x=\"4\" y=\"").append(y + 4).append("\">").append(esc(list.get(i))).append("</text>")
                    .append("<line x1=\"").append(left).append("\" y1=\"").append(y).append("\" x2=\"").append(width - 10)
                    .append("\" y2=\"").append(y).append("\" stroke=\"#e5e5e5\"/>");
        }
        double scale = (width - left - 20) / (double) Math.max(1, t1 - t0);
        for (DriftAlert a : r.alerts()) {
            int row = list.indexOf(a.getModelVersion() + "  " + subjectName(a));
            double x = left + 5 + (a.getWindowEnd().toEpochMilli() - t0) * scale;
            int y = 30 + row * rowHeight;
            String colour = a.getState() == AlertState.FIRING ? Charts.FIRE_COLOUR : Charts.RESOLVE_COLOUR;
            h.append("<circle cx=\"").append(String.format(Locale.ROOT, "%.1f", x)).append("\" cy=\"").append(y)
                    .append("\" r=\"6\" fill=\"").append(colour).append("\"><title>")
                    .append(esc(a.getState() + " " + subjectName(a) + " " + a.getWindowStart() + " " + a.getAlertId()))
                    .append("</title></circle>");
        }
        h.append("<text x=\"").append(left).append("\" y=\"").append(height - 4).append("\">")
                .append(window(Instant.ofEpochMilli(t0))).append("</text><text x=\"").append(width - 10).append("\" y=\"")
                .append(height - 4).append("\" text-anchor=\"end\">").append(window(Instant.ofEpochMilli(t1)))
                .append("</text></svg>\n<p class=\"legend\"><span style=\"background:").append(Charts.FIRE_COLOUR)
                .append("\"></span>firing<span style=\"background:").append(Charts.RESOLVE_COLOUR)
                .append("\"></span>resolved (at the window's end, UTC)</p>\n");
    }

    private static void alertsTable(StringBuilder h, OfflineAnalysis.Result r) {
        h.append("<h2 id=\"alerts\">Alerts</h2>\n");
        if (r.alerts().isEmpty()) {
            h.append("<p class=\"na\">No alerts.</p>\n");
            return;
        }
        h.append("<table><tr><th>state</th><th>severity</th><th>model</th><th>version</th><th>subject</th>")
                .append("<th>test</th><th>statistic</th><th>threshold</th><th>adjusted p-value</th><th>window (UTC)</th>")
                .append("<th>n</th><th>alert id</th></tr>\n");
        for (DriftAlert a : r.alerts()) {
            h.append("<tr title=\"").append(esc(a.getSummary())).append("\"><td class=\"")
                    .append(a.getState() == AlertState.FIRING ? "firing" : "resolved").append("\">")
                    .append(a.getState()).append("</td><td>").append(a.getSeverity()).append("</td><td>")
                    .append(esc(a.getModelId())).append("</td><td>").append(esc(a.getModelVersion())).append("</td><td>")
                    .append(esc(subjectName(a))).append("</td><td>").append(esc(testName(a))).append("</td><td class=\"num\">")
                    .append(ShortNumbers.format(a.getStatistic(), 4)).append("</td><td class=\"num\">")
                    .append(ShortNumbers.format(a.getThreshold(), 3)).append("</td><td class=\"num\">")
                    .append(ShortNumbers.pValue(a.getAdjustedPValue())).append("</td><td>")
                    .append(window(a.getWindowStart())).append("–").append(TIME.format(a.getWindowEnd()))
                    .append("</td><td class=\"num\">").append(ShortNumbers.count(a.getCurrentSampleSize()))
                    .append("</td><td><code>").append(esc(a.getAlertId()))
                    .append("</code></td></tr>\n");
        }
        h.append("</table>\n");
    }

    /** The test an alert quotes; a dataset alert quotes the drifted share, not a test. */
    private static String testName(DriftAlert a) {
        if (a.getSubjectKind() == SubjectKind.DATASET) {
            return "drifted share";
        }
        return a.getTest().name().toLowerCase(Locale.ROOT);
    }

    private static String subjectName(DriftAlert a) {
        return a.getSubjectKind() == SubjectKind.DATASET ? "(dataset)" : a.getSubject();
    }

    /** Each window's CTR against its baseline, per model version; the drifted windows highlighted. */
    private static void businessTable(StringBuilder h, OfflineAnalysis.Result r) {
        h.append("<h2 id=\"ctr\">Business metrics (CTR)</h2>\n");
        if (r.business().isEmpty()) {
            h.append("<p class=\"na\">Not available: this analysis has no outcome events"
                    + " (analyze --outcomes FILE.jsonl).</p>\n");
            return;
        }
        List<BusinessMetrics> rows = new ArrayList<>(r.business());
        rows.sort(Comparator.comparing(BusinessMetrics::getModelId).thenComparing(BusinessMetrics::getModelVersion)
                .thenComparing(BusinessMetrics::getSegment).thenComparing(BusinessMetrics::getWindowStart));
        ctrCharts(h, r, rows);
        h.append("<details><summary>Every window's outcomes (").append(rows.size()).append(" rows)</summary>")
                .append("<table><tr><th>model</th><th>version</th><th>segment</th><th>window (UTC)</th><th>requests</th>")
                .append("<th>impressions</th><th>clicks</th><th>CTR</th><th>baseline CTR</th><th>relative drop</th>")
                .append("<th>p-value</th><th>conversions</th><th>duplicates</th><th>clicks without impression</th></tr>\n");
        for (BusinessMetrics m : rows) {
            boolean alerting = r.alerts().stream().anyMatch(a -> a.getSubjectKind() == SubjectKind.BUSINESS
                    && a.getModelId().equals(m.getModelId()) && a.getModelVersion().equals(m.getModelVersion())
                    && a.getWindowStart().equals(m.getWindowStart()));
            h.append("<tr").append(alerting ? " class=\"drift\"" : "").append("><td>").append(esc(m.getModelId()))
                    .append("</td><td>").append(esc(m.getModelVersion())).append("</td><td>").append(esc(m.getSegment()))
                    .append("</td><td>").append(window(m.getWindowStart())).append("–").append(TIME.format(m.getWindowEnd()))
                    .append("</td><td class=\"num\">").append(m.getRequestCount()).append("</td><td class=\"num\">")
                    .append(m.getImpressionCount()).append("</td><td class=\"num\">").append(m.getClickCount())
                    .append("</td><td class=\"num\">").append(share(m.getCtr())).append("</td><td class=\"num\">")
                    .append(share(m.getBaselineCtr())).append("</td><td class=\"num\">").append(share(m.getCtrRelativeDrop()))
                    .append("</td><td class=\"num\">").append(ShortNumbers.pValue(m.getCtrPValue()))
                    .append("</td><td class=\"num\">").append(m.getConversionCount()).append("</td><td class=\"num\">")
                    .append(m.getDuplicateOutcomes()).append("</td><td class=\"num\">").append(m.getClicksWithoutImpression())
                    .append("</td></tr>\n");
        }
        h.append("</table></details>\n");
    }

    /**
     * The outcomes beyond CTR of each window that has any (conversion, negative-feedback and success rates with
     * their baselines and p-values, mean value per request, mean judge score); nothing when no window has them.
     */
    private static void outcomesTable(StringBuilder h, OfflineAnalysis.Result r) {
        List<BusinessMetrics> rows = r.business().stream().filter(m -> m.getBaselineConversionRate() != null
                || m.getFeedbackPositiveCount() + m.getFeedbackNegativeCount() > 0
                || m.getSuccessCount() + m.getFailureCount() > 0 || m.getJudgeScoreCount() > 0
                || m.getBaselineValueMean() != null).sorted(Comparator.comparing(BusinessMetrics::getModelId)
                .thenComparing(BusinessMetrics::getModelVersion).thenComparing(BusinessMetrics::getSegment)
                .thenComparing(BusinessMetrics::getWindowStart)).toList();
        if (rows.isEmpty()) {
            return;
        }
        h.append("<h2 id=\"outcomes\">Outcomes beyond CTR</h2>\n<p>Each rate against its baseline with its one-sided"
                + " p-value; the value per request by Welch's t-test; judge scores as a subject of their own.</p>\n")
                .append("<table><tr><th>model</th><th>version</th><th>segment</th><th>window (UTC)</th>")
                .append("<th>conversions / click</th><th>baseline</th><th>p-value</th>")
                .append("<th>negative feedback</th><th>baseline</th><th>p-value</th>")
                .append("<th>success rate</th><th>baseline</th><th>p-value</th>")
                .append("<th>mean value</th><th>baseline</th><th>p-value</th><th>mean judge score</th><th>baseline</th>")
                .append("</tr>\n");
        for (BusinessMetrics m : rows) {
            h.append("<tr><td>").append(esc(m.getModelId())).append("</td><td>").append(esc(m.getModelVersion()))
                    .append("</td><td>").append(esc(m.getSegment())).append("</td><td>")
                    .append(window(m.getWindowStart())).append("–").append(TIME.format(m.getWindowEnd())).append("</td>");
            for (Object cell : new Object[] {share(m.getConversionRate()), share(m.getBaselineConversionRate()),
                ShortNumbers.pValue(m.getConversionPValue()), share(m.getNegativeFeedbackRate()),
                share(m.getBaselineNegativeFeedbackRate()), ShortNumbers.pValue(m.getNegativeFeedbackPValue()),
                share(m.getSuccessRate()), share(m.getBaselineSuccessRate()), ShortNumbers.pValue(m.getSuccessPValue()),
                number(m.getValueMean()), number(m.getBaselineValueMean()), ShortNumbers.pValue(m.getValuePValue()),
                number(m.getJudgeScoreMean()), number(m.getBaselineJudgeScoreMean())}) {
                h.append("<td class=\"num\">").append(cell).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static String number(Double d) {
        return d == null ? "—" : String.format(java.util.Locale.ROOT, "%.4g", d);
    }

    /** CTR per window of each model version and segment, against its baseline CTR, with the CTR alerts. */
    private static void ctrCharts(StringBuilder h, OfflineAnalysis.Result r, List<BusinessMetrics> sorted) {
        Map<String, List<BusinessMetrics>> groups = new LinkedHashMap<>();
        for (BusinessMetrics m : sorted) {
            if (m.getCtr() != null) {
                groups.computeIfAbsent(m.getModelId() + " " + m.getModelVersion()
                        + ("*".equals(m.getSegment()) ? "" : " [" + m.getSegment() + "]"), k -> new ArrayList<>()).add(m);
            }
        }
        h.append("<div class=\"charts\">");
        groups.forEach((name, windows) -> {
            List<Instant> starts = windows.stream().map(BusinessMetrics::getWindowStart).toList();
            double[] ctr = windows.stream().mapToDouble(BusinessMetrics::getCtr).toArray();
            List<Charts.Level> levels = new ArrayList<>();
            windows.stream().map(BusinessMetrics::getBaselineCtr).filter(b -> b != null).reduce((a, b) -> b)
                    .ifPresent(b -> levels.add(new Charts.Level("baseline CTR", Charts.REFERENCE_COLOUR, b)));
            List<Charts.Marker> markers = new ArrayList<>();
            for (DriftAlert a : r.alerts()) {
                if (a.getSubjectKind() == SubjectKind.BUSINESS && name.startsWith(a.getModelId() + " " + a.getModelVersion())
                        && starts.contains(a.getWindowStart())) {
                    markers.add(new Charts.Marker(starts.indexOf(a.getWindowStart()), a.getState() == AlertState.FIRING,
                            a.getSummary() == null ? a.getState().toString() : a.getSummary()));
                }
            }
            Charts.overTime(h, name + ": CTR per window", starts,
                    List.of(new Charts.Series("CTR", Charts.CURRENT_COLOUR, ctr)), levels, null, markers, Double.NaN);
        });
        h.append("</div>\n");
    }

    /** Shadow and canary versions against their primary: their alerts (the comparisons are on their topic). */
    private static void roles(StringBuilder h, OfflineAnalysis.Result r) {
        h.append("<h2 id=\"roles\">Shadow and canary comparisons</h2>\n");
        List<DriftAlert> alerts = r.alerts().stream().filter(a -> a.getSubjectKind() == SubjectKind.ROLE).toList();
        if (!RoleSettings.of(r.settings().signals()).enabled()) {
            h.append("<p class=\"na\">Not available: deployment-role comparisons are off.</p>\n");
            return;
        }
        if (alerts.isEmpty()) {
            h.append("<p class=\"na\">No shadow or canary version differed from its primary.</p>\n");
            return;
        }
        h.append("<table><tr><th>state</th><th>model</th><th>candidate version</th><th>window (UTC)</th><th>what</th></tr>\n");
        for (DriftAlert a : alerts) {
            h.append("<tr><td class=\"").append(a.getState() == AlertState.FIRING ? "firing" : "resolved").append("\">")
                    .append(a.getState()).append("</td><td>").append(esc(a.getModelId())).append("</td><td>")
                    .append(esc(a.getModelVersion())).append("</td><td>").append(window(a.getWindowStart()))
                    .append("</td><td>").append(esc(a.getSummary())).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static String share(Double d) {
        return d == null ? "—" : ShortNumbers.percent(d);
    }

    private static String window(Instant t) {
        return WINDOW.format(t);
    }

    private static String anchor(VersionSummary v) {
        return (v.modelId + "-" + v.modelVersion).replaceAll("[^A-Za-z0-9_.-]", "_");
    }
}
