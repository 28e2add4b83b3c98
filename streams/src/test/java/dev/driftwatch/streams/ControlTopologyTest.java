package dev.driftwatch.streams;

import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.CommandStatus;
import dev.driftwatch.schemas.avro.CommandType;
import dev.driftwatch.schemas.avro.ControlCommand;
import dev.driftwatch.schemas.avro.ControlResult;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.internals.RetainedValues;
import dev.driftwatch.streams.internals.WindowEvaluator;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The control commands on the whole topology: each command's accepted and rejected paths. */
class ControlTopologyTest {
    private static final long MINUTE = 60_000;
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();

    @TempDir
    Path stateDir;

    private final Random random = new Random(11);
    private int commands;

    private PipelineFixture fixture() {
        PipelineFixture f = new PipelineFixture(PipelineSettings.defaults(Duration.ofMinutes(1)), stateDir);
        double[] ref = new double[3000];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = random.nextGaussian();
        }
        f.publishNumericBaseline("m", "1", "x", ref);
        String[] colours = new String[3000];
        for (int i = 0; i < colours.length; i++) {
            colours[i] = random.nextBoolean() ? "red" : "blue";
        }
        f.publishCategoricalBaseline("m", "1", "colour", colours);
        return f;
    }

    /** 300 events of m/1 in window {@code w}; x shifted by {@code shift}. */
    private void window(PipelineFixture f, int w, double shift) {
        for (int i = 0; i < 300; i++) {
            long t = T0 + w * MINUTE + i * 100L;
            f.send(f.event("m", "1", t, Map.of("x", random.nextGaussian() + shift),
                    Map.of("colour", random.nextBoolean() ? "red" : "blue"), null));
        }
    }

    private ControlCommand.Builder command(CommandType type) {
        return ControlCommand.newBuilder()
                .setCommandId("cmd-" + (++commands))
                .setType(type)
                .setIssuedAt(Instant.ofEpochMilli(T0))
                .setIssuedBy("test")
                .setModelId("m")
                .setModelVersion("1")
                .setSubject(null)
                .setFrom(null)
                .setTo(null)
                .setPolicyVersion(null)
                .setParameters(new HashMap<>())
                .setReason("test");
    }

    private static ControlResult send(PipelineFixture f, ControlCommand c, long time) {
        f.control.pipeInput(c.getCommandId(), c, Instant.ofEpochMilli(time));
        List<ControlResult> results = f.controlResults.readValuesToList();
        assertEquals(1, results.size(), "one result per command: " + results);
        assertEquals(c.getCommandId(), results.get(0).getCommandId());
        return results.get(0);
    }

    private static void assertAccepted(ControlResult r) {
        assertEquals(CommandStatus.ACCEPTED, r.getStatus(), () -> "rejected: " + r.getReason());
        assertNull(r.getReason());
    }

    private static void assertRejected(ControlResult r, String reasonPart) {
        assertEquals(CommandStatus.REJECTED, r.getStatus(), () -> "accepted: " + r);
        assertTrue(r.getReason().contains(reasonPart), () -> "reason '" + r.getReason() + "' lacks '" + reasonPart + "'");
    }

    private static List<WindowStats> stats(PipelineFixture f, String subject) {
        return f.readStats().stream().filter(s -> s.getSubject().equals(subject)).collect(Collectors.toList());
    }

    // --- CAPTURE_BASELINE ---------------------------------------------------------------------------

    @Test
    void shouldCaptureBaselinesFromRetainedWindowsAndEvaluateLaterWindowsOnThem() {
        try (PipelineFixture f = fixture()) {
            for (int w = 0; w < 4; w++) {
                window(f, w, 2.0);
            }
            f.readStats();
            ControlCommand capture = command(CommandType.CAPTURE_BASELINE)
                    .setFrom(Instant.ofEpochMilli(T0)).setTo(Instant.ofEpochMilli(T0 + 3 * MINUTE)).build();
            ControlResult r = send(f, capture, T0 + 4 * MINUTE);
            assertAccepted(r);
            assertEquals("3", r.getDetails().get("windows"));
            List<Baseline> published = f.baselinesOut.readValuesToList();
            assertEquals(2, published.size(), "one baseline per subject: " + published);
            for (Baseline b : published) {
                assertEquals(capture.getCommandId(), b.getProvenance().getCommandId());
                assertTrue(b.getProvenance().getSource().startsWith("windows:"), b.getProvenance().getSource());
                assertEquals(900, b.getTotalCount());
                assertTrue(r.getDetails().get("baselineIds").contains(b.getBaselineId()));
            }
            Baseline x = published.stream().filter(b -> b.getFeature().equals("x")).findFirst().orElseThrow();
            assertEquals(2.0, x.getMean(), 0.15, "the captured baseline is the shifted traffic");

            window(f, 4, 2.0);
            window(f, 5, 2.0);
            window(f, 6, 2.0);
            WindowStats later = stats(f, "x").stream()
                    .filter(s -> s.getWindowStart().toEpochMilli() == T0 + 5 * MINUTE).findFirst().orElseThrow();
            assertEquals(x.getBaselineId(), later.getBaselineId());
            assertFalse(later.getDrifting(), "the shifted traffic is the new normal");
        }
    }

    /** The retained-windows store's keys and values. */
    private static Map<String, byte[]> retained(PipelineFixture f) {
        KeyValueStore<String, byte[]> store = f.driver.getKeyValueStore(WindowEvaluator.RETAINED_WINDOWS_STORE);
        Map<String, byte[]> all = new TreeMap<>();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            it.forEachRemaining(kv -> all.put(kv.key, kv.value));
        }
        return all;
    }

    private static Map<String, byte[]> grids(Map<String, byte[]> retained) {
        Map<String, byte[]> grids = new TreeMap<>(retained);
        grids.keySet().removeIf(k -> !RetainedValues.isGrid(k));
        return grids;
    }

    @Test
    void shouldRetainWindowsWithoutTheirGridsKeepingEachGridWhileAWindowUsesIt() {
        ControlSettings keepTwo = new ControlSettings(ControlSettings.DEFAULT_CAPTURE_RETENTION, 2);
        try (PipelineFixture f = new PipelineFixture(PipelineSettings.defaults(Duration.ofMinutes(1)), keepTwo,
                stateDir)) {
            double[] ref = new double[3000];
            for (int i = 0; i < ref.length; i++) {
                ref[i] = random.nextGaussian();
            }
            f.publishNumericBaseline("m", "1", "x", ref);
            for (int w = 0; w < 4; w++) {
                window(f, w, 0.0);
            }
            Map<String, byte[]> before = retained(f);
            Map<String, byte[]> grids = grids(before);
            assertEquals(1, grids.size(), "x's grid, once: " + before.keySet());
            int gridBytes = grids.values().iterator().next().length;
            assertEquals(3, before.size(), "two windows and the grid: " + before.keySet());
            before.forEach((k, v) -> assertTrue(RetainedValues.isGrid(k) || v.length < gridBytes,
                    k + ": " + v.length + " bytes, a grid " + gridBytes));

            // A new baseline: its windows bring its grid; the old one goes with the last window on it.
            for (int i = 0; i < ref.length; i++) {
                ref[i] = 3 + random.nextGaussian();
            }
            f.publishNumericBaseline("m", "1", "x", ref);
            window(f, 4, 3.0);
            window(f, 5, 3.0);
            assertEquals(2, grids(retained(f)).size(), "a window on each: " + retained(f).keySet());
            window(f, 6, 3.0);
            window(f, 7, 3.0);
            Map<String, byte[]> after = grids(retained(f));
            assertEquals(1, after.size(), after.keySet().toString());
            assertFalse(after.keySet().equals(grids.keySet()), "the new baseline's grid");
        }
    }

    @Test
    void shouldCaptureTheSameBaselinesFromWindowsRetainedByEarlierReleases() {
        try (PipelineFixture f = fixture()) {
            for (int w = 0; w < 4; w++) {
                window(f, w, 2.0);
            }
            ControlCommand.Builder capture = command(CommandType.CAPTURE_BASELINE)
                    .setFrom(Instant.ofEpochMilli(T0)).setTo(Instant.ofEpochMilli(T0 + 3 * MINUTE));
            assertAccepted(send(f, capture.build(), T0 + 4 * MINUTE));
            List<Baseline> now = f.baselinesOut.readValuesToList();

            // The windows as an earlier release kept them: whole, grids inline; no grid keys.
            KeyValueStore<String, byte[]> store = f.driver.getKeyValueStore(WindowEvaluator.RETAINED_WINDOWS_STORE);
            Map<String, byte[]> values = retained(f);
            values.forEach((k, v) -> {
                if (!RetainedValues.isGrid(k)) {
                    store.put(k, RetainedValues.selfContained(k, v, values::get));
                }
            });
            values.keySet().stream().filter(RetainedValues::isGrid).forEach(store::delete);
            assertTrue(grids(retained(f)).isEmpty());

            ControlResult again = send(f, capture.setCommandId("cmd-again").build(), T0 + 4 * MINUTE);
            assertAccepted(again);
            assertEquals("3", again.getDetails().get("windows"));
            List<Baseline> earlier = f.baselinesOut.readValuesToList();
            assertEquals(now.size(), earlier.size());
            for (int i = 0; i < now.size(); i++) {
                Baseline a = now.get(i);
                Baseline b = earlier.get(i);
                b.getProvenance().setCommandId(a.getProvenance().getCommandId());
                b.setBaselineId(a.getBaselineId());
                assertEquals(a, b, "the same baseline of " + a.getFeature());
            }
        }
    }

    @Test
    void shouldRejectACaptureWithoutRetainedWindowsOrWithABadRange() {
        try (PipelineFixture f = fixture()) {
            window(f, 0, 0.0);
            window(f, 1, 0.0);
            assertRejected(send(f, command(CommandType.CAPTURE_BASELINE).setModelId("unknown")
                    .setFrom(Instant.ofEpochMilli(T0)).setTo(Instant.ofEpochMilli(T0 + MINUTE)).build(), T0 + 2 * MINUTE),
                    "no windows of model unknown");
            assertRejected(send(f, command(CommandType.CAPTURE_BASELINE)
                    .setFrom(Instant.ofEpochMilli(T0 + MINUTE)).setTo(Instant.ofEpochMilli(T0)).build(), T0 + 2 * MINUTE),
                    "is not before to");
            assertRejected(send(f, command(CommandType.CAPTURE_BASELINE)
                    .setFrom(Instant.ofEpochMilli(T0 + 30 * MINUTE)).setTo(Instant.ofEpochMilli(T0 + 40 * MINUTE))
                    .build(), T0 + 2 * MINUTE), "no retained window");
            assertRejected(send(f, command(CommandType.CAPTURE_BASELINE).build(), T0 + 2 * MINUTE),
                    "needs the range");
            assertTrue(f.baselinesOut.isEmpty(), "nothing published for a rejected capture");
        }
    }

    // --- SET_POLICY ---------------------------------------------------------------------------------

    @Test
    void shouldApplyANewPolicyWithoutARestartAndCiteItsVersion() {
        try (PipelineFixture f = fixture()) {
            window(f, 0, 1.5);
            window(f, 1, 1.5);
            WindowStats before = stats(f, "x").get(0);
            assertTrue(before.getDrifting());
            assertEquals("default", before.getPolicyVersion());
            List<DriftAlert> fired = f.readAlerts();
            assertTrue(fired.stream().anyMatch(a -> a.getSubject().equals("x") && a.getState() == AlertState.FIRING));
            assertTrue(fired.stream().allMatch(a -> a.getPolicyVersion().equals("default")));

            ControlCommand calm = command(CommandType.SET_POLICY).setModelId(null).setModelVersion(null)
                    .setPolicyVersion("calm-1")
                    .setParameters(Map.of("psi.warning", "50", "psi.critical", "60", "js.warning", "50",
                            "js.critical", "60", "wasserstein.warning", "50", "wasserstein.critical", "60",
                            "persistence", "2of3"))
                    .build();
            ControlResult r = send(f, calm, T0 + 2 * MINUTE);
            assertAccepted(r);
            assertEquals("calm-1", r.getDetails().get("policyVersion"));

            window(f, 2, 1.5);
            window(f, 3, 1.5);
            WindowStats after = stats(f, "x").stream()
                    .filter(s -> s.getWindowStart().toEpochMilli() == T0 + 2 * MINUTE).findFirst().orElseThrow();
            assertEquals("calm-1", after.getPolicyVersion());
            assertFalse(after.getDrifting(), "thresholds of the new policy are far above the drift");
            // The evidence of change is still there: with hysteresis the alert resolves once the traffic is back.
            for (int w = 4; w < 9; w++) {
                window(f, w, 0.0);
            }
            List<DriftAlert> resolved = f.readAlerts();
            assertTrue(resolved.stream().anyMatch(a -> a.getSubject().equals("x") && a.getState() == AlertState.RESOLVED
                    && a.getPolicyVersion().equals("calm-1")), "RESOLVED under the new policy: " + resolved);
        }
    }

    @Test
    void shouldPreferTheModelVersionsPolicyOverTheGlobalOne() {
        try (PipelineFixture f = fixture()) {
            assertAccepted(send(f, command(CommandType.SET_POLICY).setModelId(null).setModelVersion(null)
                    .setPolicyVersion("global-2").setParameters(Map.of("alpha", "0.01")).build(), T0));
            assertAccepted(send(f, command(CommandType.SET_POLICY).setPolicyVersion("m1-3")
                    .setParameters(Map.of("dataset.drift.share", "0.9")).build(), T0));
            window(f, 0, 0.0);
            window(f, 1, 0.0);
            assertEquals("m1-3", stats(f, "x").get(0).getPolicyVersion());
        }
    }

    @Test
    void shouldApplyASubjectsOwnPolicyToThatSubjectOnly() {
        try (PipelineFixture f = fixture()) {
            assertAccepted(send(f, command(CommandType.SET_POLICY).setSubject("x").setPolicyVersion("x-calm")
                    .setParameters(Map.of("psi.warning", "50", "psi.critical", "60", "js.warning", "50",
                            "js.critical", "60", "wasserstein.warning", "50", "wasserstein.critical", "60"))
                    .build(), T0));
            window(f, 0, 1.5);
            window(f, 1, 1.5);
            List<WindowStats> all = f.readStats();
            WindowStats x = all.stream().filter(s -> s.getSubject().equals("x")).findFirst().orElseThrow();
            WindowStats colour = all.stream().filter(s -> s.getSubject().equals("colour")).findFirst().orElseThrow();
            assertEquals("x-calm", x.getPolicyVersion());
            assertFalse(x.getDrifting(), "x's own thresholds are far above the drift");
            assertEquals("default", colour.getPolicyVersion());
            assertTrue(f.readAlerts().stream().noneMatch(a -> a.getSubject().equals("x")));
        }
    }

    @Test
    void shouldRejectAPolicyWithABadParameterNamingIt() {
        try (PipelineFixture f = fixture()) {
            assertRejected(send(f, command(CommandType.SET_POLICY).setPolicyVersion("2")
                    .setParameters(Map.of("alpha", "2")).build(), T0), "alpha");
            assertRejected(send(f, command(CommandType.SET_POLICY).setPolicyVersion("2")
                    .setParameters(Map.of("psi.warnin", "0.2")).build(), T0), "psi.warnin");
            assertRejected(send(f, command(CommandType.SET_POLICY).setPolicyVersion("2")
                    .setParameters(Map.of("psi.warning", "0.5", "psi.critical", "0.2")).build(), T0), "psi");
            assertRejected(send(f, command(CommandType.SET_POLICY).setPolicyVersion("2")
                    .setParameters(Map.of("persistence", "5of3")).build(), T0), "persistence");
            assertRejected(send(f, command(CommandType.SET_POLICY)
                    .setParameters(Map.of("alpha", "0.01")).build(), T0), "policyVersion");
            window(f, 0, 0.0);
            window(f, 1, 0.0);
            assertEquals("default", stats(f, "x").get(0).getPolicyVersion(), "no rejected policy took effect");
        }
    }

    // --- MUTE / UNMUTE ------------------------------------------------------------------------------

    @Test
    void shouldMuteAlertsUntilUnmutedWhileStillTrackingState() {
        try (PipelineFixture f = fixture()) {
            assertAccepted(send(f, command(CommandType.MUTE).setSubject("x").build(), T0));
            window(f, 0, 1.5);
            window(f, 1, 1.5);
            assertTrue(stats(f, "x").get(0).getDrifting(), "statistics are still emitted");
            assertTrue(f.readAlerts().stream().noneMatch(a -> a.getSubject().equals("x")), "x is muted");

            assertAccepted(send(f, command(CommandType.UNMUTE).setSubject("x").build(), T0 + 2 * MINUTE));
            window(f, 2, 0.0);
            window(f, 3, 0.0);
            window(f, 4, 0.0);
            window(f, 5, 0.0);
            window(f, 6, 0.0);
            List<DriftAlert> alerts = f.readAlerts().stream().filter(a -> a.getSubject().equals("x")).toList();
            // the FIRING of window 0 was tracked while muted: the return to normal resolves it, visibly
            assertEquals(1, alerts.size(), alerts::toString);
            assertEquals(AlertState.RESOLVED, alerts.get(0).getState());
        }
    }

    @Test
    void shouldMuteAModelVersionUntilATimeOnly() {
        try (PipelineFixture f = fixture()) {
            assertAccepted(send(f, command(CommandType.MUTE)
                    .setTo(Instant.ofEpochMilli(T0 + MINUTE)).build(), T0));
            window(f, 0, 0.0);
            window(f, 1, 1.5);
            window(f, 2, 1.5);
            List<DriftAlert> alerts = f.readAlerts();
            assertTrue(alerts.stream().anyMatch(a -> a.getSubject().equals("x") && a.getState() == AlertState.FIRING
                    && a.getWindowEnd().toEpochMilli() == T0 + 2 * MINUTE), "the mute ended at window 1's end: " + alerts);
        }
    }

    @Test
    void shouldRejectAnUnmuteOfWhatIsNotMutedAndAMuteWithoutModelOrInThePast() {
        try (PipelineFixture f = fixture()) {
            assertRejected(send(f, command(CommandType.UNMUTE).setSubject("x").build(), T0), "is not muted");
            assertRejected(send(f, command(CommandType.MUTE).setModelId(null).build(), T0), "needs a modelId");
            assertRejected(send(f, command(CommandType.MUTE).setTo(Instant.ofEpochMilli(T0 - 1)).build(), T0),
                    "is not after");
        }
    }

    // --- ACKNOWLEDGE --------------------------------------------------------------------------------

    @Test
    void shouldAcknowledgeAKnownAlertAndRejectAnUnknownOne() {
        try (PipelineFixture f = fixture()) {
            window(f, 0, 1.5);
            window(f, 1, 1.5);
            DriftAlert fired = f.readAlerts().stream().filter(a -> a.getSubject().equals("x")).findFirst()
                    .orElseThrow();
            ControlResult ok = send(f, command(CommandType.ACKNOWLEDGE)
                    .setParameters(Map.of("alertId", fired.getAlertId())).build(), T0 + 2 * MINUTE);
            assertAccepted(ok);
            assertEquals(fired.getAlertId(), ok.getDetails().get("alertId"));
            assertRejected(send(f, command(CommandType.ACKNOWLEDGE)
                    .setParameters(Map.of("alertId", "al-00000000000000000000")).build(), T0 + 2 * MINUTE), "not known");
            assertRejected(send(f, command(CommandType.ACKNOWLEDGE).build(), T0 + 2 * MINUTE), "alertId");
        }
    }

    // --- malformed, unknown, re-delivered -----------------------------------------------------------

    @Test
    void shouldRejectUnreadableCommandsAndUnknownTypesWithoutStopping() {
        try (PipelineFixture f = fixture()) {
            f.rawControl.pipeInput("junk-1".getBytes(StandardCharsets.UTF_8),
                    new byte[] {0, 0, 0, 0, 99, 1, 2}, Instant.ofEpochMilli(T0));
            List<ControlResult> junk = f.controlResults.readValuesToList();
            assertEquals(1, junk.size());
            assertEquals("junk-1", junk.get(0).getCommandId());
            assertRejected(junk.get(0), "cannot be read");
            assertNull(junk.get(0).getCommandType());

            assertRejected(send(f, command(CommandType.UNKNOWN).build(), T0), "not known");
            assertRejected(send(f, command(CommandType.MUTE).setCommandId("c".repeat(300)).build(), T0), "commandId");

            window(f, 0, 0.0);
            window(f, 1, 0.0);
            assertFalse(stats(f, "x").isEmpty(), "the pipeline goes on");
        }
    }

    @Test
    void shouldAnswerARedeliveredCommandWithItsFirstResultAndApplyItOnce() {
        try (PipelineFixture f = fixture()) {
            ControlCommand mute = command(CommandType.MUTE).setSubject("x").build();
            ControlResult first = send(f, mute, T0);
            assertAccepted(first);
            assertAccepted(send(f, command(CommandType.UNMUTE).setSubject("x").build(), T0 + 1));
            ControlResult again = send(f, mute, T0 + 2);
            assertEquals(first, again, "the same result, processedAt included");
            // applied once: the unmute above still holds
            assertRejected(send(f, command(CommandType.UNMUTE).setSubject("x").build(), T0 + 3), "is not muted");
        }
    }
}
