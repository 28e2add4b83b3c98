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

    private final PipelineSettings settings;
    private final Map<String, Baseline> baselines = new HashMap<>();
    private final Map<String, BinEdges> edges = new HashMap<>();
    private final Map<String, Counts> counts = new HashMap<>();
    private long streamTime = Long.MIN_VALUE;

    public WindowHistograms(PipelineSettings settings, List<Baseline> baselineList) {
        this.settings = settings;
        for (Baseline b : baselineList) {
            String key = subjectKey(b.getModelId(), b.getModelVersion(), b.getFeature());
            baselines.put(key, b);
            if (b.getKind() == FeatureKind.NUMERIC) {
                edges.put(key, BinEdges.of(b.getBinEdges().stream().mapToDouble(Double::doubleValue).toArray()));
            }
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
        for (long s = lastStart; s > time - size; s -= advance) {
            long start = s;
            if (start + size + grace <= streamTime) {
                continue;
            }
            String prefix = e.getModelId() + "|" + e.getModelVersion() + "|";
            e.getNumericFeatures().forEach((f, v) -> addNumber(prefix, f, start, v));
            e.getCategoricalFeatures().forEach((f, v) -> addCategory(prefix, f, start, v));
            ModelOutputs o = e.getOutputs();
            if (o != null) {
                addNumber(prefix, Subjects.SCORE, start, o.getScore());
                addNumber(prefix, Subjects.CONFIDENCE, start, o.getConfidence());
                addCategory(prefix, Subjects.LABEL, start, o.getLabel());
            }
        }
    }

    /** The counts of a subject in the window starting at {@code windowStart}, or null if none. */
    public Counts get(String model, String version, String subject, long windowStart) {
        return counts.get(subjectKey(model, version, subject) + "|" + windowStart);
    }

    /** The baseline of a subject, or null. */
    public Baseline baseline(String model, String version, String subject) {
        return baselines.get(subjectKey(model, version, subject));
    }

    private void addNumber(String prefix, String subject, long start, Double v) {
        String key = prefix + subject;
        BinEdges e = edges.get(key);
        if (e == null || v == null || Missing.isMissing(v)) {
            return;
        }
        Counts c = counts.computeIfAbsent(key + "|" + start, k -> new Counts(e.binCount(), false));
        c.bins[e.binOf(v)]++;
        c.total++;
    }

    private void addCategory(String prefix, String subject, long start, String v) {
        String key = prefix + subject;
        Baseline b = baselines.get(key);
        if (b == null || b.getKind() != FeatureKind.CATEGORICAL || v == null || Missing.isMissing(v)) {
            return;
        }
        Counts c = counts.computeIfAbsent(key + "|" + start, k -> new Counts(0, true));
        c.categories.merge(v, 1L, Long::sum);
        c.total++;
    }

    private static String subjectKey(String model, String version, String subject) {
        return model + "|" + version + "|" + subject;
    }
}
