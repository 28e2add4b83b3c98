package dev.driftwatch.streams.internals;

import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Window summaries go to the partition of their model version (murmur2 of the key, as Kafka's default
 * partitioner); watermarks and hand-on marks go to every partition, so that every merging task learns every
 * input partition's progress. Control commands keyed {@code model/version/*} go where that model version's
 * windows go; those keyed {@link ControlRouter#BROADCAST_KEY} (no model version, or segmented windows)
 * go to every partition.
 */
public final class PartialPartitioner implements StreamPartitioner<String, Partial> {
    static int partitionOf(String key, int numPartitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % numPartitions;
    }

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, Partial value, int numPartitions) {
        if (value != null && (value.isWatermark() || value.isHandedOn()
                || (value.isCommand() && ControlRouter.BROADCAST_KEY.equals(key)))) {
            Set<Integer> all = new HashSet<>();
            for (int p = 0; p < numPartitions; p++) {
                all.add(p);
            }
            return Optional.of(all);
        }
        return Optional.of(Set.of(partitionOf(key, numPartitions)));
    }
}
