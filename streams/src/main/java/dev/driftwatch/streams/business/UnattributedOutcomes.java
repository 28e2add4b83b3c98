package dev.driftwatch.streams.business;

import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.internals.WindowBundle;
import dev.driftwatch.streams.internals.WindowKeys;
import dev.driftwatch.streams.internals.WindowStateStore;

/**
 * Counts the outcomes that no model version's request took ({@code unmatched} and {@code late}) in the
 * window state of their input partition, so that they survive restarts and reach the
 * {@code driftwatch-business-metrics} topic: per window, on one {@code BusinessMetrics} record of the
 * reserved model id {@value #MODEL} (version and segment {@code *}), whose {@code unmatchedOutcomes} and
 * {@code lateOutcomes} hold them and whose other counts are zero.
 *
 * <p>An outcome is counted in the latest window (by window advance) that contains its event time, or,
 * when that window has already closed on the partition, in the earliest window still open: the choice
 * depends only on event times and stream time, so replays count the same.
 */
public final class UnattributedOutcomes {
    /** The reserved model id of the windows of unattributed outcomes (not a valid model id: it has '*'). */
    public static final String MODEL = "*unattributed*";

    private final long size;
    private final long advance;
    private final WindowStateStore windows;

    public UnattributedOutcomes(PipelineSettings settings, WindowStateStore windows) {
        this.size = settings.windowSize().toMillis();
        this.advance = settings.windowAdvance().toMillis();
        this.windows = windows;
    }

    /** Whether a window holds unattributed outcomes rather than a model version's traffic. */
    public static boolean is(WindowBundle bundle) {
        return MODEL.equals(bundle.modelId());
    }

    /**
     * Counts {@code n} outcomes of the given result ({@code unmatched} or {@code late}) whose event time
     * (the latest, for several) is {@code time}.
     */
    public void count(String result, long n, long time) {
        if (n <= 0) {
            return;
        }
        long start = time - Math.floorMod(time, advance);
        long watermark = windows.watermark();
        if (start + size <= watermark) {
            start = watermark - Math.floorMod(watermark, advance);
        }
        long end = start + size;
        String key = WindowKeys.sortableTime(end) + "|" + MODEL + "|*|*";
        WindowBundle bundle = windows.get(key);
        if (bundle == null) {
            bundle = new WindowBundle(MODEL, "*", "*", start, end);
        }
        BusinessPart.of(bundle).unattributed(result, n);
        windows.put(key, bundle);
    }
}
