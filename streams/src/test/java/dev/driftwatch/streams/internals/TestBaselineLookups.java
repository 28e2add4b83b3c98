package dev.driftwatch.streams.internals;

import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.streams.Topic;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

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
}
