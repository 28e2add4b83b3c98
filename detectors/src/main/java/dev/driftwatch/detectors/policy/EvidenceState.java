package dev.driftwatch.detectors.policy;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The sequential part of a subject's alert state, kept by {@link EvidenceRule}: exponentially weighted
 * sums of the windows' placement scores and of their sizes, and how many windows in a row the evidence
 * has been below the resolve level. Immutable.
 *
 * <p>Each of the two scores (location, scale) has its own run: with weights w = λ^age over the windows
 * since the run started (the latest window weight 1), sum = Σ w·score sum, weight = Σ w·m and
 * squaredWeight = Σ w²·m (m the window's size). Its z-score is sum / (σ·√(squaredWeight + weight²/n)), the
 * variance of such a weighted sum of placement scores under no change, the second term being the
 * reference's noise shared by every window. A run restarts at a window that does not support it.
 *
 * <p>{@link #toBytes()}: a format version byte (1), the reference size (long) the sums were built
 * against, then the location run's sum, weight and squaredWeight, the scale run's (doubles), and the quiet
 * windows (int): 61 bytes.
 */
public final class EvidenceState {

    /** The format version written by {@link #toBytes()}. */
    public static final byte FORMAT_VERSION = 1;

    /** The length of {@link #toBytes()}. */
    public static final int SERIALIZED_SIZE = 1 + 8 + 6 * 8 + 4;

    private static final EvidenceState INITIAL = new EvidenceState(0, Run.EMPTY, Run.EMPTY, 0);

    /**
     * One exponentially weighted run of placement scores.
     *
     * @param sum           Σ λ^age·(the window's score sum)
     * @param weight        Σ λ^age·m
     * @param squaredWeight Σ λ^(2·age)·m
     */
    public record Run(double sum, double weight, double squaredWeight) {
        static final Run EMPTY = new Run(0, 0, 0);

        /**
         * The z-score of the run under no change.
         *
         * @param sigma          the standard deviation of one value's score under no change
         * @param referenceCount n, the reference's size
         * @return |sum| / (σ·√(squaredWeight + weight²/n)), 0 when σ or the weight is 0
         */
        public double zScore(double sigma, long referenceCount) {
            if (!(sigma > 0) || !(squaredWeight > 0) || referenceCount <= 0) {
                return 0.0;
            }
            return Math.abs(sum) / (sigma * Math.sqrt(squaredWeight + weight * weight / referenceCount));
        }

        boolean isValid() {
            return Double.isFinite(sum) && Double.isFinite(weight) && Double.isFinite(squaredWeight) && weight >= 0
                    && squaredWeight >= 0;
        }
    }

    private final long referenceCount;
    private final Run location;
    private final Run scale;
    private final int quietWindows;

    EvidenceState(long referenceCount, Run location, Run scale, int quietWindows) {
        this.referenceCount = referenceCount;
        this.location = location;
        this.scale = scale;
        this.quietWindows = quietWindows;
    }

    /**
     * The state of a subject with no window seen.
     *
     * @return the initial state
     */
    public static EvidenceState initial() {
        return INITIAL;
    }

    /** The reference size the runs were built against; 0 before the first window. */
    public long referenceCount() {
        return referenceCount;
    }

    /** The run of location scores. */
    public Run location() {
        return location;
    }

    /** The run of scale scores. */
    public Run scale() {
        return scale;
    }

    /** Windows in a row, up to this one, whose evidence was below the resolve level. */
    public int quietWindows() {
        return quietWindows;
    }

    /**
     * The compact serialised form (see the class description).
     *
     * @return {@value #SERIALIZED_SIZE} bytes
     */
    public byte[] toBytes() {
        return ByteBuffer.allocate(SERIALIZED_SIZE).put(FORMAT_VERSION).putLong(referenceCount)
                .putDouble(location.sum()).putDouble(location.weight()).putDouble(location.squaredWeight())
                .putDouble(scale.sum()).putDouble(scale.weight()).putDouble(scale.squaredWeight())
                .putInt(quietWindows).array();
    }

    /**
     * Reads a state written by {@link #toBytes()}.
     *
     * @param bytes the serialised form
     * @return the state
     * @throws IllegalArgumentException if the bytes are null, of the wrong length or version, or hold
     *     values that no state has (negative sizes or counts, non-finite sums)
     */
    public static EvidenceState fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length != SERIALIZED_SIZE || bytes[0] != FORMAT_VERSION) {
            throw new IllegalArgumentException("evidence state of " + (bytes == null ? "null" : bytes.length + " bytes")
                    + " is not readable; expected " + SERIALIZED_SIZE + " bytes of format version " + FORMAT_VERSION);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, 1, SERIALIZED_SIZE - 1);
        long n = b.getLong();
        Run location = new Run(b.getDouble(), b.getDouble(), b.getDouble());
        Run scale = new Run(b.getDouble(), b.getDouble(), b.getDouble());
        EvidenceState s = new EvidenceState(n, location, scale, b.getInt());
        if (n < 0 || s.quietWindows < 0 || !location.isValid() || !scale.isValid()) {
            throw new IllegalArgumentException("evidence state holds impossible values: " + s);
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof EvidenceState)) {
            return false;
        }
        EvidenceState that = (EvidenceState) o;
        return referenceCount == that.referenceCount && quietWindows == that.quietWindows
                && location.equals(that.location) && scale.equals(that.scale);
    }

    @Override
    public int hashCode() {
        return Objects.hash(referenceCount, location, scale, quietWindows);
    }

    @Override
    public String toString() {
        return "EvidenceState{n=" + referenceCount + ", location=" + location + ", scale=" + scale + ", quiet="
                + quietWindows + "}";
    }
}
