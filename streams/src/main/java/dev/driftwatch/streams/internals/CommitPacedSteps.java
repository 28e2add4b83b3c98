package dev.driftwatch.streams.internals;

import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Work a processor does in steps, each step followed by a commit request and the next taken at a wall-clock punctuation
 * once the store has prepared that commit (its count of commits prepared has moved). Under exactly-once a step's
 * outputs are read only once committed: this way they do not wait for the steps after, and a task that fails redoes one
 * step at most. The wait is needed because Kafka Streams runs a loop's punctuations after its records and commits after
 * both: a step taken while processing a record would otherwise be followed by a second before the commit. A step waits
 * {@value #COMMIT_WAIT_MS} ms at most (a rebalance may hold commits back), then goes on all the same. The punctuation
 * is cancelled as soon as no work is left: Kafka Streams processes fewer records per task in a loop that punctuated or
 * committed.
 */
final class CommitPacedSteps {
    /** How often the punctuation runs while work is left (each time at most one step). */
    static final Duration STEP_INTERVAL = Duration.ofMillis(1);
    /** How long a step waits at most for the commit of the one before, in wall-clock ms. */
    static final long COMMIT_WAIT_MS = 1_000;

    private final ProcessorContext<?, ?> context;
    private final LongSupplier commitsPrepared;
    private final Runnable step;
    /** The punctuation while work is left, or null. */
    private Cancellable punctuation;
    /** The commits prepared when the last step left work, and the wall-clock time then; -1 when none is waited for. */
    private long stepCommits = -1;
    private long stepEndedMs;

    /**
     * @param commitsPrepared how many commits the processor's store has prepared, e.g.
     *                        {@link WindowStateStore#commitsPrepared}
     * @param step            one step: it calls {@link #stepLeftWork} if work is left, else {@link #stop}
     */
    CommitPacedSteps(ProcessorContext<?, ?> context, LongSupplier commitsPrepared, Runnable step) {
        this.context = context;
        this.commitsPrepared = commitsPrepared;
        this.step = step;
    }

    /** A step ended with work left: a commit is requested, and the next step waits for it at the punctuation. */
    void stepLeftWork() {
        context.commit();
        stepCommits = commitsPrepared.getAsLong();
        stepEndedMs = context.currentSystemTimeMs();
        schedule();
    }

    /** Steps at the punctuation from now on (the first waits for no commit unless a step left work), until stopped. */
    void schedule() {
        if (punctuation == null) {
            punctuation = context.schedule(STEP_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::punctuate);
        }
    }

    /** No work left: the punctuation is cancelled, and no commit is waited for. */
    void stop() {
        stepCommits = -1;
        if (punctuation != null) {
            punctuation.cancel();
            punctuation = null;
        }
    }

    /** Whether steps are under way (scheduled and not stopped). */
    boolean running() {
        return punctuation != null;
    }

    private void punctuate(long now) {
        if (stepCommits >= 0 && commitsPrepared.getAsLong() == stepCommits && now - stepEndedMs < COMMIT_WAIT_MS) {
            return;
        }
        step.run();
    }
}
