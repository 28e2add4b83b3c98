package dev.driftwatch.streams.internals;

import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * Asks Kafka Streams for a commit when a stage has handed on a closed window. Under exactly-once what a stage
 * writes is read only once its transaction commits, so a closed window's partials, statistics and alerts would
 * otherwise wait for the next commit interval (up to {@code commit.interval.ms}, for each of the two stages).
 *
 * <p>At most one request a second per task: live, a window boundary comes once per window advance, and a request
 * always goes; catching up on a backlog crosses many boundaries a second, and each commit also writes the open
 * windows' changes, so the requests are spaced out there and the periodic commits do the rest.
 */
final class PromptCommits {
    /** The least time between two requests of one task. */
    static final long MIN_GAP_MS = 1_000;

    private long lastRequestMs;
    private boolean requested;

    /** Requests a commit after the current record, unless this task requested one less than a second ago. */
    void request(ProcessorContext<?, ?> context) {
        long now = context.currentSystemTimeMs();
        if (requested && now - lastRequestMs < MIN_GAP_MS) {
            return;
        }
        context.commit();
        requested = true;
        lastRequestMs = now;
    }
}
