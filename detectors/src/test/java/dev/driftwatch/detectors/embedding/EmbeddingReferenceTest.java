package dev.driftwatch.detectors.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.driftwatch.detectors.DriftTests;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EmbeddingReferenceTest {
    private static final EmbeddingReference.Options OPTIONS =
            new EmbeddingReference.Options(4, 128, 7, 199, 100, DriftTests.KS, 0.01, 50);

    /** Vectors around topic centre c: c + Gaussian noise, standard deviation 3 in the first 4 dimensions, 1 after. */
    private static double[][] sample(Random random, int n, double[] centre) {
        double[][] x = new double[n][centre.length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < centre.length; j++) {
                x[i][j] = centre[j] + (j < 4 ? 3 : 1) * random.nextGaussian();
            }
        }
        return x;
    }

    private static double[] centre(double shift) {
        double[] c = new double[16];
        c[0] = 1;
        c[3] = shift;
        return c;
    }

    private static EmbeddingWindow window(EmbeddingReference ref, double[][] x) {
        EmbeddingWindow w = ref.newWindow();
        for (double[] v : x) {
            ref.add(w, v);
        }
        return w;
    }

    @Test
    void shouldCalibrateOnTheReferenceAndFlagAShiftedMean() {
        EmbeddingReference ref = EmbeddingReference.fit(sample(new Random(1), 2000, centre(0)), OPTIONS);
        int flagged = 0;
        for (int i = 0; i < 40; i++) {
            EmbeddingComparison c = ref.compare(window(ref, sample(new Random(100 + i), 200, centre(0))), 0.01);
            if (c.combinedP() <= 0.05) {
                flagged++;
            }
        }
        assertTrue(flagged <= 8, "stationary windows flagged " + flagged + " of 40");
        EmbeddingComparison shifted = ref.compare(window(ref, sample(new Random(9), 200, centre(2.0))), 0.01);
        assertTrue(shifted.meanP() <= 0.01 && shifted.mmdP() <= 0.01, shifted.toString());
        assertTrue(shifted.raw().meanDistance() > shifted.meanThreshold(), shifted.toString());
        assertTrue(shifted.raw().pcaShare() > 0, shifted.toString());
    }

    @Test
    void shouldGiveTheSamePValueAsItsThreshold() {
        double[] sortedNull = new double[199];
        for (int i = 0; i < sortedNull.length; i++) {
            sortedNull[i] = i;
        }
        double t = EmbeddingReference.threshold(sortedNull, 0.01);
        assertTrue(EmbeddingReference.pValue(sortedNull, t + 1e-9) <= 0.01);
        assertTrue(EmbeddingReference.pValue(sortedNull, t) > 0.01);
        assertEquals(1.0, EmbeddingReference.pValue(sortedNull, -1), 0);
        assertEquals(Double.POSITIVE_INFINITY, EmbeddingReference.threshold(sortedNull, 0.001));
    }

    @Test
    void shouldMergeAndReadBackWhatItWrote() throws IOException {
        EmbeddingReference ref = EmbeddingReference.fit(sample(new Random(2), 500, centre(0)), OPTIONS);
        double[][] x = sample(new Random(3), 300, centre(0.5));
        EmbeddingWindow whole = window(ref, x);
        EmbeddingWindow a = window(ref, java.util.Arrays.copyOfRange(x, 0, 120));
        EmbeddingWindow b = window(ref, java.util.Arrays.copyOfRange(x, 120, 300));
        EmbeddingWindow merged = read(write(a)).merge(read(write(b)));
        EmbeddingComparison one = ref.compare(whole, 0.01);
        EmbeddingComparison two = EmbeddingReference.fromBytes(ref.toBytes()).compare(merged, 0.01);
        assertEquals(one.raw().meanDistance(), two.raw().meanDistance(), 1e-12);
        assertEquals(one.raw().mmd2(), two.raw().mmd2(), 1e-12);
        assertEquals(one.raw().driftedComponents(), two.raw().driftedComponents());
        assertEquals(one.mmdP(), two.mmdP(), 0);
        assertArrayEquals(ref.toBytes(), EmbeddingReference.fromBytes(ref.toBytes()).toBytes());
    }

    @Test
    void shouldKeepAWindowOfTheSameSizeWhateverItsCount() throws IOException {
        EmbeddingReference ref = EmbeddingReference.fit(sample(new Random(4), 300, centre(0)), OPTIONS);
        int small = write(window(ref, sample(new Random(5), 10, centre(0)))).length;
        int large = write(window(ref, sample(new Random(6), 5000, centre(0)))).length;
        assertEquals(small, large);
    }

    @Test
    void shouldCountVectorsOfAnotherDimensionApart() {
        EmbeddingReference ref = EmbeddingReference.fit(sample(new Random(4), 300, centre(0)), OPTIONS);
        EmbeddingWindow w = ref.newWindow();
        ref.add(w, new double[3]);
        ref.add(w, new double[16]);
        assertEquals(1, w.count());
        assertEquals(1, w.mismatched());
        assertThrows(IllegalArgumentException.class, () -> EmbeddingReference.fit(new double[][] {{1, 2}}, OPTIONS));
    }

    static byte[] write(EmbeddingWindow w) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        w.write(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    private static EmbeddingWindow read(byte[] bytes) throws IOException {
        return EmbeddingWindow.read(new DataInputStream(new ByteArrayInputStream(bytes)));
    }
}
