package dev.driftwatch.streams.slo;

import dev.driftwatch.schemas.avro.DeploymentRole;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ModelOutputs;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.internals.WindowBundle;
import dev.driftwatch.streams.internals.WindowParts;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ServiceLevelPartTest {
    /** Reads this signal's window parts back. */
    private static final WindowParts PARTS = WindowParts.of(List.of(new ServiceLevelSignal(
            PipelineSettings.defaults(Duration.ofMinutes(1)))));

    private static InferenceEvent event(Random r, int i) {
        return InferenceEvent.newBuilder()
                .setEventId("e" + i).setRequestId("r" + i).setModelId("m").setModelVersion("1")
                .setRole(DeploymentRole.PRIMARY).setEventTime(Instant.ofEpochMilli(1_000 + i))
                .setNumericFeatures(Map.of()).setCategoricalFeatures(Map.of())
                .setOutputs(ModelOutputs.newBuilder().setScore(null).setLabel(null)
                        .setConfidence(i % 7 == 0 ? null : r.nextDouble()).build())
                .setLatencyMs(i % 11 == 0 ? null : Math.exp(r.nextGaussian() + 5))
                .setTokensIn((long) r.nextInt(500)).setTokensOut((long) r.nextInt(900))
                .setCost(i % 3 == 0 ? null : r.nextDouble() / 1000)
                .setErrorCode(i % 13 == 0 ? "E" : null)
                .setSegment(Map.of())
                .build();
    }

    private static WindowBundle bundle(ServiceLevelPart... parts) {
        WindowBundle b = new WindowBundle("m", "1", "*", 0, 300_000);
        for (ServiceLevelPart p : parts) {
            WindowBundle other = new WindowBundle("m", "1", "*", 0, 300_000);
            other.putPart(p);
            b.merge(other);
        }
        return b;
    }

    @Test
    void shouldGiveTheSameBytesWhateverTheMergeOrderAndReadThemBack() {
        Random r = new Random(11);
        InferenceEvent[] events = new InferenceEvent[3000];
        for (int i = 0; i < events.length; i++) {
            events[i] = event(r, i);
        }
        ServiceLevelPart whole = new ServiceLevelPart();
        ServiceLevelPart[] thirds = {new ServiceLevelPart(), new ServiceLevelPart(), new ServiceLevelPart()};
        for (int i = 0; i < events.length; i++) {
            whole.add(events[i], 0.5);
            thirds[i % 3].add(events[i], 0.5);
        }
        byte[] one = bundle(whole).toBytes();
        byte[] forward = bundle(thirds[0], thirds[1], thirds[2]).toBytes();
        Random s = new Random(5);
        ServiceLevelPart[] again = {new ServiceLevelPart(), new ServiceLevelPart(), new ServiceLevelPart()};
        Integer[] order = new Integer[events.length];
        Arrays.setAll(order, i -> i);
        java.util.Collections.shuffle(Arrays.asList(order), s);
        for (int i : order) {
            again[i % 3].add(events[i], 0.5);
        }
        byte[] backward = bundle(again[2], again[0], again[1]).toBytes();
        assertArrayEquals(one, forward, "merged partitions = one partition");
        assertArrayEquals(one, backward, "costs in nano-units: no dependence on order");
        ServiceLevelPart back = (ServiceLevelPart) WindowBundle.fromBytes(one, PARTS).part(ServiceLevelPart.NAME);
        assertEquals(3000, back.requests());
        assertEquals(whole.errors(), back.errors());
        assertEquals((3000 + 12) / 13, back.errors(), "i = 0, 13, ..., 2990");
        assertEquals(whole.cost(), back.cost(), 0.0);
        assertEquals(2000, back.costCount(), "i not a multiple of 3");
        assertEquals(whole.latency().quantile(0.95), back.latency().quantile(0.95), 0.0);
        assertEquals(3000 - (3000 + 10) / 11, back.latency().count());
        assertEquals(3000 - (3000 + 6) / 7, back.confidenceCount());
    }
}
