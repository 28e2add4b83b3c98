package dev.driftwatch.streams.business;

import dev.driftwatch.streams.Storage;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.Topics;
import dev.driftwatch.streams.internals.EventSummarizer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

import java.util.function.Function;

/**
 * The topology's business-outcome steps, when {@code business.enabled}: the request store shared by
 * <b>summarize-partition</b> and <b>join-outcomes</b>, and the outcome-events source. Because the two
 * processors share stores, Kafka Streams puts both sources in one sub-topology: partition p of
 * outcome-events is read by the task of partition p of inference-events, and no repartition is needed
 * (the topics must have the same partition count; {@code driftwatch run} checks it).
 */
public final class BusinessTopology {
    private BusinessTopology() {
    }

    /**
     * The stores of summarize-partition: {@code others} (the window state, ...), plus the request store
     * when business is enabled, which this adds to the builder.
     */
    public static String[] summarizerStores(StreamsBuilder builder, PipelineSettings settings,
                                            Function<String, KeyValueBytesStoreSupplier> storeSupplier,
                                            Storage storage, String... others) {
        if (!BusinessSettings.of(settings.signals()).enabled()) {
            return others;
        }
        builder.addStateStore(storage.logged(Stores.keyValueStoreBuilder(storeSupplier.apply(OutcomeJoin.STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled()));
        String[] stores = java.util.Arrays.copyOf(others, others.length + 1);
        stores[others.length] = OutcomeJoin.STORE;
        return stores;
    }

    /** Adds the outcome-events source and its processor (nothing when business is disabled). */
    public static void addOutcomes(StreamsBuilder builder, PipelineSettings settings, Topics topics) {
        if (!BusinessSettings.of(settings.signals()).enabled()) {
            return;
        }
        builder.stream(topics.outcomes().name(),
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("outcome-events-source"))
                .process(() -> new OutcomeReader(settings, topics.outcomes().valueSerde().deserializer()),
                        Named.as("join-outcomes"), EventSummarizer.STORE, OutcomeJoin.STORE)
                .to(topics.deadLetters().name(), Produced.with(topics.deadLetters().keySerde(),
                        topics.deadLetters().valueSerde()).withName("outcome-dead-letters-sink"));
    }
}
