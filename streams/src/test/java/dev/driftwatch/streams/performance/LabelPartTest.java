package dev.driftwatch.streams.performance;

import dev.driftwatch.detectors.performance.ConfusionCounts;
import dev.driftwatch.detectors.performance.RegressionErrors;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A window's labelled predictions: written and read back, merged across partitions. */
class LabelPartTest {
    @Test
    void shouldReadBackWhatItWroteAndMerge() throws IOException {
        LabelPart a = new LabelPart(new ConfusionCounts(2),
                new RegressionErrors(), 1, 0);
        a.classes().addPrediction("cat", "cat");
        a.classes().addPrediction("dog", "cat");
        a.classes().addPrediction("eel", "eel");
        a.errors().add(3, 1);
        LabelPart b = read(write(a));
        assertEquals(write(a).length, write(b).length);
        assertEquals(a.classes().toString(), b.classes().toString());
        assertEquals(2.0 / 3, b.classes().accuracy(), 1e-12);
        assertEquals(2.0, b.errors().mae(), 0.0);
        assertEquals(1, b.unpredictedClasses());
        a.merge(b);
        assertEquals(6, a.classes().total());
        assertEquals(4, a.classes().correct());
        assertEquals(2, a.errors().count());
        assertEquals(2, a.unpredictedClasses());
    }

    @Test
    void shouldRejectAnImpossiblePart() throws IOException {
        LabelPart a = new LabelPart(new ConfusionCounts(2),
                new RegressionErrors(), 0, 0);
        byte[] bytes = write(a);
        bytes[4] = 0; // at most 0 classes
        assertThrows(IOException.class, () -> read(bytes));
    }

    private static byte[] write(LabelPart p) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(out)) {
            p.write(d);
        }
        return out.toByteArray();
    }

    private static LabelPart read(byte[] b) throws IOException {
        return LabelPart.read(new DataInputStream(new ByteArrayInputStream(b)));
    }
}
