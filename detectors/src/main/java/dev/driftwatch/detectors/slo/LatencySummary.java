package dev.driftwatch.detectors.slo;

import dev.driftwatch.detectors.summary.Varint;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * A bounded, mergeable and deterministic summary of non-negative values (latencies in milliseconds)
 * that answers quantiles with a stated relative error.
 *
 * <p>Values are counted in logarithmically spaced buckets: with {@code γ = (1 + α) / (1 − α)}, bucket
 * {@code i} holds the values in {@code (γ^(i−1), γ^i]} and reports them as {@code 2γ^i / (γ + 1)}, which
 * is within a relative error {@code α} of every value in the bucket. The buckets cover
 * [{@link #MIN_VALUE}, {@link #MAX_VALUE}] ms (1 µs to about 28 hours); 0 has a bucket of its own and is
 * reported exactly; values below {@code MIN_VALUE} are counted in its bucket (an absolute error of about
 * 1 µs) and values above {@code MAX_VALUE} in the bucket of {@code MAX_VALUE}. The size is fixed by {@code α}
 * whatever the number of values (1,269 counters for α = 0.01), merging adds counters (so a merge is the
 * summary of the union), and the same values in any order give the same state and the same bytes.
 *
 * <p>{@link #quantile(double)} follows the lower order statistic of the inverted empirical CDF (numpy's
 * {@code method="inverted_cdf"}): the q-quantile of n values is the k-th smallest with
 * {@code k = max(1, ⌈q·n⌉)}; the summary returns the representative of the bucket that holds that value,
 * so for values inside the covered range it is within {@code α} (relative) of the exact order statistic.
 */
public final class LatencySummary {
    /** The default relative error: 1 %. */
    public static final double DEFAULT_RELATIVE_ERROR = 0.01;
    /** Smallest positive value counted with the relative-error bound, in ms (1 µs). */
    public static final double MIN_VALUE = 1e-3;
    /** Largest value counted with the relative-error bound, in ms (about 27.8 hours). */
    public static final double MAX_VALUE = 1e8;
    private static final byte FORMAT_VERSION = 1;

    private final double relativeError;
    private final double gamma;
    private final double logGamma;
    private final int minIndex;
    /** [0] zero, then buckets minIndex..maxIndex; values below MIN_VALUE go to minIndex, above MAX_VALUE to maxIndex. */
    private final long[] counts;
    private long count;

    /**
     * An empty summary.
     *
     * @param relativeError α, in [0.0001, 0.1]; 0.01 (1 %) is typical
     * @throws IllegalArgumentException when α is outside that range
     */
    public LatencySummary(double relativeError) {
        if (!(relativeError >= 1e-4 && relativeError <= 0.1)) {
            throw new IllegalArgumentException("relative error must be in [0.0001, 0.1], got " + relativeError);
        }
        this.relativeError = relativeError;
        this.gamma = (1 + relativeError) / (1 - relativeError);
        this.logGamma = Math.log(gamma);
        this.minIndex = rawIndex(MIN_VALUE);
        int maxIndex = rawIndex(MAX_VALUE);
        this.counts = new long[maxIndex - minIndex + 2];
    }

    /** An empty summary with the default relative error (1 %). */
    public LatencySummary() {
        this(DEFAULT_RELATIVE_ERROR);
    }

    private int rawIndex(double v) {
        return (int) Math.ceil(Math.log(v) / logGamma);
    }

    /**
     * Adds one value.
     *
     * @param value a latency in ms, finite and &ge; 0
     * @throws IllegalArgumentException for a negative, NaN or infinite value
     */
    public void add(double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("latency must be a finite number >= 0, got " + value);
        }
        counts[slot(value)]++;
        count++;
    }

    private int slot(double value) {
        if (value == 0) {
            return 0;
        }
        double v = Math.min(Math.max(value, MIN_VALUE), MAX_VALUE);
        int slot = rawIndex(v) - minIndex + 1;
        return Math.min(Math.max(slot, 1), counts.length - 1);
    }

    /** The number of values added. */
    public long count() {
        return count;
    }

    /** α: the bound of the relative error of {@link #quantile} for values in the covered range. */
    public double relativeError() {
        return relativeError;
    }

    /** The number of counters: fixed by α, the same for 10 values or 10 million. */
    public int size() {
        return counts.length;
    }

    /**
     * The q-quantile (lower order statistic, see the class comment) as the representative of its bucket.
     *
     * @param q the quantile in [0, 1], e.g. 0.95 for p95
     * @return the estimate in ms, or NaN when the summary is empty
     */
    public double quantile(double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile must be in [0, 1], got " + q);
        }
        if (count == 0) {
            return Double.NaN;
        }
        long rank = Math.min(count, Math.max(1, (long) Math.ceil(count * q)));
        long seen = 0;
        for (int s = 0; s < counts.length; s++) {
            seen += counts[s];
            if (seen >= rank) {
                return representative(s);
            }
        }
        throw new IllegalStateException("counts sum to less than the count " + count);
    }

    private double representative(int slot) {
        if (slot == 0) {
            return 0;
        }
        int index = slot - 1 + minIndex;
        return 2 * Math.pow(gamma, index) / (gamma + 1);
    }

    /**
     * Adds another summary's counts to this one (the summary of the union of their values).
     *
     * @return this
     * @throws IllegalArgumentException when the relative errors differ
     */
    public LatencySummary merge(LatencySummary other) {
        if (other.relativeError != relativeError) {
            throw new IllegalArgumentException("cannot merge latency summaries of relative errors "
                    + relativeError + " and " + other.relativeError);
        }
        for (int s = 0; s < counts.length; s++) {
            counts[s] += other.counts[s];
        }
        count += other.count;
        return this;
    }

    /** Writes the summary: α, then the non-empty counters as (slot gap, count) varints. */
    public void write(DataOutput out) throws IOException {
        out.writeByte(FORMAT_VERSION);
        out.writeDouble(relativeError);
        int used = 0;
        for (long c : counts) {
            used += c == 0 ? 0 : 1;
        }
        Varint.write(out, used);
        int previous = -1;
        for (int s = 0; s < counts.length; s++) {
            if (counts[s] != 0) {
                Varint.write(out, s - previous);
                Varint.write(out, counts[s]);
                previous = s;
            }
        }
    }

    /** Reads a summary written by {@link #write}. */
    public static LatencySummary read(DataInput in) throws IOException {
        byte version = in.readByte();
        if (version != FORMAT_VERSION) {
            throw new IOException("unknown latency summary format version " + version);
        }
        LatencySummary s;
        try {
            s = new LatencySummary(in.readDouble());
        } catch (IllegalArgumentException e) {
            throw new IOException("corrupt latency summary: " + e.getMessage(), e);
        }
        long used = Varint.read(in);
        int slot = -1;
        for (long i = 0; i < used; i++) {
            slot += (int) Varint.read(in);
            if (slot < 0 || slot >= s.counts.length) {
                throw new IOException("corrupt latency summary: slot " + slot + " outside 0.." + (s.counts.length - 1));
            }
            long c = Varint.read(in);
            s.counts[slot] = c;
            s.count += c;
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LatencySummary other && other.relativeError == relativeError && other.count == count
                && Arrays.equals(other.counts, counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }
}
