package dev.driftwatch.streams.internals;

import dev.driftwatch.streams.ControlSettings;
import dev.driftwatch.streams.PipelineSettings;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.time.Duration;
import java.util.List;

/** A {@link ControlHandler} on in-memory stores of a mock context, for tests that look into its stores. */
final class ControlHandlerStores {
    final MockProcessorContext<String, WindowEvaluator.Output> context = new MockProcessorContext<>();
    final KeyValueStore<String, byte[]> retained;
    final KeyValueStore<String, byte[]> alertLog;
    final ControlHandler handler;

    ControlHandlerStores(ControlSettings control) {
        store(WindowEvaluator.POLICIES_STORE, Serdes.ByteArray());
        store(WindowEvaluator.MUTES_STORE, Serdes.Long());
        store(WindowEvaluator.COMMAND_LOG_STORE, Serdes.ByteArray());
        alertLog = store(WindowEvaluator.ALERT_LOG_STORE, Serdes.ByteArray());
        retained = store(WindowEvaluator.RETAINED_WINDOWS_STORE, Serdes.ByteArray());
        handler = new ControlHandler(PipelineSettings.defaults(Duration.ofMinutes(1)), control, context,
                WindowParts.none(), List.of());
    }

    private <V> KeyValueStore<String, V> store(String name, Serde<V> values) {
        KeyValueStore<String, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
                Serdes.String(), values).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }
}
