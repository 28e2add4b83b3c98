package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.policy.AlertPolicy;
import dev.driftwatch.detectors.summary.CategoricalBaseline;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.ControlCommand;
import dev.driftwatch.schemas.avro.ControlResult;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.streams.ControlSettings;
import dev.driftwatch.streams.PipelineSettings;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The evaluating task's side of the control commands: applies a command to the task's stores (policies,
 * mutes, retained windows, alert log), answers it once, and tells {@link WindowEvaluator} which policy
 * applies to a subject and whether its alerts are muted.
 *
 * <p>Scopes are {@code model|version|subject}, {@code *} standing for "every"; the most specific scope
 * wins: subject of the version, the version, subject of every version of the model, the model, subject
 * everywhere, everything. A command id seen before is answered again with its first result and not
 * applied twice. Commands that every partition applies (no model version, or segmented windows) are
 * answered by partition 0 only.
 */
final class ControlHandler {
    static final String ANY = "*";
    private static final Logger LOG = LoggerFactory.getLogger(ControlHandler.class);

    /**
     * At most this many subjects' policies cached: the subjects (data quality's too) of 2,000 model versions. Each
     * entry is a key and a reference to a policy parsed once per stored policy ({@link #parsedByScope}), some 100
     * bytes: about 25 MB when full.
     */
    private static final int POLICY_CACHE_MAX = 250_000;

    private final PipelineSettings settings;
    private final ControlSettings control;
    private final ProcessorContext<String, WindowEvaluator.Output> context;
    private final KeyValueStore<String, byte[]> policies;
    private final KeyValueStore<String, Long> mutes;
    private final KeyValueStore<String, byte[]> commandLog;
    private final KeyValueStore<String, byte[]> retained;
    private final KeyValueStore<String, byte[]> alertLog;
    /**
     * The policy of each subject asked for, until a policy command changes one. Bounded by {@link #POLICY_CACHE_MAX}
     * (cleared when full): above every subject of the instance, since the evaluation asks for each subject's policy
     * in every window, and a cache cleared within a window (it held 10,000 entries, fewer than the subjects of
     * 200 model versions) meant six store reads per lookup for most subjects.
     */
    private final Map<String, Optional<AlertPolicy>> policyCache = new HashMap<>();
    /**
     * Each stored policy's parsed form, by scope (empty when it no longer applies to the configured policy), shared
     * by the subjects it governs: a policy of a model's scope is parsed once, not once per subject.
     */
    private final Map<String, Optional<AlertPolicy>> parsedByScope = new HashMap<>();
    /**
     * The alert log holds no entry of a window ending at or before this (window ends below 0 taken as 0, as its keys
     * take them), as far as this handler has seen: {@link #retain} deleted them and {@link #alerted} added none
     * since; −1 when unknown. So the log is scanned when the retention's cutoff passes it, once a window end, not
     * for every model version's window.
     */
    private long alertLogClearedUpTo = -1;
    /** Reads the parts of retained windows back. */
    private final WindowParts parts;
    /** The signals' evaluators, which may build baselines of their own from retained windows. */
    private final List<Signal.Evaluator> signals;

    ControlHandler(PipelineSettings settings, ControlSettings control,
                   ProcessorContext<String, WindowEvaluator.Output> context, WindowParts parts,
                   List<Signal.Evaluator> signals) {
        this.settings = settings;
        this.control = control;
        this.context = context;
        this.parts = parts;
        this.signals = signals;
        this.policies = context.getStateStore(WindowEvaluator.POLICIES_STORE);
        this.mutes = context.getStateStore(WindowEvaluator.MUTES_STORE);
        this.commandLog = context.getStateStore(WindowEvaluator.COMMAND_LOG_STORE);
        this.retained = context.getStateStore(WindowEvaluator.RETAINED_WINDOWS_STORE);
        this.alertLog = context.getStateStore(WindowEvaluator.ALERT_LOG_STORE);
    }

    // --- what the evaluation asks -------------------------------------------------------------------

    /** The policy of a subject of a model version (subject null: of the model version). */
    AlertPolicy policy(String model, String version, String subject) {
        String cacheKey = model + "|" + version + "|" + subject;
        Optional<AlertPolicy> cached = policyCache.get(cacheKey);
        if (cached == null) {
            cached = Optional.empty();
            for (String scope : scopes(model, version, subject)) {
                Optional<AlertPolicy> parsed = parsedByScope.get(scope);
                if (parsed == null) {
                    byte[] stored = policies.get(scope);
                    if (stored == null) {
                        continue;
                    }
                    parsed = parse(scope, stored);
                    parsedByScope.put(scope, parsed);
                }
                if (parsed.isPresent()) {
                    cached = parsed;
                    break;
                }
            }
            if (policyCache.size() > POLICY_CACHE_MAX) {
                policyCache.clear();
        parsedByScope.clear();
            }
            policyCache.put(cacheKey, cached);
        }
        return cached.orElse(settings.policy());
    }

    /** A stored policy command's policy on the configured one; empty when it no longer applies to it. */
    private Optional<AlertPolicy> parse(String scope, byte[] stored) {
        ControlCommand c = ControlCommands.fromBytes(stored);
        try {
            return Optional.of(ControlCommands.policy(settings.policy(), c.getParameters(), c.getPolicyVersion()));
        } catch (IllegalArgumentException e) {
            // valid when set, not on the base policy configured since: the next scope applies
            LOG.warn("policy {} of scope {} (command {}) no longer applies to the configured policy: {}",
                    c.getPolicyVersion(), scope, c.getCommandId(), e.getMessage());
            return Optional.empty();
        }
    }

    /** Whether alerts of a subject (null: the whole model version) of a window ending at {@code windowEnd} are muted. */
    boolean isMuted(String model, String version, String subject, long windowEnd) {
        for (String scope : scopes(model, version, subject)) {
            Long until = mutes.get(scope);
            if (until != null && windowEnd <= until) {
                return true;
            }
        }
        return false;
    }

    /** Keeps an evaluated window for CAPTURE_BASELINE and forgets the ones past the retention. */
    void retain(WindowBundle bundle) {
        long retention = control.captureRetention().toMillis();
        if (retention <= 0) {
            return;
        }
        String prefix = windowPrefix(bundle.modelId(), bundle.modelVersion(), bundle.segment());
        // The window with its grids apart; each grid is kept once per model version (RetainedWindows).
        Map<Long, NumericGrid> grids = new HashMap<>();
        byte[] window = RetainedWindows.toBytes(bundle, grids);
        for (NumericGrid grid : grids.values()) {
            String key = RetainedWindows.gridKey(prefix, grid.fingerprint());
            if (retained.get(key) == null) {
                retained.put(key, RetainedWindows.gridToBytes(grid));
            }
        }
        String windowKey = prefix + WindowKeys.sortableTime(bundle.windowEnd());
        Set<Long> dropped = new HashSet<>();
        byte[] replaced = retained.get(windowKey);
        if (replaced != null) {
            // The window evaluated again (a late partial): the grids of the value it replaces may be unused now.
            dropped.addAll(RetainedWindows.gridsOf(replaced));
        }
        retained.put(windowKey, window);
        long byCount = bundle.windowEnd() - control.captureMaxWindows() * settings.windowAdvance().toMillis();
        long cutoff = Math.max(bundle.windowEnd() - retention, byCount);
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = retained.range(prefix + WindowKeys.sortableTime(0),
                prefix + WindowKeys.sortableTime(cutoff))) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                old.add(kv.key);
                dropped.addAll(RetainedWindows.gridsOf(kv.value));
            }
        }
        old.forEach(retained::delete);
        dropped.removeAll(grids.keySet());
        if (!dropped.isEmpty()) {
            // Grids of windows dropped and not of the newest (a baseline replaced): kept while a window uses them.
            try (KeyValueIterator<String, byte[]> it = retained.range(prefix + WindowKeys.sortableTime(0),
                    prefix + WindowKeys.sortableTime(Long.MAX_VALUE))) {
                while (it.hasNext() && !dropped.isEmpty()) {
                    dropped.removeAll(RetainedWindows.gridsOf(it.next().value));
                }
            }
            dropped.forEach(fingerprint -> retained.delete(RetainedWindows.gridKey(prefix, fingerprint)));
        }
        long alertCutoff = Math.max(0, bundle.windowEnd() - retention);
        if (alertCutoff > alertLogClearedUpTo) {
            deleteRange(alertLog, WindowKeys.sortableTime(0), WindowKeys.sortableTime(alertCutoff) + "|\uffff");
            alertLogClearedUpTo = alertCutoff;
        }
    }

    /** Records an emitted alert, so that it can be acknowledged. */
    void alerted(DriftAlert alert) {
        long end = Math.max(0, alert.getWindowEnd().toEpochMilli());
        String key = WindowKeys.sortableTime(end) + "|" + alert.getAlertId();
        if (alertLog.get(key) == null) {
            alertLog.put(key, ackBytes(""));
            alertLogClearedUpTo = Math.min(alertLogClearedUpTo, end - 1);
        }
    }

    // --- commands ------------------------------------------------------------------------------------

    void apply(String routeKey, ControlCommand command, long timestamp) {
        boolean answers = !ControlRouter.BROADCAST_KEY.equals(routeKey) || context.taskId().partition() == 0;
        byte[] seen = commandLog.get(command.getCommandId());
        if (seen != null) {
            if (answers) {
                forwardResult(ControlCommands.resultFromBytes(seen), timestamp);
            }
            return;
        }
        ControlResult result;
        List<Baseline> baselines = new ArrayList<>();
        try {
            Map<String, String> details = new TreeMap<>();
            switch (command.getType()) {
                case CAPTURE_BASELINE -> capture(command, baselines, details);
                case SET_POLICY -> setPolicy(command, details);
                case MUTE -> mute(command, details);
                case UNMUTE -> unmute(command, details);
                case ACKNOWLEDGE -> acknowledge(command, details);
                default -> throw new Rejected("command type " + command.getType() + " is not known to this version");
            }
            result = ControlCommands.accepted(command, timestamp, details);
        } catch (Rejected | IllegalArgumentException e) {
            baselines.clear();
            result = ControlCommands.rejected(command.getCommandId(), command.getType().name(), timestamp,
                    e.getMessage());
        } catch (KafkaException e) {
            throw e;
        } catch (RuntimeException e) {
            // a command must never stop the pipeline
            LOG.warn("command {} could not be applied", command.getCommandId(), e);
            baselines.clear();
            result = ControlCommands.rejected(command.getCommandId(), command.getType().name(), timestamp,
                    "the command could not be applied: " + e);
        }
        commandLog.put(command.getCommandId(), ControlCommands.toBytes(result));
        if (answers) {
            for (Baseline b : baselines) {
                context.forward(new Record<>(BaselineCodec.key(b.getModelId(), b.getModelVersion(), b.getFeature()),
                        WindowEvaluator.Output.baseline(b), timestamp));
            }
            forwardResult(result, timestamp);
        }
    }

    private void forwardResult(ControlResult result, long timestamp) {
        context.forward(new Record<>(result.getCommandId(), WindowEvaluator.Output.result(result), timestamp));
    }

    private void setPolicy(ControlCommand c, Map<String, String> details) {
        String scope = scope(c.getModelId(), c.getModelVersion(), c.getSubject());
        boolean reset = "true".equalsIgnoreCase(c.getParameters().getOrDefault(ControlCommands.RESET, "false"));
        policyCache.clear();
        parsedByScope.clear();
        if (reset) {
            if (policies.get(scope) == null) {
                throw new Rejected("no policy is set for " + describe(c) + "; nothing to reset");
            }
            policies.delete(scope);
            details.put("scope", describe(c));
            details.put("policyVersion", settings.policy().version());
            return;
        }
        if (c.getPolicyVersion() == null || c.getPolicyVersion().isBlank()) {
            throw new Rejected("SET_POLICY needs a policyVersion (e.g. \"2\"), which alerts under the policy name");
        }
        if (c.getParameters().isEmpty()) {
            throw new Rejected("SET_POLICY has no parameters; expected some of "
                    + String.join(", ", ControlCommands.POLICY_PARAMETERS));
        }
        AlertPolicy policy = ControlCommands.policy(settings.policy(), c.getParameters(), c.getPolicyVersion());
        policies.put(scope, ControlCommands.toBytes(c));
        details.put("scope", describe(c));
        details.put("policyVersion", policy.version());
        details.put("policy", policy.toString());
    }

    private void mute(ControlCommand c, Map<String, String> details) {
        if (c.getModelId() == null || c.getModelId().isBlank()) {
            throw new Rejected("MUTE needs a modelId; a mute applies to a model, a version or a subject of it");
        }
        long until = c.getTo() == null ? Long.MAX_VALUE : c.getTo().toEpochMilli();
        if (c.getTo() != null && !c.getTo().isAfter(c.getIssuedAt())) {
            throw new Rejected("MUTE until " + c.getTo() + " is not after the command's issuedAt " + c.getIssuedAt()
                    + "; expected a future time, or none to mute until UNMUTE");
        }
        mutes.put(scope(c.getModelId(), c.getModelVersion(), c.getSubject()), until);
        details.put("scope", describe(c));
        details.put("until", c.getTo() == null ? "UNMUTE" : c.getTo().toString());
    }

    private void unmute(ControlCommand c, Map<String, String> details) {
        String scope = scope(c.getModelId(), c.getModelVersion(), c.getSubject());
        if (mutes.get(scope) == null) {
            throw new Rejected(describe(c) + " is not muted; nothing to unmute");
        }
        mutes.delete(scope);
        details.put("scope", describe(c));
    }

    private void acknowledge(ControlCommand c, Map<String, String> details) {
        String alertId = c.getParameters().get(ControlCommands.ALERT_ID);
        if (alertId == null || alertId.isBlank()) {
            throw new Rejected("ACKNOWLEDGE needs the parameter " + ControlCommands.ALERT_ID + " (e.g. al-1a2b...)");
        }
        if (c.getModelId() == null || c.getModelVersion() == null) {
            throw new Rejected("ACKNOWLEDGE needs the modelId and modelVersion of the alert, which route it to"
                    + " the task that raised it");
        }
        if (settings.segmentAttribute() != null) {
            throw new Rejected("ACKNOWLEDGE is not supported when windows are segmented (segment.attribute="
                    + settings.segmentAttribute() + ")");
        }
        String found = null;
        try (KeyValueIterator<String, byte[]> it = alertLog.all()) {
            while (it.hasNext() && found == null) {
                String key = it.next().key;
                if (key.endsWith("|" + alertId)) {
                    found = key;
                }
            }
        }
        if (found == null) {
            throw new Rejected("alert " + alertId + " is not known for " + describe(c)
                    + " (no such alert among those raised in the last " + control.captureRetention() + ")");
        }
        String previous = readAck(alertLog.get(found));
        if (previous.isEmpty()) {
            alertLog.put(found, ackBytes(c.getCommandId()));
        } else {
            details.put("previouslyAcknowledgedBy", previous);
        }
        details.put(ControlCommands.ALERT_ID, alertId);
    }

    private void capture(ControlCommand c, List<Baseline> out, Map<String, String> details) {
        if (c.getModelId() == null || c.getModelVersion() == null) {
            throw new Rejected("CAPTURE_BASELINE needs a modelId and a modelVersion");
        }
        if (c.getFrom() == null || c.getTo() == null) {
            throw new Rejected("CAPTURE_BASELINE needs the range from and to (event time, to exclusive)");
        }
        long from = c.getFrom().toEpochMilli();
        long to = c.getTo().toEpochMilli();
        if (from >= to) {
            throw new Rejected("CAPTURE_BASELINE range from " + c.getFrom() + " is not before to " + c.getTo());
        }
        if (settings.segmentAttribute() != null) {
            throw new Rejected("CAPTURE_BASELINE is not supported when windows are segmented (segment.attribute="
                    + settings.segmentAttribute() + ")");
        }
        String model = c.getModelId();
        String version = c.getModelVersion();
        String prefix = windowPrefix(model, version, "*");
        List<WindowBundle> windows = new ArrayList<>();
        long lastEnd = Long.MIN_VALUE;
        Long firstRetained = null;
        Long lastRetained = null;
        try (KeyValueIterator<String, byte[]> it = retained.range(prefix + WindowKeys.sortableTime(0), prefix + WindowKeys.sortableTime(Long.MAX_VALUE))) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                WindowBundle w = RetainedWindows.fromBytes(kv.value, parts, fingerprint -> {
                    String key = RetainedWindows.gridKey(prefix, fingerprint);
                    byte[] grid = retained.get(key);
                    return grid == null ? null : RetainedWindows.gridFromBytes(key, grid);
                });
                firstRetained = firstRetained == null ? w.windowStart() : firstRetained;
                lastRetained = w.windowEnd();
                // non-overlapping windows inside [from, to): hopping windows are not counted twice
                if (w.windowStart() >= from && w.windowEnd() <= to && w.windowStart() >= lastEnd) {
                    windows.add(w);
                    lastEnd = w.windowEnd();
                }
            }
        }
        if (firstRetained == null) {
            throw new Rejected("no windows of model " + model + " version " + version + " are retained (unknown"
                    + " model version, or none evaluated in the last " + control.captureRetention() + ")");
        }
        if (windows.isEmpty()) {
            throw new Rejected("no retained window of " + model + "/" + version + " lies in [" + c.getFrom() + ", "
                    + c.getTo() + "); retained windows span " + Instant.ofEpochMilli(firstRetained) + ".."
                    + Instant.ofEpochMilli(lastRetained));
        }
        Map<String, SubjectSummary> merged = new TreeMap<>();
        for (WindowBundle w : windows) {
            for (Map.Entry<String, SubjectSummary> e : w.subjects().entrySet()) {
                if (c.getSubject() != null && !c.getSubject().equals(e.getKey())) {
                    continue;
                }
                SubjectSummary mine = merged.get(e.getKey());
                // a baseline replaced within the range: the windows on the newest one are kept
                boolean sameBaseline = mine != null && mine.kind() == e.getValue().kind()
                        && java.util.Objects.equals(mine.baselineId(), e.getValue().baselineId());
                merged.put(e.getKey(), sameBaseline ? mine.merge(e.getValue()) : e.getValue());
            }
        }
        if (merged.isEmpty()) {
            throw new Rejected("subject " + c.getSubject() + " has no values in the retained windows of " + model
                    + "/" + version + " in [" + c.getFrom() + ", " + c.getTo() + ")");
        }
        String source = "windows:" + c.getFrom() + ".." + c.getTo();
        Map<String, String> skipped = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>();
        for (Map.Entry<String, SubjectSummary> e : merged.entrySet()) {
            SubjectSummary s = e.getValue();
            try {
                Baseline b = switch (s.kind()) {
                    case NUMERIC -> BaselineCodec.toAvro(model, version, e.getKey(),
                            NumericBaseline.fromSummary(s.numericSummary(), source, from, to), c.getCommandId());
                    case CATEGORICAL -> BaselineCodec.toAvro(model, version, e.getKey(),
                            CategoricalBaseline.fromSummary(s.categoricalSummary(), source, from, to),
                            c.getCommandId());
                    case NUMERIC_WITHOUT_BASELINE -> null;
                };
                if (b == null) {
                    skipped.put(e.getKey(), "numeric without a baseline: no grid to build one on");
                } else {
                    out.add(b);
                    ids.add(b.getBaselineId());
                }
            } catch (IllegalArgumentException ex) {
                skipped.put(e.getKey(), ex.getMessage());
            }
        }
        if (c.getSubject() == null) {
            // The signals' own baselines from the same windows (with business outcomes, the CTR baseline).
            for (Signal.Evaluator signal : signals) {
                signal.capture(model, version, windows, source, from, to, c.getCommandId()).forEach((name, b) -> {
                    out.add(b);
                    ids.add(b.getBaselineId());
                    details.put(name, b.getFeature() + " " + b.getBaselineId());
                });
            }
        }
        if (out.isEmpty()) {
            throw new Rejected("no baseline could be built from " + windows.size() + " windows of " + model + "/"
                    + version + ": " + skipped);
        }
        details.put("baselineIds", String.join(",", ids));
        details.put("subjects", String.join(",", merged.keySet().stream().filter(k -> !skipped.containsKey(k))
                .toList()));
        details.put("windows", Integer.toString(windows.size()));
        details.put("source", source);
        if (!skipped.isEmpty()) {
            details.put("skipped", skipped.toString());
        }
    }

    // --- helpers -------------------------------------------------------------------------------------

    private static List<String> scopes(String model, String version, String subject) {
        List<String> scopes = new ArrayList<>(6);
        if (subject != null) {
            scopes.add(scope(model, version, subject));
        }
        scopes.add(scope(model, version, null));
        if (subject != null) {
            scopes.add(scope(model, null, subject));
        }
        scopes.add(scope(model, null, null));
        if (subject != null) {
            scopes.add(scope(null, null, subject));
        }
        scopes.add(scope(null, null, null));
        return scopes;
    }

    static String scope(String model, String version, String subject) {
        return or(model) + "|" + (model == null ? ANY : or(version)) + "|" + or(subject);
    }

    private static String or(String s) {
        return s == null || s.isBlank() ? ANY : s;
    }

    private static String describe(ControlCommand c) {
        return "model " + or(c.getModelId()) + " version " + or(c.getModelVersion()) + " subject "
                + or(c.getSubject());
    }

    private static String windowPrefix(String model, String version, String segment) {
        return model + "|" + version + "|" + segment + "|";
    }


    private static <V> void deleteRange(KeyValueStore<String, V> store, String from, String to) {
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, V> it = store.range(from, to)) {
            while (it.hasNext()) {
                old.add(it.next().key);
            }
        }
        old.forEach(store::delete);
    }

    private static byte[] ackBytes(String commandId) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeUTF(commandId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    static String readAck(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return in.readUTF();
        } catch (IOException e) {
            return "";
        }
    }

    /** A command that cannot be applied; the message says why. */
    private static final class Rejected extends RuntimeException {
        Rejected(String message) {
            super(message, null, false, false);
        }
    }
}
