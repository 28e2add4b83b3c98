package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.streams.Topic;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.util.List;
import java.util.Random;

/** For tests of signals in other packages: a {@link BaselineLookup} on a context's baselines store. */
public final class TestBaselineLookups {
    private TestBaselineLookups() {
    }

    /** An empty in-memory {@link BaselineLookup#STORE}, initialised on and added to {@code context}. */
    public static KeyValueStore<String, byte[]> store(MockProcessorContext<?, ?> context) {
        KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(BaselineLookup.STORE), Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }

    /** A look-up through {@code cache}, initialised on {@code context} (which holds {@link BaselineLookup#STORE}). */
    public static BaselineLookup on(Topic<String, Baseline> baselines, BaselineCache cache, ProcessorContext<?, ?> context) {
        BaselineLookup lookup = new BaselineLookup(baselines, cache);
        lookup.init(context);
        return lookup;
    }

    /**
     * Publishes into {@code store} a numeric baseline for features n0..n4 of each of {@code versions} of model "m"
     * (feature f about f * 10, spread 1 + f: 2,000 values each, the same for every version).
     */
    public static void publishNumeric(KeyValueStore<String, byte[]> store, Topic<String, Baseline> baselines,
                                      List<String> versions) {
        Random r = new Random(1);
        for (String version : versions) {
            for (int f = 0; f < 5; f++) {
                double[] sample = new double[2_000];
                for (int i = 0; i < sample.length; i++) {
                    sample[i] = f * 10 + r.nextGaussian() * (1 + f);
                }
                NumericBaseline b = NumericBaseline.fromSample(sample, 10, NumericGrid.DEFAULT_RESOLUTION, "test",
                        null, null);
                store.put(BaselineCodec.key("m", version, "n" + f), baselines.valueSerde().serializer()
                        .serialize(baselines.name(), BaselineCodec.toAvro("m", version, "n" + f, b, null)));
            }
        }
    }
}
