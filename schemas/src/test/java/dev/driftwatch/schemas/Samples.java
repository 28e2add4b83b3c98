package dev.driftwatch.schemas;

import dev.driftwatch.schemas.avro.DeploymentRole;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ModelOutputs;
import java.time.Instant;
import java.util.Map;

/** Fixed sample records for tests. */
public final class Samples {
    private Samples() {
    }

    public static InferenceEvent inferenceEvent() {
        return InferenceEvent.newBuilder()
                .setEventId("evt-1")
                .setRequestId("req-1")
                .setModelId("ctr-ranker")
                .setModelVersion("v7")
                .setRole(DeploymentRole.CANARY)
                .setEventTime(Instant.ofEpochMilli(1_717_000_000_123L))
                .setNumericFeatures(Map.of("age", 42.5))
                .setCategoricalFeatures(Map.of("country", "FR"))
                .setOutputs(new ModelOutputs(0.73, "click", 0.9))
                .setLatencyMs(12.5)
                .setTokensIn(100L)
                .setTokensOut(20L)
                .setCost(0.0021)
                .setErrorCode(null)
                .setSegment(Map.of("region", "eu-west"))
                .build();
    }
}
