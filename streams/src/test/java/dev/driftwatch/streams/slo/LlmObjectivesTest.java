package dev.driftwatch.streams.slo;

import dev.driftwatch.schemas.avro.DeploymentRole;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ModelOutputs;
import dev.driftwatch.streams.internals.WindowBundle;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The objectives on cost per call and output tokens. */
class LlmObjectivesTest {
    private static InferenceEvent call(long tokensOut, Double cost) {
        return InferenceEvent.newBuilder()
                .setEventId("e").setRequestId("r").setModelId("m").setModelVersion("1")
                .setRole(DeploymentRole.PRIMARY).setEventTime(Instant.ofEpochMilli(1_000))
                .setNumericFeatures(Map.of()).setCategoricalFeatures(Map.of())
                .setOutputs(ModelOutputs.newBuilder().build())
                .setLatencyMs(10.0).setTokensIn(5L).setTokensOut(tokensOut).setCost(cost).setErrorCode(null)
                .setSegment(Map.of()).build();
    }

    private static WindowBundle window(ServiceLevelPart part) {
        WindowBundle b = new WindowBundle("m", "1", "*", 0, 60_000);
        b.putPart(part);
        return b;
    }

    @Test
    void shouldParseBothObjectivesAndRefuseThemWithoutATargetOrWithTheWrongBound() {
        ServiceLevelObjective cost = ServiceLevelObjective.parse("cost:cost.per.call<=0.002@0.99");
        assertEquals("cost:cost.per.call<=0.002@0.99", cost.text());
        ServiceLevelObjective tokens = ServiceLevelObjective.parse("tokens:tokens.out.p95<=800@0.95");
        assertEquals("tokens:tokens.out.p95<=800@0.95", tokens.text());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServiceLevelObjective.parse("cost:cost.per.call<=0.002"));
        assertTrue(e.getMessage().contains("@0.99"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ServiceLevelObjective.parse("t:tokens.out.p95>=800@0.9"));
        assertThrows(IllegalArgumentException.class, () -> ServiceLevelObjective.parse("t:tokens.out.p95<=0@0.9"));
    }

    @Test
    void shouldJudgeAWindowByItsMeanCostPerCallAndItsTokensP95() {
        ServiceLevelIndicator cost = ServiceLevelObjective.parse("c:cost.per.call<=0.002@0.99").indicator();
        ServiceLevelIndicator tokens = ServiceLevelObjective.parse("t:tokens.out.p95<=800@0.99").indicator();
        ServiceLevelPart cheap = new ServiceLevelPart();
        ServiceLevelPart dear = new ServiceLevelPart();
        for (int i = 1; i <= 100; i++) {
            cheap.add(call(i * 8L, i % 2 == 0 ? 0.001 : null), 0.5); // p95 of 8..800 = 760; cost 0.001 per call
            dear.add(call(i * 9L, 0.003), 0.5); // p95 = 855
        }
        assertEquals(ServiceLevelIndicator.Counts.window(true), cost.measure(window(cheap), null));
        assertEquals(ServiceLevelIndicator.Counts.window(false), cost.measure(window(dear), null));
        assertEquals(ServiceLevelIndicator.Counts.window(true), tokens.measure(window(cheap), null));
        assertEquals(ServiceLevelIndicator.Counts.window(false), tokens.measure(window(dear), null));
        assertNull(cost.measure(window(new ServiceLevelPart()), null), "no call with a cost: not judged");
    }

    @Test
    void shouldReadAPartWrittenBeforeTheTokenSummaryWithAnEmptyOne() throws IOException {
        ServiceLevelPart part = new ServiceLevelPart();
        part.add(call(100, 0.001), 0.5);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        part.write(new DataOutputStream(bytes));
        byte[] v2 = bytes.toByteArray();
        int summary = v2.length - lengthOfEmptyTokenSummaryAfter(part);
        byte[] v1 = java.util.Arrays.copyOf(v2, summary);
        v1[0] = 1;
        ServiceLevelPart old = ServiceLevelPart.read(new DataInputStream(new ByteArrayInputStream(v1)));
        assertEquals(1, old.requests());
        assertEquals(100, old.tokensOut());
        assertEquals(0, old.tokensOutSummary().count());
        ServiceLevelPart now = ServiceLevelPart.read(new DataInputStream(new ByteArrayInputStream(v2)));
        assertEquals(1, now.tokensOutSummary().count());
    }

    /** The bytes of the part's token summary (the last thing version 2 writes). */
    private static int lengthOfEmptyTokenSummaryAfter(ServiceLevelPart part) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        part.tokensOutSummary().write(new DataOutputStream(bytes));
        return bytes.size();
    }
}
