package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.summary.CategoricalBaseline;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.streams.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
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
    private BaselineLookup lookup;

    @BeforeEach
    void setUp() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(BaselineLookup.STORE), Serdes.String(),
                Serdes.ByteArray()).withLoggingDisabled().build();
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
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
