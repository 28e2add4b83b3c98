package dev.driftwatch.streams.internals;

import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A task asks for a commit when it hands closed windows on, at most once a second (a backlog crosses many). */
class PromptCommitsTest {
    private final MockProcessorContext<String, String> context = new MockProcessorContext<>();
    private final PromptCommits commits = new PromptCommits();

    private boolean requestAt(long wallClockMs) {
        context.resetCommit();
        context.setCurrentSystemTimeMs(wallClockMs);
        commits.request(context);
        return context.committed();
    }

    @Test
    void shouldAskForACommitAtTheFirstBoundaryAndThenAtMostOnceASecond() {
        assertTrue(requestAt(-5_000), "the first boundary, whatever the clock");
        assertFalse(requestAt(-4_500), "half a second later: a backlog");
        assertFalse(requestAt(-4_001));
        assertTrue(requestAt(-4_000), "a second later");
        assertTrue(requestAt(60_000), "a minute later: live traffic");
    }
}
