package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;

/**
 * The numeric grids a partial leaves out, and where the merging stage finds them: a window's grid is its
 * baseline's (6.6–6.9 KB per numeric feature-window as a partial with its grid, a third less without), so a
 * partial refers to it by fingerprint when it is the grid of the subject's current baseline, which the
 * receiver holds too (every instance holds every baseline). The receiver looks for it among the grids in use
 * in its JVM, among the grids of baselines replaced lately, and then by the subject's current baseline.
 * Thread-safe.
 */
public final class BaselineGrids {
    private final BaselineLookup lookup;
    private final BaselineCache cache;

    /** @param cache the instance's parsed baselines (their store is the one the instance's loader fills) */
    public BaselineGrids(BaselineLookup lookup, BaselineCache cache) {
        this.lookup = lookup;
        this.cache = cache;
    }

    /** Whether {@code grid} is the grid of the subject's current baseline: a partial may then leave it out. */
    boolean isBaselineGrid(String model, String version, String subject, NumericGrid grid) {
        NumericGrid baseline = baselineGrid(model, version, subject);
        return baseline != null && baseline.fingerprint() == grid.fingerprint() && baseline.equals(grid);
    }

    /** The grid of this fingerprint a partial left out, or null when this instance does not know it. */
    NumericGrid grid(String model, String version, String subject, long fingerprint) {
        NumericGrid grid = Grids.known(fingerprint);
        if (grid == null) {
            grid = cache.replacedGrid(fingerprint);
        }
        if (grid == null) {
            NumericGrid baseline = baselineGrid(model, version, subject);
            grid = baseline != null && baseline.fingerprint() == fingerprint ? baseline : null;
        }
        return grid;
    }

    private NumericGrid baselineGrid(String model, String version, String subject) {
        if (!lookup.ready()) {
            return null;
        }
        return lookup.find(model, version, subject).map(BaselineLookup.Entry::numeric).map(NumericBaseline::grid)
                .orElse(null);
    }
}
