package dev.driftwatch.streams.compare;

import dev.driftwatch.detectors.BinEdges;
import dev.driftwatch.detectors.ColumnComparison;
import dev.driftwatch.detectors.Comparisons;
import dev.driftwatch.detectors.DriftTest;
import dev.driftwatch.detectors.DriftTests;
import dev.driftwatch.detectors.TestResult;
import dev.driftwatch.detectors.policy.AlertPolicy;
import dev.driftwatch.detectors.policy.DatasetVerdict;
import dev.driftwatch.detectors.policy.Evaluation;
import dev.driftwatch.detectors.policy.FeatureStatistics;
import dev.driftwatch.detectors.policy.FeatureVerdict;
import dev.driftwatch.detectors.policy.Threshold;
import dev.driftwatch.streams.internals.JsonWriter;
import dev.driftwatch.streams.quality.QualitySettings;
import dev.driftwatch.streams.report.Histogram;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The comparison of two CSV files column by column, with the drift verdicts of a policy: what
 * {@code driftwatch compare} prints.
 */
public final class CompareReport {
    private final List<String> names;
    private final List<ColumnComparison> columns;
    private final Evaluation evaluation;
    private final AlertPolicy policy;
    private final int bins;
    private final List<Histogram> histograms;
    private final List<CsvQuality> quality;

    private CompareReport(List<String> names, List<ColumnComparison> columns, Evaluation evaluation,
                          AlertPolicy policy, int bins, List<Histogram> histograms, List<CsvQuality> quality) {
        this.quality = quality;
        this.names = names;
        this.columns = columns;
        this.evaluation = evaluation;
        this.policy = policy;
        this.bins = bins;
        this.histograms = histograms;
    }

    /**
     * Reads both files and compares every column.
     *
     * @throws CsvFormatException when a file cannot be read or the two files do not have the same columns
     */
    public static CompareReport compare(Path reference, Path current, int bins, Set<String> categorical,
                                        AlertPolicy policy) {
        // The two files are read at once (each in parts on the cores when it is numbers only).
        java.util.concurrent.CompletableFuture<CsvColumns> curRead = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> CsvColumns.read(current, categorical), CompareReport::runOnOwnThread);
        CsvColumns ref = CsvColumns.read(reference, categorical); // its error first, as before
        CsvColumns cur = joinCurrent(curRead);
        checkSameColumns(ref, cur);
        for (String name : categorical) {
            if (!ref.columns().containsKey(name)) {
                throw new CsvFormatException("--categorical names column '" + name + "', which "
                        + reference + " does not have; columns are " + ref.columns().keySet());
            }
        }
        // A column categorical in either file is categorical in both.
        Set<String> referenceCategorical = categoricalOf(ref);
        Set<String> union = new HashSet<>(categorical);
        ref.columns().values().stream().filter(CsvColumns.Column::isCategorical).forEach(c -> union.add(c.name()));
        cur.columns().values().stream().filter(CsvColumns.Column::isCategorical).forEach(c -> union.add(c.name()));
        if (!union.equals(categoricalOf(ref))) {
            ref = CsvColumns.read(reference, union);
        }
        if (!union.equals(categoricalOf(cur))) {
            cur = CsvColumns.read(current, union);
        }
        List<String> names = new ArrayList<>(ref.columns().keySet());
        List<ColumnComparison> comparisons = new ArrayList<>();
        List<FeatureStatistics> stats = new ArrayList<>();
        List<Histogram> histograms = new ArrayList<>();
        List<CsvQuality> quality = new ArrayList<>();
        // Columns are compared on the machine's cores at once; each column's results are its own, so the
        // report is the same whatever the order they finish in.
        CsvColumns refFile = ref;
        CsvColumns curFile = cur;
        List<Object[]> results = parallel(names, (name, scratch) -> {
            CsvColumns.Column r = refFile.columns().get(name);
            CsvColumns.Column c = curFile.columns().get(name);
            // The quality checks read the values in file order, before they are sorted in place below.
            CsvQuality columnQuality = CsvQuality.of(name, r, c, refFile.rows(), curFile.rows(),
                    !referenceCategorical.contains(name), QualitySettings.defaults());
            ColumnComparison comparison;
            Histogram histogram;
            if (r.isCategorical()) {
                comparison = categorical(r, c);
                histogram = Histogram.categorical(r.categoryCounts(), c.categoryCounts());
            } else {
                // Sorted once here in place (faster than by comparisons, and with no copy of the column); the
                // finite values, sorted, are what Comparisons.numeric would compute from the file's values.
                double[] rv = r.sharedValues();
                double[] cv = c.sharedValues();
                int refLength = rv.length;
                int curLength = cv.length;
                double[] rf = DoubleRadixSort.sortFinite(rv, scratch);
                double[] cf = DoubleRadixSort.sortFinite(cv, scratch);
                comparison = Comparisons.numericSorted(rf, cf, refLength - rf.length, curLength - cf.length, bins);
                histogram = numericHistogram(rf, cf, bins);
            }
            return new Object[] {comparison, histogram, columnQuality};
        });
        for (int i = 0; i < names.size(); i++) {
            ColumnComparison comparison = (ColumnComparison) results.get(i)[0];
            comparisons.add(comparison);
            stats.add(FeatureStatistics.of(names.get(i), new ArrayList<>(comparison.tests().values())));
            histograms.add((Histogram) results.get(i)[1]);
            quality.add((CsvQuality) results.get(i)[2]);
        }
        return new CompareReport(names, comparisons, policy.evaluateAll(stats), policy, bins, histograms,
                List.copyOf(quality));
    }

    /**
     * Both samples, as {@link Comparisons#sortedFinite} returns them, on the bins the binned tests use (the
     * reference's quantile bins); null when the reference has no numeric value.
     */
    private static Histogram numericHistogram(double[] r, double[] c, int bins) {
        if (r.length == 0) {
            return null;
        }
        BinEdges edges = BinEdges.fromReference(r, bins);
        return Histogram.numeric(edges.edges(), edges.count(r), edges.count(c));
    }

    private static void runOnOwnThread(Runnable task) {
        Thread t = new Thread(task, "compare-read");
        t.setDaemon(true);
        t.start();
    }

    private static CsvColumns joinCurrent(java.util.concurrent.CompletableFuture<CsvColumns> read) {
        try {
            return read.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * f of every name, in the names' order, computed on as many threads as the machine has cores; each thread
     * hands f its own sort scratch, used again for every column it compares.
     */
    private static List<Object[]> parallel(List<String> names,
                                           java.util.function.BiFunction<String, DoubleRadixSort.Scratch, Object[]> f) {
        int threads = Math.max(1, Math.min(names.size(), Runtime.getRuntime().availableProcessors()));
        Object[][] out = new Object[names.size()][];
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        RuntimeException[] failure = new RuntimeException[1];
        Runnable work = () -> {
            DoubleRadixSort.Scratch scratch = new DoubleRadixSort.Scratch();
            for (int i = next.getAndIncrement(); i < names.size(); i = next.getAndIncrement()) {
                try {
                    out[i] = f.apply(names.get(i), scratch);
                } catch (RuntimeException e) {
                    synchronized (failure) {
                        failure[0] = failure[0] == null ? e : failure[0];
                    }
                    return;
                }
            }
        };
        List<Thread> started = new ArrayList<>();
        for (int t = 1; t < threads; t++) {
            Thread thread = new Thread(work, "compare-column-" + t);
            thread.setDaemon(true);
            thread.start();
            started.add(thread);
        }
        work.run();
        for (Thread thread : started) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while comparing columns", e);
            }
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return java.util.Arrays.asList(out);
    }

    private static Set<String> categoricalOf(CsvColumns file) {
        Set<String> out = new HashSet<>();
        file.columns().values().stream().filter(CsvColumns.Column::isCategorical).forEach(c -> out.add(c.name()));
        return out;
    }

    private static void checkSameColumns(CsvColumns ref, CsvColumns cur) {
        Set<String> onlyRef = new TreeSet<>(ref.columns().keySet());
        onlyRef.removeAll(cur.columns().keySet());
        Set<String> onlyCur = new TreeSet<>(cur.columns().keySet());
        onlyCur.removeAll(ref.columns().keySet());
        if (!onlyRef.isEmpty()) {
            throw new CsvFormatException("column '" + onlyRef.iterator().next() + "' is in " + ref.path()
                    + " but not in " + cur.path() + "; both files need the same columns");
        }
        if (!onlyCur.isEmpty()) {
            throw new CsvFormatException("column '" + onlyCur.iterator().next() + "' is in " + cur.path()
                    + " but not in " + ref.path() + "; both files need the same columns");
        }
    }

    private static ColumnComparison categorical(CsvColumns.Column ref, CsvColumns.Column cur) {
        Map<String, Long> r = ref.categoryCounts();
        Map<String, Long> c = cur.categoryCounts();
        TreeSet<String> union = new TreeSet<>(r.keySet());
        union.addAll(c.keySet());
        long[] refCounts = new long[union.size()];
        long[] curCounts = new long[union.size()];
        int i = 0;
        for (String category : union) {
            refCounts[i] = r.getOrDefault(category, 0L);
            curCounts[i] = c.getOrDefault(category, 0L);
            i++;
        }
        return Comparisons.categorical(refCounts, curCounts, ref.missing(), cur.missing());
    }

    /** The columns' comparisons, in header order. */
    public List<ColumnComparison> columns() {
        return columns;
    }

    /** The policy's verdicts. */
    public Evaluation evaluation() {
        return evaluation;
    }

    /** The column names, in header order. */
    public List<String> names() {
        return names;
    }

    /** Each column's reference and current shares on the binned tests' bins (null entries: no values). */
    /** The data-quality checks of every column, in column order. */
    public List<CsvQuality> quality() {
        return quality;
    }

    public List<Histogram> histograms() {
        return histograms;
    }

    /** The policy the verdicts come from. */
    public AlertPolicy policy() {
        return policy;
    }

    /** The number of quantile bins asked for. */
    public int bins() {
        return bins;
    }

    /** The report as one JSON object. */
    public String toJson() {
        JsonWriter json = new JsonWriter().beginObject();
        json.name("columns").beginArray();
        for (int i = 0; i < columns.size(); i++) {
            ColumnComparison column = columns.get(i);
            FeatureVerdict verdict = evaluation.features().get(i);
            json.beginObject()
                    .name("name").value(names.get(i))
                    .name("type").value(column.kind().id())
                    .name("reference_count").value(column.referenceCount())
                    .name("current_count").value(column.currentCount())
                    .name("reference_missing").value(column.referenceMissing())
                    .name("current_missing").value(column.currentMissing());
            json.name("tests").beginObject();
            for (TestResult result : column.tests().values()) {
                json.name(result.test().id()).beginObject().name("statistic").value(result.statistic());
                if (result.test().isSignificanceTest()) {
                    json.name("p_value").value(result.pValue());
                }
                if (result.method() != null) {
                    json.name("method").value(result.method());
                }
                Threshold threshold = policy.thresholds().get(result.test());
                if (threshold != null) {
                    json.name("warning_threshold").value(threshold.warning())
                            .name("critical_threshold").value(threshold.critical());
                }
                if (!result.isDefined()) {
                    json.name("undefined_reason").value(result.undefinedReason());
                }
                json.endObject();
            }
            json.endObject();
            json.name("drift").value(verdict.isDrifted())
                    .name("severity").value(verdict.severity().name().toLowerCase(Locale.ROOT));
            json.name("drifted_by").beginArray();
            for (DriftTest t : verdict.driftedBy()) {
                json.value(t.id());
            }
            json.endArray();
            json.name("adjusted_p_value").value(verdict.adjustedPValue().isPresent()
                    ? verdict.adjustedPValue().getAsDouble() : null);
            qualityJson(json, quality.get(i));
            json.endObject();
        }
        json.endArray();
        DatasetVerdict dataset = evaluation.dataset();
        json.name("dataset_drift").beginObject()
                .name("drift").value(dataset.isDrifted())
                .name("drifted_columns").value(dataset.driftedFeatures())
                .name("total_columns").value(dataset.totalFeatures())
                .name("share").value(dataset.share())
                .name("share_threshold").value(dataset.shareThreshold())
                .endObject();
        json.name("settings").beginObject()
                .name("bins").value(bins)
                .name("alpha").value(policy.alpha())
                .name("policy_version").value(policy.version())
                .endObject();
        return json.endObject().toString();
    }

    private static void qualityJson(JsonWriter json, CsvQuality q) {
        json.name("data_quality").beginObject()
                .name("reference_missing_share").value(q.referenceMissingShare())
                .name("current_missing_share").value(q.currentMissingShare())
                .name("missing_p_value").value(q.missingP())
                .name("range_low").value(q.rangeLow())
                .name("range_high").value(q.rangeHigh())
                .name("out_of_range").value(q.outOfRange())
                .name("out_of_range_share").value(q.outOfRangeShare())
                .name("unseen").value(q.unseen())
                .name("unseen_share").value(q.unseenShare());
        json.name("unseen_top").beginObject();
        q.unseenTop().forEach((k, v) -> json.name(k).value(v));
        json.endObject();
        json.name("type_mismatch").value(q.typeMismatch())
                .name("type_mismatch_example").value(q.typeExample());
        json.name("problems").beginArray();
        q.problems().forEach(p -> json.value(p.toLowerCase(Locale.ROOT)));
        json.endArray().endObject();
    }

    /** The report as a readable table. */
    public String toText() {
        List<String> header = new ArrayList<>(List.of("column", "type", "n_ref", "n_cur", "miss_ref", "miss_cur"));
        for (DriftTest t : DriftTests.all()) {
            header.addAll(t.reportColumns());
        }
        header.add("drift");
        List<String[]> rows = new ArrayList<>();
        rows.add(header.toArray(new String[0]));
        for (int i = 0; i < columns.size(); i++) {
            ColumnComparison c = columns.get(i);
            FeatureVerdict v = evaluation.features().get(i);
            List<String> row = new ArrayList<>(List.of(names.get(i), c.kind().id(), Long.toString(c.referenceCount()),
                    Long.toString(c.currentCount()), Long.toString(c.referenceMissing()),
                    Long.toString(c.currentMissing())));
            for (DriftTest t : DriftTests.all()) {
                row.add(stat(c, t));
                if (t.reportColumns().size() > 1) {
                    row.add(p(c, t));
                }
            }
            row.add(drift(v));
            rows.add(row.toArray(new String[0]));
        }
        int[] widths = new int[header.size()];
        for (String[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                widths[j] = Math.max(widths[j], row[j].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                String cell = row[j];
                boolean left = j < 2 || j == row.length - 1;
                String padded = left ? String.format("%-" + widths[j] + "s", cell)
                        : String.format("%" + widths[j] + "s", cell);
                out.append(j == 0 ? "" : "  ").append(padded);
            }
            out.append(System.lineSeparator());
        }
        DatasetVerdict d = evaluation.dataset();
        out.append(System.lineSeparator()).append(String.format(Locale.ROOT,
                "dataset drift: %s (%d of %d columns drifted, share %.2f, threshold %.2f)%n",
                d.isDrifted() ? "YES" : "no", d.driftedFeatures(), d.totalFeatures(), d.share(), d.shareThreshold()));
        for (ColumnComparison c : columns) {
            for (TestResult r : c.tests().values()) {
                if (!r.isDefined()) {
                    out.append(String.format("note: %s %s undefined: %s%n", names.get(columns.indexOf(c)),
                            r.test().id(), r.undefinedReason()));
                }
            }
        }
        out.append(System.lineSeparator()).append(qualityText());
        out.append(String.format(Locale.ROOT, "bins %d; drift = an effect size (%s) over its warning threshold"
                        + " and, where a test exists, a Benjamini-Hochberg adjusted p below %.3g%n", bins,
                String.join(", ", policy.decidingTests().stream().map(DriftTest::id).toList()), policy.alpha()));
        return out.toString();
    }

    /** The data-quality table: one row per column, then the thresholds. */
    private String qualityText() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"column", "miss_ref", "miss_cur", "p_miss", "out_of_range [range]", "unseen (top)",
            "type_mismatch", "problems"});
        for (CsvQuality q : quality) {
            rows.add(new String[] {q.column(), String.format(Locale.ROOT, "%.4f", q.referenceMissingShare()),
                String.format(Locale.ROOT, "%.4f", q.currentMissingShare()), String.format(Locale.ROOT, "%.3g", q.missingP()),
                q.outOfRangeShare() == null ? "" : String.format(Locale.ROOT, "%.4f [%s, %s]", q.outOfRangeShare(),
                        q.rangeLow(), q.rangeHigh()),
                q.unseenShare() == null ? "" : String.format(Locale.ROOT, "%.4f %s", q.unseenShare(), q.unseenTop()),
                q.typeMismatch() == 0 ? "0" : q.typeMismatch() + " ('" + q.typeExample() + "')",
                q.problems().isEmpty() ? "-" : String.join(",", q.problems()).toLowerCase(Locale.ROOT)});
        }
        int[] widths = new int[rows.get(0).length];
        rows.forEach(r -> {
            for (int j = 0; j < r.length; j++) {
                widths[j] = Math.max(widths[j], r[j].length());
            }
        });
        StringBuilder out = new StringBuilder("data quality:").append(System.lineSeparator());
        for (String[] r : rows) {
            for (int j = 0; j < r.length; j++) {
                out.append(j == 0 ? "" : "  ").append(String.format("%-" + widths[j] + "s", r[j]));
            }
            out.append(System.lineSeparator());
        }
        QualitySettings d = QualitySettings.defaults();
        out.append(String.format(Locale.ROOT, "data quality: missing share up by %.2f with one-sided p <= %.2g;"
                + " out of range or unseen share >= %.2f; any type mismatch%n", d.missingIncrease(), d.alpha(),
                d.rangeShare()));
        return out.toString();
    }

    private static String stat(ColumnComparison c, DriftTest t) {
        TestResult r = c.test(t);
        if (r == null) {
            return "";
        }
        return r.isDefined() ? String.format(Locale.ROOT, "%.4f", r.statistic()) : "n/a";
    }

    private static String p(ColumnComparison c, DriftTest t) {
        TestResult r = c.test(t);
        if (r == null) {
            return "";
        }
        return r.pValue() == null ? "n/a" : String.format(Locale.ROOT, "%.3g", r.pValue());
    }

    private static String drift(FeatureVerdict v) {
        if (!v.isDrifted()) {
            return "-";
        }
        return v.severity().name() + " by " + String.join(",", v.driftedBy().stream().map(DriftTest::id).toList());
    }

}
