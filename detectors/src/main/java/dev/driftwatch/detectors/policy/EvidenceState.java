package dev.driftwatch.detectors.policy;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The sequential part of a subject's alert state, kept by {@link EvidenceRule}: exponentially weighted
 * sums of the windows' placement scores and of their sizes, and how many windows in a row the evidence
 * has been below the resolve level. Immutable.
 *
 * <p>With weights w = λ^age (the latest window weight 1): {@code location} = Σ w·locationSum,
 * {@code scale} = Σ w·scaleSum, {@code weight} = Σ w·m, {@code squaredWeight} = Σ w²·m (m the window's
 * size). Their z-scores are sum / (σ·√(squaredWeight + weight²/n)), the variance of a weighted sum of
 * placement scores under no change, the second term being the reference's noise shared by every window.
 *
 * <p>{@link #toBytes()}: a format version byte (1), the reference size (long) the sums were built
 * against, then location, scale, weight, squaredWeight (doubles) and the quiet windows (int): 45 bytes.
 */
public final class EvidenceState {

    /** The format version written by {@link #toBytes()}. */
    public static final byte FORMAT_VERSION = 1;

    /** The length of {@link #toBytes()}. */
    public static final int SERIALIZED_SIZE = 1 + 8 + 4 * 8 + 4;

    private static final EvidenceState INITIAL = new EvidenceState(0, 0, 0, 0, 0, 0);

    private final long referenceCount;
    private final double location;
    private final double scale;
    private final double weight;
    private final double squaredWeight;
    private final int quietWindows;

    EvidenceState(long referenceCount, double location, double scale, double weight, double squaredWeight,
                  int quietWindows) {
        this.referenceCount = referenceCount;
        this.location = location;
        this.scale = scale;
        this.weight = weight;
        this.squaredWeight = squaredWeight;
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

    /** The reference size the sums were built against; 0 before the first window. */
    public long referenceCount() {
        return referenceCount;
    }

    /** The weighted sum of location scores. */
    public double location() {
        return location;
    }

    /** The weighted sum of scale scores. */
    public double scale() {
        return scale;
    }

    /** Σ λ^age·m: the weighted number of values behind the sums. */
    public double weight() {
        return weight;
    }

    /** Σ λ^(2·age)·m. */
    public double squaredWeight() {
        return squaredWeight;
    }

    /** Windows in a row, up to this one, whose evidence was below the resolve level. */
    public int quietWindows() {
        return quietWindows;
    }

    /**
     * The z-score of a weighted sum under no change.
     *
     * @param sum   {@link #location()} or {@link #scale()}
     * @param sigma the standard deviation of one value's score under no change
     * @return |sum| / (σ·√(squaredWeight + weight²/n)), 0 when σ or the weight is 0
     */
    double zScore(double sum, double sigma) {
        if (!(sigma > 0) || !(squaredWeight > 0) || referenceCount <= 0) {
            return 0.0;
        }
        double variance = squaredWeight + weight * weight / referenceCount;
        return Math.abs(sum) / (sigma * Math.sqrt(variance));
    }

    /**
     * The compact serialised form (see the class description).
     *
     * @return {@value #SERIALIZED_SIZE} bytes
     */
    public byte[] toBytes() {
        return ByteBuffer.allocate(SERIALIZED_SIZE).put(FORMAT_VERSION).putLong(referenceCount)
                .putDouble(location).putDouble(scale).putDouble(weight).putDouble(squaredWeight)
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
        EvidenceState s = new EvidenceState(b.getLong(), b.getDouble(), b.getDouble(), b.getDouble(), b.getDouble(),
                b.getInt());
        if (s.referenceCount < 0 || s.quietWindows < 0 || !(s.weight >= 0) || !(s.squaredWeight >= 0)
                || !Double.isFinite(s.location) || !Double.isFinite(s.scale) || !Double.isFinite(s.weight)
                || !Double.isFinite(s.squaredWeight)) {
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
                && Double.compare(location, that.location) == 0 && Double.compare(scale, that.scale) == 0
                && Double.compare(weight, that.weight) == 0 && Double.compare(squaredWeight, that.squaredWeight) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(referenceCount, location, scale, weight, squaredWeight, quietWindows);
    }

    @Override
    public String toString() {
        return "EvidenceState{n=" + referenceCount + ", location=" + location + ", scale=" + scale + ", weight="
                + weight + ", squaredWeight=" + squaredWeight + ", quiet=" + quietWindows + "}";
    }
}
