package dev.driftwatch.streams.internals;

import dev.driftwatch.schemas.avro.InferenceEvent;

/** For tests of signals in other packages: reads an event into {@link EventFeatures} as the summarizer does. */
public final class TestEventFeatures {
    private TestEventFeatures() {
    }

    /** Reads and checks {@code event}'s features into {@code features} (values of up to 1,024 characters kept whole). */
    public static void read(EventFeatures features, InferenceEvent event) {
        features.read(event, 1024);
    }
}
