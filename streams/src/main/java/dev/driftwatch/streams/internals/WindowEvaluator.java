package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.policy.AlertPolicy;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.BusinessContext;
import dev.driftwatch.schemas.avro.ControlResult;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.ControlSettings;
import dev.driftwatch.streams.PipelineSettings;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stage two, keyed by model version: merges the window states that the input partitions send, and
 * when every input partition's watermark has passed a window's end, or its hand-on mark the window's key (an input
 * partition hands its closed windows on in steps, in the order of their keys, see {@link EventSummarizer}), has
 * every registered {@link Signal} evaluate the window, in their order: their records ({@link WindowStats}, BusinessMetrics, ...) and
 * their {@link DriftAlert}s go out, the alerts unless muted and with the window's business context.
 *
 * <p>Control commands arrive on the same partitions as the windows of their model version and are
 * applied by {@link ControlHandler}: the policy of a model version or subject, mutes, retained windows
 * for baseline capture, acknowledgements; their results and captured baselines are outputs too.
 *
 * <p>Ready windows are evaluated in steps of about {@link #CHUNK_SUBJECTS} subjects (whole windows, in the
 * store's order: by window end, then model version), each step followed by a commit, so that under
 * exactly-once the first model versions' statistics and alerts are read while the task is still evaluating
 * the others, not all of them at the end. The rest of the ready windows stay in the store until a later step
 * (a punctuation, or the next record); a restart finds them there, as of the last commit, and goes on.
 * A control command, or a part of a window already ready, first has every ready window evaluated, as if
 * evaluated in one go. A step also ends after a window that forwarded an alert once it has evaluated a quarter
 * of its subjects, so that the alert is committed (and read) soon rather than after the rest of the step; the
 * order of evaluation, and so every statistic and alert, is the same.
 */
public final class WindowEvaluator implements Processor<String, Partial, String, WindowEvaluator.Output> {
    private static final Logger LOG = LoggerFactory.getLogger(WindowEvaluator.class);
    /** The prefix of the hand-on marks' keys in the watermarks store. */
    private static final String HANDED_ON = "h";
    /** Subjects a warning about grids found nowhere names at most. */
    private static final int MISSING_GRIDS_LOGGED = 10;
    public static final String WINDOWS_STORE = "driftwatch-merged-windows";
    public static final String WATERMARKS_STORE = "driftwatch-watermarks";
    public static final String ALERTS_STORE = "driftwatch-alert-state";
    public static final String POLICIES_STORE = "driftwatch-control-policies";
    public static final String MUTES_STORE = "driftwatch-control-mutes";
    public static final String COMMAND_LOG_STORE = "driftwatch-control-log";
    public static final String RETAINED_WINDOWS_STORE = "driftwatch-retained-windows";
    public static final String ALERT_LOG_STORE = "driftwatch-alert-log";
    /**
     * Every store of this processor, in the order the topology connects them, before the stores of the signals
     * ({@link Signal#evaluatorStores}).
     */
    public static final String[] STORES = {WINDOWS_STORE, WATERMARKS_STORE, ALERTS_STORE, POLICIES_STORE,
        MUTES_STORE, COMMAND_LOG_STORE, RETAINED_WINDOWS_STORE, ALERT_LOG_STORE};

    /**
     * One output: window statistics, an alert, a control command's result, a captured baseline, or
     * another signal's record (BusinessMetrics, ServiceLevels, RoleComparison), routed by its type.
     */
    public record Output(WindowStats stats, DriftAlert alert, ControlResult result, Baseline baseline,
                         SpecificRecord signal) {
        public Output(WindowStats stats, DriftAlert alert) {
            this(stats, alert, null, null, null);
        }

        static Output result(ControlResult result) {
            return new Output(null, null, result, null, null);
        }

        static Output baseline(Baseline baseline) {
            return new Output(null, null, null, baseline, null);
        }

        /** A record of another signal, for the topic of its type. */
        public static Output signal(SpecificRecord record) {
            return new Output(null, null, null, null, record);
        }
    }

    /**
     * Subjects (over whole windows) evaluated in one step before a commit, in the application: at about 100 µs
     * per subject, some 0.2 s of work per commit.
     */
    public static final int CHUNK_SUBJECTS = 2_000;
    /**
     * A step ends after a window that alerted once it has evaluated this share of its budget (1/4: at most four
     * commits per budget's worth of subjects when every window alerts; an alert waits for 500 subjects at most).
     */
    private static final int ALERT_STEP_SHARE = 4;

    private final PipelineSettings settings;
    private final BaselineLookup baselines;
    /** Subjects evaluated at most per step; MAX_VALUE evaluates every ready window at once, unscheduled. */
    private final int chunkSubjects;
    /** The steps of the evaluation, running while a step left ready windows; null before {@link #init}. */
    private CommitPacedSteps stepping;
    private ProcessorContext<String, Output> context;
    private WindowStateStore windows;
    /**
     * Per input partition: {@code p<partition>}, its watermark; {@code partitions}, how many there are; and
     * {@code h<partition>|<window key>}, its last hand-on mark (one per partition; the value, the window's end, is
     * for a reader of the changelog: the key is what counts). A mark of a partition beyond a smaller partition count
     * stays and is not read.
     */
    private KeyValueStore<String, Long> watermarks;
    /** The hand-on marks of {@link #watermarks} by input partition (null: none), read from it at {@link #init}. */
    private final Map<Integer, String> handedOn = new HashMap<>();
    private KeyValueStore<String, byte[]> alerts;
    private final ControlSettings controlSettings;
    private ControlHandler control;
    private final List<Signal> signals;
    /** The evaluators of the signals, in the order of registration. */
    private final List<Signal.Evaluator> evaluators = new ArrayList<>();
    /** Whether the window being evaluated has forwarded an alert: a step ends after such a window. */
    private boolean alerted;
    /** The CTR context of the window being evaluated, which its alerts carry; null without outcomes. */
    private BusinessContext windowContext;

    /**
     * @param signals the signals that evaluate each window, in their order (drift among them)
     */
    public WindowEvaluator(PipelineSettings settings, BaselineLookup baselines, ControlSettings controlSettings,
                           List<Signal> signals) {
        this(settings, baselines, controlSettings, signals, Integer.MAX_VALUE);
    }

    /**
     * @param chunkSubjects subjects evaluated at most per step (at least one window), each step followed by a
     *                      commit request; {@code Integer.MAX_VALUE} evaluates every ready window at once and
     *                      schedules nothing (the offline analysis, whose context has no punctuation)
     */
    public WindowEvaluator(PipelineSettings settings, BaselineLookup baselines, ControlSettings controlSettings,
                           List<Signal> signals, int chunkSubjects) {
        if (chunkSubjects < 1) {
            throw new IllegalArgumentException("chunk subjects must be >= 1, got " + chunkSubjects);
        }
        this.chunkSubjects = chunkSubjects;
        this.settings = settings;
        this.baselines = baselines;
        this.controlSettings = controlSettings;
        this.signals = List.copyOf(signals);
    }

    @Override
    public void init(ProcessorContext<String, Output> context) {
        this.context = context;
        this.windows = context.getStateStore(WINDOWS_STORE);
        this.watermarks = context.getStateStore(WATERMARKS_STORE);
        this.alerts = context.getStateStore(ALERTS_STORE);
        handedOn.clear();
        try (KeyValueIterator<String, Long> marks = watermarks.prefixScan(HANDED_ON, new StringSerializer())) {
            while (marks.hasNext()) {
                String key = marks.next().key;
                int bar = key.indexOf('|');
                handedOn.put(Integer.parseInt(key.substring(HANDED_ON.length(), bar)), key.substring(bar + 1));
            }
        }
        this.baselines.init(context);
        Signal.EvaluatorContext evaluating = new Signal.EvaluatorContext(settings, context, alerts, baselines);
        evaluators.clear();
        for (Signal signal : signals) {
            Signal.Evaluator evaluator = signal.evaluator(evaluating);
            if (evaluator != null) {
                evaluators.add(evaluator);
            }
        }
        this.control = new ControlHandler(settings, controlSettings, context, WindowParts.of(signals), evaluators);
        if (stepping != null) {
            stepping.stop(); // a processor initialised again without close() keeps no second punctuation
        }
        stepping = new CommitPacedSteps(context, windows::commitsPrepared, this::evaluateReadyWindows);
        if (chunkSubjects != Integer.MAX_VALUE) {
            // Windows a previous run left ready (it committed some steps, not all) are evaluated from the first step.
            stepping.schedule();
        }
    }

    @Override
    public void process(Record<String, Partial> record) {
        Partial partial = record.value();
        if (partial == null) {
            return;
        }
        if (partial.isCommand()) {
            // A command applies after the windows its position in the input follows, as when evaluated at once.
            finishReadyWindows();
            control.apply(record.key(), partial.command(), record.timestamp());
            return;
        }
        if (partial.isWatermark()) {
            Long partitions = watermarks.get("partitions");
            if (partitions != null && partitions != partial.sourcePartitions()) {
                // Windows ready under the old partition count, before a new partition's first watermark holds
                // evaluation back: as when every ready window was evaluated at once.
                finishReadyWindows();
            }
            String key = "p" + partial.sourcePartition();
            Long previous = watermarks.get(key);
            if (previous == null || partial.closedUpTo() > previous) {
                watermarks.put(key, partial.closedUpTo());
            }
            watermarks.put("partitions", (long) partial.sourcePartitions());
            evaluateReadyWindows();
            return;
        }
        if (partial.isHandedOn()) {
            String previous = handedOn.get(partial.sourcePartition());
            String through = partial.handedOnThrough();
            if (previous == null || through.compareTo(previous) > 0) {
                if (previous != null) {
                    watermarks.delete(HANDED_ON + partial.sourcePartition() + "|" + previous);
                }
                watermarks.put(HANDED_ON + partial.sourcePartition() + "|" + through,
                        Long.parseLong(through.substring(0, through.indexOf('|'))));
                handedOn.put(partial.sourcePartition(), through);
                evaluateReadyWindows();
            }
            return;
        }
        WindowBundle bundle = partial.bundle();
        if (bundle.hasUnresolvedGrids()) {
            resolveGrids(partial);
        }
        windows.noteGrids(bundle);
        String key = WindowKeys.window(bundle.windowEnd(), bundle.modelId(), bundle.modelVersion(),
                bundle.segment());
        if (stepping.running() && isReady(key, readyThrough())) {
            finishReadyWindows(); // a part of a window that is ready: after the window as it stood, as before
        }
        // The merged window stays a live object until it is evaluated; the store writes it to its changelog
        // only if a commit comes first (usually every partition's part arrives within one commit interval).
        WindowBundle existing = windows.get(key);
        windows.put(key, existing == null ? bundle : existing.merge(bundle));
    }

    /**
     * Finds the grids a partial named that its reading did not find among the grids this process holds: in the
     * window store (which keeps the grids of its recent windows in its changelog, so after a restart or on another
     * instance too), else as the current baseline's grid of the subject. A grid found in neither (which the sending
     * task's rules leave no way to, see {@link Partial#serde}) leaves the subject's values from that input partition
     * out of the window: counted ({@link dev.driftwatch.streams.PipelineMetrics#partialGridMissing}) and logged.
     */
    private void resolveGrids(Partial partial) {
        WindowBundle bundle = partial.bundle();
        Map<String, Long> missing = bundle.resolveGrids((fingerprint, subject) -> {
            NumericGrid grid = windows.grid(fingerprint);
            if (grid == null) {
                grid = baselines.find(bundle.modelId(), bundle.modelVersion(), subject)
                        .map(e -> e.numeric() == null ? null : e.numeric().grid()).orElse(null);
            }
            return grid;
        });
        if (!missing.isEmpty()) {
            settings.metrics().partialGridMissing(bundle.modelId(), bundle.modelVersion(), missing.size());
            LOG.warn("the partial of window {}..{} of {}/{} (segment {}) from input partition {} names grids this"
                    + " instance holds nowhere, of subjects {} (by grid fingerprint): their values from that"
                    + " partition are left out of the window; restarting the instances makes every task send every"
                    + " grid in its next partials (a bug to report: a task names only the grids its partial of the"
                    + " window just before carried)",
                    Instant.ofEpochMilli(bundle.windowStart()), Instant.ofEpochMilli(bundle.windowEnd()),
                    bundle.modelId(), bundle.modelVersion(), bundle.segment(), partial.sourcePartition(),
                    missing.size() <= MISSING_GRIDS_LOGGED ? missing : missing.size() + " subjects, the first "
                            + MISSING_GRIDS_LOGGED + " " + missing.entrySet().stream().limit(MISSING_GRIDS_LOGGED)
                            .toList());
        }
    }

    /**
     * The greatest window key up to which every input partition has handed every window on (by its watermark, or by
     * its hand-on mark when that is further), or null while one has reported neither.
     */
    private String readyThrough() {
        Long partitions = watermarks.get("partitions");
        if (partitions == null) {
            return null;
        }
        String through = null;
        for (int p = 0; p < partitions; p++) {
            Long w = watermarks.get("p" + p);
            // Every key of a window ending at or before w sorts before this one.
            String sent = w == null ? null : WindowKeys.sortableTime(w) + "|\uffff";
            String mark = handedOn.get(p);
            if (mark != null && (sent == null || mark.compareTo(sent) > 0)) {
                sent = mark;
            }
            if (sent == null) {
                return null;
            }
            if (through == null || sent.compareTo(through) < 0) {
                through = sent;
            }
        }
        return through;
    }

    private static boolean isReady(String windowKey, String readyThrough) {
        return readyThrough != null && windowKey.compareTo(readyThrough) <= 0;
    }

    /** Evaluates every ready window left by earlier steps, whatever their subjects. */
    private void finishReadyWindows() {
        if (stepping.running()) {
            evaluateReadyWindows(Integer.MAX_VALUE);
        }
    }

    private void evaluateReadyWindows() {
        evaluateReadyWindows(chunkSubjects);
    }

    /**
     * Evaluates the ready windows in the store's order until {@code budget} subjects are evaluated (at least one
     * window); if windows are left, goes on with them at the next punctuation.
     */
    private void evaluateReadyWindows(int budget) {
        String through = readyThrough();
        if (through == null) {
            stepping.stop();
            return;
        }
        // A copy: evaluating deletes windows from the store's live view.
        List<Map.Entry<String, WindowBundle>> ready = new ArrayList<>(windows.upTo(through).entrySet());
        int subjects = 0;
        for (Map.Entry<String, WindowBundle> kv : ready) {
            WindowBundle bundle = kv.getValue();
            if (!isReady(kv.getKey(), through)) {
                continue;
            }
            if (subjects >= budget) {
                // The rest after this step's commit: its statistics and alerts are read while the others wait.
                stepping.stepLeftWork();
                return;
            }
            subjects += Math.max(1, bundle.subjectCount());
            // Under exactly-once the records and alerts are read only once committed: a commit as soon as this
            // watermark's windows are evaluated, not at the next commit interval.
            context.commit();
            alerted = false;
            Signal.Evaluator owner = ownerOf(bundle);
            if (owner != null) {
                // Not a model version's traffic (e.g. outcomes no model version took): its signal's records only.
                owner.evaluate(bundle, new Evaluating(bundle, false));
            } else {
                settings.metrics().windowEvaluated(bundle.modelId(), bundle.modelVersion());
                windowContext = null;
                Evaluating out = new Evaluating(bundle, true);
                for (Signal.Evaluator evaluator : evaluators) {
                    evaluator.evaluate(bundle, out);
                }
                control.retain(bundle);
            }
            windows.delete(kv.getKey());
            if (alerted && budget != Integer.MAX_VALUE && subjects >= budget / ALERT_STEP_SHARE) {
                // An alert is read only once committed: the step ends with its window, so that it is not held back
                // by the step's other windows (the rest goes on at the next punctuation, as after a full step).
                // Only past a share of the budget: when every version alerts at once, a commit per window would
                // hold back the windows of that minute, and a step of few subjects is over soon anyway.
                stepping.stepLeftWork();
                return;
            }
        }
        stepping.stop();
    }

    /** A suspended or revived task keeps this processor and inits it again: its punctuation must not survive. */
    @Override
    public void close() {
        if (stepping != null) {
            stepping.stop();
        }
    }

    /** The evaluator of the signal whose window this is alone, or null for a model version's window. */
    private Signal.Evaluator ownerOf(WindowBundle bundle) {
        for (Signal.Evaluator evaluator : evaluators) {
            if (evaluator.owns(bundle)) {
                return evaluator;
            }
        }
        return null;
    }

    /** Where the signals' evaluation of one window goes: records and alerts out of this processor. */
    private final class Evaluating implements Signal.WindowOutput {
        private final WindowBundle window;
        private final boolean alerting;

        Evaluating(WindowBundle window, boolean alerting) {
            this.window = window;
            this.alerting = alerting;
        }

        @Override
        public AlertPolicy policy(String subject) {
            return policyOf(window, subject);
        }

        @Override
        public void record(String key, SpecificRecord record) {
            context.forward(new Record<>(key, Output.signal(record), window.windowEnd()));
        }

        @Override
        public void windowStats(String key, WindowStats stats) {
            context.forward(new Record<>(key, new Output(stats, null), window.windowEnd()));
        }

        @Override
        public void alert(String subject, DriftAlert alert) {
            if (alerting) {
                forwardAlert(window, subject, alert);
            }
        }

        @Override
        public void businessContext(BusinessContext c) {
            if (alerting) {
                windowContext = c;
            }
        }
    }

    /** The policy of a subject of the window's model version: set by SET_POLICY, else the configured one. */
    private AlertPolicy policyOf(WindowBundle b, String subject) {
        return control.policy(b.modelId(), b.modelVersion(), subject);
    }

    /** Forwards an alert unless its subject or model version is muted; its state was kept all the same. */
    private void forwardAlert(WindowBundle b, String subject, DriftAlert alert) {
        if (control.isMuted(b.modelId(), b.modelVersion(), subject, b.windowEnd())) {
            return;
        }
        if (windowContext != null && alert.getBusinessContext() == null) {
            alert.setBusinessContext(windowContext);
        }
        control.alerted(alert);
        context.forward(new Record<>(WindowKeys.output(b, subject), new Output(null, alert), b.windowEnd()));
        alerted = true;
    }

}
