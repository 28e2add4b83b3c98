package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.summary.CategoricalBaseline;
import dev.driftwatch.detectors.summary.CategoricalSummary;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bytes per subject at platform scale (PlatformScaleBench's traffic: 40 numeric features of four shapes on
 * baselines of 5,000 values and the default grid, 10 categorical ones; 100 events per version and window over two
 * partitions): of a partial (50 events) and of a retained window (100 events). Prints the figures.
 */
class SubjectBytesTest {
    private static final int NUMERIC = 40;
    private static final int CATEGORICAL = 10;
    private static final String[][] CATEGORIES = {{"a", "b", "c"}, {"us", "de", "fr", "gb", "in", "br"},
        {"web", "ios", "android"}, {"c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9"}, {"x", "y"}};

    private final Serde<Partial> serde = Partial.serde();
    private final SplittableRandom random = new SplittableRandom(7);
    private final NumericBaseline[] numeric = new NumericBaseline[NUMERIC];
    private final CategoricalBaseline[] categorical = new CategoricalBaseline[CATEGORICAL];

    SubjectBytesTest() {
        for (int f = 0; f < NUMERIC; f++) {
            double[] v = new double[5000];
            for (int i = 0; i < v.length; i++) {
                v[i] = value(f);
            }
            numeric[f] = NumericBaseline.fromSample(v, 10, NumericGrid.DEFAULT_RESOLUTION, "bench", null, null);
        }
        for (int f = 0; f < CATEGORICAL; f++) {
            String[] v = new String[5000];
            for (int i = 0; i < v.length; i++) {
                v[i] = category(f);
            }
            categorical[f] = CategoricalBaseline.fromSample(v, "bench", null, null);
        }
    }

    private double value(int f) {
        double g = random.nextGaussian();
        return switch (f % 4) {
            case 0 -> g;
            case 1 -> Math.exp(0.5 * g);
            case 2 -> random.nextDouble() * 100;
            default -> -Math.log(1 - random.nextDouble()) * 5;
        };
    }

    private String category(int f) {
        String[] values = CATEGORIES[f % CATEGORIES.length];
        return values[(int) (random.nextDouble() * values.length)];
    }

    private WindowBundle partition(int events) {
        WindowBundle b = new WindowBundle("bench-model", "v0042", "*", 0, 60_000);
        for (int f = 0; f < NUMERIC; f++) {
            b.put("n" + f, SubjectSummary.numeric(numeric[f].id(), numeric[f].newWindow()));
        }
        for (int f = 0; f < CATEGORICAL; f++) {
            b.put("c" + f, SubjectSummary.categorical(categorical[f].id(), new CategoricalSummary()));
        }
        for (int e = 0; e < events; e++) {
            b.countEvent();
            for (int f = 0; f < NUMERIC; f++) {
                b.subject("n" + f).add(value(f));
            }
            for (int f = 0; f < CATEGORICAL; f++) {
                b.subject("c" + f).add(category(f));
            }
        }
        return b;
    }

    /** A partial as releases before format 5 wrote it: the window's self-contained form, grids inline. */
    private static byte[] oldPartial(int partition, int partitions, WindowBundle b) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeByte(0);
            out.writeInt(partition);
            out.writeInt(partitions);
            b.write(out);
        }
        return buffer.toByteArray();
    }

    @Test
    void shouldSendAndRetainAPlatformScaleSubjectInAFractionOfItsGridsBytes() throws IOException {
        WindowBundle p0 = partition(50);
        WindowBundle p1 = partition(50);
        byte[] old0 = oldPartial(0, 2, p0);
        byte[] old1 = oldPartial(1, 2, p1);
        byte[] sent0 = serde.serializer().serialize("partials", Partial.bundle(0, 2, p0));
        byte[] sent1 = serde.serializer().serialize("partials", Partial.bundle(1, 2, p1));

        // Both forms are read, and merge to the same window bit for bit.
        WindowBundle merged = new WindowBundle("bench-model", "v0042", "*", 0, 60_000)
                .merge(serde.deserializer().deserialize("partials", sent0).bundle())
                .merge(serde.deserializer().deserialize("partials", sent1).bundle());
        WindowBundle mergedOld = new WindowBundle("bench-model", "v0042", "*", 0, 60_000)
                .merge(serde.deserializer().deserialize("partials", old0).bundle())
                .merge(serde.deserializer().deserialize("partials", old1).bundle());
        byte[] window = merged.toBytes();
        assertArrayEquals(mergedOld.toBytes(), window);

        Map<Long, NumericGrid> grids = new HashMap<>();
        byte[] retained = RetainedWindows.toBytes(merged, grids);
        int subjects = NUMERIC + CATEGORICAL;
        long gridBytes = 0;
        for (NumericBaseline b : numeric) {
            gridBytes += CompactGrids.toBytes(b.grid()).length;
        }
        double perSubjectBeyondGrids = (sent0.length - gridBytes) / (double) subjects;
        System.out.printf(Locale.ROOT, "a grid: fixed %d B, compact %d B (%d points)%n",
                SubjectSummary.gridToBytes(numeric[0].grid()).length, CompactGrids.toBytes(numeric[0].grid()).length,
                numeric[0].grid().pointCount());
        System.out.printf(Locale.ROOT, "partial of 50 events, per subject: format 2 %.0f B, format 5 %.0f B"
                + " (%.0f B beyond its grid)%n", old0.length / (double) subjects, sent0.length / (double) subjects,
                perSubjectBeyondGrids);
        System.out.printf(Locale.ROOT, "retained window of 100 events, per subject: self-contained %.0f B,"
                + " grids apart %.0f B (+ %d grids kept once per model version)%n",
                window.length / (double) subjects, retained.length / (double) subjects, grids.size());

        assertTrue(sent0.length < 0.85 * old0.length, sent0.length + " vs " + old0.length);
        assertTrue(perSubjectBeyondGrids < 600, "partial bytes per subject beyond grids " + perSubjectBeyondGrids);
        assertTrue(retained.length / (double) subjects < 800, "retained bytes per subject " + retained.length);
        assertArrayEquals(window, RetainedWindows.fromBytes(retained, WindowParts.none(), grids::get).toBytes());
    }
}
