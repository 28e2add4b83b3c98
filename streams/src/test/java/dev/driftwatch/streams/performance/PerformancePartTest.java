package dev.driftwatch.streams.performance;

import dev.driftwatch.detectors.performance.ScoreSummary;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The performance window part's codec and merge. */
class PerformancePartTest {
    @Test
    void shouldGiveTheSameMeasuresAfterItsCodecAndAMerge() throws IOException {
        Random rnd = new Random(1);
        ScoreSummary whole = new ScoreSummary(20);
        PerformancePart a = new PerformancePart(new ScoreSummary(20));
        PerformancePart b = new PerformancePart(new ScoreSummary(20));
        for (int i = 0; i < 500; i++) {
            double s = rnd.nextDouble();
            boolean y = rnd.nextDouble() < s;
            whole.addScore(s);
            whole.addLabelled(s, y);
            ScoreSummary part = (i % 2 == 0 ? a : b).scores();
            part.addScore(s);
            part.addLabelled(s, y);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        a.write(new DataOutputStream(bytes));
        PerformancePart read = PerformancePart.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        ScoreSummary merged = ((PerformancePart) read.merge(b)).scores();
        assertEquals(whole.rocAuc(), merged.rocAuc(), 1e-12);
        assertEquals(whole.logLoss(), merged.logLoss(), 1e-12);
        assertEquals(whole.calibration(), merged.calibration(), 1e-12);
        assertEquals(whole.expectedAccuracy(), merged.expectedAccuracy(), 1e-12);
        assertEquals(whole.accuracy(), merged.accuracy(), 0.0);
        assertEquals(500, merged.labelled());
    }
}
