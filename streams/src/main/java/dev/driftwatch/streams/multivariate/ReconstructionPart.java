package dev.driftwatch.streams.multivariate;

import dev.driftwatch.streams.internals.WindowBundle;
import dev.driftwatch.streams.internals.WindowPart;

import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The reconstruction errors of one window's events: their count, sum and sum of squares, and their histogram on the
 * coarse bins of the {@code *multivariate*} baseline it was scored with (so its size is fixed by the baseline, not
 * by the traffic). The sum is kept in units of 10⁻⁹ (saturating), so that it does not depend on the order in which
 * events and partitions are merged. Events scored against another baseline (one that changed during the window)
 * are only counted apart.
 */
public final class ReconstructionPart implements WindowPart {
    /** The part's name in a window's state. */
    public static final String NAME = "multivariate";
    static final double SCALE = 1e9;
    private static final byte FORMAT_VERSION = 1;

    private final String baselineId;
    private long count;
    private long sumNanos;
    private double sumSquares;
    private long otherBaseline;
    private final long[] bins;

    ReconstructionPart(String baselineId, int bins) {
        this(baselineId, new long[bins]);
    }

    private ReconstructionPart(String baselineId, long[] bins) {
        this.baselineId = baselineId;
        this.bins = bins;
    }

    /** The window's part, created for {@code baselineId} with {@code bins} bins on first use. */
    static ReconstructionPart of(WindowBundle bundle, String baselineId, int bins) {
        ReconstructionPart part = (ReconstructionPart) bundle.part(NAME);
        if (part == null) {
            part = new ReconstructionPart(baselineId, bins);
            bundle.putPart(part);
        }
        return part;
    }

    /**
     * Adds one event's error.
     *
     * @param scoredWith the id of the baseline the error was computed with
     * @param bin        the error's bin on that baseline's coarse bins
     */
    void add(String scoredWith, double error, int bin) {
        if (!baselineId.equals(scoredWith) || bin < 0 || bin >= bins.length) {
            otherBaseline++;
            return;
        }
        count++;
        sumNanos = saturatedAdd(sumNanos, Math.round(error * SCALE));
        sumSquares += error * error;
        bins[bin]++;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    /** The id of the baseline the window's errors were computed with. */
    public String baselineId() {
        return baselineId;
    }

    /** Events with an error. */
    public long count() {
        return count;
    }

    /** Their mean error; NaN without one. */
    public double mean() {
        return count == 0 ? Double.NaN : sumNanos / SCALE / count;
    }

    /** The population standard deviation of their errors; NaN without one. */
    public double stdDev() {
        if (count == 0) {
            return Double.NaN;
        }
        double m = mean();
        return Math.sqrt(Math.max(0.0, sumSquares / count - m * m));
    }

    /** Events scored with another baseline (it changed during the window): not in the count. */
    public long otherBaseline() {
        return otherBaseline;
    }

    /** The errors' histogram on the baseline's coarse bins (a copy). */
    public long[] bins() {
        return bins.clone();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public WindowPart merge(WindowPart other) {
        ReconstructionPart o = (ReconstructionPart) other;
        if (!o.baselineId.equals(baselineId) || o.bins.length != bins.length) {
            // Partitions that scored with different baselines: the one with more events is kept.
            ReconstructionPart keep = o.count > count ? o : this;
            ReconstructionPart drop = keep == this ? o : this;
            keep.otherBaseline += drop.count + drop.otherBaseline;
            return keep;
        }
        count += o.count;
        sumNanos = saturatedAdd(sumNanos, o.sumNanos);
        sumSquares += o.sumSquares;
        otherBaseline += o.otherBaseline;
        for (int i = 0; i < bins.length; i++) {
            bins[i] += o.bins[i];
        }
        return this;
    }

    @Override
    public void write(DataOutput out) throws IOException {
        out.writeByte(FORMAT_VERSION);
        out.writeUTF(baselineId);
        out.writeLong(count);
        out.writeLong(sumNanos);
        out.writeDouble(sumSquares);
        out.writeLong(otherBaseline);
        out.writeInt(bins.length);
        for (long b : bins) {
            out.writeLong(b);
        }
    }

    /** Reads what {@link #write} wrote. */
    public static ReconstructionPart read(DataInputStream in) throws IOException {
        byte version = in.readByte();
        if (version != FORMAT_VERSION) {
            throw new IOException("unknown multivariate part format " + version);
        }
        String id = in.readUTF();
        long count = in.readLong();
        long sum = in.readLong();
        double squares = in.readDouble();
        long other = in.readLong();
        int n = in.readInt();
        if (n < 0 || n > 100_000) {
            throw new IOException("a multivariate part with " + n + " bins");
        }
        long[] bins = new long[n];
        for (int i = 0; i < n; i++) {
            bins[i] = in.readLong();
        }
        ReconstructionPart part = new ReconstructionPart(id, bins);
        part.count = count;
        part.sumNanos = sum;
        part.sumSquares = squares;
        part.otherBaseline = other;
        return part;
    }
}
