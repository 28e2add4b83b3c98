package dev.driftwatch.streams.roles;

import dev.driftwatch.detectors.ColumnComparison;
import dev.driftwatch.detectors.DriftTest;
import dev.driftwatch.detectors.DriftTests;
import dev.driftwatch.detectors.TestResult;
import dev.driftwatch.detectors.summary.WindowPairComparisons;
import dev.driftwatch.schemas.avro.RoleComparison;
import dev.driftwatch.schemas.avro.RoleStatistic;
import dev.driftwatch.streams.internals.Subjects;
import dev.driftwatch.streams.internals.WindowBundle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns the {@link RolePairs} of a candidate's merged window into {@link RoleComparison} records, one per
 * primary version it was paired with (or one without a primary when none of its events found one).
 *
 * <p>On the paired requests, the candidate's scores are tested against the primary's on the primary
 * version's {@code output.score} baseline: PSI (exact on its bins), KS D with its p-value and error bound,
 * Wasserstein with its error bound (see {@link WindowPairComparisons}); the labels by PSI and chi-square on
 * their categories. The candidate <em>differs</em> when it has at least {@code roles.min.paired.requests}
 * paired requests and a PSI reaches {@code roles.psi.threshold}, the KS D reaches {@code roles.ks.threshold},
 * or its agreement rate falls below {@code roles.agreement.min}.
 */
public final class RoleComparisons {
    /** The primaryVersion of a comparison of a window whose candidate events found no primary. */
    public static final String NO_PRIMARY = "(none)";

    private RoleComparisons() {
    }

    /** The comparisons of a merged window; empty when the window has no role pairs or roles are disabled. */
    public static List<RoleComparison> of(WindowBundle bundle, RoleSettings settings) {
        if (!settings.enabled() || !(bundle.part(RolePairs.NAME) instanceof RolePairs part)
                || part.candidateRole() == null) {
            return List.of();
        }
        List<RoleComparison> out = new ArrayList<>();
        for (Map.Entry<String, RolePairs.Pairs> e : part.byPrimary().entrySet()) {
            out.add(compare(bundle, part, e.getKey(), e.getValue(), settings));
        }
        if (out.isEmpty()) {
            out.add(compare(bundle, part, NO_PRIMARY, null, settings));
        }
        return out;
    }

    /** The record key: model/candidateVersion, with @segment when windows are segmented. */
    public static String key(RoleComparison c) {
        return c.getModelId() + "/" + c.getCandidateVersion() + ("*".equals(c.getSegment()) ? "" : "@" + c.getSegment());
    }

    private static RoleComparison compare(WindowBundle b, RolePairs part, String primaryVersion,
                                          RolePairs.Pairs pairs, RoleSettings s) {
        List<RoleStatistic> statistics = new ArrayList<>();
        long paired = pairs == null ? 0 : pairs.paired();
        long comparable = pairs == null ? 0 : pairs.paired() - pairs.incomparable();
        Double rate = comparable > 0 ? pairs.agreeing() / (double) comparable : null;
        if (pairs != null) {
            scoreStatistics(pairs, primaryVersion, s, statistics);
            labelStatistics(pairs, s, statistics);
        }
        boolean enough = paired >= s.minPairs();
        boolean differs = enough && (statistics.stream().anyMatch(RoleStatistic::getOverThreshold)
                || rate != null && rate < s.minAgreement());
        return RoleComparison.newBuilder()
                .setModelId(b.modelId())
                .setCandidateVersion(b.modelVersion())
                .setCandidateRole(part.candidateRole())
                .setPrimaryVersion(primaryVersion)
                .setSegment(b.segment())
                .setWindowStart(Instant.ofEpochMilli(b.windowStart()))
                .setWindowEnd(Instant.ofEpochMilli(b.windowEnd()))
                .setPairedRequests(paired)
                .setAgreeingRequests(pairs == null ? 0 : pairs.agreeing())
                .setIncomparableRequests(pairs == null ? 0 : pairs.incomparable())
                .setAgreementRate(rate)
                .setAgreementRule(s.agreementRule())
                .setUnpairedCandidate(part.unpaired())
                .setScoredPairs(pairs == null ? 0 : pairs.scoredPairs())
                .setLabelledPairs(pairs == null ? 0 : pairs.primaryLabels().count())
                .setBaselineId(pairs == null || pairs.mixedBaselines() ? null : pairs.baselineId())
                .setStatistics(statistics)
                .setDiffers(differs)
                .build();
    }

    private static void scoreStatistics(RolePairs.Pairs pairs, String primaryVersion, RoleSettings s,
                                        List<RoleStatistic> out) {
        if (pairs.scorePairs() == 0) {
            return;
        }
        if (pairs.scoredPairs() == 0) {
            String reason = pairs.mixedBaselines()
                    ? "the output.score baseline of primary version " + primaryVersion + " changed during the window,"
                            + " so the paired scores are not on one grid"
                    : "primary version " + primaryVersion + " has no output.score baseline: the score tests need its"
                            + " bins (publish or capture one)";
            out.add(undefined(Subjects.SCORE, DriftTests.PSI, reason));
            return;
        }
        ColumnComparison c = WindowPairComparisons.numeric(pairs.primaryScores(), pairs.candidateScores());
        out.add(statistic(Subjects.SCORE, c.test(DriftTests.PSI), s.psiThreshold(), null));
        out.add(statistic(Subjects.SCORE, c.test(DriftTests.KS), s.ksThreshold(),
                WindowPairComparisons.ksErrorBound(pairs.primaryScores(), pairs.candidateScores())));
        double wBound = WindowPairComparisons.wassersteinErrorBound(pairs.primaryScores(), pairs.candidateScores());
        out.add(statistic(Subjects.SCORE, c.test(DriftTests.WASSERSTEIN), null, Double.isNaN(wBound) ? null : wBound));
    }

    private static void labelStatistics(RolePairs.Pairs pairs, RoleSettings s, List<RoleStatistic> out) {
        if (pairs.primaryLabels().count() == 0) {
            return;
        }
        ColumnComparison c = WindowPairComparisons.categorical(pairs.primaryLabels(), pairs.candidateLabels());
        out.add(statistic(Subjects.LABEL, c.test(DriftTests.PSI), s.psiThreshold(), null));
        out.add(statistic(Subjects.LABEL, c.test(DriftTests.CHI_SQUARE), null, null));
    }

    private static RoleStatistic statistic(String output, TestResult r, Double threshold, Double errorBound) {
        boolean over = threshold != null && r.isDefined() && r.statistic() >= threshold;
        return RoleStatistic.newBuilder()
                .setOutput(output)
                .setTest(r.test().name())
                .setValue(r.statistic())
                .setPValue(r.pValue())
                .setThreshold(threshold)
                .setOverThreshold(over)
                .setErrorBound(errorBound)
                .setUndefinedReason(r.undefinedReason())
                .build();
    }

    private static RoleStatistic undefined(String output, DriftTest test, String reason) {
        return RoleStatistic.newBuilder()
                .setOutput(output)
                .setTest(test.name())
                .setValue(null)
                .setPValue(null)
                .setThreshold(null)
                .setOverThreshold(false)
                .setErrorBound(null)
                .setUndefinedReason(reason)
                .build();
    }
}
