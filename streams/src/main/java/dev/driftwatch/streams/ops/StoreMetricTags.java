package dev.driftwatch.streams.ops;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;

import java.util.ArrayList;
import java.util.List;

/**
 * Gives Kafka Streams' state-store meters one set of tag keys. Kafka names a store's tag after its kind
 * ({@code rocksdb.state.id}, {@code in.memory.state.id}, ...), while Prometheus wants every meter of a name to
 * have the same tag keys: the pipeline has stores of both kinds, so the second kind's meters were refused (a
 * warning at start-up, and their series missing from /metrics). Here the tag is {@code state.id} for every kind
 * (store names are unique in an application). The number of tags stays Kafka's: Micrometer's Kafka binder takes
 * a meter with more tags than its metric for another variant of that metric, and skips the metric.
 */
public final class StoreMetricTags implements MeterFilter {
    private static final String STATE_METERS = "kafka.stream.state.";
    private static final String SUFFIX = ".state.id";
    private static final String TAG = "state.id";

    @Override
    public Meter.Id map(Meter.Id id) {
        if (!id.getName().startsWith(STATE_METERS)) {
            return id;
        }
        List<Tag> tags = new ArrayList<>();
        boolean renamed = false;
        for (Tag t : id.getTagsAsIterable()) {
            if (t.getKey().endsWith(SUFFIX) && !t.getKey().equals(TAG)) {
                tags.add(Tag.of(TAG, t.getValue()));
                renamed = true;
            } else {
                tags.add(t);
            }
        }
        return renamed ? id.replaceTags(tags) : id;
    }
}
