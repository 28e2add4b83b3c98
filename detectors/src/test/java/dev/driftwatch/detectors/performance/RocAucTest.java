package dev.driftwatch.detectors.performance;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exact AUC against scipy's Mann-Whitney U on the cases of generate_performance.py, and its limit cases. */
class RocAucTest {
    @Test
    void shouldMatchScipysMannWhitneyOnEveryCase() throws IOException {
        for (ScoreSummaryTest.Case c : ScoreSummaryTest.cases()) {
            double[] scores = new double[c.rows().size()];
            boolean[] positive = new boolean[scores.length];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = c.rows().get(i)[0];
                positive[i] = c.rows().get(i)[1] == 1;
            }
            assertEquals(c.expect()[0], RocAuc.exact(scores, positive), 1e-12, c.name());
        }
    }

    @Test
    void shouldGiveOneForPerfectRankingHalfForTiesAndNanForOneClass() {
        assertEquals(1.0, RocAuc.exact(new double[]{0.1, 0.2, 0.8, 0.9}, new boolean[]{false, false, true, true}));
        assertEquals(0.0, RocAuc.exact(new double[]{0.1, 0.2, 0.8, 0.9}, new boolean[]{true, true, false, false}));
        assertEquals(0.5, RocAuc.exact(new double[]{0.3, 0.3, 0.3}, new boolean[]{true, false, false}));
        assertTrue(Double.isNaN(RocAuc.exact(new double[]{0.3, 0.4}, new boolean[]{true, true})));
        assertThrows(IllegalArgumentException.class, () -> RocAuc.exact(new double[]{0.3}, new boolean[0]));
    }

    @Test
    void shouldGiveHanleyMcNeilsStandardError() {
        // A = 0.5, P = 10, N = 20: Q1 = Q2 = 1/3, variance (0.25 + 9/12 + 19/12) / 200.
        assertEquals(Math.sqrt((0.25 + 9.0 / 12 + 19.0 / 12) / 200), RocAuc.standardError(0.5, 10, 20), 1e-12);
        assertEquals(0.0, RocAuc.standardError(1.0, 10, 20), 1e-12);
        assertTrue(Double.isNaN(RocAuc.standardError(0.7, 0, 20)));
    }
}
