package dev.driftwatch.streams.internals;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Steps at the punctuation: a step that left work is followed by a commit request, and the next step waits for that
 * commit (the store's count of commits prepared moves) or for a second; stopping cancels the punctuation.
 */
class CommitPacedStepsTest {
    private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    /** The store's commits prepared, as Kafka Streams' commits move it. */
    private long commits;
    /** Steps taken. */
    private int taken;
    /** Whether a step leaves work for the next one. */
    private boolean workLeft = true;
    private final CommitPacedSteps steps = new CommitPacedSteps(context, () -> commits, this::step);

    CommitPacedStepsTest() {
        context.setCurrentSystemTimeMs(0);
    }

    private void step() {
        taken++;
        if (workLeft) {
            steps.stepLeftWork();
        } else {
            steps.stop();
        }
    }

    private List<CapturedPunctuator> live() {
        return context.scheduledPunctuators().stream().filter(p -> !p.cancelled()).toList();
    }

    /** The step punctuation at wall-clock time {@code now}. */
    private void punctuate(long now) {
        List<CapturedPunctuator> live = live();
        assertEquals(1, live.size(), "one live step punctuation");
        live.get(0).getPunctuator().punctuate(now);
    }

    @Test
    void shouldScheduleOneWallClockPunctuationThatStepsWithoutWaitingAtFirst() {
        steps.schedule();
        steps.schedule();

        assertTrue(steps.running());
        assertEquals(1, live().size(), "scheduled once");
        assertEquals(PunctuationType.WALL_CLOCK_TIME, live().get(0).getType());
        assertEquals(CommitPacedSteps.STEP_INTERVAL, live().get(0).getInterval());
        punctuate(0);
        assertEquals(1, taken, "the first step waits for no commit");
    }

    @Test
    void shouldTakeTheNextStepOnlyOnceTheCommitOfTheOneBeforeIsPrepared() {
        steps.schedule();
        punctuate(0);
        assertEquals(1, taken);
        assertTrue(context.committed(), "a step that left work asks for a commit");

        punctuate(1);
        punctuate(2);
        assertEquals(1, taken, "no step before the commit");
        commits++;
        punctuate(3);
        assertEquals(2, taken, "a step once the commit is prepared");
        punctuate(4);
        assertEquals(2, taken, "the step after waits for a commit again");
    }

    @Test
    void shouldGoOnWithTheNextStepAfterASecondWithoutACommit() {
        context.setCurrentSystemTimeMs(5_000);
        steps.stepLeftWork();

        punctuate(5_000 + CommitPacedSteps.COMMIT_WAIT_MS - 1);
        assertEquals(0, taken, "no step within a second without a commit");
        context.setCurrentSystemTimeMs(6_000);
        punctuate(5_000 + CommitPacedSteps.COMMIT_WAIT_MS);
        assertEquals(1, taken, "a second later the step goes on without the commit");
        punctuate(6_500);
        assertEquals(1, taken, "the step after waits for a commit again");
    }

    @Test
    void shouldCancelThePunctuationOnceNoWorkIsLeft() {
        steps.stepLeftWork();
        commits++;
        workLeft = false;
        punctuate(0);

        assertEquals(1, taken);
        assertFalse(steps.running());
        assertEquals(0, live().size(), "the punctuation cancelled");
    }

    @Test
    void shouldForgetTheCommitWaitedForWhenStopped() {
        steps.stepLeftWork();
        steps.stop();
        assertFalse(steps.running());
        assertEquals(0, live().size(), "the punctuation cancelled");

        steps.schedule();
        punctuate(0);
        assertEquals(1, taken, "steps scheduled again wait for no commit of a step before the stop");
    }
}
