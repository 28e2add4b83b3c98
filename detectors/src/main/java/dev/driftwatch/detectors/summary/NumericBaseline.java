package dev.driftwatch.detectors.summary;

import dev.driftwatch.detectors.BinEdges;
import dev.driftwatch.detectors.Comparisons;
import dev.driftwatch.detectors.EmptySampleException;
import dev.driftwatch.detectors.HeldCells;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The reference of one numeric feature: frozen bins and grid, the reference's summary on them, and its
 * provenance. Every window of the feature is summarised on this baseline's grid.
 */
public final class NumericBaseline {
    private final NumericGrid grid;
    /** The reference, held whole; null for a baseline read back from storage, which holds {@link #stored}. */
    private final NumericSummary reference;
    /** The reference of a baseline read back from storage, as {@link NumericSummary#toCompactBytes}; else null. */
    private final byte[] stored;
    /** The reference {@link #stored} gives, while something still uses it (see {@link #referenceView}). */
    private WeakReference<NumericSummary> view;
    private final Provenance provenance;
    /**
     * The reference's counts on the coarse bins and {@link #ksErrorBound}: computed once, since every window of the
     * feature is compared with the same frozen reference (at a thousand model versions, 50,000 subjects a window).
     */
    private final long[] referenceBinCounts;
    private final double ksErrorBound;
    /** What the evidence of every window reads of the reference alone: a few numbers, computed once. */
    private final SummaryEvidence.Placement placement;
    /**
     * The reference's non-empty cells and their means, which the numeric tests walk for every window: computed once
     * (a char and an int per non-empty cell, a double per non-empty open cell, about 8 KB on the default grid) for a
     * reference held whole; null for a baseline read back from storage, whose comparisons take them from the reference
     * they read back ({@link #referenceHeld}), and on a grid too large for them.
     */
    private final HeldCells referenceHeld;

    private NumericBaseline(NumericGrid grid, NumericSummary reference, Provenance provenance) {
        this(grid, reference, null, provenance);
    }

    private NumericBaseline(NumericGrid grid, NumericSummary reference, byte[] stored, Provenance provenance) {
        this.grid = grid;
        this.reference = stored == null ? reference : null;
        this.stored = stored;
        this.view = stored == null ? null : new WeakReference<>(reference);
        this.provenance = provenance;
        this.referenceBinCounts = reference.binCounts();
        double max = 0;
        for (int c = 0; c < grid.cellCount(); c += 2) {
            max = Math.max(max, reference.cellCount(c) / (double) reference.count());
        }
        this.ksErrorBound = max;
        NumericSummary dense = reference.denseCells();
        this.placement = SummaryEvidence.Placement.of(dense);
        this.referenceHeld = stored == null ? dense.nonEmptyCells() : null;
    }

    /** {@code parts}' grid, reference and what is computed of it, the very objects, with another provenance. */
    private NumericBaseline(NumericBaseline parts, NumericSummary reference, byte[] stored, Provenance provenance) {
        this.grid = parts.grid;
        this.reference = reference;
        this.stored = stored;
        this.view = stored == null ? null : parts.view;
        this.provenance = provenance;
        this.referenceBinCounts = parts.referenceBinCounts;
        this.ksErrorBound = parts.ksErrorBound;
        this.placement = parts.placement;
        this.referenceHeld = stored != null ? null
                : parts.referenceHeld != null ? parts.referenceHeld : reference.nonEmptyCells();
    }

    /**
     * A baseline from raw reference values (missing values are counted and dropped).
     *
     * @param bins       coarse bins for PSI/KL/JS, 1..10,000 (default 10)
     * @param resolution grid resolution G for KS/Wasserstein (default {@link NumericGrid#DEFAULT_RESOLUTION})
     * @param source     provenance source, e.g. {@code "file:train.csv"}
     * @throws EmptySampleException when no value is usable
     */
    public static NumericBaseline fromSample(double[] values, int bins, int resolution, String source,
                                             Long fromMillis, Long toMillis) {
        double[] sorted = Comparisons.sortedFinite(values);
        if (sorted.length == 0) {
            throw new EmptySampleException("cannot build a numeric baseline from " + values.length
                    + " values: none is finite");
        }
        BinEdges edges = BinEdges.fromReference(sorted, bins);
        NumericGrid grid = NumericGrid.fromReference(sorted, edges, resolution);
        NumericSummary summary = new NumericSummary(grid);
        summary.addAll(sorted);
        summary.addMissing(values.length - sorted.length);
        return fromSummary(summary, source, fromMillis, toMillis);
    }

    /**
     * A baseline from a summary on an existing grid, e.g. window summaries merged over a time range.
     */
    public static NumericBaseline fromSummary(NumericSummary summary, String source, Long fromMillis,
                                              Long toMillis) {
        if (summary.count() == 0) {
            throw new EmptySampleException("cannot build a numeric baseline from a summary with no values");
        }
        NumericSummary copy = summary.copy();
        String hash = Hashing.sha256Hex(gridBytes(copy.grid()), copy.toBytes());
        return new NumericBaseline(copy.grid(), copy, new Provenance(source, fromMillis, toMillis, hash));
    }

    /** A baseline read back from storage, keeping its recorded provenance (and so its id). */
    public static NumericBaseline restore(NumericSummary reference, Provenance provenance) {
        return new NumericBaseline(reference.grid(), reference.copy(), provenance);
    }

    /**
     * A baseline read back from storage from the parts of its reference (as {@link NumericSummary#restore} takes
     * them), keeping its recorded provenance. It holds the reference in its compact bytes (the form of window state:
     * a byte or two per filled cell where a summary holds four, the same values bit for bit): an instance keeps the
     * baselines of every subject of every model version, and compares each with a window once per window. The
     * reference it hands out is exactly what {@code restore(NumericSummary.restore(...), provenance)} holds, read
     * back from those bytes while it is in use.
     *
     * @throws IllegalArgumentException when the parts are not a summary on the grid
     */
    public static NumericBaseline restore(NumericGrid grid, long[] cellCounts, double[] openSums, long missing,
                                          double mean, double m2, double min, double max, Provenance provenance) {
        NumericSummary reference = NumericSummary.restore(grid, cellCounts, openSums, missing, mean, m2, min, max);
        return new NumericBaseline(grid, reference, reference.toCompactBytes(), provenance);
    }

    /**
     * A baseline read back from storage from its reference's compact bytes ({@link #compactReference()} of a baseline
     * on the same grid), keeping its recorded provenance: the same baseline, bit for bit, as the one the bytes were
     * taken from. The array is held as it is, not copied, so that baselines with the same reference (the model
     * versions of one training set, say) can share it; nothing may change it afterwards.
     *
     * @throws IllegalArgumentException when the bytes are not a summary on the grid
     */
    public static NumericBaseline fromCompactReference(NumericGrid grid, byte[] compactReference,
                                                       Provenance provenance) {
        NumericSummary reference = NumericSummary.fromBytes(grid, compactReference); // checks the grid's fingerprint
        return new NumericBaseline(grid, reference, compactReference, provenance);
    }

    /**
     * The reference's compact bytes ({@link NumericSummary#toCompactBytes}): for a baseline that holds its reference
     * in them, the array itself (read-only); for any other, the bytes of the reference it holds, a new array.
     */
    public byte[] compactReference() {
        return stored != null ? stored : reference.toCompactBytes();
    }

    /**
     * This baseline holding its reference whole, read from the compact bytes once, rather than read again whenever
     * it is used after nothing held it ({@link #fromCompactReference}); the same baseline, bit for bit (equal, the
     * same grid, the same statistics). Meant to be kept once for every baseline with the same content (see
     * {@link #withProvenance}), where reading the reference back at every comparison cost as much as the tests:
     * about 6.5 KB on the default grid where the compact bytes take 3 KB. This baseline itself when it holds its
     * reference whole already.
     */
    public NumericBaseline withReferenceHeld() {
        return stored == null ? this : new NumericBaseline(this, referenceView(), null, provenance);
    }

    /**
     * This baseline with another provenance (that of another subject's record with the same content: the same grid
     * and reference), sharing its grid, its reference and what is computed of it once, the very objects: an
     * instance holds them once for every subject with that content. The provenance is taken as recorded (its
     * hash, and so the id, as published), as {@link #restore} takes it.
     */
    public NumericBaseline withProvenance(Provenance provenance) {
        return new NumericBaseline(this, reference, stored, Objects.requireNonNull(provenance, "provenance"));
    }

    /** Whether both baselines read the very same reference object (held once for both), not two equal ones. */
    public boolean sharesReferenceWith(NumericBaseline other) {
        return stored != null ? stored == other.stored : reference == other.reference;
    }

    private static byte[] gridBytes(NumericGrid grid) {
        double[] points = grid.points();
        double[] edges = grid.bins().edges();
        ByteBuffer buffer = ByteBuffer.allocate(8 * (points.length + edges.length + 2));
        buffer.putLong(points.length);
        for (double p : points) {
            buffer.putDouble(p);
        }
        buffer.putLong(edges.length);
        for (double e : edges) {
            buffer.putDouble(e);
        }
        return buffer.array();
    }

    /** A stable id derived from the content: {@code "bl-"} and 16 hex digits of the hash. */
    public String id() {
        return "bl-" + provenance.contentHash().substring(0, 16);
    }

    /** The frozen grid (with the coarse bins). */
    public NumericGrid grid() {
        return grid;
    }

    /** The frozen coarse bins. */
    public BinEdges bins() {
        return grid.bins();
    }

    /** The reference summary (a copy, so that the baseline stays frozen). */
    public NumericSummary reference() {
        return referenceView().copy();
    }

    /**
     * The reference itself, read-only. A stored baseline rebuilds it when nothing holds it any more: the same object
     * while a comparison uses it (its input names it), so that a comparison's parts agree.
     */
    NumericSummary referenceView() {
        if (stored == null) {
            return reference;
        }
        synchronized (this) {
            NumericSummary v = view.get();
            if (v == null) {
                v = NumericSummary.fromBytes(grid, stored);
                view = new WeakReference<>(v);
            }
            return v;
        }
    }

    /**
     * The bound on the error of a KS statistic computed from summaries on this baseline's grid: the
     * largest share of the reference in one open cell (below 1/G for a grid built from a sample).
     */
    public double ksErrorBound() {
        return ksErrorBound;
    }

    /** The reference's placement scores for {@link SummaryEvidence#numeric}. */
    SummaryEvidence.Placement placement() {
        return placement;
    }

    /**
     * The reference's non-empty cells and their means: for a reference held whole, the same object for every window;
     * for a baseline read back from storage, those of {@code view}, the reference its comparison reads (kept for the
     * baseline's life they would take 8 KB more for every baseline of its own that a model version has, at 40,000
     * numeric subjects 330 MB, where the reference itself is held in 3.6 KB of compact bytes).
     *
     * @param view the reference as this baseline's {@link #referenceView} gave it, or its
     *             {@link NumericSummary#denseCells}
     */
    HeldCells referenceHeld(NumericSummary view) {
        return stored == null ? referenceHeld : view.nonEmptyCells();
    }

    /**
     * Whether {@code cells} are this baseline's reference's: its very list for a reference held whole; for one read
     * back from storage, a list of as many values as {@code view} holds (the list is made anew for each comparison).
     */
    boolean isReferenceHeld(HeldCells cells, NumericSummary view) {
        return stored == null ? cells == referenceHeld : cells.total() == view.count();
    }

    /** The reference's counts on the coarse bins, the array itself: read-only, shared by every window's comparison. */
    long[] referenceBinCounts() {
        return referenceBinCounts;
    }

    /** Where the baseline came from. */
    public Provenance provenance() {
        return provenance;
    }

    /** An empty window summary on this baseline's grid. */
    public NumericSummary newWindow() {
        return new NumericSummary(grid);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NumericBaseline b && provenance.equals(b.provenance);
    }

    @Override
    public int hashCode() {
        return Objects.hash(provenance);
    }
}
