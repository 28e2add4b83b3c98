package dev.driftwatch.streams.analyze;

import dev.driftwatch.detectors.BinEdges;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.FeatureKind;
import dev.driftwatch.streams.internals.SubjectSummary;
import dev.driftwatch.streams.internals.WindowBundle;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each window's bin counts of every subject that has a baseline, on the baseline's frozen bins (numeric:
 * the baseline's bin edges; categorical: its categories plus any new ones), for the report's histograms.
 * They are read from the window states the summarizing stage closes ({@link #add(WindowBundle)}): the
 * summaries the drift tests compare, whose numeric grid refines the baseline's bins and whose categories
 * are counted as the tests count them, so the histogram shows exactly what was tested: the events of the
 * window, a late one left out, missing values left out. The states of one window's segments add up.
 * Memory: windows × subjects × bins.
 */
public final class WindowHistograms {
    /** One window's counts of one subject. */
    public static final class Counts {
        private final long[] bins;
        private final Map<String, Long> categories;
        private long total;

        Counts(int bins, boolean categorical) {
            this.bins = categorical ? null : new long[bins];
            this.categories = categorical ? new TreeMap<>() : null;
        }

        /** Numeric bin counts (null for a categorical subject). */
        public long[] bins() {
            return bins;
        }

        /** Category counts (null for a numeric subject). */
        public Map<String, Long> categories() {
            return categories;
        }

        /** Non-missing values counted. */
        public long total() {
            return total;
        }
    }

    /** A subject with a baseline: its bins, and its counts by window start. */
    private static final class Subject {
        private final Baseline baseline;
        /** The numeric baseline's bins; null for a categorical one. */
        private final BinEdges edges;
        private final Map<Long, Counts> windows = new HashMap<>();

        Subject(Baseline baseline) {
            this.baseline = baseline;
            this.edges = baseline.getKind() == FeatureKind.NUMERIC
                    ? BinEdges.of(baseline.getBinEdges().stream().mapToDouble(Double::doubleValue).toArray()) : null;
        }

        Counts at(long start) {
            return windows.computeIfAbsent(start, k -> new Counts(edges == null ? 0 : edges.binCount(),
                    edges == null));
        }

        /** Adds the subject's state in one window, if it was summarised on this baseline's bins or categories. */
        void add(long start, SubjectSummary s) {
            if (edges != null && s.kind() == SubjectSummary.Kind.NUMERIC) {
                long[] bins = s.numericSummary().binCounts();
                if (bins.length != edges.binCount()) {
                    return; // summarised on another baseline's grid
                }
                Counts c = at(start);
                for (int i = 0; i < bins.length; i++) {
                    c.bins[i] += bins[i];
                }
                c.total += s.count();
            } else if (baseline.getKind() == FeatureKind.CATEGORICAL && s.kind() == SubjectSummary.Kind.CATEGORICAL) {
                Counts c = at(start);
                s.categoricalSummary().counts().forEach((category, n) -> c.categories.merge(category, n, Long::sum));
                c.total += s.count();
            }
        }
    }

    /** Model id, then version, then subject. */
    private final Map<String, Map<String, Map<String, Subject>>> subjects = new HashMap<>();

    public WindowHistograms(List<Baseline> baselineList) {
        for (Baseline b : baselineList) {
            subjects.computeIfAbsent(b.getModelId(), k -> new HashMap<>())
                    .computeIfAbsent(b.getModelVersion(), k -> new HashMap<>())
                    .put(b.getFeature(), new Subject(b));
        }
    }

    /**
     * Counts the subjects of one closed window's state (of one input partition and segment) into the window's
     * histograms. The state is read, not kept.
     */
    public void add(WindowBundle window) {
        Map<String, Subject> version = subjects.getOrDefault(window.modelId(), Map.of()).get(window.modelVersion());
        if (version == null) {
            return;
        }
        for (Map.Entry<String, Subject> e : version.entrySet()) {
            SubjectSummary s = window.subject(e.getKey());
            if (s != null) {
                e.getValue().add(window.windowStart(), s);
            }
        }
    }

    /** The counts of a subject in the window starting at {@code windowStart}, or null if none. */
    public Counts get(String model, String version, String subject, long windowStart) {
        Subject s = subject(model, version, subject);
        return s == null ? null : s.windows.get(windowStart);
    }

    /** The baseline of a subject, or null. */
    public Baseline baseline(String model, String version, String subject) {
        Subject s = subject(model, version, subject);
        return s == null ? null : s.baseline;
    }

    private Subject subject(String model, String version, String subject) {
        if (model == null || version == null || subject == null) {
            return null;
        }
        Map<String, Subject> v = subjects.getOrDefault(model, Map.of()).get(version);
        return v == null ? null : v.get(subject);
    }
}
