package dev.driftwatch.streams.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.demo.DemoRun;
import dev.driftwatch.streams.demo.SampleTraffic;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnalysisJsonTest {
    private static final SampleTraffic.Plan PLAN = new SampleTraffic.Plan(4, 400, 2, Duration.ofMinutes(1),
            Instant.parse("2026-11-01T09:00:00Z").toEpochMilli(), 13);

    /**
     * The JSON's dataset verdict of each model version, against the counts made here from its own window
     * statistics: in each window, the features judged (evidence, enough data) and those drifting; the worst
     * window has the largest share; the version has drifted when that share reaches the policy's threshold.
     */
    @Test
    void shouldGiveEachModelVersionsDatasetVerdictInItsWorstWindow() throws Exception {
        PipelineSettings settings = PipelineSettings.defaults(Duration.ofMinutes(1));
        OfflineAnalysis.Result r = OfflineAnalysis.run(settings, SampleTraffic.baselines(13, 2000),
                sink -> SampleTraffic.events(PLAN, sink));
        JsonNode json = new ObjectMapper().readTree(AnalysisJson.render(r));

        Map<String, Map<Long, int[]>> counts = new TreeMap<>(); // version -> window start -> {drifted, judged}
        for (JsonNode s : json.get("window_stats")) {
            if (!s.get("subjectKind").asText().equalsIgnoreCase("feature") || s.get("evidence").isNull()
                    || s.get("insufficientData").asBoolean()) {
                continue;
            }
            int[] c = counts.computeIfAbsent(s.get("modelVersion").asText(), k -> new TreeMap<>())
                    .computeIfAbsent(s.get("windowStart").asLong(), k -> new int[2]);
            c[0] += s.get("drifting").asBoolean() ? 1 : 0;
            c[1]++;
        }
        JsonNode verdicts = json.get("dataset_verdicts");
        assertEquals(2, verdicts.size());
        assertEquals(DemoRun.DRIFTING_VERSION, verdicts.get(0).get("model_version").asText(), "the drifted first");
        double threshold = settings.policy().datasetDriftShare();
        for (JsonNode v : verdicts) {
            Map<Long, int[]> windows = counts.get(v.get("model_version").asText());
            double worstShare = windows.values().stream().mapToDouble(c -> (double) c[0] / c[1]).max().orElseThrow();
            int[] worst = windows.get(v.get("worst_window_start").asLong());
            assertEquals(DemoRun.MODEL, v.get("model_id").asText());
            assertEquals(worstShare, (double) worst[0] / worst[1], 1e-12, "the worst window has the largest share");
            assertEquals(worst[0], v.get("drifted_features").asInt());
            assertEquals(worst[1], v.get("judged_features").asInt());
            assertEquals(worstShare, v.get("drifted_share").asDouble(), 1e-12);
            assertEquals(threshold, v.get("share_threshold").asDouble(), 1e-12);
            assertEquals(v.get("worst_window_start").asLong() + 60_000, v.get("worst_window_end").asLong());
            assertEquals(worstShare >= threshold, v.get("drifted").asBoolean());
            assertEquals(PLAN.windows(), v.get("windows").asInt());
            assertEquals(windows.values().stream().filter(c -> (double) c[0] / c[1] >= threshold).count(),
                    v.get("windows_with_dataset_drift").asLong());
        }
        assertTrue(verdicts.get(0).get("drifted_share").asDouble() > verdicts.get(1).get("drifted_share").asDouble(),
                verdicts.toString());
        assertFalse(json.get("window_stats").isEmpty());
        assertTrue(json.has("alerts"));
    }
}
