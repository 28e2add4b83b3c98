package dev.driftwatch.streams.internals;

import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.streams.Topic;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/** For tests of signals in other packages: a {@link BaselineLookup} on a context's baselines store. */
public final class TestBaselineLookups {
    private TestBaselineLookups() {
    }

    /** A look-up through {@code cache}, initialised on {@code context} (which holds {@link BaselineLookup#STORE}). */
    public static BaselineLookup on(Topic<String, Baseline> baselines, BaselineCache cache, ProcessorContext<?, ?> context) {
        BaselineLookup lookup = new BaselineLookup(baselines, cache);
        lookup.init(context);
        return lookup;
    }
}
