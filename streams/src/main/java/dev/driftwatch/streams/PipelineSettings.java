package dev.driftwatch.streams;

import dev.driftwatch.detectors.policy.AlertPolicy;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings the topology needs, already validated and typed (built from {@code DriftwatchConfig}).
 *
 * @param applicationId      the Streams application id (recorded on dead letters)
 * @param windowSize         event-time window size (e.g. 5 minutes)
 * @param windowAdvance      hop of hopping windows; equal to the size for tumbling windows
 * @param grace              how long after its end a window still accepts late events
 * @param segmentAttribute   segment attribute that splits windows (e.g. "region"), or null
 * @param maxFeatures        most features one event may carry before it is rejected to the DLQ
 * @param maxValueLength     longest categorical value (characters) before the event is rejected
 * @param maxFutureSkew      how far ahead of the wall-clock time (or of stream time, when that is later) an
 *                           event time may be before it is rejected (see {@link #latestAcceptedTime})
 * @param inputPartitions    partitions of the inference-events topic (watermarks wait for all)
 * @param policy             thresholds, significance, persistence and dataset drift share
 * @param metrics            where the processors report counts and statistics; {@link PipelineMetrics#NONE}
 *                           (also for null) records nothing
 * @param signals            business outcomes, service levels, shadow/canary comparison and review
 *                           ({@link Signals#none()} for null)
 */
public record PipelineSettings(String applicationId, Duration windowSize, Duration windowAdvance, Duration grace,
                               String segmentAttribute, int maxFeatures, int maxValueLength, Duration maxFutureSkew,
                               int inputPartitions, AlertPolicy policy, PipelineMetrics metrics, Signals signals) {
    /** The configuration key of the window size (named by the checks of settings made from it). */
    public static final String WINDOW_SIZE_MS_CONFIG = "window.size.ms";
    /** The configuration key of the window advance. */
    public static final String WINDOW_ADVANCE_MS_CONFIG = "window.advance.ms";

    public PipelineSettings {
        metrics = metrics == null ? PipelineMetrics.NONE : metrics;
        signals = signals == null ? Signals.none() : signals;
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(policy, "policy");
        if (windowSize.toMillis() <= 0) {
            throw new IllegalArgumentException("window size must be positive, got " + windowSize);
        }
        if (windowAdvance.toMillis() <= 0 || windowAdvance.compareTo(windowSize) > 0
                || windowSize.toMillis() % windowAdvance.toMillis() != 0) {
            throw new IllegalArgumentException("window advance must be positive, at most the window size ("
                    + windowSize + ") and divide it, got " + windowAdvance);
        }
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must be >= 0, got " + grace);
        }
        if (maxFeatures < 1) {
            throw new IllegalArgumentException("max features must be >= 1, got " + maxFeatures);
        }
        if (maxValueLength < 1 || maxValueLength > 16_384) {
            // Window state stores values as modified UTF-8 strings of at most 65,535 bytes.
            throw new IllegalArgumentException("max value length must be between 1 and 16384, got " + maxValueLength);
        }
        if (inputPartitions < 1) {
            throw new IllegalArgumentException("input partitions must be >= 1, got " + inputPartitions);
        }
        if (segmentAttribute != null && segmentAttribute.isBlank()) {
            segmentAttribute = null;
        }
    }

    /**
     * The latest event time accepted from a record read at wall-clock time {@code wallClockMs} on a partition
     * whose stream time is {@code streamTime} ({@code Long.MIN_VALUE} before its first event); a later one is a
     * clock error and goes to the dead letters. The reference is the wall clock, or the stream time when that is
     * later (traffic stamped ahead of this machine's clock): so a quiet period of any length is no error (live
     * traffic after it is near the wall clock, replayed or analysed old traffic is behind it), while an event
     * time in microseconds or in another year is. The margin is {@code maxFutureSkew}, but at least two windows,
     * the grace and the business close delay, so that the closing events of {@code analyze} and
     * {@code replay --close-windows} are accepted on traffic stamped ahead of the clock too.
     */
    public long latestAcceptedTime(long streamTime, long wallClockMs) {
        long skew = Math.max(maxFutureSkew.toMillis(), 2 * windowSize.toMillis() + grace.toMillis()
                + signals.closeDelayMs());
        return Math.max(streamTime, wallClockMs) + skew;
    }

    /** Settings without the other signals ({@link Signals#none()}). */
    public PipelineSettings(String applicationId, Duration windowSize, Duration windowAdvance, Duration grace,
                            String segmentAttribute, int maxFeatures, int maxValueLength, Duration maxFutureSkew,
                            int inputPartitions, AlertPolicy policy, PipelineMetrics metrics) {
        this(applicationId, windowSize, windowAdvance, grace, segmentAttribute, maxFeatures, maxValueLength,
                maxFutureSkew, inputPartitions, policy, metrics, Signals.none());
    }

    /** Settings that report no metrics. */
    public PipelineSettings(String applicationId, Duration windowSize, Duration windowAdvance, Duration grace,
                            String segmentAttribute, int maxFeatures, int maxValueLength, Duration maxFutureSkew,
                            int inputPartitions, AlertPolicy policy) {
        this(applicationId, windowSize, windowAdvance, grace, segmentAttribute, maxFeatures, maxValueLength,
                maxFutureSkew, inputPartitions, policy, PipelineMetrics.NONE);
    }

    /** Defaults for tests and the demo: tumbling windows of the given size, no grace, one partition. */
    public static PipelineSettings defaults(Duration windowSize) {
        return new PipelineSettings("driftwatch", windowSize, windowSize, Duration.ZERO, null, 1000, 1024,
                Duration.ofDays(1), 1, AlertPolicy.defaults());
    }

    public PipelineSettings withGrace(Duration g) {
        return new PipelineSettings(applicationId, windowSize, windowAdvance, g, segmentAttribute, maxFeatures,
                maxValueLength, maxFutureSkew, inputPartitions, policy, metrics, signals);
    }

    public PipelineSettings withPolicy(AlertPolicy p) {
        return new PipelineSettings(applicationId, windowSize, windowAdvance, grace, segmentAttribute, maxFeatures,
                maxValueLength, maxFutureSkew, inputPartitions, p, metrics, signals);
    }

    public PipelineSettings withInputPartitions(int n) {
        return new PipelineSettings(applicationId, windowSize, windowAdvance, grace, segmentAttribute, maxFeatures,
                maxValueLength, maxFutureSkew, n, policy, metrics, signals);
    }

    public PipelineSettings withMetrics(PipelineMetrics m) {
        return new PipelineSettings(applicationId, windowSize, windowAdvance, grace, segmentAttribute, maxFeatures,
                maxValueLength, maxFutureSkew, inputPartitions, policy, m, signals);
    }

    public PipelineSettings withSignals(Signals s) {
        return new PipelineSettings(applicationId, windowSize, windowAdvance, grace, segmentAttribute, maxFeatures,
                maxValueLength, maxFutureSkew, inputPartitions, policy, metrics, s);
    }
}
