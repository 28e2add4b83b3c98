package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.ColumnComparison;
import dev.driftwatch.detectors.GridCells;
import dev.driftwatch.detectors.StreamingInput;
import dev.driftwatch.detectors.TestResult;
import dev.driftwatch.detectors.summary.CategoricalBaseline;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.detectors.summary.NumericSummary;
import dev.driftwatch.detectors.summary.SummaryComparisons;
import dev.driftwatch.detectors.summary.SummaryEvidence;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.streams.PipelineMetrics;
import dev.driftwatch.streams.Topics;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The baselines store of an instance holds a numeric baseline's grid and reference once for every subject with the
 * same content ({@link SharedReferences}), and what the lookups hand out is the baseline as published.
 */
class SharedReferencesTest {
    private final Topics topics = Topics.defaults(Map.of("schema.registry.url", "mock://shared-references-test"));
    private KeyValueStore<String, byte[]> store;
    private MockProcessorContext<Object, Object> context;
    private BaselineCache cache;
    private BaselineLoader loader;
    private BaselineLookup lookup;

    @BeforeEach
    void setUp() {
        context = new MockProcessorContext<>();
        store = TestBaselineLookups.store(context);
        cache = new BaselineCache(64L << 20);
        loader = new BaselineLoader(topics.baselines().valueSerde().deserializer(), PipelineMetrics.NONE, cache);
        @SuppressWarnings({"unchecked", "rawtypes"})
        ProcessorContext<Void, Void> loading = (ProcessorContext) context;
        loader.init(loading);
        lookup = new BaselineLookup(topics.baselines(), cache);
        lookup.init(context);
    }

    private static NumericBaseline numeric(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] sample = new double[3_000];
        for (int i = 0; i < sample.length; i++) {
            sample[i] = random.nextGaussian() * 2 + seed;
        }
        return NumericBaseline.fromSample(sample, 10, NumericGrid.DEFAULT_RESOLUTION, "test", 1L, 2L);
    }

    private byte[] serialized(Baseline record) {
        return topics.baselines().valueSerde().serializer().serialize(topics.baselines().name(), record);
    }

    private void load(String version, String subject, Baseline record) {
        loader.process(new Record<>(BaselineCodec.key("m", version, subject).getBytes(StandardCharsets.UTF_8),
                record == null ? null : serialized(record), 0L));
    }

    /** The baseline the lookup hands out is, bit for bit, the one parsed from the record as published. */
    private static void assertSameBaseline(Baseline published, BaselineLookup.Entry entry) {
        NumericBaseline expected = BaselineCodec.numeric(published);
        NumericBaseline actual = entry.numeric();
        assertEquals(expected.id(), actual.id());
        assertEquals(expected.provenance(), actual.provenance());
        assertEquals(expected.grid(), actual.grid());
        assertArrayEquals(expected.bins().edges(), actual.bins().edges());
        assertArrayEquals(expected.reference().toBytes(), actual.reference().toBytes());
        assertArrayEquals(expected.compactReference(), actual.compactReference());
        assertEquals(Double.doubleToLongBits(expected.ksErrorBound()), Double.doubleToLongBits(actual.ksErrorBound()));
        assertEquals(BaselineLookup.withoutGrid(Baseline.newBuilder(published).build()), entry.avro());
        // Every statistic and the evidence of a window, as the drift signal computes them, are those of the record.
        for (long seed = 1; seed <= 3; seed++) {
            NumericSummary window = actual.newWindow();
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < 400; i++) {
                window.add(random.nextGaussian() * 2 + seed);
            }
            StreamingInput fromRecord = SummaryComparisons.numericInput(expected, window);
            StreamingInput fromStore = SummaryComparisons.numericInput(actual, window);
            ColumnComparison recordStats = SummaryComparisons.numeric(expected, window, fromRecord);
            ColumnComparison storeStats = SummaryComparisons.numeric(actual, window, fromStore);
            assertEquals(recordStats, storeStats);
            assertEquals(SummaryEvidence.numeric(expected, window, recordStats, fromRecord),
                    SummaryEvidence.numeric(actual, window, storeStats, fromStore));
            for (TestResult r : recordStats.tests().values()) {
                assertEquals(Double.doubleToRawLongBits(r.test().errorBound(fromRecord)),
                        Double.doubleToRawLongBits(r.test().errorBound(fromStore)), r.test().id());
            }
        }
    }

    /** What the streaming tests read as the subject's reference in a window's comparison. */
    private static GridCells referenceRead(BaselineLookup.Entry entry) {
        NumericSummary window = entry.numeric().newWindow();
        window.add(0.5);
        return SummaryComparisons.numericInput(entry.numeric(), window).reference();
    }

    @Test
    void shouldReadTheReferenceOnceForEveryWindowOfEverySubjectWithTheSameContent() throws Exception {
        NumericBaseline baseline = numeric(5);
        for (String version : List.of("1", "2")) {
            load(version, "age", BaselineCodec.toAvro("m", version, "age", baseline, null));
        }
        BaselineLookup.Entry one = lookup.find("m", "1", "age").orElseThrow();
        BaselineLookup.Entry two = lookup.find("m", "2", "age").orElseThrow();
        assertTrue(one.numeric().sharesReferenceWith(two.numeric()));
        assertSame(referenceRead(one), referenceRead(two), "both versions' windows read one reference");
        // Not read back from compact bytes at the next window once nothing used it (a weak view let it go).
        WeakReference<GridCells> read = new WeakReference<>(referenceRead(one));
        for (int i = 0; i < 5 && read.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertSame(read.get(), referenceRead(one), "the reference was read again for a later window");
    }

    @Test
    void shouldHoldTheReferenceOfAContentThatOneSubjectNamesInItsCompactBytes() throws Exception {
        NumericBaseline own = numeric(5);
        NumericBaseline other = numeric(6);
        load("1", "age", BaselineCodec.toAvro("m", "1", "age", own, null));
        load("2", "age", BaselineCodec.toAvro("m", "2", "age", other, null));
        assertEquals(List.of(1, 1), List.copyOf(cache.shared().users().values()), "two parts, one subject each");
        BaselineLookup.Entry one = lookup.find("m", "1", "age").orElseThrow();
        // Read back for a window's comparison, and let go once nothing uses it: the part keeps the compact bytes.
        WeakReference<GridCells> read = new WeakReference<>(referenceRead(one));
        for (int i = 0; i < 50 && read.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(read.get(), "the part holds the reference of a content that one subject names whole");
        assertSameBaseline(BaselineCodec.toAvro("m", "1", "age", own, null), lookup.find("m", "1", "age").orElseThrow());
        assertSameBaseline(BaselineCodec.toAvro("m", "2", "age", other, null), lookup.find("m", "2", "age").orElseThrow());
        // A second subject with the same content: from then on the part holds the reference whole.
        load("3", "age", BaselineCodec.toAvro("m", "3", "age", own, null));
        BaselineLookup.Entry three = lookup.find("m", "3", "age").orElseThrow();
        assertNotNull(readAfterCollections(three), "the part holds the reference of a shared content whole");
        assertSameBaseline(BaselineCodec.toAvro("m", "3", "age", own, null), three);
    }

    @Test
    void shouldGoBackToTheCompactReferenceWhenABaselineOfOneSubjectIsPublishedAgain() throws Exception {
        NumericBaseline own = numeric(5);
        Baseline record = BaselineCodec.toAvro("m", "1", "age", own, null);
        load("1", "age", record);
        load("1", "age", record); // the same content again: named twice for a moment, then once
        assertEquals(List.of(1), List.copyOf(cache.shared().users().values()));
        BaselineLookup.Entry one = lookup.find("m", "1", "age").orElseThrow();
        assertNull(readAfterCollections(one), "the part holds the reference of a content that one subject names whole");
        assertSameBaseline(record, one);
    }

    /** The reference a window's comparison read, if it is still held after a few collections (null when let go). */
    private static GridCells readAfterCollections(BaselineLookup.Entry entry) throws InterruptedException {
        WeakReference<GridCells> read = new WeakReference<>(referenceRead(entry));
        for (int i = 0; i < 50 && read.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        return read.get();
    }

    @Test
    void shouldHoldTheReferenceOnceForVersionsWithTheSameBaseline() {
        NumericBaseline baseline = numeric(5);
        for (String version : List.of("1", "2", "3")) {
            load(version, "age", BaselineCodec.toAvro("m", version, "age", baseline, null));
        }
        assertEquals(List.of(3), List.copyOf(cache.shared().users().values()), "one part, named by three subjects");
        byte[] stored = store.get(BaselineCodec.key("m", "2", "age"));
        assertTrue(SharedReferences.isShared(stored));
        assertTrue(stored.length < serialized(BaselineCodec.toAvro("m", "2", "age", baseline, null)).length / 5,
                "the store holds the record without its grid: " + stored.length + " bytes");

        BaselineLookup.Entry one = lookup.find("m", "1", "age").orElseThrow();
        BaselineLookup.Entry two = lookup.find("m", "2", "age").orElseThrow();
        assertSameBaseline(BaselineCodec.toAvro("m", "1", "age", baseline, null), one);
        assertSameBaseline(BaselineCodec.toAvro("m", "2", "age", baseline, null), two);
        assertNotSame(one, two);
        assertTrue(one.numeric().sharesReferenceWith(two.numeric()), "the reference is shared");
        assertSame(one.numeric().grid(), two.numeric().grid());
    }

    @Test
    void shouldHandOutANewBaselineOnceItIsPublishedAndLetTheOldOneGo() {
        NumericBaseline first = numeric(5);
        NumericBaseline second = numeric(9);
        load("1", "age", BaselineCodec.toAvro("m", "1", "age", first, null));
        load("2", "age", BaselineCodec.toAvro("m", "2", "age", first, null));
        assertEquals(first.id(), lookup.find("m", "1", "age").orElseThrow().id());

        Baseline replaced = BaselineCodec.toAvro("m", "1", "age", second, null);
        load("1", "age", replaced);
        BaselineLookup.Entry now = lookup.find("m", "1", "age").orElseThrow();
        assertEquals(second.id(), now.id(), "the lookup still hands out the replaced baseline");
        assertSameBaseline(replaced, now);
        assertEquals(first.id(), lookup.find("m", "2", "age").orElseThrow().id(), "the other version keeps its own");
        assertEquals(Map.of(1, 2L), count(cache.shared().users()), "two parts, one subject each");

        load("2", "age", null);
        assertTrue(lookup.find("m", "2", "age").isEmpty());
        load("1", "age", null);
        assertTrue(cache.shared().users().isEmpty(), "parts no subject names any more are let go");
    }

    @Test
    void shouldNotShareAReferenceBetweenBaselinesOnTheSameGrid() {
        NumericBaseline first = numeric(5);
        dev.driftwatch.detectors.summary.NumericSummary other = first.newWindow();
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 3_000; i++) {
            other.add(random.nextGaussian() * 2 + 6); // shifted: the same grid, another reference
        }
        NumericBaseline second = NumericBaseline.fromSummary(other, "test", 1L, 2L);
        load("1", "age", BaselineCodec.toAvro("m", "1", "age", first, null));
        load("2", "age", BaselineCodec.toAvro("m", "2", "age", first, null));
        Baseline replaced = BaselineCodec.toAvro("m", "1", "age", second, null);
        load("1", "age", replaced);

        BaselineLookup.Entry now = lookup.find("m", "1", "age").orElseThrow();
        assertSameBaseline(replaced, now);
        assertSame(lookup.find("m", "2", "age").orElseThrow().numeric().grid(), now.numeric().grid());
        assertEquals(first.id(), lookup.find("m", "2", "age").orElseThrow().id());
        assertEquals(Map.of(1, 2L), count(cache.shared().users()), "two parts, one subject each");
    }

    private static Map<Integer, Long> count(Map<Long, Integer> users) {
        return users.values().stream().collect(java.util.stream.Collectors.groupingBy(u -> u,
                java.util.stream.Collectors.counting()));
    }

    @Test
    void shouldReadValuesAsPublished() {
        // As a restore that bypassed the loader, or a store filled by a loader without the instance's cache, holds.
        Baseline numericRecord = BaselineCodec.toAvro("m", "1", "age", numeric(3), null);
        store.put(BaselineCodec.key("m", "1", "age"), serialized(numericRecord));
        Baseline categorical = BaselineCodec.toAvro("m", "1", "country",
                CategoricalBaseline.fromSample(new String[] {"a", "b", "b"}, "test", null, null), null);
        load("1", "country", categorical);
        assertFalse(SharedReferences.isShared(store.get(BaselineCodec.key("m", "1", "country"))),
                "a categorical baseline is stored as published");

        assertSameBaseline(numericRecord, lookup.find("m", "1", "age").orElseThrow());
        assertEquals(categorical.getCategoryCounts(),
                lookup.find("m", "1", "country").orElseThrow().avro().getCategoryCounts());
    }

    @Test
    void shouldNotUseAValueWhosePartIsNotHeld() {
        BaselineCache other = new BaselineCache(64L << 20);
        byte[] foreign = other.shared().store(BaselineCodec.toAvro("m", "1", "age", numeric(3), null),
                new byte[] {0});
        store.put(BaselineCodec.key("m", "1", "age"), foreign);
        assertTrue(lookup.find("m", "1", "age").isEmpty());
    }

    @Test
    void shouldTellAPlainAvroRecordFromAStoredValueThoughItBeginsWithTheMarker() throws java.io.IOException {
        // A serde without the wire format's header (plugged in by avro.serde.class) writes plain Avro: the first
        // byte is the baseline id's length, 0x44 for an id of 34 characters, as the marker.
        Baseline record = BaselineCodec.toAvro("m", "1", "age", numeric(3), null);
        record.setBaselineId("b".repeat(34));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        org.apache.avro.io.BinaryEncoder encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(out, null);
        new org.apache.avro.specific.SpecificDatumWriter<>(Baseline.class).write(record, encoder);
        encoder.flush();
        byte[] plain = out.toByteArray();
        assertEquals(SharedReferences.MARKER, plain[0]);
        assertFalse(SharedReferences.isShared(plain));
        byte[] stored = cache.shared().store(record, plain);
        assertTrue(SharedReferences.isShared(stored));
    }
}
