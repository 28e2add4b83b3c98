package dev.driftwatch.streams;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings of the control commands.
 *
 * @param captureRetention  how long (event time, by window end) evaluated window summaries are kept for
 *                          CAPTURE_BASELINE; zero keeps none
 * @param captureMaxWindows most windows kept per model version and segment, whatever the retention
 */
public record ControlSettings(Duration captureRetention, int captureMaxWindows) {
    public static final Duration DEFAULT_CAPTURE_RETENTION = Duration.ofDays(7);
    public static final int DEFAULT_CAPTURE_MAX_WINDOWS = 2016;

    public ControlSettings {
        Objects.requireNonNull(captureRetention, "captureRetention");
        if (captureRetention.isNegative()) {
            throw new IllegalArgumentException("capture retention must be >= 0, got " + captureRetention);
        }
        if (captureMaxWindows < 1) {
            throw new IllegalArgumentException("capture max windows must be >= 1, got " + captureMaxWindows);
        }
    }

    /** Seven days, at most 2016 windows (seven days of five-minute windows) per model version. */
    public static ControlSettings defaults() {
        return new ControlSettings(DEFAULT_CAPTURE_RETENTION, DEFAULT_CAPTURE_MAX_WINDOWS);
    }
}
