package dev.driftwatch.streams.analyze;

import dev.driftwatch.detectors.BinEdges;
import dev.driftwatch.detectors.Missing;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.FeatureKind;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ModelOutputs;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.internals.Subjects;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each window's bin counts of every subject that has a baseline, on the baseline's frozen bins (numeric:
 * the baseline's bin edges; categorical: its categories plus any new ones), computed from the events
 * for the report's histograms. Windows are assigned as the pipeline assigns them (event time, size,
 * advance), and an event later than the grace period is left out as the pipeline leaves it out.
 * Missing values are left out. Memory: windows × subjects × bins.
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
        /** The window counted last (events come in time order, so nearly always the same one). */
        private long lastStart = Long.MIN_VALUE;
        private Counts last;

        Subject(Baseline baseline) {
            this.baseline = baseline;
            this.edges = baseline.getKind() == FeatureKind.NUMERIC
                    ? BinEdges.of(baseline.getBinEdges().stream().mapToDouble(Double::doubleValue).toArray()) : null;
        }

        Counts at(long start) {
            if (start != lastStart || last == null) {
                last = windows.computeIfAbsent(start, k -> new Counts(edges == null ? 0 : edges.binCount(),
                        edges == null));
                lastStart = start;
            }
            return last;
        }
    }

    private final PipelineSettings settings;
    /** Model id, then version, then subject name. */
    private final Map<String, Map<String, Map<String, Subject>>> subjects = new HashMap<>();
    private long streamTime = Long.MIN_VALUE;
    /** The subjects of the model version counted last, and its names. */
    private String lastModel;
    private String lastVersion;
    private Map<String, Subject> lastSubjects = Map.of();

    public WindowHistograms(PipelineSettings settings, List<Baseline> baselineList) {
        this.settings = settings;
        for (Baseline b : baselineList) {
            subjects.computeIfAbsent(b.getModelId(), k -> new HashMap<>())
                    .computeIfAbsent(b.getModelVersion(), k -> new HashMap<>())
                    .put(b.getFeature(), new Subject(b));
        }
    }

    /** Counts one event into every window it belongs to (unless it is late). */
    public void add(InferenceEvent e) {
        long time = e.getEventTime().toEpochMilli();
        streamTime = Math.max(streamTime, time);
        long size = settings.windowSize().toMillis();
        long advance = settings.windowAdvance().toMillis();
        long grace = settings.grace().toMillis();
        long lastStart = time - Math.floorMod(time, advance);
        Map<String, Subject> version = versionOf(e.getModelId(), e.getModelVersion());
        if (version.isEmpty()) {
            return;
        }
        for (long s = lastStart; s > time - size; s -= advance) {
            long start = s;
            if (start + size + grace <= streamTime) {
                continue;
            }
            e.getNumericFeatures().forEach((f, v) -> addNumber(f == null ? null : version.get(f), start, v));
            e.getCategoricalFeatures().forEach((f, v) -> addCategory(f == null ? null : version.get(f), start, v));
            ModelOutputs o = e.getOutputs();
            if (o != null) {
                addNumber(version.get(Subjects.SCORE), start, o.getScore());
                addNumber(version.get(Subjects.CONFIDENCE), start, o.getConfidence());
                addCategory(version.get(Subjects.LABEL), start, o.getLabel());
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
        return subjects.getOrDefault(model, Map.of()).getOrDefault(version, Map.of()).get(subject);
    }

    private Map<String, Subject> versionOf(String model, String version) {
        if (model == null || version == null) {
            return Map.of(); // an event the pipeline refuses
        }
        if (lastModel == null || !lastModel.equals(model) || !lastVersion.equals(version)) {
            lastSubjects = subjects.getOrDefault(model, Map.of()).getOrDefault(version, Map.of());
            lastModel = model;
            lastVersion = version;
        }
        return lastSubjects;
    }

    private static void addNumber(Subject s, long start, Double v) {
        if (s == null || s.edges == null || v == null || Missing.isMissing(v)) {
            return;
        }
        Counts c = s.at(start);
        c.bins[s.edges.binOf(v)]++;
        c.total++;
    }

    private static void addCategory(Subject s, long start, String v) {
        if (s == null || s.baseline.getKind() != FeatureKind.CATEGORICAL || v == null || Missing.isMissing(v)) {
            return;
        }
        Counts c = s.at(start);
        c.categories.merge(v, 1L, Long::sum);
        c.total++;
    }
}
