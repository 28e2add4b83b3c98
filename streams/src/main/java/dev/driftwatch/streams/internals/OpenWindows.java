package dev.driftwatch.streams.internals;

import dev.driftwatch.streams.PipelineSettings;

import java.util.function.Consumer;

/**
 * The windows of the per-partition stage not yet closed, for signals that add to a window after its
 * event was summarised, e.g. a shadow's event whose primary arrives later. A window is closed (its end
 * becomes the store's watermark, and it is sent on, at once or in a later step of the hand-on) once stream
 * time reaches its end plus the grace; this happens at the end of processing an event, so a change made while
 * processing that event still lands in it.
 */
public final class OpenWindows {
    private final WindowStateStore store;
    private final PipelineSettings settings;

    public OpenWindows(WindowStateStore store, PipelineSettings settings) {
        this.store = store;
        this.settings = settings;
    }

    /**
     * Applies a change to every window of a model version and segment that contains an event time and has
     * not been sent on yet (more than one with hopping windows).
     *
     * @return how many windows were changed; 0 when all of them had been sent on
     */
    public int update(String model, String version, String segment, long time, Consumer<WindowBundle> change) {
        long size = settings.windowSize().toMillis();
        long advance = settings.windowAdvance().toMillis();
        long sent = store.watermark();
        int changed = 0;
        for (long start = time - Math.floorMod(time, advance); start > time - size; start -= advance) {
            long end = start + size;
            if (end <= sent) {
                continue;
            }
            String key = WindowKeys.window(end, model, version, segment);
            WindowBundle bundle = store.get(key);
            if (bundle == null) {
                bundle = new WindowBundle(model, version, segment, start, end);
            }
            change.accept(bundle);
            store.put(key, bundle);
            changed++;
        }
        return changed;
    }
}
