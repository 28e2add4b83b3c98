package dev.driftwatch.streams.multivariate;

import dev.driftwatch.detectors.DriftStatistics;
import dev.driftwatch.detectors.multivariate.ReferenceWindows;
import dev.driftwatch.detectors.policy.AlertPolicy;
import dev.driftwatch.detectors.policy.Severity;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.DriftTest;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.SubjectKind;
import dev.driftwatch.schemas.avro.TestStatistic;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.internals.BaselineLookup;
import dev.driftwatch.streams.internals.Signal;
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
import java.util.Optional;

/**
 * Multivariate drift by data reconstruction (when {@code multivariate.enabled}): each event of a model version
 * with a {@value MultivariateBaseline#SUBJECT} baseline gets its reconstruction error (the distance between its
 * standardised features and their projection on the reference's principal components); each window keeps their
 * count, exact sum and histogram ({@link ReconstructionPart}); its mean is tested against the reference's
 * distribution of window means, and the subject {@value MultivariateBaseline#SUBJECT} fires and resolves under
 * the policy's persistence rule like any subject (kind {@code MULTIVARIATE}, test {@code RECONSTRUCTION_ERROR}).
 * It sees a change in how the features move together that leaves every feature's own distribution unchanged.
 */
public final class MultivariateSignal implements Signal {
    private final PipelineSettings settings;
    private final MultivariateSettings multivariate;

    public MultivariateSignal(PipelineSettings settings) {
        this.settings = settings;
        this.multivariate = MultivariateSettings.of(settings.signals());
    }

    @Override
    public Map<String, WindowPart.Reader> parts() {
        return Map.of(ReconstructionPart.NAME, ReconstructionPart::read);
    }

    @Override
    public Observer observer(ObserverContext context) {
        return multivariate.enabled() ? new Scoring(context.baselines()) : null;
    }

    @Override
    public Evaluator evaluator(EvaluatorContext context) {
        return multivariate.enabled() ? new Judging(context.baselines(), context.alerts()) : null;
    }

    /** The parsed baselines by id, a few at a time (parsing one builds its model). */
    private static final class Baselines {
        private final BaselineLookup lookup;
        /** By baseline id; empty for a record whose model cannot be used (so it is not parsed for every event). */
        private final Map<String, Optional<MultivariateBaseline>> parsed = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Optional<MultivariateBaseline>> eldest) {
                return size() > 256;
            }
        };

        Baselines(BaselineLookup lookup) {
            this.lookup = lookup;
        }

        MultivariateBaseline find(String model, String version) {
            BaselineLookup.Entry e = lookup.find(model, version, MultivariateBaseline.SUBJECT).orElse(null);
            if (e == null || e.avro().getMultivariate() == null) {
                return null;
            }
            return parsed.computeIfAbsent(e.id(), id -> Optional.ofNullable(MultivariateBaseline.from(e.avro())))
                    .orElse(null);
        }
    }

    /** The summarizing stage: each event's error into the windows it falls in. */
    private static final class Scoring implements Observer {
        private final Baselines baselines;
        private InferenceEvent lastEvent;
        private String lastBaseline;
        private double lastError;

        Scoring(BaselineLookup lookup) {
            this.baselines = new Baselines(lookup);
        }

        @Override
        public void add(WindowBundle window, InferenceEvent event) {
            MultivariateBaseline b = baselines.find(event.getModelId(), event.getModelVersion());
            if (b == null) {
                return;
            }
            // An event falls in several windows when they overlap: its error is computed once.
            if (event != lastEvent || !b.id().equals(lastBaseline)) {
                lastError = b.model().error(event.getNumericFeatures(), event.getCategoricalFeatures());
                lastEvent = event;
                lastBaseline = b.id();
            }
            ReconstructionPart.of(window, b.id(), b.errors().bins().binCount())
                    .add(b.id(), lastError, b.errors().bins().binOf(lastError));
        }
    }

    /** The evaluating stage: the window's mean error against the reference's window means. */
    private final class Judging implements Evaluator {
        private final Baselines baselines;
        private final KeyValueStore<String, byte[]> alerts;

        Judging(BaselineLookup lookup, KeyValueStore<String, byte[]> alerts) {
            this.baselines = new Baselines(lookup);
            this.alerts = alerts;
        }

        @Override
        public void evaluate(WindowBundle b, WindowOutput out) {
            ReconstructionPart part = (ReconstructionPart) b.part(ReconstructionPart.NAME);
            if (part == null) {
                return;
            }
            String subject = MultivariateBaseline.SUBJECT;
            MultivariateBaseline baseline = baselines.find(b.modelId(), b.modelVersion());
            AlertPolicy policy = out.policy(subject);
            String reason = null;
            if (baseline == null) {
                reason = "the *multivariate* baseline is gone";
            } else if (!baseline.id().equals(part.baselineId())) {
                reason = "baseline changed during the window (window on " + part.baselineId() + ", current "
                        + baseline.id() + ")";
            } else if (part.count() == 0) {
                reason = "no event with a reconstruction error";
            }
            ReferenceWindows.Result r = reason == null
                    ? baseline.windows().test(part.mean(), part.count(), multivariate.thresholdWidth()) : null;
            boolean insufficient = r != null && part.count() < multivariate.minEvents();
            Severity severity = Severity.NONE;
            double change = r == null ? Double.NaN : Math.abs(r.relativeChange());
            if (r != null && !insufficient && r.outside() && change >= multivariate.changeWarning()) {
                severity = change >= multivariate.changeCritical() ? Severity.CRITICAL : Severity.WARNING;
            }
            out.windowStats(WindowKeys.output(b, subject), stats(b, part, baseline, r, reason, insufficient,
                    severity, policy));
            if (r == null) {
                return;
            }
            String name = WindowKeys.shown(b, subject);
            settings.metrics().statistic(b.modelId(), b.modelVersion(), name, "reconstruction_error", r.windowMean());
            if (insufficient) {
                return;
            }
            WindowVerdicts.Step step = WindowVerdicts.step(settings, alerts, b, subject, policy, severity);
            if (!step.changed()) {
                return;
            }
            String summary = String.format(Locale.ROOT, "%s %s %s/%s %s: mean reconstruction error %.4f vs reference"
                            + " %.4f (%+.1f %%, band %.4f..%.4f, threshold %.1f %%), p = %.3g, %d events, window %s..%s",
                    step.state(), step.severity(), b.modelId(), b.modelVersion(), name, r.windowMean(),
                    baseline.windows().mean(), 100 * r.relativeChange(), r.lower(), r.upper(),
                    100 * multivariate.changeWarning(), r.pValue(), r.n(), Instant.ofEpochMilli(b.windowStart()),
                    Instant.ofEpochMilli(b.windowEnd()));
            DriftAlert alert = WindowVerdicts.alert(b, subject, step, policy, DriftTest.RECONSTRUCTION_ERROR,
                            SubjectKind.MULTIVARIATE)
                    .setStatistic(r.relativeChange())
                    .setPValue(r.pValue())
                    .setThreshold(multivariate.changeWarning())
                    .setCurrentSampleSize(r.n())
                    .setReferenceSampleSize(baseline.avro().getMultivariate().getReferenceRows())
                    .setBaselineId(baseline.id())
                    .setBaselineSource(baseline.avro().getProvenance().getSource())
                    .setSummary(summary)
                    .build();
            out.alert(subject, alert);
        }

        private WindowStats stats(WindowBundle b, ReconstructionPart part, MultivariateBaseline baseline,
                                  ReferenceWindows.Result r, String reason, boolean insufficient, Severity severity,
                                  AlertPolicy policy) {
            List<TestStatistic> stats = new ArrayList<>();
            if (r == null) {
                stats.add(statistic("reconstruction_error", null, null, null, false, reason));
            } else {
                stats.add(statistic("reconstruction_error", r.windowMean(), r.pValue(), r.upper(), r.outside(), null));
                stats.add(statistic("reconstruction_error.change", r.relativeChange(), null,
                        multivariate.changeWarning(), Math.abs(r.relativeChange()) >= multivariate.changeWarning(),
                        null));
                stats.add(statistic("reconstruction_error.sd", part.stdDev(), null, null, false, null));
                stats.add(statistic("reconstruction_error.psi", psi(baseline, part), null, null, false, null));
            }
            return WindowVerdicts.stats(b, MultivariateBaseline.SUBJECT, "multivariate")
                    .setBaselineId(baseline == null ? null : baseline.id())
                    .setSampleSize(part.count())
                    .setMissingCount(part.otherBaseline())
                    .setReferenceSampleSize(baseline == null ? 0 : baseline.avro().getMultivariate().getReferenceRows())
                    .setStatistics(stats)
                    .setDrifting(severity != Severity.NONE)
                    .setPolicyVersion(r == null ? null : policy.version())
                    .setInsufficientData(insufficient)
                    .build();
        }
    }

    /** PSI of the window's errors against the reference's, on the baseline's frozen bins (for the distribution). */
    private static double psi(MultivariateBaseline baseline, ReconstructionPart part) {
        long[] ref = baseline.errors().reference().binCounts();
        long[] cur = part.bins();
        return DriftStatistics.psi(ref, cur);
    }

    private static TestStatistic statistic(String test, Double value, Double p, Double threshold, boolean over,
                                           String reason) {
        return TestStatistic.newBuilder().setTest(test).setValue(value).setPValue(p).setThreshold(threshold)
                .setOverThreshold(over).setErrorBound(null).setUndefinedReason(reason).build();
    }
}
