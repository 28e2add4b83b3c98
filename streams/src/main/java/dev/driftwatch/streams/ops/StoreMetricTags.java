package dev.driftwatch.streams.ops;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;

import java.util.ArrayList;
import java.util.List;

/**
 * Gives Kafka Streams' state-store meters one set of tag keys. Kafka names a store's tag after its type
 * ({@code rocksdb.state.id}, {@code in.memory.state.id}, ...), while Prometheus wants every meter of a name to
 * have the same tag keys: the pipeline has stores of both kinds, so the second kind's meters were refused (a
 * warning at start-up, and their series missing from /metrics). Here the tag becomes {@code state.id}, and
 * {@code store.type} keeps the kind ({@code rocksdb}, {@code in.memory}, ...).
 */
public final class StoreMetricTags implements MeterFilter {
    private static final String STATE_METERS = "kafka.stream.state.";
    private static final String SUFFIX = ".state.id";

    @Override
    public Meter.Id map(Meter.Id id) {
        if (!id.getName().startsWith(STATE_METERS)) {
            return id;
        }
        List<Tag> tags = new ArrayList<>();
        boolean renamed = false;
        for (Tag t : id.getTagsAsIterable()) {
            String key = t.getKey();
            if (key.endsWith(SUFFIX) && !key.equals("state.id")) {
                tags.add(Tag.of("state.id", t.getValue()));
                tags.add(Tag.of("store.type", key.substring(0, key.length() - SUFFIX.length())));
                renamed = true;
            } else {
                tags.add(t);
            }
        }
        return renamed ? id.replaceTags(tags) : id;
    }
}
