package dev.driftwatch.streams.performance;

import dev.driftwatch.detectors.performance.ScoreSummary;
import dev.driftwatch.detectors.policy.Severity;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A window's performance against its baseline, or against a calibrated model and the limits without one. */
class PerformanceVerdictTest {
    private static final PerformanceSettings SETTINGS = PerformanceSettings.enabledWithDefaults();

    /** n labelled scores in [0.05, 0.5], clicked with probability factor·score; ranked when {@code ranked}. */
    private static ScoreSummary window(int n, double factor, boolean ranked, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        ScoreSummary s = new ScoreSummary(100);
        for (int i = 0; i < n; i++) {
            double score = 0.05 + 0.45 * r.nextDouble();
            double truth = ranked ? score : 0.05 + 0.45 * r.nextDouble();
            s.addScore(score);
            s.addLabelled(score, r.nextDouble() < factor * truth);
        }
        return s;
    }

    private static PerformanceBaseline reference(ScoreSummary s) {
        return new PerformanceBaseline("bl-ref", "test", s.labelled(), s.positives(), s.expectedPositives(),
                s.rocAuc(), s.rocAucErrorBound(), s.logLoss(), s.brier());
    }

    @Test
    void shouldJudgeAsBeforeWithoutABaseline() {
        ScoreSummary half = window(2000, 0.5, true, 1);
        PerformanceVerdict v = PerformanceVerdict.of(half, SETTINGS, null);
        assertEquals(half.calibration(), v.calibration(), 1e-12);
        assertEquals(half.calibrationPValue(), v.calibrationP(), 1e-12);
        assertEquals(Severity.WARNING, v.calibrationLevel(), "half the predicted clicks: |0.5 - 1| >= 0.2");
        assertEquals(false, v.aucChecked(), "no AUC limit without a baseline or performance.auc.min");
        assertEquals(false, v.logLossChecked());
    }

    @Test
    void shouldJudgeCalibrationRelativeToTheReferences() {
        // The model was as over-confident on the reference: the window is as calibrated as the reference.
        PerformanceBaseline overConfident = reference(window(20_000, 0.5, true, 2));
        PerformanceVerdict same = PerformanceVerdict.of(window(2000, 0.5, true, 3), SETTINGS, overConfident);
        assertEquals(Severity.NONE, same.calibrationLevel(), "relative calibration " + same.calibration());
        assertEquals(1.0, same.calibration(), 0.15);
        assertEquals(0.5, same.referenceCalibration(), 0.05);
        // Against the same reference, a window whose clicks now match its scores is off by about +100 %.
        PerformanceVerdict calibrated = PerformanceVerdict.of(window(2000, 1.0, true, 4), SETTINGS, overConfident);
        assertEquals(Severity.CRITICAL, calibrated.calibrationLevel(), "relative calibration " + calibrated.calibration());
        assertTrue(calibrated.calibrationP() < 1e-6);
    }

    @Test
    void shouldFireOnASignificantAucDropFromTheReferenceOnly() {
        PerformanceBaseline ranked = reference(window(20_000, 1.0, true, 5));
        assertTrue(ranked.rocAuc() > 0.65, "the reference ranks: " + ranked.rocAuc());
        PerformanceVerdict same = PerformanceVerdict.of(window(2000, 1.0, true, 6), SETTINGS, ranked);
        assertTrue(same.aucChecked());
        assertEquals(Severity.NONE, same.aucLevel(), "p " + same.aucP());
        assertEquals(ranked.rocAuc() - PerformanceSettings.DEFAULT_AUC_DROP, same.aucThreshold(), 1e-12);
        ScoreSummary random = window(2000, 1.0, false, 7);
        PerformanceVerdict lost = PerformanceVerdict.of(random, SETTINGS, ranked);
        assertEquals(Severity.WARNING, lost.aucLevel(), "AUC " + random.rocAuc() + ", p " + lost.aucP());
        assertTrue(lost.aucP() < PerformanceSettings.DEFAULT_AUC_ALPHA);
        // Too few labelled requests: not judged, whatever the values.
        PerformanceVerdict small = PerformanceVerdict.of(window(100, 1.0, false, 8), SETTINGS, ranked);
        assertEquals(Severity.NONE, small.aucLevel());
        assertEquals(false, small.judged());
    }

    @Test
    void shouldFireOnALogLossAboveTheReferencesByTheRise() {
        PerformanceBaseline ranked = reference(window(20_000, 1.0, true, 9));
        PerformanceVerdict same = PerformanceVerdict.of(window(2000, 1.0, true, 10), SETTINGS, ranked);
        assertEquals(Severity.NONE, same.logLossLevel());
        assertEquals(ranked.logLoss() * 1.2, same.logLossThreshold(), 1e-12);
        // Twice the clicks the scores predict: a larger log loss than 1.2 times the reference's.
        ScoreSummary doubled = window(2000, 2.0, true, 11);
        assertTrue(doubled.logLoss() > 1.2 * ranked.logLoss(), doubled.logLoss() + " vs " + ranked.logLoss());
        assertEquals(Severity.WARNING, PerformanceVerdict.of(doubled, SETTINGS, ranked).logLossLevel());
    }
}
