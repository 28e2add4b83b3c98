package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.summary.CategoricalBaseline;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.streams.Topics;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@link BaselineLookup} hands out and keeps per subject (it keeps many: one per subject of every version). */
class BaselineLookupTest {
    private final Topics topics = Topics.defaults(Map.of("schema.registry.url", "mock://baseline-lookup-test"));
    private KeyValueStore<String, byte[]> store;
    private MockProcessorContext<Object, Object> context;
    private BaselineLookup lookup;

    @BeforeEach
    void setUp() {
        context = new MockProcessorContext<>();
        store = TestBaselineLookups.store(context);
        lookup = new BaselineLookup(topics.baselines());
        lookup.init(context);
    }

    private void publish(String subject, Baseline b) {
        store.put(BaselineCodec.key("m", "1", subject), topics.baselines().valueSerde().serializer()
                .serialize(topics.baselines().name(), b));
    }

    @Test
    void aNumericBaselineIsParsedWholeAndItsRecordIsKeptWithoutTheGrid() {
        SplittableRandom random = new SplittableRandom(7);
        double[] sample = new double[2_000];
        for (int i = 0; i < sample.length; i++) {
            sample[i] = random.nextGaussian() * 3 + 10;
        }
        NumericBaseline baseline = NumericBaseline.fromSample(sample, 10, NumericGrid.DEFAULT_RESOLUTION, "test", 1L,
                2L);
        Baseline record = BaselineCodec.toAvro("m", "1", "age", baseline, null);
        publish("age", record);

        BaselineLookup.Entry entry = lookup.find("m", "1", "age").orElseThrow();
        // The parsed form is that of the whole record: grid, bins, reference counts.
        assertEquals(BaselineCodec.numeric(record), entry.numeric());
        assertEquals(baseline.grid(), entry.numeric().grid());
        // The record kept beside it names the baseline but no longer holds the grid and bins (the parsed form does).
        Baseline kept = entry.avro();
        assertTrue(kept.getFineGrid() == null, "the kept record still holds the fine grid");
        assertTrue(kept.getBinEdges().isEmpty());
        assertTrue(kept.getBinCounts().isEmpty());
        assertTrue(kept.getBinProportions().isEmpty());
        assertEquals(record.getBaselineId(), kept.getBaselineId());
        assertEquals(record.getProvenance(), kept.getProvenance());
        assertEquals(record.getTotalCount(), kept.getTotalCount());
        assertEquals(record.getMissingCount(), kept.getMissingCount());
        assertEquals(record.getMinimum(), kept.getMinimum());
        assertEquals(record.getMaximum(), kept.getMaximum());
        assertEquals(record.getMean(), kept.getMean());
        // Asked again with the same stored bytes: the same entry, not parsed again.
        assertSame(entry, lookup.find("m", "1", "age").orElseThrow());
    }

    private static Baseline numericRecord(String subject, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] sample = new double[2_000];
        for (int i = 0; i < sample.length; i++) {
            sample[i] = random.nextGaussian() * 3 + seed;
        }
        return BaselineCodec.toAvro("m", "1", subject,
                NumericBaseline.fromSample(sample, 10, NumericGrid.DEFAULT_RESOLUTION, "test", 1L, 2L), null);
    }

    private BaselineLookup task(BaselineCache cache) {
        BaselineLookup task = new BaselineLookup(topics.baselines(), cache);
        task.init(context);
        return task;
    }

    @Test
    void shouldParseABaselineOncePerInstanceForAllItsTasks() {
        publish("age", numericRecord("age", 1));
        BaselineCache cache = new BaselineCache(64L << 20);
        BaselineLookup[] tasks = {task(cache), task(cache), task(cache), task(cache)};

        BaselineLookup.Entry first = tasks[0].find("m", "1", "age").orElseThrow();
        for (BaselineLookup t : tasks) {
            assertSame(first, t.find("m", "1", "age").orElseThrow());
        }
        assertEquals(1, cache.parses());
    }

    @Test
    void shouldShareOneGridBetweenABaselineAndTheWindowsReadBackOnIt() throws Exception {
        Baseline record = numericRecord("age", 3);
        publish("age", record);
        NumericGrid grid = lookup.find("m", "1", "age").orElseThrow().numeric().grid();
        SubjectSummary window = SubjectSummary.numeric("b", new dev.driftwatch.detectors.summary.NumericSummary(
                BaselineCodec.numeric(record).grid()));
        WindowBundle bundle = new WindowBundle("m", "1", "*", 0, 60_000);
        bundle.put("age", window);
        assertSame(grid, WindowBundle.fromBytes(bundle.toBytes()).subject("age").numericSummary().grid());
    }

    /** The estimated bytes of one numeric baseline on the default grid, as a cache counts them. */
    private long oneNumericBaseline() {
        BaselineCache probe = new BaselineCache(Long.MAX_VALUE);
        task(probe).find("m", "1", "f0").orElseThrow();
        return probe.bytes();
    }

    @Test
    void shouldEvictTheLeastRecentlyUsedIdleBaselinesBeyondItsBoundInBytes() {
        for (int i = 0; i < 3; i++) {
            publish("f" + i, numericRecord("f" + i, i + 1));
        }
        long one = oneNumericBaseline();
        assertTrue(one > 10_000 && one < 40_000, "a numeric baseline on the default grid weighs " + one);
        long[] now = {0};
        BaselineCache cache = new BaselineCache(2 * one + one / 2, () -> now[0]); // room for two
        BaselineLookup task = task(cache);
        task.find("m", "1", "f0");
        task.find("m", "1", "f1");
        now[0] += BaselineCache.MIN_IDLE_NANOS;
        task.find("m", "1", "f0"); // f1 is now the least recently used, and idle long enough
        task.find("m", "1", "f2");
        assertEquals(2, cache.size());
        assertTrue(cache.bytes() <= cache.maxBytes(), cache.bytes() + " of " + cache.maxBytes());
        assertEquals(3, cache.parses());
        assertEquals(1, cache.evictions());
        task.find("m", "1", "f0");
        task.find("m", "1", "f2");
        assertEquals(3, cache.parses(), "f0 and f2 are kept");
        task.find("m", "1", "f1");
        assertEquals(4, cache.parses(), "f1 was evicted and is parsed again");
    }

    @Test
    void shouldKeepEverySubjectWhoseGridAndReferenceTheStoreHoldsInSharedParts() {
        for (int i = 0; i < 3; i++) {
            publish("f" + i, numericRecord("f" + i, i + 1));
        }
        long one = oneNumericBaseline(); // parsed from the record as published: its own grid and reference
        BaselineCache cache = new BaselineCache(2 * one + one / 2); // room for two of those
        BaselineLoader loader = loader(cache);
        BaselineLookup task = task(cache);
        int subjects = 20;
        for (int i = 0; i < subjects; i++) {
            load(loader, "s" + i, numericRecord("s" + i, 10 + i)); // every one a grid and reference of its own
        }
        for (int window = 0; window < 3; window++) {
            for (int i = 0; i < subjects; i++) {
                task.find("m", "1", "s" + i).orElseThrow();
            }
        }
        // Their grids and references are the store's parts whether the cache keeps the subjects or not.
        assertEquals(subjects, cache.size());
        assertEquals(subjects, cache.parses(), "subjects were parsed again in later windows");
        assertTrue(cache.bytes() <= cache.maxBytes());
    }

    @Test
    void shouldKeepWhatItHoldsWhenEveryWindowAsksForMoreSubjectsThanFit() {
        for (int i = 0; i < 3; i++) {
            publish("f" + i, numericRecord("f" + i, i + 1));
        }
        long one = oneNumericBaseline();
        long[] now = {0};
        BaselineCache cache = new BaselineCache(2 * one + one / 2, () -> now[0]); // room for two of the three
        BaselineLookup task = task(cache);
        for (int window = 0; window < 3; window++) {
            for (int i = 0; i < 3; i++) {
                task.find("m", "1", "f" + i).orElseThrow();
            }
            now[0] += 60_000_000_000L; // one-minute windows
        }
        // Least recently used out first would evict each subject just before it is asked for again: 9 parses.
        assertEquals(3 + 1 + 1, cache.parses());
        assertTrue(cache.bytes() <= cache.maxBytes());
    }

    @Test
    void shouldParseAgainWhenTheStoredBaselineChanges() {
        BaselineCache cache = new BaselineCache(64L << 20);
        BaselineLoader loader = loader(cache);
        BaselineLookup task = task(cache);
        Baseline before = numericRecord("age", 1);
        load(loader, "age", before);
        assertEquals(before.getBaselineId(), task.find("m", "1", "age").orElseThrow().id());
        assertEquals(1, cache.size());

        Baseline after = numericRecord("age", 5);
        load(loader, "age", after);
        assertEquals(0, cache.size(), "the loader drops the parsed form at once");
        assertEquals(after.getBaselineId(), task.find("m", "1", "age").orElseThrow().id());

        // Also when the store changed behind the cache's back: the bytes no longer match.
        publish("age", before);
        assertEquals(before.getBaselineId(), task.find("m", "1", "age").orElseThrow().id());
        assertEquals(3, cache.parses());

        loader.process(new org.apache.kafka.streams.processor.api.Record<>(
                BaselineCodec.key("m", "1", "age").getBytes(java.nio.charset.StandardCharsets.UTF_8), null, 0L));
        assertEquals(0, cache.size());
        assertTrue(task.find("m", "1", "age").isEmpty());
    }

    @Test
    void shouldListTheSubjectsOfAVersionAsTheLoaderChangesThem() {
        BaselineLoader loader = loader(null);
        load(loader, "b", numericRecord("b", 1));
        load(loader, "a", numericRecord("a", 2));
        assertEquals(java.util.List.of("a", "b"), lookup.subjects("m", "1"));
        assertEquals(java.util.List.of("a", "b"), lookup.subjects("m", "1"), "asked again in the next window");
        assertTrue(lookup.subjects("m", "2").isEmpty());

        load(loader, "c", numericRecord("c", 3));
        assertEquals(java.util.List.of("a", "b", "c"), lookup.subjects("m", "1"), "a baseline published since");
        loader.process(new org.apache.kafka.streams.processor.api.Record<>(
                BaselineCodec.key("m", "1", "a").getBytes(java.nio.charset.StandardCharsets.UTF_8), null, 0L));
        assertEquals(java.util.List.of("b", "c"), lookup.subjects("m", "1"), "a baseline deleted since");
    }

    /** The global store's loader on the test's store, telling {@code cache} (or null) of every change. */
    private BaselineLoader loader(BaselineCache cache) {
        BaselineLoader loader = new BaselineLoader(topics.baselines().valueSerde().deserializer(),
                dev.driftwatch.streams.PipelineMetrics.NONE, cache);
        @SuppressWarnings({"unchecked", "rawtypes"})
        org.apache.kafka.streams.processor.api.ProcessorContext<Void, Void> loading =
                (org.apache.kafka.streams.processor.api.ProcessorContext) context;
        loader.init(loading);
        return loader;
    }

    private void load(BaselineLoader loader, String subject, Baseline b) {
        loader.process(new org.apache.kafka.streams.processor.api.Record<>(
                BaselineCodec.key("m", "1", subject).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                topics.baselines().valueSerde().serializer().serialize(topics.baselines().name(), b), 0L));
    }

    @Test
    void aCategoricalBaselineKeepsItsCategoriesInTheRecord() {
        CategoricalBaseline baseline = CategoricalBaseline.fromSample(new String[] {"a", "b", "b", "c"}, "test", null,
                null);
        Baseline record = BaselineCodec.toAvro("m", "1", "country", baseline, null);
        publish("country", record);

        BaselineLookup.Entry entry = lookup.find("m", "1", "country").orElseThrow();
        assertNotNull(entry.categorical());
        assertEquals(record.getCategoryCounts(), entry.avro().getCategoryCounts());
    }
}
