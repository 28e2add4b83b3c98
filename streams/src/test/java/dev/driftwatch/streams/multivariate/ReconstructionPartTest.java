package dev.driftwatch.streams.multivariate;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The multivariate window part: exact merging, its codec, and events of another baseline counted apart. */
class ReconstructionPartTest {
    private static ReconstructionPart roundTrip(ReconstructionPart p) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        p.write(new DataOutputStream(bytes));
        return ReconstructionPart.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    }

    @Test
    void shouldMergeToTheSameSumWhateverTheOrderAndSurviveItsCodec() throws IOException {
        Random rnd = new Random(5);
        ReconstructionPart whole = new ReconstructionPart("bl-1", 4);
        ReconstructionPart a = new ReconstructionPart("bl-1", 4);
        ReconstructionPart b = new ReconstructionPart("bl-1", 4);
        for (int i = 0; i < 1_000; i++) {
            double e = rnd.nextDouble() * 3;
            int bin = (int) e;
            whole.add("bl-1", e, bin);
            (i % 2 == 0 ? a : b).add("bl-1", e, bin);
        }
        ReconstructionPart ab = (ReconstructionPart) roundTrip(a).merge(roundTrip(b));
        ReconstructionPart ba = (ReconstructionPart) roundTrip(b).merge(roundTrip(a));
        assertEquals(whole.count(), ab.count());
        assertEquals(whole.mean(), ab.mean(), 0.0, "the sum is exact in nano-units");
        assertEquals(ab.mean(), ba.mean(), 0.0);
        assertEquals(whole.stdDev(), ab.stdDev(), 1e-12);
        assertArrayEquals(whole.bins(), ab.bins());
    }

    @Test
    void shouldCountEventsOfAnotherBaselineApart() {
        ReconstructionPart p = new ReconstructionPart("bl-1", 3);
        p.add("bl-2", 1.0, 0);
        p.add("bl-1", 1.0, 1);
        ReconstructionPart other = new ReconstructionPart("bl-2", 3);
        other.add("bl-2", 2.0, 2);
        ReconstructionPart merged = (ReconstructionPart) p.merge(other);
        assertEquals("bl-1", merged.baselineId(), "ties keep this part's baseline");
        assertEquals(1, merged.count());
        assertEquals(2, merged.otherBaseline());
    }

    @Test
    void shouldFitABaselineWhoseIdChangesWithTheModel() {
        Random rnd = new Random(9);
        double[] x = new double[600];
        double[] y = new double[600];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextGaussian();
            y[i] = x[i] + 0.3 * rnd.nextGaussian();
        }
        MultivariateBaseline a = MultivariateBaseline.fit("m", "1", Map.of("x", x, "y", y), Map.of(), 0.9, 100, 10,
                "test", null, null);
        MultivariateBaseline same = MultivariateBaseline.fit("m", "1", Map.of("x", x, "y", y), Map.of(), 0.9, 100, 10,
                "test", null, null);
        MultivariateBaseline other = MultivariateBaseline.fit("m", "1", Map.of("x", x, "y", y), Map.of(), 0.99, 100,
                10, "test", null, null);
        assertEquals(a.id(), same.id());
        assertEquals(MultivariateBaseline.SUBJECT, a.avro().getFeature());
        assertEquals(600L, a.avro().getMultivariate().getReferenceRows());
        assertEquals(6, a.windows().chunks());
        assertEquals(false, a.id().equals(other.id()), "another share keeps another model");
        MultivariateBaseline read = MultivariateBaseline.from(a.avro());
        Map<String, Double> row = Map.of("x", 1.0, "y", -1.0);
        assertEquals(a.model().error(row, Map.of()), read.model().error(row, Map.of()), 0.0);
        assertEquals(a.windows(), read.windows());
    }
}
