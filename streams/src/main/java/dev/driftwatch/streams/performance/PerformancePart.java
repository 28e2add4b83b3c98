package dev.driftwatch.streams.performance;

import dev.driftwatch.detectors.performance.ScoreSummary;
import dev.driftwatch.streams.internals.WindowBundle;
import dev.driftwatch.streams.internals.WindowPart;

import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A window's scores: every scored event (for the estimated performance) and the labelled ones, requests whose
 * outcomes are final, with an impression, clicked or not (for the realized performance), in a
 * {@link ScoreSummary} of a fixed number of bins.
 */
public final class PerformancePart implements WindowPart {
    /** The part's name in a window's state. */
    public static final String NAME = "performance";
    private static final byte FORMAT_VERSION = 1;

    private final ScoreSummary scores;

    PerformancePart(ScoreSummary scores) {
        this.scores = scores;
    }

    /** The window's part, created with {@code bins} bins on first use. */
    static PerformancePart of(WindowBundle bundle, int bins) {
        PerformancePart part = (PerformancePart) bundle.part(NAME);
        if (part == null) {
            part = new PerformancePart(new ScoreSummary(bins));
            bundle.putPart(part);
        }
        return part;
    }

    public ScoreSummary scores() {
        return scores;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public WindowPart merge(WindowPart other) {
        scores.merge(((PerformancePart) other).scores);
        return this;
    }

    @Override
    public void write(DataOutput out) throws IOException {
        out.writeByte(FORMAT_VERSION);
        out.writeInt(scores.bins());
        for (long v : scores.allCounts()) {
            out.writeLong(v);
        }
        for (double v : scores.allScoreSums()) {
            out.writeDouble(v);
        }
        for (long v : scores.positiveCounts()) {
            out.writeLong(v);
        }
        for (long v : scores.negativeCounts()) {
            out.writeLong(v);
        }
        double[] sums = scores.sums();
        out.writeInt(sums.length);
        for (double v : sums) {
            out.writeDouble(v);
        }
        out.writeLong(scores.invalid());
    }

    /** Reads what {@link #write} wrote. */
    public static PerformancePart read(DataInputStream in) throws IOException {
        byte version = in.readByte();
        if (version != FORMAT_VERSION) {
            throw new IOException("unknown performance part format " + version);
        }
        int bins = in.readInt();
        if (bins < 1 || bins > 100_000) {
            throw new IOException("a performance part with " + bins + " bins");
        }
        long[] all = longs(in, bins);
        double[] sums = new double[bins];
        for (int i = 0; i < bins; i++) {
            sums[i] = in.readDouble();
        }
        long[] positives = longs(in, bins);
        long[] negatives = longs(in, bins);
        int n = in.readInt();
        if (n < 0 || n > 64) {
            throw new IOException("a performance part with " + n + " sums");
        }
        double[] scalars = new double[n];
        for (int i = 0; i < n; i++) {
            scalars[i] = in.readDouble();
        }
        long invalid = in.readLong();
        try {
            return new PerformancePart(ScoreSummary.restore(all, sums, positives, negatives, scalars, invalid));
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage());
        }
    }

    private static long[] longs(DataInputStream in, int n) throws IOException {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readLong();
        }
        return v;
    }
}
