package dev.driftwatch.streams.quality;

import dev.driftwatch.detectors.Missing;
import dev.driftwatch.detectors.policy.AlertPolicy;
import dev.driftwatch.detectors.policy.Persistence;
import dev.driftwatch.detectors.policy.Severity;
import dev.driftwatch.detectors.policy.Transition;
import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.DriftTest;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.SubjectKind;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.internals.AlertFields;
import dev.driftwatch.streams.internals.BaselineLookup;
import dev.driftwatch.streams.internals.EventFeatures;
import dev.driftwatch.streams.internals.MetricsReports;
import dev.driftwatch.streams.internals.Signal;
import dev.driftwatch.streams.internals.SubjectAlertState;
import dev.driftwatch.streams.internals.Subjects;
import dev.driftwatch.streams.internals.WindowBundle;
import dev.driftwatch.streams.internals.WindowKeys;
import dev.driftwatch.streams.internals.WindowPart;
import dev.driftwatch.streams.internals.WindowVerdicts;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Data quality as a signal (when {@code quality.enabled}): every valid event adds, per subject, whether it carried
 * a value and what kind of value to the {@link QualityPart} of its windows; each merged window gives, per subject
 * that had values or has a baseline, a {@link WindowStats} of subject kind DATA_QUALITY and, against the baseline,
 * one alert of kind DATA_QUALITY per subject (FIRING once, RESOLVED once, under the policy's persistence) naming
 * the first check over its threshold: ABSENT, MISSING_SHARE, TYPE_MISMATCH, OUT_OF_RANGE or UNSEEN_CATEGORIES.
 *
 * <p>A subject's alert state is kept in the shared alert-state store under {@code *quality*SUBJECT}
 * ({@link Subjects#dataQuality}), apart from its drift alert; alert ids derive from that name and the window.
 */
public final class QualitySignal implements Signal {
    private final QualitySettings quality;

    public QualitySignal(PipelineSettings settings) {
        this.quality = QualitySettings.of(settings.signals());
    }

    @Override
    public Map<String, WindowPart.Reader> parts() {
        return Map.of(QualityPart.NAME, QualityPart::read);
    }

    @Override
    public Observer observer(ObserverContext context) {
        return quality.enabled() ? new QualityObserver(context.baselines(), quality, context.features()) : null;
    }

    @Override
    public Evaluator evaluator(EvaluatorContext context) {
        return quality.enabled() ? new QualityEvaluator(context.settings(), context.baselines(), context.alerts(), quality)
                : null;
    }

    /** Counts each event's subjects into the quality part of every window it falls in. */
    static final class QualityObserver implements Observer {
        /**
         * How much the kept references may weigh before they are all looked up again: a reference weighs one plus
         * its categories (whose strings it keeps even when the baselines' cache has dropped the baseline).
         */
        static final int MAX_REFERENCE_WEIGHT = 1 << 21;
        private final BaselineLookup baselines;
        private final QualitySettings quality;
        /** The event being added, and the references of its model version (the same for each of its windows). */
        private InferenceEvent event;
        private VersionReferences references;
        /** The shape of the event being added (see {@link #shapeOf}), or -1. */
        private long eventShape = -1;
        /**
         * The references of every model version seen, by model and version, kept until a baseline changes: looking
         * each subject's baseline up again for every event was most of the summarizing stage's work, and keeping
         * only the last few versions' did the same at a thousand versions with their events interleaved.
         */
        private final Map<String, Map<String, VersionReferences>> byVersion = new HashMap<>();
        private long referencesWeight;
        private long baselineChanges = -1;
        private long versionLookups;
        private long memoResets;

        /** The features of the event being summarised, as the summarizer read them. */
        private final EventFeatures features;

        QualityObserver(BaselineLookup baselines, QualitySettings quality, EventFeatures features) {
            this.baselines = baselines;
            this.quality = quality;
            this.features = features;
        }

        @Override
        public void add(WindowBundle window, InferenceEvent e) {
            QualityPart part = (QualityPart) window.part(QualityPart.NAME);
            if (part == null) {
                part = new QualityPart();
                window.putPart(part);
            }
            if (e != event) {
                event = e;
                references = referencesOf(part, e.getModelId(), e.getModelVersion());
                eventShape = shapeOf(e);
            } else if (part.versionReferences == null) {
                part.versionReferences = references; // the event's next window: its version's too
            }
            // The event's own features as the summarizer read them into arrays (no entries, no boxed values): the
            // same names and values, a null numeric value as NaN, which counts as missing all the same. A cut
            // categorical value is counted as the event sent it, from its map. Subjects are numbered in this
            // order: events of one shape find their counts and references by that number.
            int position = 0;
            for (int i = 0; i < features.ownNumericCount(); i++) {
                numeric(part, position++, features.numericName(i), features.numericValue(i));
            }
            if (!features.categoricalTruncated()) {
                for (int i = 0; i < features.ownCategoricalCount(); i++) {
                    categorical(part, position++, features.categoricalName(i), features.categoricalValue(i));
                }
            } else {
                for (Map.Entry<String, String> f : e.getCategoricalFeatures().entrySet()) {
                    categorical(part, position++, f.getKey(), f.getValue());
                }
            }
            var outputs = e.getOutputs();
            if (outputs != null) {
                if (outputs.getScore() != null) {
                    numeric(part, position++, Subjects.SCORE, outputs.getScore());
                }
                if (outputs.getConfidence() != null) {
                    numeric(part, position++, Subjects.CONFIDENCE, outputs.getConfidence());
                }
                if (outputs.getLabel() != null) {
                    categorical(part, position, Subjects.LABEL, outputs.getLabel());
                }
            }
        }

        /**
         * The event's shape ({@link EventFeatures#shapeWithOutputs}); -1 (no positions) when a categorical value was
         * cut, as its subjects then come from the event's map.
         */
        private long shapeOf(InferenceEvent e) {
            return features.categoricalTruncated() ? -1 : features.shapeWithOutputs(e);
        }

        /**
         * The references of a window's model version: those its part was given by this observer while they are kept,
         * else from {@link #byVersion}. At a thousand versions with their events interleaved, finding the version
         * there for every event (its entry, key and references far apart in memory) was most of this observer's work.
         */
        private VersionReferences referencesOf(QualityPart part, String model, String version) {
            long changes = BaselineLookup.changes();
            if (changes != baselineChanges || referencesWeight > MAX_REFERENCE_WEIGHT) {
                baselineChanges = changes;
                byVersion.values().forEach(versions -> versions.values().forEach(r -> r.dropped = true));
                byVersion.clear();
                referencesWeight = 0;
            }
            VersionReferences refs = part.versionReferences;
            if (refs != null && refs.observer == this && !refs.dropped) {
                return refs;
            }
            versionLookups++;
            Map<String, VersionReferences> versions = byVersion.computeIfAbsent(model, m -> new HashMap<>());
            refs = versions.get(version);
            if (refs == null) {
                refs = new VersionReferences(this);
                versions.put(version, refs);
                referencesWeight++; // a version without subjects weighs too: the versions seen are bounded as well
            }
            part.versionReferences = refs;
            return refs;
        }

        /** How often a position's known categories were started again for another reference (for tests). */
        long memoResets() {
            return memoResets;
        }

        /** How often a model version's references were looked up among every version's (for tests). */
        long versionLookups() {
            return versionLookups;
        }

        private void numeric(QualityPart part, int position, String name, double value) {
            QualityPart.Counts c = part.subjectAt(position, name, eventShape);
            if (c == null) {
                return;
            }
            // The reference's kind and range from the version's arrays by position, not from the reference and its
            // boxed bounds: with many versions' events interleaved those were cache misses for every subject.
            VersionReferences refs = references;
            boolean categoricalRef;
            double low;
            double high;
            if (refs.knows(eventShape, position)) {
                categoricalRef = refs.categoricalAt[position];
                low = refs.lowAt[position];
                high = refs.highAt[position];
            } else {
                QualityReference ref = reference(position, name);
                categoricalRef = ref != null && !ref.numeric();
                low = VersionReferences.low(ref);
                high = VersionReferences.high(ref);
            }
            if (Double.isNaN(value)) {
                c.missing++;
            } else if (categoricalRef) {
                c.countMismatch(shown(value));
            } else if (Double.isInfinite(value)) {
                c.infinite++;
            } else {
                c.present++;
                if (value < low || value > high) { // outside the range, its ends inside
                    c.outOfRange++;
                }
            }
        }

        private void categorical(QualityPart part, int position, String name, String value) {
            QualityPart.Counts c = part.subjectAt(position, name, eventShape);
            if (c == null) {
                return;
            }
            QualityReference ref = reference(position, name);
            if (Missing.isMissing(value)) {
                c.missing++;
            } else if (ref != null && ref.numeric()) {
                c.countMismatch(value);
            } else {
                c.present++;
                if (ref != null && !known(position, ref, value)) {
                    c.countUnseen(value, 1);
                }
            }
        }

        /**
         * Whether a category is among its reference's: {@code ref.categories().contains(value)}, found by identity
         * among the last values that were when the same reference was asked at the same position. The decoder hands
         * out the same string for a repeated value, so hashing and comparing it with the reference's copy is done
         * once per value and position, not per event and window; any other string is looked up.
         */
        private boolean known(int position, QualityReference ref, String value) {
            KnownCategories memo = references.knownAt(position);
            if (memo == null) {
                memo = references.newKnownAt(position);
                referencesWeight += KnownCategories.SIZE; // they weigh as many categories of a reference
            }
            if (memo.ref != ref) {
                memoResets++;
                memo.reset(ref);
            } else if (memo.has(value)) {
                return true;
            }
            if (!ref.categories().contains(value)) {
                return false;
            }
            memo.remember(value);
            return true;
        }

        /** "1" for 1.0, as a producer that meant the category would have written it; else the number as Java prints it. */
        private static String shown(double v) {
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
        }

        /** The reference of the event's subject at a position (see {@link #add}), or null without a baseline. */
        private QualityReference reference(int position, String subject) {
            VersionReferences refs = references;
            if (refs.knows(eventShape, position)) {
                return refs.byPosition[position];
            }
            QualityReference r = reference(subject);
            if (eventShape >= 0) {
                refs.remember(eventShape, position, r);
            }
            return r;
        }

        private QualityReference reference(String subject) {
            Optional<QualityReference> known = references.byName.get(subject);
            if (known == null) {
                known = baselines.find(event.getModelId(), event.getModelVersion(), subject)
                        .map(entry -> QualityReference.of(entry.avro(), quality.bounds().get(subject)));
                references.byName.put(subject, known);
                referencesWeight += 1 + known.map(r -> r.categories().size()).orElse(0);
            }
            return known.orElse(null);
        }

        /**
         * The references of one model version's subjects, by name, and by position for the events of one shape
         * (a name's reference found once per shape, not hashed again for every event and window). The parts of the
         * version's open windows hold them too ({@link QualityPart#versionReferences}), until they are dropped.
         */
        static final class VersionReferences {
            /** The observer that keeps them. */
            final QualityObserver observer;
            /** Whether the observer no longer keeps them (a baseline changed, or they weighed too much). */
            boolean dropped;
            final Map<String, Optional<QualityReference>> byName = new HashMap<>();
            long shape = -1;
            QualityReference[] byPosition = new QualityReference[0];
            boolean[] known = new boolean[0];
            /** By position as {@link #byPosition}: whether the reference is categorical, and its range's ends. */
            boolean[] categoricalAt = new boolean[0];
            double[] lowAt = new double[0];
            double[] highAt = new double[0];

            /** By position: categories recently found among the reference asked there (see {@link #known}). */
            KnownCategories[] knownCategories = new KnownCategories[0];

            VersionReferences(QualityObserver observer) {
                this.observer = observer;
            }

            /** Whether the reference at a position is remembered for events of this shape (none for shape -1). */
            boolean knows(long eventShape, int position) {
                return eventShape >= 0 && shape == eventShape && position < known.length && known[position];
            }

            /** The categories known at a position, or null before the first. */
            KnownCategories knownAt(int position) {
                return position < knownCategories.length ? knownCategories[position] : null;
            }

            KnownCategories newKnownAt(int position) {
                if (position >= knownCategories.length) {
                    knownCategories = Arrays.copyOf(knownCategories, Math.max(position + 1, 2 * knownCategories.length));
                }
                KnownCategories k = new KnownCategories();
                knownCategories[position] = k;
                return k;
            }

            void remember(long eventShape, int position, QualityReference r) {
                if (eventShape != shape) {
                    shape = eventShape;
                    Arrays.fill(known, false);
                    Arrays.fill(byPosition, null);
                }
                if (position >= known.length) {
                    int n = Math.max(position + 1, 2 * known.length);
                    known = Arrays.copyOf(known, n);
                    byPosition = Arrays.copyOf(byPosition, n);
                    categoricalAt = Arrays.copyOf(categoricalAt, n);
                    lowAt = Arrays.copyOf(lowAt, n);
                    highAt = Arrays.copyOf(highAt, n);
                }
                byPosition[position] = r;
                categoricalAt[position] = r != null && !r.numeric();
                lowAt[position] = low(r);
                highAt[position] = high(r);
                known[position] = true;
            }

            /** A reference's range's low end; -Infinity without a range, so that no finite value is below it. */
            static double low(QualityReference r) {
                return r == null || r.low() == null ? Double.NEGATIVE_INFINITY : r.low();
            }

            /** A reference's range's high end; +Infinity without a range, so that no finite value is above it. */
            static double high(QualityReference r) {
                return r == null || r.high() == null ? Double.POSITIVE_INFINITY : r.high();
            }
        }
    }

    /**
     * The last few values (by identity) found among one reference's categories: strings this task already holds, so
     * the memory they take is {@value #SIZE} references per subject position of a model version.
     */
    static final class KnownCategories {
        static final int SIZE = 8;
        private final String[] values = new String[SIZE];
        private int next;
        /** The reference whose categories they are. */
        QualityReference ref;

        void reset(QualityReference r) {
            ref = r;
            Arrays.fill(values, null);
            next = 0;
        }

        boolean has(String value) {
            for (String v : values) {
                if (v == value) {
                    return true;
                }
            }
            return false;
        }

        void remember(String value) {
            values[next] = value;
            next = (next + 1) % SIZE;
        }
    }

    /** Judges each merged window's subjects and steps their data-quality alerts. */
    static final class QualityEvaluator implements Evaluator {
        private final PipelineSettings settings;
        private final BaselineLookup baselines;
        private final KeyValueStore<String, byte[]> alerts;
        private final QualitySettings quality;

        QualityEvaluator(PipelineSettings settings, BaselineLookup baselines, KeyValueStore<String, byte[]> alerts,
                         QualitySettings quality) {
            this.settings = settings;
            this.baselines = baselines;
            this.alerts = alerts;
            this.quality = quality;
        }

        @Override
        public void evaluate(WindowBundle b, WindowOutput out) {
            if (b.events() == 0) {
                return;
            }
            QualityPart part = (QualityPart) b.part(QualityPart.NAME);
            TreeSet<String> subjects = new TreeSet<>();
            if (part != null) {
                subjects.addAll(part.subjects().keySet());
            }
            for (String s : baselines.subjects(b.modelId(), b.modelVersion())) {
                if (!Subjects.isKeptBySignal(s)) {
                    subjects.add(s);
                }
            }
            for (String subject : subjects) {
                QualityReference ref = baselines.find(b.modelId(), b.modelVersion(), subject)
                        .map(e -> QualityReference.of(e.avro(), quality.bounds().get(subject))).orElse(null);
                QualityPart.Counts counts = part == null ? null : part.subjects().get(subject);
                QualityChecks.Result result = QualityChecks.judge(counts, b.events(), ref, quality);
                AlertPolicy policy = out.policy(subject);
                emitStats(b, subject, counts, ref, result, policy, out);
                if (ref != null && result.judged()) {
                    step(b, subject, ref, result, policy, out);
                }
            }
        }

        private void emitStats(WindowBundle b, String subject, QualityPart.Counts counts, QualityReference ref,
                               QualityChecks.Result result, AlertPolicy policy, WindowOutput out) {
            String shown = WindowKeys.shown(b, subject);
            WindowStats ws = WindowVerdicts.stats(b, subject, SubjectKind.DATA_QUALITY.name())
                    .setBaselineId(ref == null ? null : ref.baselineId())
                    .setSampleSize(counts == null ? 0 : counts.present())
                    .setMissingCount(result.quality().getEvents() - (counts == null ? 0 : counts.present()
                            + counts.typeMismatch()))
                    .setReferenceSampleSize(ref == null ? 0 : ref.observations() - ref.missing())
                    .setStatistics(result.statistics())
                    .setDrifting(!result.quality().getProblems().isEmpty())
                    .setPolicyVersion(ref == null ? null : policy.version())
                    .setInsufficientData(b.events() < quality.minEvents())
                    .setDataQuality(result.quality())
                    .build();
            for (var t : ws.getStatistics()) {
                if (t.getValue() != null) {
                    settings.metrics().statistic(b.modelId(), b.modelVersion(), shown, t.getTest(), t.getValue());
                }
            }
            out.windowStats(WindowKeys.output(b, subject), ws);
        }

        private void step(WindowBundle b, String subject, QualityReference ref, QualityChecks.Result result,
                          AlertPolicy policy, WindowOutput out) {
            String stateSubject = Subjects.dataQuality(subject);
            String key = WindowKeys.alertState(b, stateSubject);
            SubjectAlertState state = SubjectAlertState.fromBytes(alerts.get(key));
            QualityChecks.Outcome over = result.firstOver();
            Persistence.Step step = policy.persistence().next(state.persistence(),
                    over == null ? Severity.NONE : over.check().severity);
            Transition transition = step.transition();
            String firingCheck = state.firingOutput();
            Severity severity = state.firingSeverity();
            if (transition == Transition.FIRING) {
                firingCheck = over.check().id;
                severity = over.check().severity;
            }
            SubjectAlertState next = (transition == Transition.RESOLVED
                    ? new SubjectAlertState(step.state(), state.evidence(), null, Severity.NONE, null)
                    : new SubjectAlertState(step.state(), state.evidence(), null, severity, firingCheck))
                    .withOpenAlert(transition, state, b, stateSubject);
            alerts.put(key, next.toBytes());
            String shown = WindowKeys.shown(b, subject);
            settings.metrics().alertState(b.modelId(), b.modelVersion(), WindowKeys.shown(b, stateSubject),
                    next.persistence().isFiring(), next.persistence().isFiring() ? severity.name() : "NONE");
            if (transition == Transition.NONE) {
                return;
            }
            MetricsReports.alert(settings.metrics(), b.modelId(), b.modelVersion(), transition, severity);
            QualityChecks.Check check = QualityChecks.Check.fromId(firingCheck);
            if (check == null) {
                check = QualityChecks.Check.MISSING_SHARE; // a state written without its check: name the commonest
            }
            QualityChecks.Outcome quoted = result.outcomes().get(check);
            double statistic = quoted == null || quoted.value() == null ? 0.0 : quoted.value();
            double threshold = quoted == null || quoted.threshold() == null ? quality.alpha() : quoted.threshold();
            AlertState alertState = transition == Transition.FIRING ? AlertState.FIRING : AlertState.RESOLVED;
            String id = transition == Transition.FIRING ? next.firingAlertId()
                    : state.firingAlertId() != null ? state.firingAlertId()
                    : WindowKeys.alertId(b, stateSubject, AlertState.RESOLVED);
            String summary = String.format(Locale.ROOT, "%s %s %s/%s %s data quality: %s, window %s..%s", alertState,
                    severity, b.modelId(), b.modelVersion(), shown, describe(check, result, quoted),
                    Instant.ofEpochMilli(b.windowStart()), Instant.ofEpochMilli(b.windowEnd()));
            out.alert(subject, DriftAlert.newBuilder()
                    .setAlertId(id)
                    .setState(alertState)
                    .setSeverity(AlertFields.severity(severity))
                    .setTest(DriftTest.valueOf(check.name()))
                    .setStatistic(statistic)
                    .setPValue(quoted == null ? null : quoted.pValue())
                    .setAdjustedPValue(null)
                    .setThreshold(threshold)
                    .setWindowStart(Instant.ofEpochMilli(b.windowStart()))
                    .setWindowEnd(Instant.ofEpochMilli(b.windowEnd()))
                    .setCurrentSampleSize(b.events())
                    .setReferenceSampleSize(ref.observations())
                    .setBaselineId(ref.baselineId())
                    .setBaselineSource(ref.source())
                    .setPolicyVersion(policy.version())
                    .setModelId(b.modelId())
                    .setModelVersion(b.modelVersion())
                    .setSubject(shown)
                    .setSubjectKind(SubjectKind.DATA_QUALITY)
                    .setWindowsOverThreshold(step.driftedWindows())
                    .setBusinessContext(null)
                    .setSummary(summary)
                    .build());
        }

        private static String describe(QualityChecks.Check check, QualityChecks.Result result,
                                       QualityChecks.Outcome o) {
            var q = result.quality();
            String share = o == null || o.value() == null ? "n/a" : String.format(Locale.ROOT, "%.4f", o.value());
            return switch (check) {
                case ABSENT -> String.format(Locale.ROOT, "absent from %d of %d events", q.getAbsentCount(),
                        q.getEvents());
                case MISSING_SHARE -> String.format(Locale.ROOT, "missing share %s vs reference %.4f (p = %.3g)", share,
                        q.getReferenceMissingShare() == null ? 0.0 : q.getReferenceMissingShare(),
                        q.getMissingPValue() == null ? 1.0 : q.getMissingPValue());
                case TYPE_MISMATCH -> String.format(Locale.ROOT, "%d of %d events sent the wrong type (e.g. '%s')",
                        q.getTypeMismatchCount(), q.getEvents(), q.getTypeMismatchExample());
                case OUT_OF_RANGE -> String.format(Locale.ROOT, "%d values (share %s) outside [%s, %s]",
                        q.getOutOfRangeCount(), share, q.getRangeLow(), q.getRangeHigh());
                case UNSEEN_CATEGORIES -> String.format(Locale.ROOT, "%d unseen values (share %s), top %s",
                        q.getUnseenCount(), share, q.getUnseenTop());
            };
        }
    }
}
