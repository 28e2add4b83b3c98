package dev.driftwatch.detectors.performance;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Realized and estimated performance against numpy/scipy on the cases written by
 * {@code src/test/resources/performance/generate_performance.py} (a calibrated and an over-confident model,
 * tied scores on coarse bins, perfect separation). Tolerances 1e-9 absolute (1e-9 relative for the p-value);
 * the binned AUC is also checked to lie within its stated bound of the exact AUC.
 */
class ScoreSummaryTest {
    record Case(String name, int bins, List<double[]> rows, double[] expect) {
    }

    static List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (InputStream in = ScoreSummaryTest.class.getResourceAsStream("/performance/performance.txt")) {
            String name = null;
            int bins = 0;
            List<double[]> rows = null;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
                String[] t = line.split(" ");
                switch (t[0]) {
                    case "case" -> {
                        name = t[1];
                        bins = Integer.parseInt(t[2]);
                        rows = new ArrayList<>();
                    }
                    case "row" -> rows.add(new double[]{Double.parseDouble(t[1]), Double.parseDouble(t[2])});
                    case "expect" -> {
                        double[] e = new double[t.length - 1];
                        for (int i = 1; i < t.length; i++) {
                            e[i - 1] = Double.parseDouble(t[i]);
                        }
                        cases.add(new Case(name, bins, rows, e));
                    }
                    default -> {
                    }
                }
            }
        }
        return cases;
    }

    @Test
    void shouldMatchNumpyAndScipyOnEveryCase() throws IOException {
        List<Case> cases = cases();
        assertEquals(4, cases.size());
        for (Case c : cases) {
            ScoreSummary s = new ScoreSummary(c.bins());
            for (double[] r : c.rows()) {
                s.addScore(r[0]);
                s.addLabelled(r[0], r[1] == 1);
            }
            double[] e = c.expect();
            String n = c.name();
            assertTrue(Math.abs(s.rocAuc() - e[0]) <= s.rocAucErrorBound() + 1e-12, n + ": binned AUC within its bound");
            assertEquals(e[1], s.rocAuc(), 1e-9, n + " binned AUC");
            assertEquals(e[2], s.rocAucErrorBound(), 1e-9, n + " bound");
            assertEquals(e[3], s.logLoss(), 1e-9, n + " log loss");
            assertEquals(e[4], s.brier(), 1e-9, n + " Brier");
            assertEquals(e[5], s.accuracy(), 1e-12, n + " accuracy");
            assertEquals(e[6], s.calibration(), 1e-9, n + " calibration");
            assertEquals(e[7], s.calibrationZ(), 1e-9, n + " z");
            assertEquals(e[8], s.calibrationPValue(), 1e-9 * e[8] + 1e-300, n + " p");
            assertEquals(e[9], s.expectedAccuracy(), 1e-9, n + " expected accuracy");
            assertEquals(e[10], s.expectedRocAuc(), 1e-9, n + " expected AUC");
        }
    }

    @Test
    void shouldMergeToTheSummaryOfAllScoresAndSurviveARestore() throws IOException {
        Case c = cases().get(1);
        ScoreSummary whole = new ScoreSummary(c.bins());
        ScoreSummary a = new ScoreSummary(c.bins());
        ScoreSummary b = new ScoreSummary(c.bins());
        for (int i = 0; i < c.rows().size(); i++) {
            double[] r = c.rows().get(i);
            for (ScoreSummary s : List.of(whole, i % 3 == 0 ? a : b)) {
                s.addScore(r[0]);
                s.addLabelled(r[0], r[1] == 1);
            }
        }
        ScoreSummary merged = ScoreSummary.restore(a.allCounts(), a.allScoreSums(), a.positiveCounts(),
                a.negativeCounts(), a.sums(), a.invalid()).merge(b);
        assertEquals(whole.rocAuc(), merged.rocAuc(), 1e-12);
        assertEquals(whole.logLoss(), merged.logLoss(), 1e-12);
        assertEquals(whole.calibration(), merged.calibration(), 1e-12);
        assertEquals(whole.expectedRocAuc(), merged.expectedRocAuc(), 1e-12);
        assertEquals(whole.accuracy(), merged.accuracy(), 0.0);
        assertEquals(whole.labelled(), merged.labelled());
    }

    @Test
    void shouldCountInvalidScoresApartAndRefuseBadBins() {
        ScoreSummary s = new ScoreSummary(10);
        s.addScore(Double.NaN);
        s.addLabelled(1.5, true);
        s.addLabelled(-0.1, false);
        assertEquals(3, s.invalid());
        assertEquals(0, s.labelled());
        assertTrue(Double.isNaN(s.rocAuc()));
        assertTrue(Double.isNaN(s.calibration()));
        assertThrows(IllegalArgumentException.class, () -> new ScoreSummary(0));
        assertThrows(IllegalArgumentException.class, () -> new ScoreSummary(5).merge(new ScoreSummary(6)));
    }
}
