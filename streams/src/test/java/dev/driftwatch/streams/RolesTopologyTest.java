package dev.driftwatch.streams;

import dev.driftwatch.schemas.avro.DeploymentRole;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ModelOutputs;
import dev.driftwatch.schemas.avro.RoleComparison;
import dev.driftwatch.schemas.avro.RoleStatistic;
import dev.driftwatch.streams.app.DriftwatchTopology;
import dev.driftwatch.streams.roles.RoleJoin;
import dev.driftwatch.streams.roles.RoleSettings;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shadow and canary versions joined to the primary on request id and compared, on the whole topology,
 * with hand-computed expectations. One-minute tumbling windows, 30 s grace, 10 s join window.
 */
class RolesTopologyTest {
    private static final long SECOND = 1000;
    private static final long MINUTE = 60 * SECOND;
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    private static final double EPS = 1e-4;

    @TempDir
    Path stateDir;

    private static PipelineSettings settings(RoleSettings roles) {
        return PipelineSettings.defaults(Duration.ofMinutes(1)).withGrace(Duration.ofSeconds(30))
                .withSignals(Signals.none().with(roles));
    }

    private static RoleSettings roles() {
        return RoleSettings.defaults(true).withJoinWindow(Duration.ofSeconds(10)).withMinPairs(5);
    }

    private static InferenceEvent event(String request, String version, DeploymentRole role, long time,
                                        Double score, String label) {
        return InferenceEvent.newBuilder()
                .setEventId(request + "-" + version)
                .setRequestId(request)
                .setModelId("m")
                .setModelVersion(version)
                .setRole(role)
                .setEventTime(Instant.ofEpochMilli(time))
                .setNumericFeatures(Map.of())
                .setCategoricalFeatures(Map.of())
                .setOutputs(ModelOutputs.newBuilder().setScore(score).setLabel(label).setConfidence(null).build())
                .setLatencyMs(null)
                .setTokensIn(null)
                .setTokensOut(null)
                .setCost(null)
                .setErrorCode(null)
                .setSegment(Map.of())
                .build();
    }

    private static InferenceEvent primary(String request, long time, Double score, String label) {
        return event(request, "p1", DeploymentRole.PRIMARY, time, score, label);
    }

    private static InferenceEvent shadow(String request, String version, long time, Double score, String label) {
        return event(request, version, DeploymentRole.SHADOW, time, score, label);
    }

    private static TestOutputTopic<String, RoleComparison> comparisons(PipelineFixture f) {
        return f.driver.createOutputTopic(f.topics.roleComparisons().name(), Serdes.String().deserializer(),
                f.topics.roleComparisons().valueSerde().deserializer());
    }

    private static RoleStatistic stat(RoleComparison c, String output, String test) {
        return c.getStatistics().stream().filter(s -> s.getOutput().equals(output) && s.getTest().equals(test))
                .findFirst().orElseThrow(() -> new AssertionError("no " + output + " " + test + " in " + c));
    }

    @Test
    void shouldCountPairsAgreementAndUnpairedCandidatesOfAHandMadeWindow() {
        try (PipelineFixture f = new PipelineFixture(settings(roles()), stateDir)) {
            // r1: scores 0.50 / 0.52 -> agree (|0.02| <= 0.05).
            f.send(primary("r1", T0 + SECOND, 0.50, null));
            f.send(shadow("r1", "s1", T0 + SECOND, 0.52, null));
            // A second delivery of r1's shadow event, within the join window, is not joined again.
            f.send(shadow("r1", "s1", T0 + SECOND + 500, 0.52, null));
            // r2: scores 0.10 / 0.30 -> disagree.
            f.send(primary("r2", T0 + 2 * SECOND, 0.10, null));
            f.send(shadow("r2", "s1", T0 + 2 * SECOND, 0.30, null));
            // r3: labels decide when both have one: yes / yes -> agree, although the scores differ by 0.8.
            f.send(primary("r3", T0 + 3 * SECOND, 0.90, "yes"));
            f.send(shadow("r3", "s1", T0 + 3 * SECOND, 0.10, "yes"));
            // r4: labels yes / no -> disagree.
            f.send(primary("r4", T0 + 4 * SECOND, 0.60, "yes"));
            f.send(shadow("r4", "s1", T0 + 4 * SECOND, 0.60, "no"));
            // r5: the shadow first, its primary 3 s later (within the 10 s join window): 0.70 / 0.74 -> agree.
            f.send(shadow("r5", "s1", T0 + 5 * SECOND, 0.74, null));
            f.send(primary("r5", T0 + 8 * SECOND, 0.70, null));
            // r6: a shadow whose primary never comes -> unpaired once stream time passes 16 s + 10 s.
            f.send(shadow("r6", "s1", T0 + 16 * SECOND, 0.40, null));
            // r7: a primary alone -> nothing (the primary is not a candidate).
            f.send(primary("r7", T0 + 17 * SECOND, 0.40, null));
            // r8: the shadow answered nothing comparable -> paired but incomparable.
            f.send(primary("r8", T0 + 18 * SECOND, 0.40, null));
            f.send(shadow("r8", "s1", T0 + 18 * SECOND, null, null));
            // r10: a primary 30 s after its shadow: past the join window, so the shadow is unpaired.
            f.send(shadow("r10", "s1", T0 + 20 * SECOND, 0.40, null));
            f.send(primary("r11", T0 + 31 * SECOND, 0.40, null)); // moves stream time to 31 s: r6 and r10 expire
            f.send(primary("r10", T0 + 50 * SECOND, 0.40, null));
            // Closes the first window (end 60 s + grace 30 s).
            f.send(primary("close", T0 + 2 * MINUTE, 0.5, null));

            List<KeyValue<String, RoleComparison>> out = comparisons(f).readKeyValuesToList();
            assertEquals(1, out.size(), out.toString());
            assertEquals("m/s1", out.get(0).key);
            RoleComparison c = out.get(0).value;
            assertEquals("s1", c.getCandidateVersion());
            assertEquals("SHADOW", c.getCandidateRole());
            assertEquals("p1", c.getPrimaryVersion());
            assertEquals("*", c.getSegment());
            assertEquals(Instant.ofEpochMilli(T0), c.getWindowStart());
            assertEquals(Instant.ofEpochMilli(T0 + MINUTE), c.getWindowEnd());
            assertEquals(6, c.getPairedRequests(), "r1, r2, r3, r4, r5, r8");
            assertEquals(3, c.getAgreeingRequests(), "r1, r3, r5");
            assertEquals(1, c.getIncomparableRequests(), "r8");
            assertEquals(3.0 / 5, c.getAgreementRate(), 1e-12, "3 agreeing of 5 comparable");
            assertEquals(2, c.getUnpairedCandidate(), "r6 and r10");
            assertEquals("same label when both carry one, else |score difference| <= 0.05", c.getAgreementRule());
            // No output.score baseline for p1: the score tests are undefined, with the reason.
            RoleStatistic score = stat(c, "output.score", "PSI");
            assertNull(score.getValue());
            assertTrue(score.getUndefinedReason().contains("no output.score baseline"), score.getUndefinedReason());
            assertEquals(0, c.getScoredPairs());
            // Labels on r3, r4: primary (yes, yes), shadow (yes, no). Categories (no, yes):
            // r = (ε, 1), c = (0.5, 0.5): PSI = (0.5 − ε)·ln(0.5/ε) + (0.5 − 1)·ln(0.5/1).
            assertEquals(2, c.getLabelledPairs());
            double psi = (0.5 - EPS) * Math.log(0.5 / EPS) + (0.5 - 1) * Math.log(0.5);
            RoleStatistic labels = stat(c, "output.label", "PSI");
            assertEquals(psi, labels.getValue(), 1e-12);
            assertTrue(labels.getOverThreshold());
            // 6 paired >= 5, agreement 0.6 < 0.8 and label PSI over 0.2: differs.
            assertTrue(c.getDiffers());
        }
    }

    /** Primary scores (i + 0.5)/200, i = 0..199: exactly 20 in each decile bin of the uniform baseline. */
    private static double primaryScore(int i) {
        return (i + 0.5) / 200;
    }

    @Test
    void shouldSayAShiftedShadowDiffersAndAnIdenticalOneDoesNot() {
        try (PipelineFixture f = new PipelineFixture(settings(roles()), stateDir)) {
            double[] uniform = new double[1001];
            for (int i = 0; i < uniform.length; i++) {
                uniform[i] = i / 1000.0; // deciles exactly 0.1, 0.2, ..., 0.9
            }
            f.publishNumericBaseline("m", "p1", "output.score", uniform);
            for (int i = 0; i < 200; i++) {
                long t = T0 + i * 250L;
                String request = "q" + i;
                f.send(primary(request, t, primaryScore(i), null));
                f.send(shadow(request, "same", t, primaryScore(i), null));
                f.send(shadow(request, "shifted", t + 100, primaryScore(i) + 0.301, null));
            }
            f.send(primary("close", T0 + 3 * MINUTE, 0.5, null));
            Map<String, RoleComparison> byVersion = new java.util.TreeMap<>();
            comparisons(f).readValuesToList().forEach(c -> byVersion.put(c.getCandidateVersion(), c));
            assertEquals(List.of("same", "shifted"), List.copyOf(byVersion.keySet()));

            RoleComparison same = byVersion.get("same");
            assertEquals(200, same.getPairedRequests());
            assertEquals(200, same.getAgreeingRequests());
            assertEquals(1.0, same.getAgreementRate(), 0.0);
            assertEquals(200, same.getScoredPairs());
            assertEquals(0.0, stat(same, "output.score", "PSI").getValue(), 0.0);
            assertEquals(0.0, stat(same, "output.score", "KS").getValue(), 0.0);
            assertEquals(1.0, stat(same, "output.score", "KS").getPValue(), 1e-12);
            assertEquals(0.0, stat(same, "output.score", "WASSERSTEIN").getValue(), 0.0);
            assertFalse(same.getDiffers());
            assertEquals(0, same.getUnpairedCandidate());

            RoleComparison shifted = byVersion.get("shifted");
            assertEquals(200, shifted.getPairedRequests());
            assertEquals(0, shifted.getAgreeingRequests(), "every score 0.301 apart, over the 0.05 tolerance");
            assertEquals(0.0, shifted.getAgreementRate(), 0.0);
            // Shadow scores (i + 0.5)/200 + 0.301: none below 0.3, 20 in each decile bin 3..8, 80 at or above 0.9.
            // PSI = 3·(ε − 0.1)·ln(ε/0.1) + (0.4 − 0.1)·ln(0.4/0.1).
            double psi = 3 * (EPS - 0.1) * Math.log(EPS / 0.1) + 0.3 * Math.log(4);
            RoleStatistic p = stat(shifted, "output.score", "PSI");
            assertEquals(psi, p.getValue(), 1e-12);
            assertTrue(p.getOverThreshold());
            // KS: just below the shadow's score number i, the shadow's CDF is i/200 and the primary's (i + 61)/200
            // (its scores j with j + 0.5 < i + 0.5 + 60.2), so D = 61/200 = 0.305 (scipy's ks_2samp agrees, p
            // 1.29e-8); the grid's D lies within its stated bound below that.
            RoleStatistic ks = stat(shifted, "output.score", "KS");
            assertTrue(ks.getValue() <= 0.305 + 1e-12 && ks.getValue() + ks.getErrorBound() >= 0.305 - 1e-12,
                    ks.getValue() + " with bound " + ks.getErrorBound());
            // Here the grid's D is the exact D: the largest gap lies at a grid point (paired_windows.py's grid_ks
            // on these samples and the baseline's grid gives D 0.305, exact p 1.2940880677508261e-08).
            assertEquals(0.305, ks.getValue(), 1e-12);
            assertEquals(1.2940880677508261e-08, ks.getPValue(), 1e-6 * 1.2940880677508261e-08);
            assertTrue(ks.getErrorBound() < 0.01, "the baseline's grid is fine: " + ks.getErrorBound());
            assertTrue(ks.getOverThreshold());
            assertTrue(ks.getPValue() < 1e-6, "p " + ks.getPValue());
            assertTrue(shifted.getDiffers());
            assertEquals("SHADOW", shifted.getCandidateRole());
            assertEquals(same.getBaselineId(), shifted.getBaselineId());
        }
    }

    /** A uniform reference whose deciles are exactly 0.1, 0.2, ..., 0.9. */
    private static double[] uniformScores() {
        double[] uniform = new double[1001];
        for (int i = 0; i < uniform.length; i++) {
            uniform[i] = i / 1000.0;
        }
        return uniform;
    }

    @Test
    void shouldReportTheStatisticOfTheOutputThatFiredNotAnotherOutputsOfTheSameTest() {
        PipelineSettings settings = settings(roles()).withPolicy(
                dev.driftwatch.detectors.policy.AlertPolicy.builder().persistence(1, 1).version("one").build());
        try (PipelineFixture f = new PipelineFixture(settings, stateDir)) {
            f.publishNumericBaseline("m", "p1", "output.score", uniformScores());
            for (int w = 0; w < 2; w++) {
                for (int i = 0; i < 50; i++) {
                    long t = T0 + w * MINUTE + i * SECOND;
                    double score = (i + 0.5) / 50;
                    // Window 0: the same scores, half the labels differ. Window 1: the same labels, the scores
                    // 0.02 higher (not enough to differ).
                    String label = w == 0 && i < 25 ? "no" : "yes";
                    f.send(primary("w" + w + "-" + i, t, score, "yes"));
                    f.send(shadow("w" + w + "-" + i, "s", t, w == 0 ? score : score + 0.02, label));
                }
            }
            f.send(primary("close", T0 + 4 * MINUTE, 0.5, null));
            List<RoleComparison> out = comparisons(f).readValuesToList();
            assertEquals(List.of(true, false), out.stream().map(RoleComparison::getDiffers).toList());
            assertEquals(0.0, stat(out.get(0), "output.score", "PSI").getValue(), 0.0, "window 0: the same scores");
            List<dev.driftwatch.schemas.avro.DriftAlert> alerts = f.readAlerts();
            assertEquals(2, alerts.size(), alerts.toString());
            // FIRING on window 0: labels (no, yes) r = (ε, 1), c = (0.5, 0.5): PSI = (0.5 − ε)·ln(0.5/ε) + 0.5·ln 2.
            dev.driftwatch.schemas.avro.DriftAlert firing = alerts.get(0);
            assertEquals(dev.driftwatch.schemas.avro.AlertState.FIRING, firing.getState());
            assertEquals(dev.driftwatch.schemas.avro.DriftTest.PSI, firing.getTest());
            assertEquals((0.5 - EPS) * Math.log(0.5 / EPS) + 0.5 * Math.log(2), firing.getStatistic(), 1e-12);
            assertEquals(0.2, firing.getThreshold(), 0.0);
            assertTrue(firing.getSummary().contains("output.label psi = 4.6043"), firing.getSummary());
            // RESOLVED on window 1 reports the labels' PSI again (0: identical labels), not the scores' PSI:
            // 4 of 50 shifted scores in bin 0 and 6 in bin 9, r = 0.1 each: 0.02·ln(1.2) − 0.02·ln(0.8) = 0.02·ln 1.5.
            assertEquals(0.02 * Math.log(1.5), stat(out.get(1), "output.score", "PSI").getValue(), 1e-12);
            dev.driftwatch.schemas.avro.DriftAlert resolved = alerts.get(1);
            assertEquals(dev.driftwatch.schemas.avro.AlertState.RESOLVED, resolved.getState());
            assertEquals(dev.driftwatch.schemas.avro.DriftTest.PSI, resolved.getTest());
            assertEquals(0.0, resolved.getStatistic(), 0.0);
            assertTrue(resolved.getSummary().contains("output.label psi = 0.0000"), resolved.getSummary());
        }
    }

    @Test
    void shouldPutTheCandidateWindowsBusinessContextOnItsRoleAlert() {
        PipelineSettings settings = PipelineSettings.defaults(Duration.ofMinutes(1)).withGrace(Duration.ofSeconds(30))
                .withPolicy(dev.driftwatch.detectors.policy.AlertPolicy.builder().persistence(1, 1).version("one")
                        .build())
                .withSignals(Signals.none().with(roles()).with(
                        dev.driftwatch.streams.business.BusinessSettings.enabled(Duration.ofSeconds(10))
                                .withMinImpressions(10)));
        try (PipelineFixture f = new PipelineFixture(settings, stateDir)) {
            org.apache.kafka.streams.TestInputTopic<String, dev.driftwatch.schemas.avro.OutcomeEvent> outcomes =
                    f.driver.createInputTopic(f.topics.outcomes().name(), Serdes.String().serializer(),
                            f.topics.outcomes().valueSerde().serializer());
            for (int i = 0; i < 20; i++) {
                String request = "c" + i;
                long t = T0 + i * SECOND;
                // The canary answered the caller (its event first, so the outcomes are its), the primary scored
                // the same request; their labels differ on half the requests.
                f.send(event(request, "c", DeploymentRole.CANARY, t, 0.5, i < 10 ? "no" : "yes"));
                f.send(primary(request, t + 10, 0.5, "yes"));
                outcomes.pipeInput(request, outcome(request, dev.driftwatch.schemas.avro.OutcomeType.IMPRESSION,
                        t + 100), t + 100);
                if (i % 4 == 0) {
                    outcomes.pipeInput(request, outcome(request, dev.driftwatch.schemas.avro.OutcomeType.CLICK,
                            t + 200), t + 200);
                }
            }
            f.send(primary("close", T0 + 4 * MINUTE, 0.5, null));
            List<dev.driftwatch.schemas.avro.DriftAlert> role = f.readAlerts().stream()
                    .filter(a -> a.getSubjectKind() == dev.driftwatch.schemas.avro.SubjectKind.ROLE).toList();
            assertEquals(1, role.size(), role.toString());
            assertEquals("c", role.get(0).getModelVersion());
            // 5 clicks (requests 0, 4, 8, 12, 16) of 20 impressions; the canary has no CTR baseline.
            dev.driftwatch.schemas.avro.BusinessContext context = role.get(0).getBusinessContext();
            assertTrue(context != null, "a ROLE alert carries its window's business context");
            assertEquals(0.25, context.getCurrentCtr(), 1e-12);
            assertNull(context.getBaselineCtr());
            assertNull(context.getCtrDelta());
        }
    }

    private static dev.driftwatch.schemas.avro.OutcomeEvent outcome(String request,
                                                                    dev.driftwatch.schemas.avro.OutcomeType type,
                                                                    long time) {
        return dev.driftwatch.schemas.avro.OutcomeEvent.newBuilder().setRequestId(request).setType(type)
                .setValue(null).setEventTime(Instant.ofEpochMilli(time)).build();
    }

    @Test
    void shouldDeadLetterABlankRequestIdAndAReservedFeatureName() {
        try (PipelineFixture f = new PipelineFixture(settings(roles()), stateDir)) {
            // A blank request id would pair unrelated events (and join their outcomes).
            f.send(primary(" ", T0 + SECOND, 0.5, null));
            f.send(shadow(" ", "s", T0 + SECOND, 0.9, null));
            f.send(primary("", T0 + 2 * SECOND, 0.5, null));
            // Feature names that would collide with the service-level and CTR alert subjects.
            InferenceEvent slo = primary("r1", T0 + 3 * SECOND, 0.5, null);
            slo.setNumericFeatures(Map.of("slo.errors", 1.0));
            f.send(slo);
            InferenceEvent ctr = primary("r2", T0 + 4 * SECOND, 0.5, null);
            ctr.setCategoricalFeatures(Map.of("business.ctr", "x"));
            f.send(ctr);
            f.send(primary("close", T0 + 2 * MINUTE, 0.5, null));
            List<dev.driftwatch.schemas.avro.DeadLetter> dead = f.deadLetters.readValuesToList();
            assertEquals(5, dead.size(), dead.toString());
            for (int i = 0; i < 3; i++) {
                assertEquals(dev.driftwatch.schemas.avro.DeadLetterReason.INVALID_CONTENT, dead.get(i).getReason());
                assertTrue(dead.get(i).getDetail().contains("requestId is empty or blank"), dead.get(i).getDetail());
            }
            assertTrue(dead.get(3).getDetail().contains("feature name 'slo.errors'")
                    && dead.get(3).getDetail().contains("'slo.'"), dead.get(3).getDetail());
            assertTrue(dead.get(4).getDetail().contains("feature name 'business.ctr'")
                    && dead.get(4).getDetail().contains("'business.'"), dead.get(4).getDetail());
            assertTrue(comparisons(f).readValuesToList().isEmpty(), "nothing paired on the blank id");
        }
    }

    @Test
    void shouldCountACanaryWithoutAnyPrimaryAsUnpaired() {
        try (PipelineFixture f = new PipelineFixture(settings(roles()), stateDir)) {
            f.send(event("c1", "c", DeploymentRole.CANARY, T0 + SECOND, 0.5, null));
            f.send(event("c2", "c", DeploymentRole.CANARY, T0 + 2 * SECOND, 0.5, null));
            f.send(primary("close", T0 + 2 * MINUTE, 0.5, null));
            List<RoleComparison> out = comparisons(f).readValuesToList();
            assertEquals(1, out.size(), out.toString());
            RoleComparison c = out.get(0);
            assertEquals("CANARY", c.getCandidateRole());
            assertEquals("(none)", c.getPrimaryVersion());
            assertEquals(0, c.getPairedRequests());
            assertNull(c.getAgreementRate());
            assertEquals(2, c.getUnpairedCandidate());
            assertFalse(c.getDiffers());
        }
    }

    /**
     * Shadow "s" shifted by 0.301 in windows 0 and 1, identical in windows 2 and 3, with persistence 2 of 3:
     * FIRING after window 1 (2 of the last 2 differ), still firing after window 2 (2 of 3), RESOLVED after
     * window 3 (1 of 3). Returns the alerts.
     */
    private List<dev.driftwatch.schemas.avro.DriftAlert> roleAlerts(Path dir) {
        PipelineSettings settings = settings(roles()).withPolicy(
                dev.driftwatch.detectors.policy.AlertPolicy.builder().persistence(2, 3).version("roles-test").build());
        try (PipelineFixture f = new PipelineFixture(settings, dir)) {
            double[] uniform = new double[1001];
            for (int i = 0; i < uniform.length; i++) {
                uniform[i] = i / 1000.0;
            }
            f.publishNumericBaseline("m", "p1", "output.score", uniform);
            for (int w = 0; w < 4; w++) {
                double shift = w < 2 ? 0.301 : 0.0;
                for (int i = 0; i < 50; i++) {
                    long t = T0 + w * MINUTE + i * SECOND;
                    double score = (i + 0.5) / 50;
                    f.send(primary("w" + w + "-" + i, t, score, null));
                    f.send(shadow("w" + w + "-" + i, "s", t, score + shift, null));
                }
            }
            f.send(primary("close", T0 + 6 * MINUTE, 0.5, null));
            List<RoleComparison> out = comparisons(f).readValuesToList();
            assertEquals(List.of(true, true, false, false), out.stream().map(RoleComparison::getDiffers).toList());
            return f.readAlerts();
        }
    }

    @Test
    void shouldFireOnceAndResolveOnceWhenAShadowKeepsDiffering() throws Exception {
        List<dev.driftwatch.schemas.avro.DriftAlert> alerts = roleAlerts(stateDir.resolve("first"));
        assertEquals(2, alerts.size(), alerts.toString());
        dev.driftwatch.schemas.avro.DriftAlert firing = alerts.get(0);
        assertEquals(dev.driftwatch.schemas.avro.AlertState.FIRING, firing.getState());
        assertEquals(dev.driftwatch.schemas.avro.SubjectKind.ROLE, firing.getSubjectKind());
        assertEquals("*role:p1", firing.getSubject());
        assertEquals("s", firing.getModelVersion());
        assertEquals(Instant.ofEpochMilli(T0 + MINUTE), firing.getWindowStart());
        assertEquals(dev.driftwatch.schemas.avro.DriftTest.PSI, firing.getTest(), "the first test over its threshold");
        assertEquals(0.2, firing.getThreshold(), 0.0);
        assertEquals(2, firing.getWindowsOverThreshold());
        assertEquals(50, firing.getCurrentSampleSize());
        assertEquals("roles-test", firing.getPolicyVersion());
        dev.driftwatch.schemas.avro.DriftAlert resolved = alerts.get(1);
        assertEquals(dev.driftwatch.schemas.avro.AlertState.RESOLVED, resolved.getState());
        assertEquals(Instant.ofEpochMilli(T0 + 3 * MINUTE), resolved.getWindowStart());
        assertEquals(dev.driftwatch.schemas.avro.DriftTest.PSI, resolved.getTest());
        // Replayed into a fresh application: the same alerts with the same ids.
        List<dev.driftwatch.schemas.avro.DriftAlert> again = roleAlerts(stateDir.resolve("second"));
        assertEquals(alerts.stream().map(dev.driftwatch.schemas.avro.DriftAlert::getAlertId).toList(),
                again.stream().map(dev.driftwatch.schemas.avro.DriftAlert::getAlertId).toList());
    }

    @Test
    void shouldCountAPairInEveryHoppingWindowOfTheCandidatesSegment() {
        PipelineSettings hopping = new PipelineSettings("driftwatch", Duration.ofMinutes(1), Duration.ofSeconds(30),
                Duration.ofSeconds(30), "region", 1000, 1024, Duration.ofDays(1), 1,
                dev.driftwatch.detectors.policy.AlertPolicy.defaults()).withSignals(Signals.none().with(roles()));
        try (PipelineFixture f = new PipelineFixture(hopping, stateDir)) {
            InferenceEvent p = primary("h1", T0 + 40 * SECOND, 0.5, null);
            InferenceEvent s = shadow("h1", "s", T0 + 40 * SECOND, 0.5, null);
            p.setSegment(Map.of("region", "eu"));
            s.setSegment(Map.of("region", "eu"));
            f.send(p);
            f.send(s);
            f.send(primary("close", T0 + 5 * MINUTE, 0.5, null));
            List<KeyValue<String, RoleComparison>> out = comparisons(f).readKeyValuesToList();
            // 40 s lies in [0 s, 60 s) and [30 s, 90 s).
            assertEquals(List.of("m/s@eu", "m/s@eu"), out.stream().map(kv -> kv.key).toList());
            assertEquals(List.of(T0, T0 + 30 * SECOND),
                    out.stream().map(kv -> kv.value.getWindowStart().toEpochMilli()).toList());
            for (KeyValue<String, RoleComparison> kv : out) {
                assertEquals("eu", kv.value.getSegment());
                assertEquals(1, kv.value.getPairedRequests());
                assertEquals(1, kv.value.getAgreeingRequests());
                assertFalse(kv.value.getDiffers(), "1 pair is fewer than the 5 needed");
            }
        }
    }

    @Test
    void shouldKeepTheJoinStoreOnlyWhenRolesAreEnabled() {
        Topics topics = Topics.defaults(Map.of("schema.registry.url", "mock://roles-describe"));
        String on = DriftwatchTopology.build(settings(roles()), topics).describe().toString();
        String off = DriftwatchTopology.build(settings(RoleSettings.disabled()), topics).describe().toString();
        assertTrue(on.contains(RoleJoin.STORE), on);
        assertFalse(off.contains(RoleJoin.STORE), off);
    }
}
