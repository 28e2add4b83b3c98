package dev.driftwatch.streams;

import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.CommandStatus;
import dev.driftwatch.schemas.avro.CommandType;
import dev.driftwatch.schemas.avro.ControlCommand;
import dev.driftwatch.schemas.avro.ControlResult;
import dev.driftwatch.schemas.avro.BusinessMetrics;
import dev.driftwatch.schemas.avro.DeadLetter;
import dev.driftwatch.schemas.avro.DeadLetterReason;
import dev.driftwatch.schemas.avro.DeploymentRole;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.DriftTest;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.OutcomeEvent;
import dev.driftwatch.schemas.avro.OutcomeType;
import dev.driftwatch.schemas.avro.Severity;
import dev.driftwatch.schemas.avro.SubjectKind;
import dev.driftwatch.streams.app.DriftwatchTopology;
import dev.driftwatch.streams.business.BusinessSettings;
import dev.driftwatch.streams.business.CtrBaseline;
import dev.driftwatch.streams.business.OutcomeJoin;
import dev.driftwatch.streams.business.UnattributedOutcomes;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CTR join, business metrics and CTR alerts on the whole topology (TopologyTestDriver), with
 * expectations computed by hand (z-test p-values by scipy, see the comments).
 */
class BusinessTopologyTest {
    private static final long SECOND = 1_000;
    private static final long MINUTE = 60_000;
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();

    @TempDir
    Path stateDir;

    /** Counts what the join reports to the metrics. */
    private static class OutcomeCounts implements PipelineMetrics {
        final Map<String, Long> counts = new TreeMap<>();

        @Override
        public void outcomes(String result, long count) {
            counts.merge(result, count, Long::sum);
        }
    }

    private static final class Fixture implements AutoCloseable {
        final PipelineFixture f;
        final TestInputTopic<String, OutcomeEvent> outcomes;
        final TestInputTopic<byte[], byte[]> rawOutcomes;
        final TestOutputTopic<String, BusinessMetrics> business;

        Fixture(PipelineSettings settings, Path stateDir) {
            f = new PipelineFixture(settings, stateDir);
            outcomes = f.driver.createInputTopic(f.topics.outcomes().name(), Serdes.String().serializer(),
                    f.topics.outcomes().valueSerde().serializer());
            rawOutcomes = f.driver.createInputTopic(f.topics.outcomes().name(), Serdes.ByteArray().serializer(),
                    Serdes.ByteArray().serializer());
            business = f.driver.createOutputTopic(f.topics.businessMetrics().name(), Serdes.String().deserializer(),
                    f.topics.businessMetrics().valueSerde().deserializer());
        }

        void inference(String requestId, long time) {
            inference(requestId, time, DeploymentRole.PRIMARY, 0.0);
        }

        void inference(String requestId, long time, DeploymentRole role, double x) {
            InferenceEvent e = f.event("m", "1", time, Map.of("x", x), Map.of(), null);
            e.setRequestId(requestId);
            e.setRole(role);
            f.send(e);
        }

        void outcome(String requestId, OutcomeType type, long time) {
            outcome(requestId, type, time, null);
        }

        void outcome(String requestId, OutcomeType type, long time, Double value) {
            OutcomeEvent o = OutcomeEvent.newBuilder().setRequestId(requestId).setType(type).setValue(value)
                    .setEventTime(Instant.ofEpochMilli(time)).setAttributes(Map.of()).build();
            outcomes.pipeInput(requestId, o, time);
        }

        @Override
        public void close() {
            f.close();
        }
    }

    private static PipelineSettings settings(PipelineMetrics metrics) {
        BusinessSettings business = BusinessSettings.enabled(Duration.ofSeconds(10)).withMinImpressions(10);
        return PipelineSettings.defaults(Duration.ofMinutes(1)).withGrace(Duration.ofSeconds(5)).withMetrics(metrics)
                .withSignals(Signals.none().with(business));
    }

    @Test
    void shouldJoinOutcomesToTheirInferencesAndCountEveryOneThatCannotBeUsed() {
        OutcomeCounts metrics = new OutcomeCounts();
        try (Fixture x = new Fixture(settings(metrics), stateDir)) {
            // A: impression and click.
            x.inference("A", T0 + SECOND);
            x.outcome("A", OutcomeType.IMPRESSION, T0 + 2 * SECOND);
            x.outcome("A", OutcomeType.CLICK, T0 + 3 * SECOND);
            // B: the click arrives before the impression; both count.
            x.inference("B", T0 + 2 * SECOND);
            x.outcome("B", OutcomeType.CLICK, T0 + 4 * SECOND);
            x.outcome("B", OutcomeType.IMPRESSION, T0 + 5 * SECOND);
            // C: an impression twice: one duplicate.
            x.inference("C", T0 + 3 * SECOND);
            x.outcome("C", OutcomeType.IMPRESSION, T0 + 4 * SECOND);
            x.outcome("C", OutcomeType.IMPRESSION, T0 + 5 * SECOND);
            // D: a click without an impression.
            x.inference("D", T0 + 4 * SECOND);
            x.outcome("D", OutcomeType.CLICK, T0 + 6 * SECOND);
            // E: the impression arrives before the inference and waits for it.
            x.outcome("E", OutcomeType.IMPRESSION, T0 + 5 * SECOND);
            x.inference("E", T0 + 5 * SECOND);
            x.outcome("E", OutcomeType.CLICK, T0 + 6 * SECOND);
            // F: impression, click and a conversion worth 12.5.
            x.inference("F", T0 + 6 * SECOND);
            x.outcome("F", OutcomeType.IMPRESSION, T0 + 7 * SECOND);
            x.outcome("F", OutcomeType.CLICK, T0 + 8 * SECOND);
            x.outcome("F", OutcomeType.CONVERSION, T0 + 9 * SECOND, 12.5);
            // G: an impression whose inference never comes; H: a shadow inference gets no outcomes.
            x.outcome("G", OutcomeType.IMPRESSION, T0 + 7 * SECOND);
            x.inference("H", T0 + 8 * SECOND, DeploymentRole.SHADOW, 0.0);
            x.outcome("H", OutcomeType.IMPRESSION, T0 + 9 * SECOND);
            // I: a click 20 s after its inference, beyond the 10 s join window.
            x.inference("I", T0 + 10 * SECOND);
            x.outcome("I", OutcomeType.CLICK, T0 + 30 * SECOND);
            // J: impression and conversion without a click.
            x.inference("J", T0 + 11 * SECOND);
            x.outcome("J", OutcomeType.IMPRESSION, T0 + 12 * SECOND);
            x.outcome("J", OutcomeType.CONVERSION, T0 + 13 * SECOND);
            // K1..K4: requests without outcomes.
            for (int k = 1; k <= 4; k++) {
                x.inference("K" + k, T0 + (19 + k) * SECOND);
            }
            // Stream time 66 s: window [0, 60 s) would close at 65 s without the join; it waits 10 s more.
            x.inference("L", T0 + 66 * SECOND);
            assertTrue(x.business.isEmpty(), "the window closes a join window later");
            assertTrue(x.f.stats.isEmpty(), "the window closes a join window later");
            x.inference("M", T0 + 75 * SECOND);
            // The window is closed: an outcome for A now is late.
            x.outcome("A", OutcomeType.CONVERSION, T0 + 20 * SECOND);
            x.inference("N", T0 + 150 * SECOND);

            List<org.apache.kafka.streams.KeyValue<String, BusinessMetrics>> keyed = x.business.readKeyValuesToList();
            assertEquals(List.of("*unattributed*/*", "m/1", "*unattributed*/*", "m/1"),
                    keyed.stream().map(kv -> kv.key).toList());
            // Outcomes that joined no request, per window: G and H unmatched in window 0; A's conversion (20 s)
            // read at stream time 75 s, when window 0 had closed, late in window 1.
            List<BusinessMetrics> unattributed = keyed.stream().map(kv -> kv.value)
                    .filter(m -> m.getModelId().equals(UnattributedOutcomes.MODEL)).toList();
            assertEquals(List.of(T0, T0 + MINUTE), unattributed.stream().map(m -> m.getWindowStart().toEpochMilli())
                    .toList());
            assertEquals(List.of(2L, 0L), unattributed.stream().map(BusinessMetrics::getUnmatchedOutcomes).toList());
            assertEquals(List.of(0L, 1L), unattributed.stream().map(BusinessMetrics::getLateOutcomes).toList());
            assertEquals(0, unattributed.get(0).getRequestCount());
            List<BusinessMetrics> records = keyed.stream().map(kv -> kv.value)
                    .filter(m -> !m.getModelId().equals(UnattributedOutcomes.MODEL)).toList();
            assertEquals(0, records.get(0).getUnmatchedOutcomes(), "only on the *unattributed* records");
            BusinessMetrics w = records.get(0);
            assertEquals(T0, w.getWindowStart().toEpochMilli());
            assertEquals("*", w.getSegment());
            assertEquals(13, w.getInferenceCount(), "12 primary inferences and the shadow one");
            assertEquals(12, w.getRequestCount(), "A-F, I, J, K1-K4: the shadow has no request");
            assertEquals(6, w.getImpressionCount(), "A, B, C, E, F, J");
            assertEquals(4, w.getClickCount(), "A, B, E, F");
            assertEquals(1, w.getConversionCount(), "F");
            assertEquals(4.0 / 6, w.getCtr(), 1e-12);
            assertEquals(1.0 / 4, w.getConversionRate(), 1e-12);
            assertEquals(1, w.getClicksWithoutImpression(), "D");
            assertEquals(1, w.getConversionsWithoutClick(), "J");
            assertEquals(1, w.getClicksBeforeImpression(), "B");
            assertEquals(1, w.getDuplicateOutcomes(), "C");
            assertEquals(1, w.getOutcomesOutsideJoinWindow(), "I");
            assertEquals(12.5, w.getOutcomeValue(), 0.0);
            assertNull(w.getBaselineCtr(), "no CTR baseline");
            assertNull(w.getCtrPValue());
            BusinessMetrics second = records.get(1);
            assertEquals(T0 + MINUTE, second.getWindowStart().toEpochMilli());
            assertEquals(2, second.getRequestCount(), "L and M");
            assertEquals(0, second.getImpressionCount());
            assertNull(second.getCtr());
            // Only N (150 s, final at 160 s) is still open: its request and its index entry. The rest was pruned.
            List<String> open = new java.util.ArrayList<>();
            try (var it = x.f.driver.<String, byte[]>getKeyValueStore(OutcomeJoin.STORE).all()) {
                it.forEachRemaining(kv -> open.add(kv.key));
            }
            assertEquals(List.of("r|N", "t|00000001793491360000|N"), open);
            // joined: A 2, B 2, C 1, D 1, E 2, F 3, J 2; G and H unmatched; A's conversion late.
            assertEquals(Map.of("joined", 13L, "duplicate", 1L, "outside_window", 1L, "unmatched", 2L, "late", 1L),
                    metrics.counts);
        }
    }

    @Test
    void shouldDeadLetterOutcomesThatCannotBeUsed() {
        try (Fixture x = new Fixture(settings(PipelineMetrics.NONE), stateDir)) {
            x.rawOutcomes.pipeInput("R".getBytes(), new byte[] {9, 9, 9}, T0);
            OutcomeEvent wrongKey = OutcomeEvent.newBuilder().setRequestId("R2").setType(OutcomeType.CLICK)
                    .setValue(null).setEventTime(Instant.ofEpochMilli(T0)).setAttributes(Map.of()).build();
            x.outcomes.pipeInput("R3", wrongKey, T0);
            // a label longer than max.value.length: dead-lettered, not carried into the join's state (whose
            // request records could not hold a string of 64 KB or more)
            OutcomeEvent longLabel = OutcomeEvent.newBuilder().setRequestId("R4").setType(OutcomeType.LABEL)
                    .setLabel("x".repeat(70_000)).setValue(null).setEventTime(Instant.ofEpochMilli(T0))
                    .setAttributes(Map.of()).build();
            x.outcomes.pipeInput("R4", longLabel, T0);
            List<DeadLetter> dead = x.f.deadLetters.readValuesToList();
            assertEquals(3, dead.size(), dead.toString());
            assertEquals(DeadLetterReason.INVALID_CONTENT, dead.get(2).getReason());
            assertTrue(dead.get(2).getDetail().contains("max.value.length"), dead.get(2).getDetail());
            assertEquals(DeadLetterReason.WRONG_MAGIC_BYTE, dead.get(0).getReason());
            assertEquals("outcome-events", dead.get(0).getOriginalTopic());
            assertEquals(DeadLetterReason.INVALID_CONTENT, dead.get(1).getReason());
            assertTrue(dead.get(1).getDetail().contains("requestId"), dead.get(1).getDetail());
        }
    }

    @Test
    void shouldDeadLetterNullKeyedAndFarFutureOutcomesAndCountInferencesNotKeyedByRequestId() {
        OutcomeCounts metrics = new OutcomeCounts() {
            @Override
            public void inferencesNotJoined(String reason, long count) {
                counts.merge("inference:" + reason, count, Long::sum);
            }
        };
        try (Fixture x = new Fixture(settings(metrics), stateDir)) {
            x.inference("A", T0 + SECOND);
            OutcomeEvent noKey = OutcomeEvent.newBuilder().setRequestId("A").setType(OutcomeType.CLICK)
                    .setValue(null).setEventTime(Instant.ofEpochMilli(T0 + 2 * SECOND)).setAttributes(Map.of()).build();
            x.outcomes.pipeInput(null, noKey, T0 + 2 * SECOND);
            // An outcome time in microseconds (year 58,000): it would wait for its inference forever.
            x.outcome("A", OutcomeType.IMPRESSION, (T0 + 3 * SECOND) * 1000);
            // An inference keyed by something else than its request id opens no request; its outcome waits in
            // vain and is counted unmatched.
            InferenceEvent other = x.f.event("m", "1", T0 + 4 * SECOND, Map.of("x", 0.0), Map.of(), null);
            other.setRequestId("B");
            x.f.events.pipeInput("not-B", other, T0 + 4 * SECOND);
            x.outcome("B", OutcomeType.IMPRESSION, T0 + 5 * SECOND);
            x.inference("close", T0 + 3 * MINUTE);

            List<DeadLetter> dead = x.f.deadLetters.readValuesToList();
            assertEquals(2, dead.size(), dead.toString());
            assertEquals(DeadLetterReason.INVALID_CONTENT, dead.get(0).getReason());
            assertTrue(dead.get(0).getDetail().contains("no key"), dead.get(0).getDetail());
            assertEquals(DeadLetterReason.INVALID_CONTENT, dead.get(1).getReason());
            assertTrue(dead.get(1).getDetail().contains("ahead of stream time"), dead.get(1).getDetail());
            List<BusinessMetrics> all = x.business.readValuesToList();
            BusinessMetrics w = all.stream().filter(m -> m.getModelId().equals("m")).findFirst().orElseThrow();
            assertEquals(2, w.getInferenceCount(), "both inferences are summarised");
            assertEquals(1, all.stream().mapToLong(BusinessMetrics::getUnmatchedOutcomes).sum(), "B's impression");
            assertEquals(1, w.getRequestCount(), "only A's request was joined");
            assertEquals(Map.of("inference:key_not_request_id", 1L, "unmatched", 1L), metrics.counts);
        }
    }

    @Test
    void shouldFireOnceOnASignificantCtrDropResolveOnceAndPutTheCtrOnDriftAlerts() {
        try (Fixture x = new Fixture(settings(PipelineMetrics.NONE), stateDir)) {
            ctrDropTraffic(x);
            List<BusinessMetrics> records = x.business.readValuesToList();
            assertEquals(3, records.size(), records.toString());
            BusinessMetrics drop = records.get(1);
            assertEquals(0.2, drop.getCtr(), 1e-12);
            assertEquals(0.5, drop.getBaselineCtr(), 1e-12);
            assertEquals(1000L, drop.getBaselineImpressions());
            assertEquals(0.6, drop.getCtrRelativeDrop(), 1e-12);
            // scipy: z = -5.729304817078827, norm.sf(5.729304817078827) = 5.042152298841228e-09
            assertEquals(5.042152298841228e-09, drop.getCtrPValue(), 1e-9 * 5.042152298841228e-09 * 1e3);
            assertEquals(0.5, records.get(0).getCtrPValue(), 1e-12, "equal rates: z = 0");

            List<DriftAlert> alerts = x.f.readAlerts();
            List<DriftAlert> ctr = alerts.stream().filter(a -> a.getSubject().equals(CtrBaseline.SUBJECT)).toList();
            assertEquals(List.of(AlertState.FIRING, AlertState.RESOLVED), ctr.stream().map(DriftAlert::getState).toList());
            DriftAlert firing = ctr.get(0);
            assertEquals(SubjectKind.BUSINESS, firing.getSubjectKind());
            assertEquals(DriftTest.RATE, firing.getTest());
            assertEquals(Severity.CRITICAL, firing.getSeverity(), "a 60 % drop is over the 25 % critical level");
            assertEquals(0.6, firing.getStatistic(), 1e-12);
            assertEquals(0.1, firing.getThreshold(), 0.0);
            assertEquals(5.042152298841228e-09, firing.getPValue(), 1e-12 * 5.042152298841228e-09 * 1e3);
            assertEquals(100, firing.getCurrentSampleSize());
            assertEquals(1000, firing.getReferenceSampleSize());
            assertEquals(T0 + MINUTE, firing.getWindowStart().toEpochMilli());
            assertEquals(T0 + 2 * MINUTE, ctr.get(1).getWindowStart().toEpochMilli());
            assertTrue(firing.getAlertId().startsWith("al-"));

            DriftAlert featureAlert = alerts.stream().filter(a -> a.getSubject().equals("x")
                    && a.getState() == AlertState.FIRING).findFirst().orElseThrow();
            assertEquals(T0 + MINUTE, featureAlert.getWindowStart().toEpochMilli());
            assertNotNull(featureAlert.getBusinessContext(), "a drift alert carries its window's CTR");
            assertEquals(0.2, featureAlert.getBusinessContext().getCurrentCtr(), 1e-12);
            assertEquals(0.5, featureAlert.getBusinessContext().getBaselineCtr(), 1e-12);
            assertEquals(-0.3, featureAlert.getBusinessContext().getCtrDelta(), 1e-12);
        }
    }

    @Test
    void shouldCaptureTheCtrBaselineFromRetainedWindowsAndTestLaterWindowsOnIt() {
        try (Fixture x = new Fixture(settings(PipelineMetrics.NONE), stateDir)) {
            // Windows 0-2: 100 impressions each, 30 / 25 / 35 clicks: 90 of 300 together.
            int[] clicks = {30, 25, 35, 10};
            for (int w = 0; w < 4; w++) {
                for (int i = 0; i < 100; i++) {
                    String id = "w" + w + "-" + i;
                    long t = T0 + w * MINUTE + i * 400L;
                    x.inference(id, t);
                    x.outcome(id, OutcomeType.IMPRESSION, t + 100);
                    if (i < clicks[w]) {
                        x.outcome(id, OutcomeType.CLICK, t + 200);
                    }
                }
            }
            x.inference("late-0", T0 + 3 * MINUTE + 50 * SECOND);
            assertEquals(3, x.business.readValuesToList().size(), "windows 0-2 are closed, window 3 is open");
            ControlCommand capture = ControlCommand.newBuilder().setCommandId("cmd-ctr")
                    .setType(CommandType.CAPTURE_BASELINE).setIssuedAt(Instant.ofEpochMilli(T0)).setIssuedBy("test")
                    .setModelId("m").setModelVersion("1").setSubject(null).setFrom(Instant.ofEpochMilli(T0))
                    .setTo(Instant.ofEpochMilli(T0 + 3 * MINUTE)).setPolicyVersion(null).setParameters(Map.of())
                    .setReason("test").build();
            x.f.control.pipeInput(capture.getCommandId(), capture, Instant.ofEpochMilli(T0 + 4 * MINUTE));
            ControlResult result = x.f.controlResults.readValue();
            assertEquals(CommandStatus.ACCEPTED, result.getStatus(), String.valueOf(result.getReason()));
            Baseline ctr = x.f.baselinesOut.readValuesToList().stream()
                    .filter(b -> b.getFeature().equals(CtrBaseline.SUBJECT)).findFirst().orElseThrow();
            assertEquals(Map.of("click", 90L, "no_click", 210L), ctr.getCategoryCounts());
            assertTrue(result.getDetails().get("ctrBaseline").contains(ctr.getBaselineId()), result.toString());
            // The captured baseline reaches the global store; window 3 (10 of 100) is tested against 90 of 300.
            x.f.baselines.pipeInput(dev.driftwatch.streams.internals.BaselineCodec.key("m", "1", CtrBaseline.SUBJECT),
                    ctr, Instant.EPOCH);
            x.inference("close", T0 + 6 * MINUTE);
            BusinessMetrics w3 = x.business.readValuesToList().get(0);
            assertEquals(T0 + 3 * MINUTE, w3.getWindowStart().toEpochMilli());
            assertEquals(0.3, w3.getBaselineCtr(), 1e-12);
            assertEquals(300L, w3.getBaselineImpressions());
            // pooled (10 + 90) / 400 = 0.25, z = -0.2 / sqrt(0.25 * 0.75 * (1/100 + 1/300)) = -4.0;
            // scipy: norm.sf(4.0) = 3.167124183311998e-05
            assertEquals(3.167124183311998e-05, w3.getCtrPValue(), 1e-15);
        }
    }

    @Test
    void shouldReadOutcomesInTheSubTopologyOfTheirInferencesAndPinItsDescription() throws Exception {
        var description = DriftwatchTopology.build(settings(PipelineMetrics.NONE),
                Topics.defaults(Map.of("schema.registry.url", "mock://describe-business"))).describe();
        var together = description.subtopologies().stream().filter(st -> st.nodes().stream()
                .map(n -> n.name()).toList().containsAll(List.of("summarize-partition", "join-outcomes",
                        "inference-events-source", "outcome-events-source"))).toList();
        assertEquals(1, together.size(), "one sub-topology reads both topics, so no repartition: " + description);
        String actual = description.toString().strip();
        if (Boolean.getBoolean("driftwatch.repin")) {
            // -Ddriftwatch.repin=true rewrites the pinned file in the sources, for a deliberate change.
            java.nio.file.Files.writeString(Path.of("src/test/resources/topology/description-business.txt"),
                    actual + "\n");
            return;
        }
        Path pinned = Path.of(getClass().getResource("/topology/description-business.txt").toURI());
        assertEquals(java.nio.file.Files.readString(pinned).strip(), actual, "the business topology changed: a"
                + " renamed store or topic orphans live state; update description-business.txt on purpose");
    }

    @Test
    void shouldConnectTheRequestStoreBesideTheRoleStoreWhenBothAreEnabled() {
        PipelineSettings both = settings(PipelineMetrics.NONE).withSignals(settings(PipelineMetrics.NONE).signals()
                .with(dev.driftwatch.streams.roles.RoleSettings.defaults(true)));
        String description = DriftwatchTopology.build(both,
                Topics.defaults(Map.of("schema.registry.url", "mock://describe-both"))).describe().toString();
        String line = description.lines().filter(l -> l.contains("Processor: summarize-partition")).findFirst()
                .orElseThrow();
        for (String store : List.of("driftwatch-partition-windows", dev.driftwatch.streams.roles.RoleJoin.STORE,
                OutcomeJoin.STORE)) {
            assertTrue(line.contains(store), line);
        }
    }

    @Test
    void shouldCountARequestInEveryHoppingWindowOfItsInference() {
        PipelineSettings base = settings(PipelineMetrics.NONE);
        PipelineSettings hopping = new PipelineSettings("driftwatch", Duration.ofMinutes(2), Duration.ofMinutes(1),
                Duration.ofSeconds(5), null, 1000, 1024, Duration.ofDays(1), 1, base.policy(), PipelineMetrics.NONE,
                base.signals());
        try (Fixture x = new Fixture(hopping, stateDir)) {
            // "a" at 30 s is in window [-60 s, 60 s) and [0, 120 s); "b" at 90 s in [0, 120 s) and [60 s, 180 s).
            x.inference("a", T0 + 30 * SECOND);
            x.outcome("a", OutcomeType.IMPRESSION, T0 + 31 * SECOND);
            x.inference("b", T0 + 90 * SECOND);
            x.outcome("b", OutcomeType.IMPRESSION, T0 + 91 * SECOND);
            x.outcome("b", OutcomeType.CLICK, T0 + 92 * SECOND);
            x.inference("close", T0 + 10 * MINUTE);
            Map<Long, BusinessMetrics> byStart = new TreeMap<>();
            x.business.readValuesToList().forEach(m -> byStart.put(m.getWindowStart().toEpochMilli() - T0, m));
            assertEquals(List.of(-60_000L, 0L, 60_000L), List.copyOf(byStart.keySet()));
            assertEquals(List.of(1L, 2L, 1L), byStart.values().stream().map(BusinessMetrics::getImpressionCount)
                    .toList());
            assertEquals(List.of(0L, 1L, 1L), byStart.values().stream().map(BusinessMetrics::getClickCount).toList());
        }
    }

    @Test
    void shouldAcceptTheClosingEventOfAnalyzeAndReplayWithALongJoinWindow() {
        // Join window 10 min, max.future.skew.ms 1 min: the closing event of analyze and replay --close-windows,
        // at the last event time + size + grace + J + 1 ms, is 665 s ahead of stream time. The future-skew
        // floor must include the join window, or the closing event is dead-lettered and the window never closes.
        BusinessSettings business = BusinessSettings.enabled(Duration.ofMinutes(10)).withMinImpressions(10);
        PipelineSettings base = settings(PipelineMetrics.NONE);
        PipelineSettings longJoin = new PipelineSettings("driftwatch", Duration.ofMinutes(1), Duration.ofMinutes(1),
                Duration.ofSeconds(5), null, 1000, 1024, Duration.ofMinutes(1), 1, base.policy(), PipelineMetrics.NONE,
                Signals.none().with(business));
        try (Fixture x = new Fixture(longJoin, stateDir)) {
            x.inference("A", T0 + SECOND);
            x.outcome("A", OutcomeType.IMPRESSION, T0 + 2 * SECOND);
            x.inference("close", T0 + SECOND + MINUTE + 5 * SECOND + 10 * MINUTE + 1);
            assertTrue(x.f.deadLetters.isEmpty(), "the closing event is not too far ahead");
            List<BusinessMetrics> records = x.business.readValuesToList();
            assertEquals(1, records.size(), records.toString());
            assertEquals(1, records.get(0).getImpressionCount());
        }
    }

    /** x drifts in window 1 and the CTR falls from 50/100 (the baseline's 500/1000) to 20/100; window 2 is back. */
    private static void ctrDropTraffic(Fixture x) {
        Random r = new Random(7);
        x.f.publishNumericBaseline("m", "1", "x", normal(r, 5000, 0));
        x.f.baselines.pipeInput(dev.driftwatch.streams.internals.BaselineCodec.key("m", "1", CtrBaseline.SUBJECT),
                CtrBaseline.toAvro("m", "1", 1000, 500, "test:ctr", null, null, null), Instant.EPOCH);
        int[] clicks = {50, 20, 50};
        double[] shifts = {0, 1.5, 0};
        for (int w = 0; w < 3; w++) {
            double[] values = normal(r, 100, shifts[w]);
            for (int i = 0; i < 100; i++) {
                String id = "w" + w + "-" + i;
                long t = T0 + w * MINUTE + i * 400L;
                x.inference(id, t, DeploymentRole.PRIMARY, values[i]);
                x.outcome(id, OutcomeType.IMPRESSION, t + 100);
                if (i < clicks[w]) {
                    x.outcome(id, OutcomeType.CLICK, t + 200);
                }
            }
        }
        x.inference("close", T0 + 5 * MINUTE);
    }

    @Test
    void shouldGiveTheSameMetricsAndAlertIdsWhenReplayed(@TempDir Path otherStateDir) {
        List<Object> first = new java.util.ArrayList<>();
        List<Object> second = new java.util.ArrayList<>();
        for (var run : List.of(Map.entry(stateDir, first), Map.entry(otherStateDir, second))) {
            try (Fixture x = new Fixture(settings(PipelineMetrics.NONE), run.getKey())) {
                ctrDropTraffic(x);
                run.getValue().addAll(x.business.readValuesToList());
                run.getValue().addAll(x.f.readAlerts());
            }
        }
        assertTrue(first.stream().anyMatch(o -> o instanceof DriftAlert a && a.getSubject().equals(CtrBaseline.SUBJECT)));
        assertEquals(first, second);
    }

    private static double[] normal(Random r, int n, double shift) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = r.nextGaussian() + shift;
        }
        return out;
    }
}
