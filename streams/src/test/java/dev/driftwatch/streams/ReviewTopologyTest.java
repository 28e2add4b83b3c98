package dev.driftwatch.streams;

import dev.driftwatch.schemas.avro.DeploymentRole;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ModelOutputs;
import dev.driftwatch.schemas.avro.ReviewRequest;
import dev.driftwatch.streams.review.ReviewSettings;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Low-confidence inferences copied to the review topic, on the whole topology. */
class ReviewTopologyTest {
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();

    @TempDir
    Path stateDir;

    private static PipelineSettings settings(ReviewSettings review) {
        return PipelineSettings.defaults(Duration.ofMinutes(1))
                .withSignals(Signals.none().with(review));
    }

    private static InferenceEvent event(String request, String version, DeploymentRole role, Double confidence,
                                        long time) {
        return InferenceEvent.newBuilder()
                .setEventId("evt-" + request)
                .setRequestId(request)
                .setModelId("m")
                .setModelVersion(version)
                .setRole(role)
                .setEventTime(Instant.ofEpochMilli(time))
                .setNumericFeatures(Map.of("x", 1.5))
                .setCategoricalFeatures(Map.of("country", "FR"))
                .setOutputs(ModelOutputs.newBuilder().setScore(0.25).setLabel("spam").setConfidence(confidence)
                        .build())
                .setLatencyMs(12.0)
                .setTokensIn(null)
                .setTokensOut(null)
                .setCost(null)
                .setErrorCode(null)
                .setSegment(Map.of("region", "eu"))
                .build();
    }

    private static TestOutputTopic<String, ReviewRequest> reviewTopic(PipelineFixture f) {
        return f.driver.createOutputTopic(f.topics.review().name(), Serdes.String().deserializer(),
                f.topics.review().valueSerde().deserializer());
    }

    @Test
    void shouldCopyOnlyConfidencesStrictlyBelowTheThreshold() {
        try (PipelineFixture f = new PipelineFixture(settings(new ReviewSettings(true, 0.5)), stateDir)) {
            f.send(event("below", "1", DeploymentRole.PRIMARY, 0.31, T0));
            f.send(event("at", "1", DeploymentRole.PRIMARY, 0.5, T0 + 1));
            f.send(event("above", "1", DeploymentRole.PRIMARY, 0.9, T0 + 2));
            f.send(event("none", "1", DeploymentRole.PRIMARY, null, T0 + 3));
            f.send(event("shadow-low", "2", DeploymentRole.SHADOW, 0.0, T0 + 4));
            List<KeyValue<String, ReviewRequest>> copies = reviewTopic(f).readKeyValuesToList();
            assertEquals(List.of("below", "shadow-low"), copies.stream().map(kv -> kv.key).toList(),
                    "0.31 and 0.0 are below 0.5; 0.5 itself, 0.9 and no confidence are not");
            ReviewRequest r = copies.get(0).value;
            assertEquals("evt-below", r.getEventId());
            assertEquals("below", r.getRequestId());
            assertEquals("m", r.getModelId());
            assertEquals("1", r.getModelVersion());
            assertEquals("PRIMARY", r.getRole());
            assertEquals(Instant.ofEpochMilli(T0), r.getEventTime());
            assertEquals("confidence 0.31 below the review threshold 0.5 (review.confidence.threshold)", r.getReason());
            assertEquals(0.31, r.getConfidence(), 0.0);
            assertEquals(0.5, r.getThreshold(), 0.0);
            assertEquals(0.25, r.getScore(), 0.0);
            assertEquals("spam", r.getLabel());
            assertEquals(Map.of("x", 1.5), r.getNumericFeatures());
            assertEquals(Map.of("country", "FR"), r.getCategoricalFeatures());
            assertEquals(Map.of("region", "eu"), r.getSegment());
            ReviewRequest shadow = copies.get(1).value;
            assertEquals("SHADOW", shadow.getRole());
            assertEquals("2", shadow.getModelVersion());
            assertEquals("confidence 0 below the review threshold 0.5 (review.confidence.threshold)",
                    shadow.getReason());
        }
    }

    @Test
    void shouldCopyNothingWhenReviewIsDisabled() {
        try (PipelineFixture f = new PipelineFixture(settings(new ReviewSettings(false, 0.5)), stateDir)) {
            f.send(event("below", "1", DeploymentRole.PRIMARY, 0.1, T0));
            assertTrue(reviewTopic(f).isEmpty());
        }
    }

    @Test
    void shouldCopyAnInvalidEventNeverAndALateOneStill() {
        try (PipelineFixture f = new PipelineFixture(settings(new ReviewSettings(true, 0.5)), stateDir)) {
            InferenceEvent invalid = event("invalid", "1", DeploymentRole.PRIMARY, 0.1, T0);
            invalid.setModelVersion("");
            f.send(invalid);
            f.send(event("later", "1", DeploymentRole.PRIMARY, 0.9, T0 + 5 * 60_000));
            // After its window closed: dropped from the statistics (counted late) but still a person's business.
            f.send(event("late", "1", DeploymentRole.PRIMARY, 0.2, T0 + 1000));
            assertEquals(List.of("late"), reviewTopic(f).readKeyValuesToList().stream().map(kv -> kv.key).toList());
            assertEquals(1, f.deadLetters.readValuesToList().size());
        }
    }
}
