package dev.driftwatch.streams.quality;

import dev.driftwatch.detectors.summary.CategoricalBaseline;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ModelOutputs;
import dev.driftwatch.streams.Topics;
import dev.driftwatch.streams.internals.BaselineCache;
import dev.driftwatch.streams.internals.BaselineCodec;
import dev.driftwatch.streams.internals.BaselineLookup;
import dev.driftwatch.streams.internals.EventFeatures;
import dev.driftwatch.streams.internals.Subjects;
import dev.driftwatch.streams.internals.TestBaselineLookups;
import dev.driftwatch.streams.internals.TestEventFeatures;
import dev.driftwatch.streams.internals.WindowBundle;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How often the data-quality observer looks a subject's baseline up. */
class QualityObserverTest {
    private final Topics topics = Topics.defaults(Map.of("schema.registry.url", "mock://quality-observer-test"));

    @Test
    void shouldLookEachSubjectsBaselineUpOnceWhateverHowManyVersionsInterleave() {
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        KeyValueStore<String, byte[]> store = TestBaselineLookups.store(context);
        int versions = 40;
        double[] scores = new double[200];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = (i + 0.5) / scores.length;
        }
        NumericBaseline baseline = NumericBaseline.fromSample(scores, 10, NumericGrid.DEFAULT_RESOLUTION, "test", 1L,
                2L);
        for (int v = 0; v < versions; v++) {
            store.put(BaselineCodec.key("m", "v" + v, Subjects.SCORE), topics.baselines().valueSerde().serializer()
                    .serialize(topics.baselines().name(),
                            BaselineCodec.toAvro("m", "v" + v, Subjects.SCORE, baseline, null)));
        }
        // A cache that keeps no parsed baseline: every look-up that reaches it parses, and is counted.
        BaselineCache cache = new BaselineCache(0);
        BaselineLookup lookup = TestBaselineLookups.on(topics.baselines(), cache, context);
        QualitySignal.QualityObserver observer = new QualitySignal.QualityObserver(lookup, QualitySettings.defaults(),
                new EventFeatures());
        WindowBundle[] windows = new WindowBundle[versions];
        for (int v = 0; v < versions; v++) {
            windows[v] = new WindowBundle("m", "v" + v, "*", 0, 60_000);
        }
        // A platform's traffic: the versions' events interleaved, each version's few events apart.
        int rounds = 5;
        for (int round = 0; round < rounds; round++) {
            for (int v = 0; v < versions; v++) {
                observer.add(windows[v], event("v" + v, round));
            }
        }
        assertEquals(versions, cache.parses(), "baseline look-ups that reached the baselines");
        QualityPart part = (QualityPart) windows[versions - 1].part(QualityPart.NAME);
        assertEquals(rounds, part.subject(Subjects.SCORE).present, "the events counted");
    }

    @Test
    void shouldCountACategoryUnseenByTheSubjectItIsGivenToThoughTheSameStringWasSeenAtTheSamePositionBefore() {
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        KeyValueStore<String, byte[]> store = TestBaselineLookups.store(context);
        putCategorical(store, "a", "x");
        putCategorical(store, "b", "y");
        EventFeatures features = new EventFeatures();
        QualitySignal.QualityObserver observer = new QualitySignal.QualityObserver(
                TestBaselineLookups.on(topics.baselines(), new BaselineCache(16), context), QualitySettings.defaults(),
                features);
        WindowBundle window = new WindowBundle("m", "v1", "*", 0, 60_000);
        // One string object, as the decoder hands out for a repeated value, first given to a (whose reference has
        // it), then at the same position to b (whose reference has not), then to a again.
        String x = new String("x");
        String[] order = {"a", "a", "b", "a", "b", "b"};
        for (int i = 0; i < order.length; i++) {
            Map<String, String> categorical = new LinkedHashMap<>();
            categorical.put(order[i], x);
            InferenceEvent e = event("v1", i);
            e.setCategoricalFeatures(categorical);
            TestEventFeatures.read(features, e);
            observer.add(window, e);
        }
        QualityPart part = (QualityPart) window.part(QualityPart.NAME);
        assertEquals(0, part.subject("a").unseen, "a's category x is its reference's");
        assertEquals(3, part.subject("b").unseen, "x is not among b's reference's categories");
        assertEquals(3, part.subject("a").present, "the events that gave a a value");
    }

    private void putCategorical(KeyValueStore<String, byte[]> store, String subject, String category) {
        CategoricalBaseline baseline = CategoricalBaseline.fromSample(new String[] {category, category}, "test", 1L,
                2L);
        store.put(BaselineCodec.key("m", "v1", subject), topics.baselines().valueSerde().serializer()
                .serialize(topics.baselines().name(), BaselineCodec.toAvro("m", "v1", subject, baseline, null)));
    }

    private static InferenceEvent event(String version, int i) {
        return InferenceEvent.newBuilder().setEventId("e" + version + "-" + i).setRequestId("r" + version + "-" + i)
                .setModelId("m").setModelVersion(version).setEventTime(Instant.ofEpochMilli(1_000 + i))
                .setNumericFeatures(Map.of()).setCategoricalFeatures(Map.of())
                .setOutputs(new ModelOutputs(0.5, null, null)).build();
    }
}
