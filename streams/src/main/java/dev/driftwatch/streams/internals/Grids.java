package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.summary.NumericGrid;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The numeric grids in use in this JVM, one object per grid (by fingerprint): a parsed baseline, the windows
 * summarised on it in every task and those read back from partials and window state all share their
 * baseline's grid (about 10 KB on the default grid) instead of holding a copy each. Held weakly: a grid no
 * baseline or window uses any more is collected.
 */
final class Grids {
    private static final ConcurrentHashMap<Long, Ref> GRIDS = new ConcurrentHashMap<>();
    private static final ReferenceQueue<NumericGrid> COLLECTED = new ReferenceQueue<>();

    private Grids() {
    }

    private static final class Ref extends WeakReference<NumericGrid> {
        final long fingerprint;

        Ref(NumericGrid grid) {
            super(grid, COLLECTED);
            this.fingerprint = grid.fingerprint();
        }
    }

    /** The grid in use equal to {@code grid} (same points and bins), or {@code grid} itself, now in use. */
    static NumericGrid intern(NumericGrid grid) {
        expunge();
        while (true) {
            Ref ref = GRIDS.get(grid.fingerprint());
            NumericGrid known = ref == null ? null : ref.get();
            if (known != null && known.equals(grid)) {
                return known;
            }
            if (known != null) {
                return grid; // a fingerprint collision: keep the first, hand this one out as it is
            }
            Ref mine = new Ref(grid);
            if (ref == null ? GRIDS.putIfAbsent(grid.fingerprint(), mine) == null
                    : GRIDS.replace(grid.fingerprint(), ref, mine)) {
                return grid;
            }
        }
    }

    /** The grid in use with this fingerprint, or null. */
    static NumericGrid known(long fingerprint) {
        Ref ref = GRIDS.get(fingerprint);
        return ref == null ? null : ref.get();
    }

    /**
     * Forgets a grid as if nothing in this JVM used it any more: for tests of a process that no longer holds a
     * grid that another one sent (the collector decides when a weakly held grid goes).
     */
    static void forgetForTests(long fingerprint) {
        GRIDS.remove(fingerprint);
    }

    private static void expunge() {
        for (Object r; (r = COLLECTED.poll()) != null; ) {
            GRIDS.remove(((Ref) r).fingerprint, r);
        }
    }
}
