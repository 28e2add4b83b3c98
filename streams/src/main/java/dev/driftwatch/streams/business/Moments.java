package dev.driftwatch.streams.business;

import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Count, mean and sum of squared deviations (M₂) of the numeric outcomes of one window (value per request,
 * judge score), updated by Welford's method and merged by Chan's: fixed size whatever the traffic. The sample
 * variance is M₂ / (n − 1).
 */
final class Moments {
    private long count;
    private double mean;
    private double m2;

    /** Adds one finite value (others are ignored). */
    void add(double v) {
        if (!Double.isFinite(v)) {
            return;
        }
        count++;
        double delta = v - mean;
        mean += delta / count;
        m2 += delta * (v - mean);
    }

    void merge(Moments o) {
        if (o.count == 0) {
            return;
        }
        long total = count + o.count;
        double delta = o.mean - mean;
        mean += delta * o.count / total;
        m2 += o.m2 + delta * delta * ((double) count * o.count / total);
        count = total;
    }

    /** Values added. */
    long count() {
        return count;
    }

    /** Their mean; null when there are none. */
    Double mean() {
        return count == 0 ? null : mean;
    }

    /** Their sample variance (ddof = 1); null with fewer than two values. */
    Double variance() {
        return count < 2 ? null : Math.max(0.0, m2 / (count - 1));
    }

    void write(DataOutput out) throws IOException {
        out.writeLong(count);
        out.writeDouble(mean);
        out.writeDouble(m2);
    }

    static Moments read(DataInputStream in) throws IOException {
        Moments m = new Moments();
        m.count = in.readLong();
        m.mean = in.readDouble();
        m.m2 = in.readDouble();
        if (m.count < 0) {
            throw new IOException("outcome moments hold a negative count " + m.count);
        }
        return m;
    }
}
