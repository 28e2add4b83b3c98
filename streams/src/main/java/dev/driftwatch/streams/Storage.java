package dev.driftwatch.streams;

import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Where the stores keep their state. The processors, and so the results, are the same either way.
 */
public enum Storage {
    /** RocksDB on disk, with changelogs: the default for a running application (bounded memory). */
    PERSISTENT,
    /**
     * On the heap, without changelogs: for offline analysis of a file, where nothing outlives the run and
     * nothing restores a store. The test driver commits after every record: a changelog would get every
     * changed window at every event, serialised and kept.
     */
    IN_MEMORY;

    /** The store builder as this storage wants it: without a changelog when in memory. */
    public <T extends StateStore> StoreBuilder<T> logged(StoreBuilder<T> b) {
        return this == IN_MEMORY ? b.withLoggingDisabled() : b;
    }
}
