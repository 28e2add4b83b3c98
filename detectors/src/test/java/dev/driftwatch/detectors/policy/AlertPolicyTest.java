package dev.driftwatch.detectors.policy;

import dev.driftwatch.detectors.TestResult;
import static dev.driftwatch.detectors.DriftTests.CHI_SQUARE;
import static dev.driftwatch.detectors.DriftTests.JS;
import static dev.driftwatch.detectors.DriftTests.KL;
import static dev.driftwatch.detectors.DriftTests.KS;
import static dev.driftwatch.detectors.DriftTests.PSI;
import static dev.driftwatch.detectors.DriftTests.WASSERSTEIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlertPolicyTest {

    private static final double TOLERANCE = 1e-12;

    private final AlertPolicy policy = AlertPolicy.defaults();

    @Test
    void shouldHoldTheDocumentedDefaults() {
        assertEquals(Threshold.of(PSI, 0.1, 0.25), policy.threshold(PSI));
        assertEquals(Threshold.of(KL, 0.1, 0.25), policy.threshold(KL));
        assertEquals(Threshold.of(JS, 0.1, 0.2), policy.threshold(JS));
        assertEquals(Threshold.of(WASSERSTEIN, 0.1, 0.3), policy.threshold(WASSERSTEIN));
        assertEquals(Set.of(PSI, JS, WASSERSTEIN), policy.decidingTests());
        assertEquals(0.05, policy.alpha(), 0.0);
        assertEquals(Persistence.of(1, 1), policy.persistence());
        assertEquals(0.5, policy.datasetDriftShare(), 0.0);
        assertEquals("default", policy.version());
    }

    @Test
    void shouldDriftOnEffectAloneWhenNoSignificanceTestExists() {
        FeatureVerdict v = policy.evaluate(FeatureStatistics.of("f", TestResult.of(PSI, 0.12)));
        assertTrue(v.isDrifted());
        assertEquals(Severity.WARNING, v.severity());
        assertEquals(List.of(PSI), v.driftedBy());
        assertEquals(SignificanceGate.NOT_AVAILABLE, v.gate());
        assertTrue(v.adjustedPValue().isEmpty());
    }

    @Test
    void shouldNotDriftOnSignificanceAlone() {
        FeatureVerdict v = policy.evaluate(FeatureStatistics.of("f", TestResult.of(KS, 0.3, 1e-40)));
        assertFalse(v.isDrifted());
        assertEquals(Severity.NONE, v.severity());
        assertEquals(List.of(), v.driftedBy());
        assertEquals(SignificanceGate.SIGNIFICANT, v.gate());
    }

    @Test
    void shouldDriftWhenEffectCrossesAndSignificant() {
        FeatureVerdict v = policy.evaluate(FeatureStatistics.of("f",
                TestResult.of(PSI, 0.3), TestResult.of(JS, 0.12), TestResult.of(WASSERSTEIN, 0.05),
                TestResult.of(KS, 0.2, 0.001)));
        assertTrue(v.isDrifted());
        assertEquals(Severity.CRITICAL, v.severity());
        assertEquals(List.of(PSI, JS, KS), v.driftedBy());
        assertEquals(0.001, v.adjustedPValue().getAsDouble(), 0.0);
        assertEquals(Severity.NONE, v.effectSeverities().get(WASSERSTEIN));
    }

    @Test
    void shouldNotDriftWhenEffectCrossesButNotSignificant() {
        FeatureVerdict v = policy.evaluate(FeatureStatistics.of("f",
                TestResult.of(PSI, 0.3), TestResult.of(KS, 0.2, 0.2)));
        assertFalse(v.isDrifted());
        assertEquals(SignificanceGate.NOT_SIGNIFICANT, v.gate());
        assertEquals(List.of(), v.driftedBy());
        assertEquals(Severity.CRITICAL, v.effectSeverities().get(PSI), "still reported for audit");
    }

    @Test
    void shouldTreatAlphaAsInclusive() {
        FeatureStatistics f = FeatureStatistics.of("f", TestResult.of(PSI, 0.3), TestResult.of(KS, 0.2, 0.05));
        assertEquals(SignificanceGate.SIGNIFICANT, policy.evaluate(f).gate());
        FeatureStatistics g = FeatureStatistics.of("g", TestResult.of(PSI, 0.3),
                TestResult.of(KS, 0.2, Math.nextUp(0.05)));
        assertEquals(SignificanceGate.NOT_SIGNIFICANT, policy.evaluate(g).gate());
    }

    @Test
    void shouldNotLetReportOnlyTestsDecide() {
        FeatureVerdict v = policy.evaluate(FeatureStatistics.of("f", TestResult.of(KL, 5.0), TestResult.of(PSI, 0.05)));
        assertFalse(v.isDrifted());
        assertEquals(Severity.CRITICAL, v.effectSeverities().get(KL));
        AlertPolicy withKl = policy.toBuilder().decidingTests(KL).version("kl").build();
        assertEquals(List.of(KL), withKl.evaluate(FeatureStatistics.of("f", TestResult.of(KL, 5.0))).driftedBy());
    }

    @Test
    void shouldNeverCountUndefinedStatistics() {
        FeatureVerdict v = policy.evaluate(FeatureStatistics.of("f",
                TestResult.undefined(WASSERSTEIN, "reference std is 0"), TestResult.of(PSI, 0.01),
                TestResult.of(KS, 0.5, 1e-9)));
        assertFalse(v.isDrifted());
        assertFalse(v.effectSeverities().containsKey(WASSERSTEIN));
    }

    @Test
    void shouldLetEffectDecideWhenSignificanceTestIsUndefined() {
        FeatureVerdict v = policy.evaluate(FeatureStatistics.of("f",
                TestResult.of(JS, 0.25), TestResult.undefined(CHI_SQUARE, "one category")));
        assertTrue(v.isDrifted());
        assertEquals(Severity.CRITICAL, v.severity());
        assertEquals(SignificanceGate.NOT_AVAILABLE, v.gate());
        assertEquals(List.of(JS), v.driftedBy());
    }

    @Test
    void shouldUseTheGivenAdjustedPValue() {
        FeatureStatistics f = FeatureStatistics.of("f", TestResult.of(PSI, 0.2), TestResult.of(KS, 0.2, 0.01));
        assertTrue(policy.evaluate(f, 0.04).isDrifted());
        assertFalse(policy.evaluate(f, 0.06).isDrifted());
        IllegalArgumentException below = assertThrows(IllegalArgumentException.class, () -> policy.evaluate(f, 0.005));
        assertTrue(below.getMessage().contains("0.005"), below.getMessage());
        FeatureStatistics noTest = FeatureStatistics.of("g", TestResult.of(PSI, 0.2));
        assertThrows(IllegalArgumentException.class, () -> policy.evaluate(noTest, 0.01));
    }

    @Test
    void shouldCorrectAcrossFeaturesInEvaluateAll() {
        // Raw p 0.01, 0.03, 0.04, 0.9 (m = 4): m·p/rank = 0.04, 0.06, 0.0533, 0.9; the running
        // minimum from the top gives 0.04, 0.0533, 0.0533, 0.9. Alone, 0.03 and 0.04 would pass.
        List<FeatureStatistics> features = List.of(
                FeatureStatistics.of("a", TestResult.of(PSI, 0.2), TestResult.of(KS, 0.1, 0.01)),
                FeatureStatistics.of("b", TestResult.of(PSI, 0.2), TestResult.of(KS, 0.1, 0.03)),
                FeatureStatistics.of("c", TestResult.of(JS, 0.3), TestResult.of(CHI_SQUARE, 9.0, 0.04)),
                FeatureStatistics.of("d", TestResult.of(PSI, 0.01), TestResult.of(KS, 0.01, 0.9)),
                FeatureStatistics.of("e", TestResult.of(WASSERSTEIN, 0.5)));
        Evaluation evaluation = policy.evaluateAll(features);
        List<FeatureVerdict> v = evaluation.features();
        assertEquals(List.of("a", "b", "c", "d", "e"), v.stream().map(FeatureVerdict::feature).toList());
        assertEquals(0.04, v.get(0).adjustedPValue().getAsDouble(), TOLERANCE);
        assertEquals(0.04 * 4 / 3, v.get(1).adjustedPValue().getAsDouble(), TOLERANCE);
        assertEquals(0.04 * 4 / 3, v.get(2).adjustedPValue().getAsDouble(), TOLERANCE);
        assertEquals(0.9, v.get(3).adjustedPValue().getAsDouble(), TOLERANCE);
        assertTrue(v.get(4).adjustedPValue().isEmpty());

        assertTrue(v.get(0).isDrifted());
        assertEquals(List.of(PSI, KS), v.get(0).driftedBy());
        assertFalse(v.get(1).isDrifted(), "raw p 0.03 passes alone but not after correction");
        assertFalse(v.get(2).isDrifted());
        assertFalse(v.get(3).isDrifted());
        assertTrue(v.get(4).isDrifted());
        assertEquals(Severity.CRITICAL, v.get(4).severity());

        DatasetVerdict dataset = evaluation.dataset();
        assertEquals(2, dataset.driftedFeatures());
        assertEquals(5, dataset.totalFeatures());
        assertEquals(0.4, dataset.share(), TOLERANCE);
        assertFalse(dataset.isDrifted());
        assertEquals("default", evaluation.policyVersion());
    }

    @Test
    void shouldDriftDatasetExactlyAtTheShare() {
        List<FeatureStatistics> features = List.of(
                FeatureStatistics.of("a", TestResult.of(PSI, 0.3)),
                FeatureStatistics.of("b", TestResult.of(PSI, 0.12)),
                FeatureStatistics.of("c", TestResult.of(PSI, 0.0)),
                FeatureStatistics.of("d", TestResult.of(PSI, 0.0)));
        DatasetVerdict atHalf = policy.evaluateAll(features).dataset();
        assertEquals(0.5, atHalf.share(), 0.0);
        assertTrue(atHalf.isDrifted());
        assertEquals(Severity.CRITICAL, atHalf.severity());

        DatasetVerdict justBelow = policy.toBuilder().datasetDriftShare(Math.nextUp(0.5)).build()
                .evaluateAll(features).dataset();
        assertFalse(justBelow.isDrifted());
        assertEquals(Severity.NONE, justBelow.severity());

        DatasetVerdict tenths = policy.toBuilder().datasetDriftShare(0.3).build().evaluateAll(List.of(
                FeatureStatistics.of("1", TestResult.of(PSI, 0.2)), FeatureStatistics.of("2", TestResult.of(PSI, 0.2)),
                FeatureStatistics.of("3", TestResult.of(PSI, 0.2)), FeatureStatistics.of("4"),
                FeatureStatistics.of("5"), FeatureStatistics.of("6"), FeatureStatistics.of("7"),
                FeatureStatistics.of("8"), FeatureStatistics.of("9"), FeatureStatistics.of("10"))).dataset();
        assertTrue(tenths.isDrifted(), "3 of 10 is at a share of 0.3");
        assertEquals(Severity.WARNING, tenths.severity());
    }

    @Test
    void shouldNotDriftAnEmptyDataset() {
        Evaluation evaluation = policy.evaluateAll(List.of());
        assertEquals(0, evaluation.dataset().totalFeatures());
        assertEquals(0.0, evaluation.dataset().share(), 0.0);
        assertFalse(evaluation.dataset().isDrifted());
    }

    @Test
    void shouldRejectDuplicateFeatureNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> policy.evaluateAll(List.of(
                FeatureStatistics.of("age"), FeatureStatistics.of("age"))));
        assertTrue(e.getMessage().contains("age"), e.getMessage());
    }

    @Test
    void shouldBuildAValidatedPolicy() {
        AlertPolicy custom = AlertPolicy.builder()
                .threshold(PSI, 0.2, 0.4).alpha(0.01).decidingTests(PSI, WASSERSTEIN)
                .persistence(2, 3).datasetDriftShare(0.3).version("v7").build();
        assertEquals(0.2, custom.threshold(PSI).warning(), 0.0);
        assertEquals(Set.of(PSI, WASSERSTEIN), custom.decidingTests());
        assertEquals(0.01, custom.alpha(), 0.0);
        assertEquals(2, custom.persistence().required());
        assertEquals(3, custom.persistence().windows());
        assertEquals("v7", custom.version());
        assertEquals(custom, custom.toBuilder().build());
        assertEquals(Threshold.of(PSI, 0.1, 0.25), AlertPolicy.defaults().threshold(PSI), "defaults unchanged");
    }

    @Test
    void shouldRejectInvalidSettingsNamingTheValue() {
        assertMessageNames("1.5", () -> AlertPolicy.builder().alpha(1.5));
        assertMessageNames("0.0", () -> AlertPolicy.builder().alpha(0.0));
        assertMessageNames("0.0", () -> AlertPolicy.builder().datasetDriftShare(0.0));
        assertMessageNames("1.2", () -> AlertPolicy.builder().datasetDriftShare(1.2));
        assertMessageNames("ks", () -> AlertPolicy.builder().decidingTests(PSI, KS));
        assertMessageNames("empty", () -> AlertPolicy.builder().decidingTests());
        assertMessageNames("4", () -> AlertPolicy.builder().persistence(4, 3));
        assertMessageNames("65", () -> AlertPolicy.builder().persistence(1, 65));
        assertMessageNames("' '", () -> AlertPolicy.builder().version(" "));
        assertMessageNames("-1.0", () -> AlertPolicy.builder().threshold(JS, -1.0, 0.2));
        assertMessageNames("chisq", () -> AlertPolicy.defaults().threshold(CHI_SQUARE));
    }

    private static void assertMessageNames(String value, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(value), "message should name " + value + ": " + e.getMessage());
    }
}
