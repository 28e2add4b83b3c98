package dev.driftwatch.streams.quality;

import dev.driftwatch.detectors.summary.CategoricalBaseline;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ModelOutputs;
import dev.driftwatch.streams.PipelineMetrics;
import dev.driftwatch.streams.Topics;
import dev.driftwatch.streams.internals.BaselineCache;
import dev.driftwatch.streams.internals.BaselineCodec;
import dev.driftwatch.streams.internals.BaselineLoader;
import dev.driftwatch.streams.internals.BaselineLookup;
import dev.driftwatch.streams.internals.EventFeatures;
import dev.driftwatch.streams.internals.Subjects;
import dev.driftwatch.streams.internals.TestBaselineLookups;
import dev.driftwatch.streams.internals.TestEventFeatures;
import dev.driftwatch.streams.internals.WindowBundle;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
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
        // A version's later events find its references through their window, not among every version's.
        assertEquals(versions, observer.versionLookups(), "versions looked up among all, one per window");
        WindowBundle[] next = new WindowBundle[versions];
        for (int round = 0; round < rounds; round++) {
            for (int v = 0; v < versions; v++) {
                if (next[v] == null) {
                    next[v] = new WindowBundle("m", "v" + v, "*", 60_000, 120_000);
                }
                observer.add(next[v], event("v" + v, rounds + round));
            }
        }
        assertEquals(2L * versions, observer.versionLookups(), "one look-up per window of each version");
        assertEquals(versions, cache.parses(), "the references kept for the versions' next windows");
    }

    @Test
    void shouldStartEachPositionsKnownCategoriesOncePerVersionWhateverHowManyVersionsInterleave() {
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        KeyValueStore<String, byte[]> store = TestBaselineLookups.store(context);
        int versions = 1000;
        String[] subjects = {"a", "b", "c"};
        // one baseline per subject, published under every version's key (as shared baselines are)
        CategoricalBaseline baseline = CategoricalBaseline.fromSample(new String[] {"x", "y", "z"}, "test", 1L, 2L);
        for (int v = 0; v < versions; v++) {
            for (String subject : subjects) {
                store.put(BaselineCodec.key("m", "v" + v, subject), topics.baselines().valueSerde().serializer()
                        .serialize(topics.baselines().name(),
                                BaselineCodec.toAvro("m", "v" + v, subject, baseline, null)));
            }
        }
        EventFeatures features = new EventFeatures();
        QualitySignal.QualityObserver observer = observer(context, new BaselineCache(16), features);
        WindowBundle[] windows = new WindowBundle[versions];
        for (int v = 0; v < versions; v++) {
            windows[v] = new WindowBundle("m", "v" + v, "*", 0, 60_000);
        }
        String[] values = {"x", "y", "z", "w"};
        int rounds = 4;
        for (int round = 0; round < rounds; round++) {
            for (int v = 0; v < versions; v++) {
                Map<String, String> categorical = new LinkedHashMap<>();
                for (String subject : subjects) {
                    categorical.put(subject, values[(v + round) % values.length]);
                }
                InferenceEvent e = event("v" + v, round);
                e.setCategoricalFeatures(categorical);
                TestEventFeatures.read(features, e);
                observer.add(windows[v], e);
            }
        }
        assertEquals((long) versions * subjects.length, observer.memoResets(), "once per version and position");
        QualityPart part = (QualityPart) windows[3].part(QualityPart.NAME);
        assertEquals(1, part.subject("a").unseen, "w, the one value of the four outside the reference");
        assertEquals(rounds, part.subject("a").present, "the events counted");
    }

    @Test
    void shouldCountNumericValuesAgainstTheirReferencesKindAndRangeEventAfterEvent() {
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        KeyValueStore<String, byte[]> store = TestBaselineLookups.store(context);
        double[] sample = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}; // the range [1, 10]
        store.put(BaselineCodec.key("m", "v1", "n"), topics.baselines().valueSerde().serializer().serialize(
                topics.baselines().name(), BaselineCodec.toAvro("m", "v1", "n",
                        NumericBaseline.fromSample(sample, 2, NumericGrid.DEFAULT_RESOLUTION, "test", 1L, 2L), null)));
        putCategorical(store, "k", "x");
        EventFeatures features = new EventFeatures();
        QualitySignal.QualityObserver observer = observer(context, new BaselineCache(16), features);
        WindowBundle window = new WindowBundle("m", "v1", "*", 0, 60_000);
        // n with a numeric baseline, k with a categorical one, u with none: the same shape event after event
        double[] values = {1, 10, 0.5, 10.5, Double.NaN, Double.POSITIVE_INFINITY, 5, -0.0, 11, 3};
        for (int i = 0; i < values.length; i++) {
            Map<String, Double> numeric = new LinkedHashMap<>();
            numeric.put("n", values[i]);
            numeric.put("k", values[i]);
            numeric.put("u", values[i]);
            InferenceEvent e = event("v1", i);
            e.setNumericFeatures(numeric);
            TestEventFeatures.read(features, e);
            observer.add(window, e);
        }
        QualityPart part = (QualityPart) window.part(QualityPart.NAME);
        QualityPart.Counts n = part.subject("n");
        assertEquals(8, n.present, "n: finite values");
        assertEquals(4, n.outOfRange, "n: 0.5, 10.5, -0.0 and 11 outside [1, 10], its ends inside");
        assertEquals(1, n.missing);
        assertEquals(1, n.infinite);
        QualityPart.Counts k = part.subject("k");
        assertEquals(9, k.typeMismatch, "k: every number but NaN, of a categorical subject");
        assertEquals(0, k.present);
        assertEquals("0", k.typeExample, "the smallest as shown (-0.0 as 0)");
        QualityPart.Counts u = part.subject("u");
        assertEquals(8, u.present, "u: finite values, no range without a baseline");
        assertEquals(0, u.outOfRange);
        assertEquals(1, u.infinite);
    }

    @Test
    void shouldCountACategoryUnseenByTheSubjectItIsGivenToThoughTheSameStringWasSeenAtTheSamePositionBefore() {
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        KeyValueStore<String, byte[]> store = TestBaselineLookups.store(context);
        putCategorical(store, "a", "x");
        putCategorical(store, "b", "y");
        EventFeatures features = new EventFeatures();
        QualitySignal.QualityObserver observer = observer(context, new BaselineCache(16), features);
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

    @Test
    void shouldJudgeAnOpenWindowsNextEventsAgainstABaselinePublishedSince() {
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        KeyValueStore<String, byte[]> store = TestBaselineLookups.store(context);
        putCategorical(store, "a", "x");
        BaselineCache cache = new BaselineCache(16);
        EventFeatures features = new EventFeatures();
        QualitySignal.QualityObserver observer = observer(context, cache, features);
        WindowBundle window = new WindowBundle("m", "v1", "*", 0, 60_000);
        addCategorical(observer, features, window, 0, "y");
        // a's baseline now knows y: the loader of the baselines store counts the change
        BaselineLoader loader = new BaselineLoader(topics.baselines().valueSerde().deserializer(), PipelineMetrics.NONE,
                cache);
        @SuppressWarnings({"unchecked", "rawtypes"})
        ProcessorContext<Void, Void> loading = (ProcessorContext) context;
        loader.init(loading);
        loader.process(new Record<>(BaselineCodec.key("m", "v1", "a").getBytes(StandardCharsets.UTF_8),
                topics.baselines().valueSerde().serializer().serialize(topics.baselines().name(),
                        BaselineCodec.toAvro("m", "v1", "a", CategoricalBaseline.fromSample(
                                new String[] {"x", "y"}, "test", 1L, 2L), null)), 0L));
        addCategorical(observer, features, window, 1, "y");
        QualityPart part = (QualityPart) window.part(QualityPart.NAME);
        assertEquals(1, part.subject("a").unseen, "y unseen by the first baseline only");
        assertEquals(2, part.subject("a").present, "the events that gave a a value");
    }

    /** An observer of the test's baselines, reading events as {@code features} read them. */
    private QualitySignal.QualityObserver observer(MockProcessorContext<Object, Object> context, BaselineCache cache,
                                                   EventFeatures features) {
        return new QualitySignal.QualityObserver(TestBaselineLookups.on(topics.baselines(), cache, context),
                QualitySettings.defaults(), features);
    }

    private static void addCategorical(QualitySignal.QualityObserver observer, EventFeatures features,
                                       WindowBundle window, int i, String value) {
        InferenceEvent e = event("v1", i);
        e.setCategoricalFeatures(Map.of("a", value));
        TestEventFeatures.read(features, e);
        observer.add(window, e);
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
