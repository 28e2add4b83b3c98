package dev.driftwatch.streams.performance;

import dev.driftwatch.detectors.performance.RocAuc;
import dev.driftwatch.detectors.performance.ScoreSummary;
import dev.driftwatch.detectors.policy.Severity;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * A window's realized performance judged against its reference: the model version's performance baseline when
 * there is one, else a calibrated model (calibration 1) and the configured absolute limits.
 * <ul>
 *   <li><b>calibration</b>: the window's calibration relative to the reference's, c = (O / Σp) / c_ref, tested
 *       with z = (O − c_ref·Σp) / √(c_ref·Σp − c_ref²·Σp²), the normal approximation of the clicks of a model
 *       whose true probabilities are c_ref·p (c_ref = 1 without a baseline: then exactly
 *       {@link ScoreSummary#calibrationZ()}); degraded when p ≤ alpha and |c − 1| ≥ the warning (CRITICAL from the
 *       critical distance);</li>
 *   <li><b>ROC AUC</b>: below {@code performance.auc.min}, or at least {@code performance.auc.drop} below the
 *       reference's with the one-sided z = drop / √(se_w² + se_ref²) (Hanley-McNeil) significant at
 *       {@code performance.auc.alpha};</li>
 *   <li><b>log loss</b>: above {@code performance.log.loss.max}, or above the reference's times
 *       1 + {@code performance.log.loss.rise}.</li>
 * </ul>
 *
 * @param judged           whether the window had enough labelled requests to be judged
 * @param calibration      the relative calibration c (NaN when undefined)
 * @param calibrationP     its test's two-sided p-value (NaN when undefined)
 * @param calibrationLevel its severity
 * @param aucChecked       whether any AUC limit applies
 * @param aucThreshold     the AUC below which the window is degraded (the larger of the two limits that apply)
 * @param aucP             the AUC test's one-sided p-value against the reference (NaN without one)
 * @param aucLevel         its severity
 * @param logLossChecked   whether any log-loss limit applies
 * @param logLossThreshold the log loss above which the window is degraded (the smaller of the two limits)
 * @param logLossLevel     its severity
 * @param baseline         the reference, or null
 */
public record PerformanceVerdict(boolean judged, double calibration, double calibrationP, Severity calibrationLevel,
                                 boolean aucChecked, double aucThreshold, double aucP, Severity aucLevel,
                                 boolean logLossChecked, double logLossThreshold, Severity logLossLevel,
                                 PerformanceBaseline baseline) {
    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

    /** Judges a window's scores under the settings against the baseline (null: none). */
    public static PerformanceVerdict of(ScoreSummary s, PerformanceSettings settings, PerformanceBaseline baseline) {
        boolean judged = s.labelled() >= settings.minLabelled();
        double reference = baseline == null || !(baseline.calibration() > 0) ? 1.0 : baseline.calibration();
        double sum = s.expectedPositives();
        double calibration = sum > 0 ? s.positives() / sum / reference : Double.NaN;
        double squares = sum - s.expectedPositivesVariance();
        double variance = reference * sum - reference * reference * squares;
        double z = variance > 0 ? (s.positives() - reference * sum) / Math.sqrt(variance) : Double.NaN;
        double calibrationP = Double.isNaN(z) ? Double.NaN
                : Math.min(1.0, 2 * NORMAL.cumulativeProbability(-Math.abs(z)));
        double off = Math.abs(calibration - 1);
        Severity calibrationLevel = Severity.NONE;
        if (judged && calibrationP <= settings.alpha() && off >= settings.calibrationWarning()) {
            calibrationLevel = off >= settings.calibrationCritical() ? Severity.CRITICAL : Severity.WARNING;
        }

        double auc = s.rocAuc();
        boolean againstReference = baseline != null && settings.aucDrop() > 0 && !Double.isNaN(baseline.rocAuc());
        double aucThreshold = settings.aucMin() > 0 ? settings.aucMin() : Double.NaN;
        double aucP = Double.NaN;
        boolean aucLow = settings.aucMin() > 0 && auc < settings.aucMin();
        if (againstReference) {
            double limit = baseline.rocAuc() - settings.aucDrop();
            aucThreshold = Double.isNaN(aucThreshold) ? limit : Math.max(aucThreshold, limit);
            long positives = s.positives();
            double se = Math.hypot(RocAuc.standardError(auc, positives, s.labelled() - positives),
                    RocAuc.standardError(baseline.rocAuc(), baseline.positives(),
                            baseline.labelled() - baseline.positives()));
            if (se > 0) {
                aucP = NORMAL.cumulativeProbability(-(baseline.rocAuc() - auc) / se);
            }
            aucLow |= auc <= limit && aucP <= settings.aucAlpha();
        }
        Severity aucLevel = judged && aucLow ? Severity.WARNING : Severity.NONE;

        double logLoss = s.logLoss();
        boolean riseChecked = baseline != null && settings.logLossRise() > 0 && baseline.logLoss() > 0;
        double logLossThreshold = settings.logLossMax() > 0 ? settings.logLossMax() : Double.NaN;
        if (riseChecked) {
            double limit = baseline.logLoss() * (1 + settings.logLossRise());
            logLossThreshold = Double.isNaN(logLossThreshold) ? limit : Math.min(logLossThreshold, limit);
        }
        Severity logLossLevel = judged && !Double.isNaN(logLossThreshold) && logLoss > logLossThreshold
                ? Severity.WARNING : Severity.NONE;
        return new PerformanceVerdict(judged, calibration, calibrationP, calibrationLevel,
                !Double.isNaN(aucThreshold), aucThreshold, aucP, aucLevel, !Double.isNaN(logLossThreshold),
                logLossThreshold, logLossLevel, baseline);
    }

    /** The reference calibration the window's is relative to: the baseline's, or 1. */
    public double referenceCalibration() {
        return baseline == null || !(baseline.calibration() > 0) ? 1.0 : baseline.calibration();
    }
}
