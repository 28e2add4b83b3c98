package dev.driftwatch.streams.analyze;

import dev.driftwatch.detectors.BinEdges;
import dev.driftwatch.detectors.Missing;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.FeatureKind;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.demo.DemoRun;
import dev.driftwatch.streams.demo.SampleTraffic;
import dev.driftwatch.streams.internals.Subjects;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OfflineAnalysisTest {
    private static final SampleTraffic.Plan PLAN = new SampleTraffic.Plan(3, 100, 5, Duration.ofMinutes(1),
            Instant.parse("2026-11-01T09:00:00Z").toEpochMilli(), 9);

    @Test
    void shouldCloseTheLastWindowWithoutCountingTheClosingEventAnywhere() {
        List<Baseline> baselines = SampleTraffic.baselines(9, 1000);
        OfflineAnalysis.Result r = OfflineAnalysis.run(PipelineSettings.defaults(Duration.ofMinutes(1))
                .withGrace(Duration.ofSeconds(5)), baselines, sink -> SampleTraffic.events(PLAN, sink));
        assertEquals(600, r.events());
        assertEquals(PLAN.windows() * 2 * DemoRun.subjectsPerWindow(), r.stats().size());
        Set<Instant> starts = r.stats().stream().map(WindowStats::getWindowStart).collect(Collectors.toSet());
        assertEquals(PLAN.windows(), starts.size(), "every window closed, the last one included");
        for (WindowStats s : r.stats()) {
            assertTrue(s.getModelId().equals(DemoRun.MODEL), "only the traffic's model: " + s.getModelId());
            assertEquals(PLAN.eventsPerWindow(), s.getSampleSize() + s.getMissingCount(), s.toString());
        }
    }

    @Test
    void shouldCountEachWindowOnTheBaselineBinsAsThePipelineCountsIt() {
        List<Baseline> baselines = SampleTraffic.baselines(9, 1000);
        OfflineAnalysis.Result r = OfflineAnalysis.run(PipelineSettings.defaults(Duration.ofMinutes(1)), baselines,
                sink -> SampleTraffic.events(PLAN, sink));
        for (WindowStats s : r.stats()) {
            WindowHistograms.Counts c = r.histograms().get(s.getModelId(), s.getModelVersion(), s.getSubject(),
                    s.getWindowStart().toEpochMilli());
            Baseline b = r.histograms().baseline(s.getModelId(), s.getModelVersion(), s.getSubject());
            assertEquals(s.getSampleSize(), c.total(), s.getSubject());
            if (b.getKind() == FeatureKind.NUMERIC) {
                assertEquals(b.getBinEdges().size() + 1, c.bins().length);
            }
        }
    }

    /**
     * The report's histograms, counted here from the events themselves: the baseline's bins for a numeric subject
     * (a value on an edge included), categories for a categorical one, missing values and a late event left out.
     */
    @Test
    void shouldHistogramEveryWindowAsCountedFromItsEvents() {
        List<Baseline> baselines = SampleTraffic.baselines(9, 1000);
        Map<String, Baseline> byKey = new HashMap<>();
        baselines.forEach(b -> byKey.put(b.getModelVersion() + "/" + b.getFeature(), b));
        long size = Duration.ofMinutes(1).toMillis();
        long grace = Duration.ofSeconds(5).toMillis();
        List<InferenceEvent> events = new ArrayList<>();
        SampleTraffic.events(PLAN, events::add);
        // The last window: a value on a bin edge, a missing number, a blank category; then a late event.
        InferenceEvent last = events.get(events.size() - 1);
        Baseline age = byKey.get(last.getModelVersion() + "/age");
        Map<String, Double> numeric = new HashMap<>(last.getNumericFeatures());
        numeric.put("age", age.getBinEdges().get(3));
        numeric.put("income", Double.NaN);
        Map<String, String> categorical = new HashMap<>(last.getCategoricalFeatures());
        categorical.put("country", " ");
        events.add(InferenceEvent.newBuilder(last).setEventId("edge").setRequestId("edge").setNumericFeatures(numeric)
                .setCategoricalFeatures(categorical).build());
        events.add(InferenceEvent.newBuilder(events.get(0)).setEventId("late").setRequestId("late").build());

        Map<String, long[]> bins = new HashMap<>();
        Map<String, Map<String, Long>> categories = new HashMap<>();
        long streamTime = Long.MIN_VALUE;
        for (InferenceEvent e : events) {
            long time = e.getEventTime().toEpochMilli();
            streamTime = Math.max(streamTime, time);
            long start = time - Math.floorMod(time, size);
            if (start + size + grace <= streamTime) {
                continue; // late: the pipeline drops it
            }
            Map<String, Object> values = new HashMap<>(e.getNumericFeatures());
            values.putAll(e.getCategoricalFeatures());
            values.put(Subjects.SCORE, e.getOutputs().getScore());
            values.put(Subjects.CONFIDENCE, e.getOutputs().getConfidence());
            values.put(Subjects.LABEL, e.getOutputs().getLabel());
            for (Map.Entry<String, Object> v : values.entrySet()) {
                Baseline b = byKey.get(e.getModelVersion() + "/" + v.getKey());
                String key = e.getModelVersion() + "/" + v.getKey() + "/" + start;
                if (v.getValue() instanceof Double d && !Missing.isMissing(d)) {
                    BinEdges edges = BinEdges.of(b.getBinEdges().stream().mapToDouble(Double::doubleValue).toArray());
                    bins.computeIfAbsent(key, k -> new long[edges.binCount()])[edges.binOf(d)]++;
                } else if (v.getValue() instanceof String c && !Missing.isMissing(c)) {
                    categories.computeIfAbsent(key, k -> new TreeMap<>()).merge(c, 1L, Long::sum);
                }
            }
        }

        OfflineAnalysis.Result r = OfflineAnalysis.run(PipelineSettings.defaults(Duration.ofMinutes(1))
                .withGrace(Duration.ofSeconds(grace / 1000)), baselines, sink -> events.forEach(sink));
        assertEquals(events.size(), r.events());
        int compared = 0;
        for (Baseline b : baselines) {
            for (int w = 0; w < PLAN.windows(); w++) {
                long start = PLAN.startMillis() + w * size;
                String key = b.getModelVersion() + "/" + b.getFeature() + "/" + start;
                WindowHistograms.Counts c = r.histograms().get(DemoRun.MODEL, b.getModelVersion(), b.getFeature(),
                        start);
                assertNotNull(c, key);
                if (b.getKind() == FeatureKind.NUMERIC) {
                    assertArrayEquals(bins.get(key), c.bins(), key);
                    assertEquals(LongStream.of(bins.get(key)).sum(), c.total(), key);
                } else {
                    assertEquals(categories.get(key), c.categories(), key);
                    assertEquals(categories.get(key).values().stream().mapToLong(Long::longValue).sum(), c.total(),
                            key);
                }
                compared++;
            }
        }
        assertEquals(PLAN.windows() * baselines.size(), compared);
        long lastStart = PLAN.startMillis() + (PLAN.windows() - 1) * size;
        assertEquals(PLAN.eventsPerWindow() + 1, r.histograms().get(DemoRun.MODEL, last.getModelVersion(), "age",
                lastStart).total(), "the value on an edge is counted");
        assertEquals(PLAN.eventsPerWindow(), r.histograms().get(DemoRun.MODEL, last.getModelVersion(), "income",
                lastStart).total(), "the missing income is not");
    }
}
