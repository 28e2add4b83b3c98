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
 * {@link ConfusionCounts} (accuracy, macro-F1, with and without overflow into "other") and {@link RegressionErrors}
 * (MAE, RMSE, bias) against numpy on the cases written by {@code src/test/resources/performance/generate_labels.py};
 * tolerance 1e-9 absolute. Merging halves in either order gives the same metrics.
 */
class LabelMetricsTest {
    private record Case(String name, String kind, int k, List<String[]> rows, double[] expect) {
    }

    private static List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (InputStream in = LabelMetricsTest.class.getResourceAsStream("/performance/labels.txt")) {
            String[] head = null;
            List<String[]> rows = null;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
                String[] t = line.split(" ");
                switch (t[0]) {
                    case "case" -> {
                        head = t;
                        rows = new ArrayList<>();
                    }
                    case "row" -> rows.add(new String[]{t[1], t[2]});
                    case "expect" -> {
                        double[] e = new double[t.length - 1];
                        for (int i = 1; i < t.length; i++) {
                            e[i - 1] = Double.parseDouble(t[i]);
                        }
                        cases.add(new Case(head[1], head[2], Integer.parseInt(head[3]), rows, e));
                    }
                    default -> {
                    }
                }
            }
        }
        return cases;
    }

    @Test
    void shouldMatchNumpyOnEveryCase() throws IOException {
        List<Case> cases = cases();
        assertEquals(5, cases.size());
        for (Case c : cases) {
            if (c.kind().equals("classification")) {
                ConfusionCounts whole = new ConfusionCounts(c.k());
                ConfusionCounts first = new ConfusionCounts(c.k());
                ConfusionCounts second = new ConfusionCounts(c.k());
                for (int i = 0; i < c.rows().size(); i++) {
                    String[] r = c.rows().get(i);
                    whole.addPrediction(r[0], r[1]);
                    (i % 3 == 0 ? first : second).addPrediction(r[0], r[1]);
                }
                assertEquals(c.expect()[0], whole.accuracy(), 1e-9, c.name());
                assertEquals(c.expect()[1], whole.macroF1(), 1e-9, c.name());
                assertEquals(c.rows().size(), whole.total(), c.name());
                assertTrue(whole.classes().size() <= c.k(), c.name());
                ConfusionCounts ab = copy(first);
                ab.merge(second);
                ConfusionCounts ba = copy(second);
                ba.merge(first);
                for (ConfusionCounts m : List.of(ab, ba)) {
                    assertEquals(whole.classes(), m.classes(), c.name());
                    assertEquals(c.expect()[0], m.accuracy(), 1e-9, c.name());
                    assertEquals(c.expect()[1], m.macroF1(), 1e-9, c.name());
                }
            } else {
                RegressionErrors whole = new RegressionErrors();
                RegressionErrors first = new RegressionErrors();
                RegressionErrors second = new RegressionErrors();
                for (int i = 0; i < c.rows().size(); i++) {
                    double truth = Double.parseDouble(c.rows().get(i)[0]);
                    double predicted = Double.parseDouble(c.rows().get(i)[1]);
                    whole.add(predicted, truth);
                    (i % 2 == 0 ? first : second).add(predicted, truth);
                }
                first.merge(second);
                for (RegressionErrors r : List.of(whole, first)) {
                    assertEquals(c.expect()[0], r.mae(), 1e-9, c.name());
                    assertEquals(c.expect()[1], r.rmse(), 1e-9, c.name());
                    assertEquals(c.expect()[2], r.bias(), 1e-9, c.name());
                    assertEquals(c.rows().size(), r.count());
                }
            }
        }
    }

    @Test
    void shouldFoldTheLargestNamesIntoOtherWhateverTheOrder() {
        ConfusionCounts c = new ConfusionCounts(2);
        c.addPrediction("zebra", "zebra");
        c.addPrediction("mole", "zebra");
        c.addPrediction("ant", "ant");
        assertEquals(List.of("ant", "mole"), c.classes());
        assertEquals(1, c.count(ConfusionCounts.OTHER, ConfusionCounts.OTHER), "zebra -> zebra went to other");
        assertEquals(1, c.count("mole", ConfusionCounts.OTHER));
        assertEquals(2.0 / 3, c.accuracy(), 1e-12);
        // F1: ant 1, mole 0 (FN 1), other TP 1 FP 1 -> 2/3; mean (1 + 0 + 2/3) / 3
        assertEquals((1 + 0 + 2.0 / 3) / 3, c.macroF1(), 1e-12);
        ConfusionCounts restored = ConfusionCounts.restore(2, c.classes(), c.rows(), c.correct());
        assertEquals(c.macroF1(), restored.macroF1(), 0.0);
        assertEquals(c.toString(), restored.toString());
    }

    @Test
    void shouldGiveNaNWhenEmptyAndRejectImpossibleState() {
        assertTrue(Double.isNaN(new ConfusionCounts(3).accuracy()));
        assertTrue(Double.isNaN(new ConfusionCounts(3).macroF1()));
        assertTrue(Double.isNaN(new RegressionErrors().rmse()));
        assertThrows(IllegalArgumentException.class, () -> new ConfusionCounts(0));
        assertThrows(IllegalArgumentException.class,
                () -> ConfusionCounts.restore(2, List.of("b", "a"), new long[3][3], 0));
        assertThrows(IllegalArgumentException.class, () -> RegressionErrors.restore(1, 0, -1, 0));
        assertEquals(1.0, new ConfusionCounts(2).accuracyBelowPValue(0.9), 0.0);
    }

    @Test
    void shouldTestAnAccuracyBelowItsConfiguredBaseline() {
        ConfusionCounts c = new ConfusionCounts(2);
        for (int i = 0; i < 100; i++) {
            c.addPrediction("a", i < 80 ? "a" : "b");
        }
        // z = (0.8 - 0.9) / sqrt(0.9 * 0.1 / 100) = -3.3333; scipy.stats.norm.cdf(-10/3) = 4.290603331968372e-04
        assertEquals(4.290603331968372e-04, c.accuracyBelowPValue(0.9), 1e-12);
    }

    private static ConfusionCounts copy(ConfusionCounts c) {
        return ConfusionCounts.restore(c.maxClasses(), c.classes(), c.rows(), c.correct());
    }
}
