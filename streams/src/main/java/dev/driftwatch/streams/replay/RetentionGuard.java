package dev.driftwatch.streams.replay;

import dev.driftwatch.streams.config.DriftwatchConfig;
import dev.driftwatch.streams.config.Preflight;
import dev.driftwatch.streams.config.Preflight.PreflightException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Stops a replay before it publishes an event that a topic would delete by age. A topic with
 * {@code retention.ms} (and producer timestamps) deletes every record older than that at the broker's
 * next retention check (every 5 minutes by default), however recently it arrived: replayed history
 * older than the retention of the events topic would vanish before the pipeline read it, and the
 * window statistics and alerts made from it (which carry the events' times) before anyone read them.
 * Kafka's default retention is 7 days, so replaying last month's traffic on a default broker loses it.
 */
public final class RetentionGuard {
    /** A guard that lets everything through ({@code --ignore-retention}, dry runs). */
    public static final RetentionGuard NONE = new RetentionGuard(null, -1, Long.MIN_VALUE);

    /** Records within this much of their topic's retention are refused too: they would expire mid-run. */
    static final Duration MARGIN = Duration.ofHours(1);

    private final String topic;
    private final long retentionMs;
    private final long oldestAllowed;

    RetentionGuard(String topic, long retentionMs, long oldestAllowed) {
        this.topic = topic;
        this.retentionMs = retentionMs;
        this.oldestAllowed = oldestAllowed;
    }

    /**
     * The guard for a replay into {@code target}: of the target and the pipeline's output topics that
     * delete by age, the one with the shortest retention decides.
     *
     * @param preflight the admin connection to ask through
     * @throws PreflightException when the brokers cannot be asked
     */
    public static RetentionGuard of(DriftwatchConfig cfg, String target, Preflight preflight) {
        List<String> topics = new ArrayList<>();
        topics.add(target);
        Preflight.pipelineTopics(cfg).forEach((name, key) -> {
            if (!key.equals(DriftwatchConfig.TOPIC_CONTROL_CONFIG) && !key.equals(DriftwatchConfig.TOPIC_BASELINES_CONFIG)
                    && !key.equals(DriftwatchConfig.TOPIC_CONTROL_RESULTS_CONFIG)) {
                topics.add(name);
            }
        });
        return of(preflight.deletingByAge(topics), System.currentTimeMillis());
    }

    /** The guard for topics with these retentions, at time {@code nowMs}. */
    static RetentionGuard of(Map<String, Long> retentionByTopic, long nowMs) {
        String shortest = null;
        long retention = Long.MAX_VALUE;
        for (Map.Entry<String, Long> e : retentionByTopic.entrySet()) {
            if (e.getValue() < retention) {
                shortest = e.getKey();
                retention = e.getValue();
            }
        }
        if (shortest == null) {
            return NONE;
        }
        return new RetentionGuard(shortest, retention, nowMs - retention + MARGIN.toMillis());
    }

    /**
     * Checks the next event before it is published.
     *
     * @param eventTimeMs the record's timestamp
     * @param published   how many events were published before it (for the message)
     * @throws PreflightException naming the topic, its retention and the fix
     */
    public void check(long eventTimeMs, long published) {
        if (eventTimeMs >= oldestAllowed) {
            return;
        }
        throw new PreflightException("an event of " + Instant.ofEpochMilli(eventTimeMs) + " is older than topic "
                + topic + " keeps records (retention.ms=" + retentionMs + ", " + Duration.ofMillis(retentionMs)
                .toString().substring(2).toLowerCase(java.util.Locale.ROOT) + ", less a margin of one hour): the broker"
                + " would delete it, and the statistics and alerts made from it, at its next retention check; "
                + published + " events were published before it. Give " + topic + " a longer retention first"
                + " (kafka-configs.sh --alter --entity-type topics --entity-name " + topic
                + " --add-config retention.ms=-1), or pass --ignore-retention");
    }
}
