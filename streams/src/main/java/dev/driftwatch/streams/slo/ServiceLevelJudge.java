package dev.driftwatch.streams.slo;

import dev.driftwatch.detectors.policy.Severity;
import dev.driftwatch.detectors.slo.BudgetHistory;
import dev.driftwatch.detectors.slo.BurnRateRule;
import dev.driftwatch.detectors.slo.BurnRates;
import dev.driftwatch.detectors.slo.LatencySummary;
import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.DriftTest;
import dev.driftwatch.schemas.avro.ServiceLevels;
import dev.driftwatch.schemas.avro.SubjectKind;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.business.BusinessSettings;
import dev.driftwatch.streams.business.CtrBaseline;
import dev.driftwatch.streams.business.RateBaseline;
import dev.driftwatch.streams.internals.AlertFields;
import dev.driftwatch.streams.internals.WindowBundle;
import dev.driftwatch.streams.internals.WindowKeys;
import dev.driftwatch.streams.review.ReviewSettings;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Judges the service levels of each merged window, in the evaluating stage: the window's indicators as a
 * {@link ServiceLevels} record, and for every objective the window's good/total counts added to a bounded
 * history (one slot per window step over the longest long window of the burn-rate rules, in the
 * changelogged store {@link #STORE}), then the burn-rate rules judged on it. An objective's alert is a
 * {@link DriftAlert} of kind SLO and test BURN_RATE on subject {@code slo.NAME}: FIRING once when a rule
 * fires, RESOLVED once when no rule fires any more.
 *
 * <p>Severity: while the alert is up, a rule of a higher severity than the one last sent starting to fire
 * (e.g. the 1h/5m CRITICAL rule after the 6h/30m WARNING one) sends a new FIRING at that severity, for the
 * window where it happens (so with its own id). When the higher rule stops firing but a lower one still
 * fires, nothing is sent: the alert stays up at the severity last sent, and a later rise to it sends
 * nothing either. The RESOLVED, once no rule fires, carries the severity last sent FIRING.
 *
 * <p>A rule fires only when its long window holds at least {@code slo.min.events} events
 * ({@link ServiceLevelSettings#minEvents()}). Service levels need tumbling windows
 * ({@link ServiceLevelSettings#checkTumbling}).
 */
public final class ServiceLevelJudge {
    /** The store of the objectives' histories and alert states, keyed model|version|segment|objective. */
    public static final String STORE = "driftwatch-slo-budgets";
    /** Prefix of the objectives' subjects in alerts and metrics. */
    public static final String SUBJECT_PREFIX = "slo.";
    private static final byte STATE_VERSION = 1;
    private static final Logger LOG = LoggerFactory.getLogger(ServiceLevelJudge.class);

    /** An alert of one objective, with its subject without the segment (for mutes and keys). */
    public record Alert(String subject, DriftAlert alert) {
    }

    /**
     * What one window gives.
     *
     * @param key    the record key of the service levels: model/version, with @segment when segmented
     * @param levels the window's indicators
     * @param alerts the state changes of the objectives (usually none)
     */
    public record Result(String key, ServiceLevels levels, List<Alert> alerts) {
    }

    private final PipelineSettings settings;
    private final ServiceLevelSettings slo;
    private final long step;
    private final int capacity;
    private final KeyValueStore<String, byte[]> store;

    /**
     * @param store the changelogged store {@link #STORE}
     * @throws IllegalArgumentException when enabled and the windows hop, a rule's windows are not multiples of
     *     the window size, or an objective needs business outcomes that are disabled
     */
    public ServiceLevelJudge(PipelineSettings settings, KeyValueStore<String, byte[]> store) {
        this.settings = settings;
        this.slo = ServiceLevelSettings.of(settings.signals());
        this.step = settings.windowAdvance().toMillis();
        this.store = store;
        if (slo.enabled()) {
            slo.checkTumbling(settings.windowSize().toMillis(), step);
            slo.checkBusiness(BusinessSettings.of(settings.signals()).enabled());
            slo.checkWindows(step);
            this.capacity = BurnRates.capacity(slo.rules(), step);
        } else {
            this.capacity = 1;
        }
    }

    /**
     * The window's indicators and the objectives' alerts; empty when service levels are disabled.
     *
     * @param ctrBaseline the CTR baseline of the window's model version, or null when it has none
     */
    public Optional<Result> judge(WindowBundle window, CtrBaseline ctrBaseline) {
        return judge(window, ctrBaseline, null);
    }

    /**
     * The window's indicators and the objectives' alerts; empty when service levels are disabled.
     *
     * @param ctrBaseline        the CTR baseline of the window's model version, or null when it has none
     * @param conversionBaseline its conversion-rate baseline ({@code business.conversion}), or null
     */
    public Optional<Result> judge(WindowBundle window, CtrBaseline ctrBaseline, RateBaseline conversionBaseline) {
        if (!slo.enabled()) {
            return Optional.empty();
        }
        ServiceLevels levels = levels(window);
        BusinessSettings business = BusinessSettings.of(settings.signals());
        ServiceLevelIndicator.Context context = new ServiceLevelIndicator.Context(ctrBaseline,
                business.minImpressions(), conversionBaseline, business.outcomes().minCount());
        List<Alert> alerts = new ArrayList<>();
        for (ServiceLevelObjective objective : slo.objectives()) {
            Alert a = judge(window, objective, context);
            if (a != null) {
                alerts.add(a);
            }
        }
        return Optional.of(new Result(WindowKeys.version(window), levels, List.copyOf(alerts)));
    }

    private ServiceLevels levels(WindowBundle w) {
        ServiceLevelPart p = (ServiceLevelPart) w.part(ServiceLevelPart.NAME);
        if (p == null) {
            p = new ServiceLevelPart();
        }
        LatencySummary latency = p.latency();
        boolean hasLatency = latency.count() > 0;
        return ServiceLevels.newBuilder()
                .setModelId(w.modelId())
                .setModelVersion(w.modelVersion())
                .setSegment(w.segment())
                .setWindowStart(Instant.ofEpochMilli(w.windowStart()))
                .setWindowEnd(Instant.ofEpochMilli(w.windowEnd()))
                .setRequests(p.requests())
                .setErrors(p.errors())
                .setErrorRate(p.requests() == 0 ? null : (double) p.errors() / p.requests())
                .setLatencyCount(latency.count())
                .setLatencyP50Ms(hasLatency ? latency.quantile(0.50) : null)
                .setLatencyP95Ms(hasLatency ? latency.quantile(0.95) : null)
                .setLatencyP99Ms(hasLatency ? latency.quantile(0.99) : null)
                .setLatencyRelativeError(latency.relativeError())
                .setTokensIn(p.tokensIn())
                .setTokensOut(p.tokensOut())
                .setCost(p.costCount() == 0 ? null : p.cost())
                .setCostPerRequest(p.costCount() == 0 ? null : p.cost() / p.costCount())
                .setConfidenceCount(p.confidenceCount())
                .setLowConfidenceCount(p.lowConfidenceCount())
                .setLowConfidenceShare(p.confidenceCount() == 0 ? null
                        : (double) p.lowConfidenceCount() / p.confidenceCount())
                .setLowConfidenceThreshold(ReviewSettings.of(settings.signals()).confidenceThreshold())
                .build();
    }

    private Alert judge(WindowBundle w, ServiceLevelObjective objective, ServiceLevelIndicator.Context context) {
        String subject = SUBJECT_PREFIX + objective.name();
        String key = w.modelId() + "|" + w.modelVersion() + "|" + w.segment() + "|" + objective.name();
        String shown = WindowKeys.shown(w, subject);
        State state = State.fromBytes(store.get(key), capacity, step);
        if (!state.history.matches(step)) {
            // Step indices of another advance mean other windows: start the history again (the alert state stays,
            // so a firing alert resolves once the new history has no rule firing).
            LOG.warn("burn-rate history of {} of {}/{} was counted in windows of {} ms, now {} ms: started again",
                    shown, w.modelId(), w.modelVersion(), state.history.stepMillis(), step);
            settings.metrics().budgetHistoryDiscard(w.modelId(), w.modelVersion(), shown, "advance_changed");
            state.history = new BudgetHistory(capacity, step);
        }
        ServiceLevelIndicator.Counts counts = objective.indicator().measure(w, context);
        long windowStep = Math.floorDiv(w.windowEnd(), step);
        // A window with nothing to judge still moves the ring on, so that old windows leave it in time.
        if (!state.history.record(windowStep, counts == null ? 0 : counts.good(),
                counts == null ? 0 : counts.total())) {
            LOG.warn("window {}..{} of {} of {}/{} is older than its burn-rate history (newest window end {}):"
                            + " its counts are not in the burn rates", Instant.ofEpochMilli(w.windowStart()),
                    Instant.ofEpochMilli(w.windowEnd()), shown, w.modelId(), w.modelVersion(),
                    Instant.ofEpochMilli(state.history.newest() * step));
            settings.metrics().budgetHistoryDiscard(w.modelId(), w.modelVersion(), shown, "window_too_old");
        }
        BurnRates.Decision decision = BurnRates.decide(state.history, slo.rules(), objective.target(), step,
                slo.minEvents(), objective.indicator().counting());
        for (BurnRates.RuleBurn r : decision.rules()) {
            settings.metrics().burnRate(w.modelId(), w.modelVersion(), shown,
                    BurnRateRule.duration(r.rule().longWindowMillis()), r.longBurn());
            settings.metrics().burnRate(w.modelId(), w.modelVersion(), shown,
                    BurnRateRule.duration(r.rule().shortWindowMillis()), r.shortBurn());
        }
        Alert alert = null;
        if (decision.fires() && (!state.firing
                || decision.deciding().rule().severity().compareTo(state.severity) > 0)) {
            // Starts firing, or a rule of a higher severity than the one sent fires: a FIRING at that severity.
            BurnRates.RuleBurn r = decision.deciding();
            Severity before = state.firing ? state.severity : Severity.NONE;
            state.firing = true;
            state.severity = r.rule().severity();
            state.rule = r.rule().text();
            DriftAlert firing = alert(w, objective, AlertState.FIRING, state.severity, r);
            if (before != Severity.NONE) {
                firing.setSummary(firing.getSummary() + "; raised from " + before);
            }
            alert = new Alert(subject, firing);
        } else if (state.firing && !decision.fires()) {
            BurnRates.RuleBurn r = decision.rules().stream().filter(b -> b.rule().text().equals(state.rule))
                    .findFirst().orElse(decision.rules().get(0));
            alert = new Alert(subject, alert(w, objective, AlertState.RESOLVED, state.severity, r));
            state.firing = false;
            state.severity = Severity.NONE;
            state.rule = "";
        }
        store.put(key, state.toBytes());
        settings.metrics().alertState(w.modelId(), w.modelVersion(), shown, state.firing, state.severity.name());
        if (alert != null) {
            settings.metrics().alert(w.modelId(), w.modelVersion(), alert.alert().getState().name(),
                    alert.alert().getSeverity().name());
        }
        return alert;
    }

    private DriftAlert alert(WindowBundle w, ServiceLevelObjective objective, AlertState state, Severity severity,
                             BurnRates.RuleBurn r) {
        String subject = SUBJECT_PREFIX + objective.name();
        String shown = WindowKeys.shown(w, subject);
        BurnRateRule rule = r.rule();
        String longWindow = BurnRateRule.duration(rule.longWindowMillis());
        String shortWindow = BurnRateRule.duration(rule.shortWindowMillis());
        String burns = String.format(Locale.ROOT, "burn rate %s over %s and %s over %s (factor %s)",
                burn(r.longBurn()), longWindow, burn(r.shortBurn()), shortWindow, rule.factorText());
        String summary = String.format(Locale.ROOT, "%s %s SLO %s (%s) of %s/%s%s: %s %s; %d of %d bad over %s"
                        + " against an error budget of %s bad; window %s..%s",
                state, severity, objective.name(), objective.text(), w.modelId(), w.modelVersion(),
                "*".equals(w.segment()) ? "" : " segment " + w.segment(),
                state == AlertState.FIRING ? "rule " + rule.text() + " fires," : "no rule fires any more; rule "
                        + rule.text() + " now has",
                burns, r.longBad(), r.longTotal(), longWindow, percent(objective.budget()),
                Instant.ofEpochMilli(w.windowStart()), Instant.ofEpochMilli(w.windowEnd()));
        return DriftAlert.newBuilder()
                .setAlertId(WindowKeys.alertId(w, subject, state))
                .setState(state)
                .setSeverity(AlertFields.severity(severity))
                .setTest(DriftTest.BURN_RATE)
                .setStatistic(Double.isNaN(r.longBurn()) ? 0.0 : r.longBurn())
                .setPValue(null)
                .setAdjustedPValue(null)
                .setThreshold(rule.factor())
                .setWindowStart(Instant.ofEpochMilli(w.windowStart()))
                .setWindowEnd(Instant.ofEpochMilli(w.windowEnd()))
                .setCurrentSampleSize(r.longTotal())
                .setReferenceSampleSize(0)
                .setBaselineId("slo:" + objective.text())
                .setBaselineSource(null)
                .setPolicyVersion(slo.rulesText())
                .setModelId(w.modelId())
                .setModelVersion(w.modelVersion())
                .setSubject(shown)
                .setSubjectKind(SubjectKind.SLO)
                .setWindowsOverThreshold(null)
                .setBusinessContext(null)
                .setSummary(summary)
                .build();
    }

    private static String burn(double v) {
        return Double.isNaN(v) ? "n/a (no events)" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.4g %%", share * 100);
    }

    /** An objective's history and alert state in the store. */
    private static final class State {
        BudgetHistory history;
        boolean firing;
        Severity severity = Severity.NONE;
        String rule = "";

        static State fromBytes(byte[] bytes, int capacity, long step) {
            State s = new State();
            if (bytes == null) {
                s.history = new BudgetHistory(capacity, step);
                return s;
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
                byte version = in.readByte();
                if (version != STATE_VERSION) {
                    throw new IOException("unknown objective state format version " + version);
                }
                BudgetHistory h = BudgetHistory.read(in);
                s.history = h.capacity() == capacity ? h : h.resized(capacity);
                s.firing = in.readBoolean();
                s.severity = Severity.valueOf(in.readUTF());
                s.rule = in.readUTF();
                return s;
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalStateException("objective state in " + STORE + " is corrupt: " + e.getMessage(), e);
            }
        }

        byte[] toBytes() {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 + history.capacity() * 4);
            try (DataOutputStream out = new DataOutputStream(buffer)) {
                out.writeByte(STATE_VERSION);
                history.write(out);
                out.writeBoolean(firing);
                out.writeUTF(severity.name());
                out.writeUTF(rule);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return buffer.toByteArray();
        }
    }
}
