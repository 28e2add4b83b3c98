package dev.driftwatch.streams.embedding;

import dev.driftwatch.detectors.embedding.EmbeddingComparison;
import dev.driftwatch.detectors.embedding.EmbeddingReference;
import dev.driftwatch.detectors.embedding.EmbeddingWindow;
import dev.driftwatch.detectors.policy.AlertPolicy;
import dev.driftwatch.detectors.policy.Persistence;
import dev.driftwatch.detectors.policy.Severity;
import dev.driftwatch.detectors.policy.Transition;
import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.DriftTest;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.SubjectKind;
import dev.driftwatch.schemas.avro.TestStatistic;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.internals.AlertFields;
import dev.driftwatch.streams.internals.BaselineLookup;
import dev.driftwatch.streams.internals.Signal;
import dev.driftwatch.streams.internals.SubjectAlertState;
import dev.driftwatch.streams.internals.WindowBundle;
import dev.driftwatch.streams.internals.WindowKeys;
import dev.driftwatch.streams.internals.WindowPart;
import dev.driftwatch.streams.internals.WindowVerdicts;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Embedding drift: every named embedding an event carries is added to its window's {@link EmbeddingPart}, on the
 * reference of its baseline {@code embedding.NAME} (kind EMBEDDING); each merged window gives one
 * {@link WindowStats} per name (subject kind {@code embedding}) with the mean distances, the share of drifted
 * principal components and the MMD estimate, each with its bootstrap p-value and threshold, and a
 * {@link DriftAlert} of kind EMBEDDING when the name starts or stops drifting (through the policy's persistence).
 */
public final class EmbeddingSignal implements Signal {
    /** Prefix of the subjects (and baseline keys) of embeddings. */
    public static final String PREFIX = "embedding.";
    public static final String MEAN = "embedding_mean";
    public static final String COSINE = "embedding_cosine";
    public static final String PCA = "embedding_pca";
    public static final String MMD = "embedding_mmd";
    /** A drifting window is CRITICAL when its combined p-value is at most embedding.alpha / this, else WARNING. */
    public static final double CRITICAL_FACTOR = 10;

    private final PipelineSettings settings;

    public EmbeddingSignal(PipelineSettings settings) {
        this.settings = settings;
    }

    @Override
    public Map<String, WindowPart.Reader> parts() {
        return Map.of(EmbeddingPart.NAME, EmbeddingPart::read);
    }

    @Override
    public Observer observer(ObserverContext context) {
        EmbeddingSettings s = EmbeddingSettings.of(settings.signals());
        if (!s.enabled()) {
            return null;
        }
        References references = new References(context.baselines());
        return new Observer() {
            @Override
            public void add(WindowBundle window, InferenceEvent event) {
                Map<String, List<Float>> embeddings = event.getEmbeddings();
                if (embeddings == null || embeddings.isEmpty()) {
                    return;
                }
                EmbeddingPart part = (EmbeddingPart) window.part(EmbeddingPart.NAME);
                if (part == null) {
                    part = new EmbeddingPart();
                    window.putPart(part);
                }
                for (Map.Entry<String, List<Float>> e : embeddings.entrySet()) {
                    EmbeddingPart.Named named = part.names().get(e.getKey());
                    if (named == null) {
                        if (part.names().size() >= s.maxNames()) {
                            part.countOverflow();
                            continue;
                        }
                        EmbeddingReference ref = references.current(window.modelId(), window.modelVersion(), e.getKey());
                        named = new EmbeddingPart.Named(ref == null ? null : ref.newWindow());
                        part.names().put(e.getKey(), named);
                    }
                    EmbeddingReference ref = named.window == null ? null
                            : references.forWindow(window.modelId(), window.modelVersion(), e.getKey(), named.window);
                    if (ref == null) {
                        named.unsummarised++;
                    } else {
                        ref.add(named.window, vector(e.getValue()));
                    }
                }
            }
        };
    }

    private static double[] vector(List<Float> values) {
        double[] x = new double[values.size()];
        for (int i = 0; i < x.length; i++) {
            Float v = values.get(i);
            x[i] = v == null ? Double.NaN : v;
        }
        return x;
    }

    @Override
    public Evaluator evaluator(EvaluatorContext context) {
        EmbeddingSettings s = EmbeddingSettings.of(settings.signals());
        References references = new References(context.baselines());
        KeyValueStore<String, byte[]> alerts = context.alerts();
        return (window, out) -> {
            EmbeddingPart part = (EmbeddingPart) window.part(EmbeddingPart.NAME);
            if (part == null || !s.enabled()) {
                return;
            }
            for (Map.Entry<String, EmbeddingPart.Named> e : part.names().entrySet()) {
                String subject = PREFIX + e.getKey();
                EmbeddingPart.Named named = e.getValue();
                BaselineLookup.Entry baseline = context.baselines().find(window.modelId(), window.modelVersion(), subject)
                        .orElse(null);
                EmbeddingReference ref = references.current(window.modelId(), window.modelVersion(), e.getKey());
                String reason = null;
                EmbeddingComparison c = null;
                if (ref == null) {
                    reason = "no embedding baseline for " + subject + " of " + window.modelId() + "/"
                            + window.modelVersion();
                } else if (named.window == null || named.window.fingerprint() != ref.fingerprint()) {
                    reason = "the baseline arrived or changed during the window; the next window is evaluated";
                } else if (named.window.count() == 0) {
                    reason = "no vector of the baseline's dimension " + ref.dimension();
                } else {
                    c = ref.compare(named.window, s.alpha());
                }
                AlertPolicy policy = out.policy(subject);
                boolean judged = c != null && c.count() >= s.minSamples();
                boolean drifting = judged && c.combinedP() <= s.alpha();
                out.windowStats(WindowKeys.output(window, subject),
                        stats(window, subject, named, c, reason, baseline, policy, judged, drifting, s));
                if (judged) {
                    step(window, subject, c, drifting, s.alpha(), baseline, policy, alerts, out);
                }
            }
        };
    }

    private WindowStats stats(WindowBundle b, String subject, EmbeddingPart.Named named, EmbeddingComparison c,
                              String reason, BaselineLookup.Entry baseline, AlertPolicy policy, boolean judged,
                              boolean drifting, EmbeddingSettings s) {
        List<TestStatistic> stats = new ArrayList<>();
        if (c == null) {
            stats.add(statistic("none", null, null, null, false, null, reason));
        } else {
            double level = c.level();
            EmbeddingComparison.Raw r = c.raw();
            stats.add(statistic(MEAN, r.meanDistance(), c.meanP(), c.meanThreshold(), c.meanP() <= level, null, null));
            stats.add(statistic(COSINE, Double.isNaN(r.cosineDistance()) ? null : r.cosineDistance(), c.cosineP(),
                    c.cosineThreshold(), false, null, Double.isNaN(r.cosineDistance()) ? "a mean is the zero vector"
                            : null));
            stats.add(statistic(PCA, r.pcaShare(), c.pcaP(), c.pcaThreshold(), c.pcaP() <= level, null, null));
            stats.add(statistic(MMD, r.mmd2(), c.mmdP(), c.mmdThreshold(), c.mmdP() <= level,
                    3 * r.mmdStandardError(), null));
        }
        long missing = named.unsummarised + (named.window == null ? 0 : named.window.mismatched());
        return WindowVerdicts.stats(b, subject, "embedding")
                .setBaselineId(baseline == null ? null : baseline.id())
                .setSampleSize(c == null ? (named.window == null ? 0 : named.window.count()) : c.count())
                .setMissingCount(missing)
                .setReferenceSampleSize(baseline == null ? 0 : baseline.avro().getTotalCount())
                .setStatistics(stats)
                .setDrifting(drifting)
                .setPolicyVersion(c == null ? null : policy.version())
                .setInsufficientData(c != null && !judged)
                .build();
    }

    private static TestStatistic statistic(String test, Double value, Double p, Double threshold, boolean over,
                                           Double bound, String reason) {
        return TestStatistic.newBuilder().setTest(test).setValue(value).setPValue(p)
                .setThreshold(threshold == null || Double.isInfinite(threshold) ? null : threshold)
                .setOverThreshold(over).setErrorBound(bound).setUndefinedReason(reason).build();
    }

    private void step(WindowBundle b, String subject, EmbeddingComparison c, boolean drifting, double alpha,
                      BaselineLookup.Entry baseline, AlertPolicy policy, KeyValueStore<String, byte[]> alerts,
                      WindowOutput out) {
        String key = WindowKeys.alertState(b, subject);
        SubjectAlertState state = SubjectAlertState.fromBytes(alerts.get(key));
        Persistence persistence = policy.persistence();
        Severity windowSeverity = !drifting ? Severity.NONE
                : c.combinedP() <= alpha / CRITICAL_FACTOR ? Severity.CRITICAL : Severity.WARNING;
        Persistence.Step step = persistence.next(state.persistence(), windowSeverity);
        Severity severity = step.transition() == Transition.FIRING ? windowSeverity : state.firingSeverity();
        SubjectAlertState next = new SubjectAlertState(step.state(), null,
                step.transition() == Transition.RESOLVED ? Severity.NONE : severity)
                .withOpenAlert(step.transition(), state, b, subject);
        alerts.put(key, next.toBytes());
        settings.metrics().alertState(b.modelId(), b.modelVersion(), WindowKeys.shown(b, subject),
                next.persistence().isFiring(), next.firingSeverity().name());
        if (step.transition() == Transition.NONE) {
            return;
        }
        AlertState alertState = step.transition() == Transition.FIRING ? AlertState.FIRING : AlertState.RESOLVED;
        // The deciding statistic: the one with the smallest p-value (mean distance first on ties).
        EmbeddingComparison.Raw r = c.raw();
        DriftTest test = DriftTest.EMBEDDING_MEAN;
        double statistic = r.meanDistance();
        double p = c.meanP();
        double threshold = c.meanThreshold();
        if (c.mmdP() < p) {
            test = DriftTest.EMBEDDING_MMD;
            statistic = r.mmd2();
            p = c.mmdP();
            threshold = c.mmdThreshold();
        }
        if (c.pcaP() < p) {
            test = DriftTest.EMBEDDING_PCA;
            statistic = r.pcaShare();
            p = c.pcaP();
            threshold = c.pcaThreshold();
        }
        settings.metrics().alert(b.modelId(), b.modelVersion(), alertState.name(),
                AlertFields.severity(severity).name());
        String summary = String.format(Locale.ROOT, "%s %s %s/%s %s: mean distance %.4f (p %.4f), cosine %.4f,"
                        + " %d of %d components drifted (p %.4f), MMD² %.5f ± %.5f (p %.4f); n=%d, window %s..%s",
                alertState, AlertFields.severity(severity), b.modelId(), b.modelVersion(), WindowKeys.shown(b, subject),
                r.meanDistance(), c.meanP(), r.cosineDistance(), r.driftedComponents(),
                Math.max(1, Math.round(r.driftedComponents() / Math.max(r.pcaShare(), 1e-12))), c.pcaP(), r.mmd2(),
                3 * r.mmdStandardError(), c.mmdP(), c.count(), Instant.ofEpochMilli(b.windowStart()),
                Instant.ofEpochMilli(b.windowEnd()));
        DriftAlert alert = DriftAlert.newBuilder()
                .setAlertId(WindowKeys.alertId(b, subject, alertState))
                .setState(alertState)
                .setSeverity(AlertFields.severity(severity))
                .setTest(test)
                .setStatistic(statistic)
                .setPValue(p)
                .setAdjustedPValue(c.combinedP())
                .setThreshold(Double.isInfinite(threshold) ? Double.MAX_VALUE : threshold)
                .setWindowStart(Instant.ofEpochMilli(b.windowStart()))
                .setWindowEnd(Instant.ofEpochMilli(b.windowEnd()))
                .setCurrentSampleSize(c.count())
                .setReferenceSampleSize(baseline.avro().getTotalCount())
                .setBaselineId(baseline.id())
                .setBaselineSource(baseline.avro().getProvenance().getSource())
                .setPolicyVersion(policy.version())
                .setModelId(b.modelId())
                .setModelVersion(b.modelVersion())
                .setSubject(WindowKeys.shown(b, subject))
                .setSubjectKind(SubjectKind.EMBEDDING)
                .setWindowsOverThreshold(step.state().driftedInLast(persistence.windows()))
                .setBusinessContext(null)
                .setSummary(summary)
                .build();
        out.alert(subject, alert);
    }

    /**
     * The references of one task, parsed once per baseline record, and by fingerprint, so that a window keeps the
     * reference it started on when the baseline changes during it.
     */
    private static final class References {
        private final BaselineLookup baselines;
        private final Map<Long, EmbeddingReference> byFingerprint = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, EmbeddingReference> eldest) {
                return size() > 256;
            }
        };
        private final Map<String, Map.Entry<String, java.util.Optional<EmbeddingReference>>> byBaselineId =
                new LinkedHashMap<>();

        References(BaselineLookup baselines) {
            this.baselines = baselines;
        }

        /** The current reference of an embedding, or null (none, or not an embedding baseline). */
        EmbeddingReference current(String model, String version, String name) {
            BaselineLookup.Entry entry = baselines.find(model, version, PREFIX + name).orElse(null);
            if (entry == null) {
                return null;
            }
            String key = model + "/" + version + "/" + name;
            Map.Entry<String, java.util.Optional<EmbeddingReference>> known = byBaselineId.get(key);
            if (known != null && known.getKey().equals(entry.id())) {
                return known.getValue().orElse(null);
            }
            EmbeddingReference ref = EmbeddingBaselines.reference(entry.avro());
            if (byBaselineId.size() > 1024) {
                byBaselineId.clear();
            }
            byBaselineId.put(key, Map.entry(entry.id(), java.util.Optional.ofNullable(ref)));
            if (ref != null) {
                byFingerprint.put(ref.fingerprint(), ref);
            }
            return ref;
        }

        /** The reference a window is summarised on, or null when it is no longer known (replaced and evicted). */
        EmbeddingReference forWindow(String model, String version, String name, EmbeddingWindow window) {
            EmbeddingReference ref = byFingerprint.get(window.fingerprint());
            if (ref == null) {
                ref = current(model, version, name); // after a restart: the cache is empty
                if (ref != null && ref.fingerprint() != window.fingerprint()) {
                    ref = null;
                }
            }
            return ref;
        }
    }
}
