package dev.driftwatch.streams.demo;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the demo's warning names when the pipeline has not consumed the outcome topic in time. */
class DemoRunUnconsumedTest {

    @Test
    void shouldNameEveryPartitionShortOfItsEndInPartitionOrder() {
        TopicPartition p0 = new TopicPartition("outcome-events", 0);
        TopicPartition p1 = new TopicPartition("outcome-events", 1);
        TopicPartition p2 = new TopicPartition("outcome-events", 2);
        TopicPartition p3 = new TopicPartition("outcome-events", 3);
        Map<TopicPartition, Long> ends = Map.of(p0, 10L, p1, 20L, p2, 0L, p3, 5L);
        Map<TopicPartition, OffsetAndMetadata> committed = Map.of(p0, new OffsetAndMetadata(10), p3,
                new OffsetAndMetadata(4));
        assertEquals(List.of("1: none / 20", "3: 4 / 5"), DemoRun.unconsumed(ends, committed),
                "partition 0 is consumed and partition 2 is empty");
        assertEquals(List.of(), DemoRun.unconsumed(Map.of(p0, 10L), Map.of(p0, new OffsetAndMetadata(10))));
    }
}
