package dev.driftwatch.streams.ops;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.ArrayList;
import java.util.List;

/**
 * Gives Kafka Streams' state-store meters one set of tag keys. Kafka names a store's tag after its kind
 * ({@code rocksdb.state.id}, {@code in.memory.state.id}, ...), while Prometheus wants every meter of a name to
 * have the same tag keys: the pipeline has stores of both kinds, so the second kind's meters were refused (a
 * warning at start-up, and their series missing from /metrics). Here the tag is {@code state.id} for every kind
 * (store names are unique in an application). The number of tags stays Kafka's: Micrometer's Kafka binder takes
 * a meter with more tags than its metric for another variant of that metric, and skips the metric.
 *
 * <p>Use it through {@link #registry()}: when a task moves to another instance, its stores' metrics go, and
 * Micrometer's Kafka binder removes their meters by the id it registered them under, the one before this filter
 * renamed the tag, which a plain registry does not find. The series of every store that ever ran here would then
 * stay on /metrics with their last values.
 */
public final class StoreMetricTags implements MeterFilter {
    private static final String STATE_METERS = "kafka.stream.state.";
    private static final String SUFFIX = ".state.id";
    private static final String TAG = "state.id";

    /** A Prometheus registry with this filter, which also removes a store meter by its id before the filter. */
    public static PrometheusMeterRegistry registry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) {
            @Override
            public Meter remove(Meter.Id id) {
                Meter removed = super.remove(id);
                if (removed == null && renames(id)) {
                    // Finds the meter registered under this id and removes it by its own, renamed, id.
                    removed = removeByPreFilterId(id);
                }
                return removed;
            }
        };
        registry.config().meterFilter(new StoreMetricTags());
        return registry;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        if (!renames(id)) {
            return id;
        }
        List<Tag> tags = new ArrayList<>();
        for (Tag t : id.getTagsAsIterable()) {
            tags.add(renamed(t) ? Tag.of(TAG, t.getValue()) : t);
        }
        return id.replaceTags(tags);
    }

    /** Whether {@link #map} changes the id: a store meter with a kind-named id tag. */
    private static boolean renames(Meter.Id id) {
        if (!id.getName().startsWith(STATE_METERS)) {
            return false;
        }
        for (Tag t : id.getTagsAsIterable()) {
            if (renamed(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean renamed(Tag t) {
        return t.getKey().endsWith(SUFFIX) && !t.getKey().equals(TAG);
    }
}
