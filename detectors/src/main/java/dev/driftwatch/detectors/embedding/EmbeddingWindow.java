package dev.driftwatch.detectors.embedding;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * One window's summary of an embedding on an {@link EmbeddingReference}: the count and sum of its vectors (d
 * values), the projections on the reference's k components as counts on their frozen grids, and the sum of the
 * random Fourier features (D values). Its size depends on d, k, the grids and D only, never on the number of
 * vectors; two summaries of the same reference merge by adding (exact but for floating-point order).
 */
public final class EmbeddingWindow {
    private static final byte FORMAT_VERSION = 1;

    private final long fingerprint;
    private long count;
    private long mismatched;
    private final double[] sum;
    private final ComponentCells[] components;
    private final double[] features;

    private EmbeddingWindow(long fingerprint, long count, long mismatched, double[] sum, ComponentCells[] components,
                            double[] features) {
        this.fingerprint = fingerprint;
        this.count = count;
        this.mismatched = mismatched;
        this.sum = sum;
        this.components = components;
        this.features = features;
    }

    static EmbeddingWindow of(long fingerprint, long count, long mismatched, double[] sum, ComponentCells[] components,
                              double[] features) {
        return new EmbeddingWindow(fingerprint, count, mismatched, sum, components, features);
    }

    /** The fingerprint of the reference the window is summarised on. */
    public long fingerprint() {
        return fingerprint;
    }

    /** The vectors added. */
    public long count() {
        return count;
    }

    /** The vectors of another dimension than the reference's, or with a non-finite value: counted, not added. */
    public long mismatched() {
        return mismatched;
    }

    double[] sum() {
        return sum;
    }

    double[] features() {
        return features;
    }

    ComponentCells component(int r) {
        return components[r];
    }

    void countAdded() {
        count++;
    }

    void countMismatched() {
        mismatched++;
    }

    /**
     * Merges a summary of the same reference into this one.
     *
     * @throws IllegalArgumentException when it is of another reference
     */
    public EmbeddingWindow merge(EmbeddingWindow other) {
        if (other.fingerprint != fingerprint || other.sum.length != sum.length
                || other.components.length != components.length || other.features.length != features.length) {
            throw new IllegalArgumentException("embedding summaries of different references cannot be merged");
        }
        count += other.count;
        mismatched += other.mismatched;
        for (int j = 0; j < sum.length; j++) {
            sum[j] += other.sum[j];
        }
        for (int r = 0; r < components.length; r++) {
            components[r].merge(other.components[r]);
        }
        for (int m = 0; m < features.length; m++) {
            features[m] += other.features[m];
        }
        return this;
    }

    /**
     * Writes the summary: a version byte, the reference's fingerprint, counts, then d sums, per component its
     * cells, and D feature sums (8 bytes a value; 4 a cell count).
     */
    public void write(DataOutput out) throws IOException {
        out.writeByte(FORMAT_VERSION);
        out.writeLong(fingerprint);
        out.writeLong(count);
        out.writeLong(mismatched);
        out.writeInt(sum.length);
        for (double v : sum) {
            out.writeDouble(v);
        }
        out.writeInt(components.length);
        for (ComponentCells c : components) {
            out.writeInt(c.cells.length);
            c.write(out);
        }
        out.writeInt(features.length);
        for (double v : features) {
            out.writeDouble(v);
        }
    }

    /** Reads what {@link #write} wrote, without the reference. */
    public static EmbeddingWindow read(DataInput in) throws IOException {
        byte version = in.readByte();
        if (version != FORMAT_VERSION) {
            throw new IOException("unknown embedding window format version " + version);
        }
        long fingerprint = in.readLong();
        long count = in.readLong();
        long mismatched = in.readLong();
        double[] sum = new double[checked(in.readInt())];
        for (int j = 0; j < sum.length; j++) {
            sum[j] = in.readDouble();
        }
        ComponentCells[] components = new ComponentCells[checked(in.readInt())];
        for (int r = 0; r < components.length; r++) {
            components[r] = ComponentCells.read(in, checked(in.readInt()));
        }
        double[] features = new double[checked(in.readInt())];
        for (int m = 0; m < features.length; m++) {
            features[m] = in.readDouble();
        }
        return new EmbeddingWindow(fingerprint, count, mismatched, sum, components, features);
    }

    private static int checked(int n) throws IOException {
        if (n < 0 || n > 1 << 20) {
            throw new IOException("an embedding window with an array of " + n + " values");
        }
        return n;
    }
}
