package dev.driftwatch.streams.analyze;

import dev.driftwatch.detectors.BinEdges;
import dev.driftwatch.detectors.Missing;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.FeatureKind;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ModelOutputs;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.internals.Subjects;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
    /** Model id, then version. */
    private final Map<String, Map<String, Version>> subjects = new HashMap<>();
    private long streamTime = Long.MIN_VALUE;
    /** The model version counted last, and its names. */
    private String lastModel;
    private String lastVersion;
    private Version lastCounted;

    public WindowHistograms(PipelineSettings settings, List<Baseline> baselineList) {
        this.settings = settings;
        for (Baseline b : baselineList) {
            subjects.computeIfAbsent(b.getModelId(), k -> new HashMap<>())
                    .computeIfAbsent(b.getModelVersion(), k -> new Version())
                    .subjects.put(b.getFeature(), new Subject(b));
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
        Version version = versionOf(e.getModelId(), e.getModelVersion());
        if (version == null) {
            return;
        }
        version.read(e);
        for (long s = lastStart; s > time - size; s -= advance) {
            if (s + size + grace > streamTime) {
                version.count(s);
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
        Version v = subjects.getOrDefault(model, Map.of()).get(version);
        return v == null ? null : v.subjects.get(subject);
    }

    private Version versionOf(String model, String version) {
        if (model == null || version == null) {
            return null; // an event the pipeline refuses
        }
        if (lastModel == null || !lastModel.equals(model) || !lastVersion.equals(version)) {
            lastCounted = subjects.getOrDefault(model, Map.of()).get(version);
            lastModel = model;
            lastVersion = version;
        }
        return lastCounted;
    }

    /**
     * The subjects of one model version with a baseline, and the values of the event being counted that
     * belong to them. Events of one producer name their features in the same order: the subject found at a
     * position is kept for the next event, whose name there is compared, not hashed and looked up.
     */
    private static final class Version {
        private final Map<String, Subject> subjects = new HashMap<>();
        /** By position in the event's numeric, then categorical map: the name seen there last, its subject. */
        private String[] numericNames = new String[0];
        private Subject[] numericSubjects = new Subject[0];
        private String[] categoricalNames = new String[0];
        private Subject[] categoricalSubjects = new Subject[0];
        /** The event read last: its values by position (NaN or null: missing, or no baseline to count on). */
        private double[] numericValues = new double[0];
        private String[] categoricalValues = new String[0];
        private int numericCount;
        private int categoricalCount;
        private double score;
        private double confidence;
        private String label;

        void read(InferenceEvent e) {
            Map<String, Double> numeric = e.getNumericFeatures();
            if (numeric.size() > numericNames.length) {
                numericNames = Arrays.copyOf(numericNames, numeric.size());
                numericSubjects = Arrays.copyOf(numericSubjects, numeric.size());
                numericValues = new double[numeric.size()];
            }
            numericCount = 0;
            for (Map.Entry<String, Double> f : numeric.entrySet()) {
                int i = numericCount++;
                if (!Objects.equals(f.getKey(), numericNames[i])) {
                    numericNames[i] = f.getKey();
                    numericSubjects[i] = subject(f.getKey(), true);
                }
                Double v = f.getValue();
                numericValues[i] = numericSubjects[i] == null || v == null || Missing.isMissing(v) ? Double.NaN : v;
            }
            Map<String, String> categorical = e.getCategoricalFeatures();
            if (categorical.size() > categoricalNames.length) {
                categoricalNames = Arrays.copyOf(categoricalNames, categorical.size());
                categoricalSubjects = Arrays.copyOf(categoricalSubjects, categorical.size());
                categoricalValues = new String[categorical.size()];
            }
            categoricalCount = 0;
            for (Map.Entry<String, String> f : categorical.entrySet()) {
                int i = categoricalCount++;
                if (!Objects.equals(f.getKey(), categoricalNames[i])) {
                    categoricalNames[i] = f.getKey();
                    categoricalSubjects[i] = subject(f.getKey(), false);
                }
                String v = f.getValue();
                categoricalValues[i] = categoricalSubjects[i] == null || v == null || Missing.isMissing(v) ? null : v;
            }
            ModelOutputs o = e.getOutputs();
            score = o == null ? Double.NaN : present(o.getScore());
            confidence = o == null ? Double.NaN : present(o.getConfidence());
            label = o == null || o.getLabel() == null || Missing.isMissing(o.getLabel()) ? null : o.getLabel();
        }

        private static double present(Double v) {
            return v == null || Missing.isMissing(v) ? Double.NaN : v;
        }

        /** The subject of a feature, if its baseline is of the feature's kind. */
        private Subject subject(String name, boolean numeric) {
            Subject s = subjects.get(name);
            return s != null && (s.edges != null) == numeric ? s : null;
        }

        /** Counts the event read last into the window starting at {@code start}. */
        void count(long start) {
            for (int i = 0; i < numericCount; i++) {
                if (!Double.isNaN(numericValues[i])) {
                    addNumber(numericSubjects[i], start, numericValues[i]);
                }
            }
            for (int i = 0; i < categoricalCount; i++) {
                if (categoricalValues[i] != null) {
                    addCategory(categoricalSubjects[i], start, categoricalValues[i]);
                }
            }
            if (!Double.isNaN(score)) {
                addNumber(subjects.get(Subjects.SCORE), start, score);
            }
            if (!Double.isNaN(confidence)) {
                addNumber(subjects.get(Subjects.CONFIDENCE), start, confidence);
            }
            if (label != null) {
                addCategory(subjects.get(Subjects.LABEL), start, label);
            }
        }
    }

    private static void addNumber(Subject s, long start, double v) {
        if (s == null || s.edges == null) {
            return;
        }
        Counts c = s.at(start);
        c.bins[s.edges.binOf(v)]++;
        c.total++;
    }

    private static void addCategory(Subject s, long start, String v) {
        if (s == null || s.baseline.getKind() != FeatureKind.CATEGORICAL) {
            return;
        }
        Counts c = s.at(start);
        c.categories.merge(v, 1L, Long::sum);
        c.total++;
    }
}
