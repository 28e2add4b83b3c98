package dev.driftwatch.streams.internals;

import dev.driftwatch.streams.ControlSettings;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.Topics;
import dev.driftwatch.schemas.avro.DriftAlert;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The evaluating stage's steps at their edges: its step punctuation ends with the processor (Kafka Streams keeps a
 * suspended or revived task's processors and initialises them again without dropping their punctuations, so every
 * revival would leave one more running every millisecond), and windows left ready by a step are not stranded when a
 * new input partition count holds evaluation back.
 */
class EvaluationStepsTest {
    private static final long MINUTE = 60_000;
    private final MockProcessorContext<String, WindowEvaluator.Output> context = new MockProcessorContext<>();

    private <V> void store(String name, Serde<V> values) {
        KeyValueStore<String, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
                Serdes.String(), values).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
    }

    private WindowEvaluator evaluator(int chunkSubjects) {
        return evaluator(chunkSubjects, List.of());
    }

    private WindowEvaluator evaluator(int chunkSubjects, List<Signal> signals) {
        context.setCurrentSystemTimeMs(0);
        WindowStateStore windows = WindowStateStore.unlogged(Stores.inMemoryKeyValueStore(WindowEvaluator.WINDOWS_STORE),
                WindowParts.none());
        windows.init(context.getStateStoreContext(), windows);
        context.addStateStore(windows);
        store(WindowEvaluator.WATERMARKS_STORE, Serdes.Long());
        store(WindowEvaluator.ALERTS_STORE, Serdes.ByteArray());
        store(WindowEvaluator.POLICIES_STORE, Serdes.ByteArray());
        store(WindowEvaluator.MUTES_STORE, Serdes.Long());
        store(WindowEvaluator.COMMAND_LOG_STORE, Serdes.ByteArray());
        store(WindowEvaluator.RETAINED_WINDOWS_STORE, Serdes.ByteArray());
        store(WindowEvaluator.ALERT_LOG_STORE, Serdes.ByteArray());
        store(BaselineLookup.STORE, Serdes.ByteArray());
        return restarted(chunkSubjects, signals);
    }

    /** A new evaluator over the stores of the last {@link #evaluator}, as a restarted task has. */
    private static WindowEvaluator restarted(int chunkSubjects, List<Signal> signals) {
        Topics topics = Topics.defaults(Map.of("schema.registry.url", "mock://evaluation-steps-test"));
        return new WindowEvaluator(PipelineSettings.defaults(Duration.ofMinutes(1)),
                new BaselineLookup(topics.baselines()), ControlSettings.defaults(), signals, chunkSubjects);
    }

    private static Record<String, Partial> part(Partial partial) {
        return new Record<>("m", partial, 0L);
    }

    private static WindowBundle window(long end) {
        WindowBundle b = new WindowBundle("m", "v1", "*", end - MINUTE, end);
        b.countEvent();
        return b;
    }

    private static WindowBundle window(long end, String version, int events) {
        WindowBundle b = new WindowBundle("m", version, "*", end - MINUTE, end);
        for (int i = 0; i < events; i++) {
            b.countEvent();
        }
        return b;
    }

    private static String key(long end, String version) {
        return WindowKeys.window(end, "m", version, "*");
    }

    /** A signal that records each window it evaluates as version:events. */
    private static Signal recording(List<String> evaluated) {
        return new Signal() {
            @Override
            public Evaluator evaluator(EvaluatorContext context) {
                return (window, out) -> evaluated.add(window.modelVersion() + ":" + window.events());
            }
        };
    }

    /** An evaluator, started, that has the first watermarks (closing nothing) of two input partitions. */
    private WindowEvaluator twoPartitions(List<String> evaluated) {
        WindowEvaluator evaluator = evaluator(100, List.of(recording(evaluated)));
        evaluator.init(context);
        evaluator.process(part(Partial.watermark(0, 2, 0)));
        evaluator.process(part(Partial.watermark(1, 2, 0)));
        return evaluator;
    }

    /**
     * Input partitions hand their closed windows on in steps, in the order of the windows' keys, each step followed by
     * a mark: a model version's window is evaluated once every partition's mark (or watermark) has passed its key,
     * with the parts of every partition that had it; a partition without the version holds it back only until its
     * mark passes it.
     */
    @Test
    void shouldEvaluateAVersionsWindowOnceEveryPartitionsMarkHasPassedIt() {
        List<String> evaluated = new ArrayList<>();
        WindowEvaluator evaluator = twoPartitions(evaluated);
        evaluator.process(part(Partial.bundle(0, 2, window(MINUTE, "v1", 1))));
        evaluator.process(part(Partial.bundle(0, 2, window(MINUTE, "v2", 2))));
        evaluator.process(part(Partial.handedOn(0, 2, key(MINUTE, "v2"))));
        assertEquals(List.of(), evaluated, "partition 1 has handed nothing on yet");

        evaluator.process(part(Partial.bundle(1, 2, window(MINUTE, "v1", 10))));
        evaluator.process(part(Partial.handedOn(1, 2, key(MINUTE, "v1"))));
        assertEquals(List.of("v1:11"), evaluated, "v1 with both parts; v2 waits for partition 1's mark");

        evaluator.process(part(Partial.bundle(1, 2, window(MINUTE, "v3", 30))));
        evaluator.process(part(Partial.handedOn(1, 2, key(MINUTE, "v3"))));
        assertEquals(List.of("v1:11", "v2:2"), evaluated, "partition 1 had no v2: its mark past v2 is enough");

        evaluator.process(part(Partial.bundle(0, 2, window(MINUTE, "v3", 3))));
        evaluator.process(part(Partial.watermark(0, 2, MINUTE)));
        assertEquals(List.of("v1:11", "v2:2", "v3:33"), evaluated, "v3 once partition 0's watermark has passed it");
        assertEquals(0, windowsLeft());
    }

    /** A restarted task knows the marks its input partitions sent before (they are in the watermarks' store). */
    @Test
    void shouldKeepThePartitionsMarksAcrossARestart() {
        List<String> evaluated = new ArrayList<>();
        WindowEvaluator evaluator = twoPartitions(evaluated);
        evaluator.process(part(Partial.bundle(0, 2, window(MINUTE, "v1", 1))));
        evaluator.process(part(Partial.bundle(1, 2, window(MINUTE, "v1", 10))));
        evaluator.process(part(Partial.handedOn(0, 2, key(MINUTE, "v1"))));
        evaluator.close();

        WindowEvaluator again = restarted(100, List.of(recording(evaluated)));
        again.init(context);
        again.process(part(Partial.handedOn(1, 2, key(MINUTE, "v1"))));
        assertEquals(List.of("v1:11"), evaluated, "partition 0's mark from before the restart counts");
    }

    private long live() {
        return context.scheduledPunctuators().stream().filter(p -> !p.cancelled()).count();
    }

    @Test
    void shouldLeaveOneStepPunctuationAfterTheProcessorIsClosedAndInitialisedAgain() {
        WindowEvaluator evaluator = evaluator(10);

        evaluator.init(context);
        assertEquals(1, live(), "a step scheduled at start, for windows a previous run left ready");
        evaluator.close();
        assertEquals(0, live(), "nothing scheduled once closed");
        evaluator.init(context); // a revived task
        assertEquals(1, live(), "one step punctuation after the processor is initialised again");
    }

    @Test
    void shouldLeaveOneStepPunctuationAfterTheProcessorIsInitialisedAgainWithoutClose() {
        WindowEvaluator evaluator = evaluator(10);

        evaluator.init(context);
        evaluator.init(context);
        assertEquals(1, live(), "the first punctuation cancelled");
    }

    /**
     * A watermark from a new input partition count holds evaluation back until the new partition reports; the windows
     * ready before it (left by a step) are evaluated first, as when every ready window was evaluated at once.
     */
    @Test
    void shouldEvaluateTheWindowsReadyUnderTheOldPartitionCountBeforeANewCountHoldsThemBack() {
        WindowEvaluator evaluator = evaluator(1);
        evaluator.init(context);
        evaluator.process(part(Partial.bundle(0, 1, window(MINUTE))));
        evaluator.process(part(Partial.bundle(0, 1, window(2 * MINUTE))));
        evaluator.process(part(Partial.watermark(0, 1, 2 * MINUTE)));
        assertEquals(1, windowsLeft(), "one window per step: the second is left for the next");

        evaluator.process(part(Partial.watermark(0, 2, 2 * MINUTE)));
        assertEquals(0, windowsLeft(), "the window ready under one partition is evaluated before two hold it back");
    }

    /**
     * A window that alerts, after a quarter of the step's budget, ends its step: its alert is committed at once, not
     * after the step's other windows (which the next step evaluates, in the same order).
     */
    @Test
    void shouldEndAStepAfterAWindowThatAlerted() {
        List<Long> evaluated = new ArrayList<>();
        // Budget 4, a subject a window: without the alert the first step would take all four windows, and the
        // alert comes after a quarter of the budget (two subjects), so the step ends with it.
        WindowEvaluator evaluator = evaluator(4, List.of(alertingAt(2 * MINUTE, evaluated)));
        evaluator.init(context);
        for (long end = MINUTE; end <= 4 * MINUTE; end += MINUTE) {
            evaluator.process(part(Partial.bundle(0, 1, window(end))));
        }
        evaluator.process(part(Partial.watermark(0, 1, 4 * MINUTE)));

        assertEquals(List.of(MINUTE, 2 * MINUTE), evaluated, "the step ends with the window that alerted");
        assertEquals(2, windowsLeft(), "the windows after it wait for the next step");
        assertEquals(1, context.forwarded().stream().filter(r -> r.record().value().alert() != null).count());

        commit();
        step();
        assertEquals(List.of(MINUTE, 2 * MINUTE, 3 * MINUTE, 4 * MINUTE), evaluated, "the rest, in the same order");
        assertEquals(0, windowsLeft());
    }

    /**
     * An alert before a quarter of the step's budget does not end the step: when every window alerts (a broken feed
     * upstream), a commit per window would hold the rest of that minute's windows back.
     */
    @Test
    void shouldGoOnWithAStepAfterAnAlertBeforeAQuarterOfItsBudget() {
        List<Long> evaluated = new ArrayList<>();
        WindowEvaluator evaluator = evaluator(8, List.of(alertingAt(MINUTE, evaluated)));
        evaluator.init(context);
        for (long end = MINUTE; end <= 4 * MINUTE; end += MINUTE) {
            evaluator.process(part(Partial.bundle(0, 1, window(end))));
        }
        evaluator.process(part(Partial.watermark(0, 1, 4 * MINUTE)));

        assertEquals(List.of(MINUTE, 2 * MINUTE, 3 * MINUTE, 4 * MINUTE), evaluated, "one step, the alert within it");
        assertEquals(0, windowsLeft());
        assertEquals(1, context.forwarded().stream().filter(r -> r.record().value().alert() != null).count());
    }

    /**
     * Kafka Streams runs the punctuations after the records it processed and commits after both: a step taken while
     * processing a watermark is not followed by the next before that commit, which would hold its outputs back.
     */
    @Test
    void shouldTakeTheNextStepOnlyAfterTheCommitOfThePrevious() {
        List<Long> evaluated = new ArrayList<>();
        WindowEvaluator evaluator = evaluator(1, List.of(alertingAt(-1, evaluated)));
        evaluator.init(context);
        for (long end = MINUTE; end <= 3 * MINUTE; end += MINUTE) {
            evaluator.process(part(Partial.bundle(0, 1, window(end))));
        }
        evaluator.process(part(Partial.watermark(0, 1, 3 * MINUTE)));
        assertEquals(List.of(MINUTE), evaluated, "one window per step");

        step();
        assertEquals(List.of(MINUTE), evaluated, "no step before the first one's outputs are committed");
        commit();
        step();
        assertEquals(List.of(MINUTE, 2 * MINUTE), evaluated);
        step();
        assertEquals(List.of(MINUTE, 2 * MINUTE), evaluated);
        commit();
        step();
        assertEquals(List.of(MINUTE, 2 * MINUTE, 3 * MINUTE), evaluated);
    }

    /**
     * A commit held back (e.g. by a rebalance) delays the next step by a second at most: the step goes on without it,
     * and the one after waits for a commit again.
     */
    @Test
    void shouldGoOnWithTheNextStepAfterASecondWithoutACommit() {
        List<Long> evaluated = new ArrayList<>();
        WindowEvaluator evaluator = evaluator(1, List.of(alertingAt(-1, evaluated)));
        evaluator.init(context);
        for (long end = MINUTE; end <= 3 * MINUTE; end += MINUTE) {
            evaluator.process(part(Partial.bundle(0, 1, window(end))));
        }
        context.setCurrentSystemTimeMs(5_000);
        evaluator.process(part(Partial.watermark(0, 1, 3 * MINUTE)));
        assertEquals(List.of(MINUTE), evaluated, "one window per step");

        step(5_999);
        assertEquals(List.of(MINUTE), evaluated, "no step within a second without a commit");
        context.setCurrentSystemTimeMs(6_000);
        step(6_000);
        assertEquals(List.of(MINUTE, 2 * MINUTE), evaluated, "a second later the step goes on without the commit");
        step(6_500);
        assertEquals(List.of(MINUTE, 2 * MINUTE), evaluated, "the step after waits for a commit again");
        commit();
        step(6_501);
        assertEquals(List.of(MINUTE, 2 * MINUTE, 3 * MINUTE), evaluated);
    }

    /** What Kafka Streams does to the stores before a commit. */
    private void commit() {
        WindowStateStore windows = context.getStateStore(WindowEvaluator.WINDOWS_STORE);
        windows.flushCache();
    }

    /** The step punctuation, as Kafka Streams runs it. */
    private void step() {
        step(0L);
    }

    /** The step punctuation at wall-clock time {@code now}. */
    private void step(long now) {
        context.scheduledPunctuators().stream().filter(p -> !p.cancelled()).findFirst().orElseThrow()
                .getPunctuator().punctuate(now);
    }

    /** A signal that records the windows it evaluates and alerts on the window ending at {@code alertAt}. */
    private static Signal alertingAt(long alertAt, List<Long> evaluated) {
        return new Signal() {
            @Override
            public Evaluator evaluator(EvaluatorContext context) {
                return (window, out) -> {
                    evaluated.add(window.windowEnd());
                    if (window.windowEnd() == alertAt) {
                        DriftAlert alert = new DriftAlert();
                        alert.setAlertId("alert-" + window.windowEnd());
                        alert.setWindowEnd(Instant.ofEpochMilli(window.windowEnd()));
                        out.alert("f", alert);
                    }
                };
            }
        };
    }

    private long windowsLeft() {
        WindowStateStore windows = context.getStateStore(WindowEvaluator.WINDOWS_STORE);
        return windows.upTo("\uffff").size();
    }
}
