package dev.driftwatch.streams.replay;

import dev.driftwatch.schemas.avro.InferenceEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * Reads a topic of inference events from its beginning up to the end it had when the copy started
 * (read_committed, so aborted transactions are skipped), merging the partitions in record-timestamp
 * order, and hands on every record whose event time is
 * within [start, end). Records that do not decode as {@code InferenceEvent} are handed on as they are
 * when no time bound is set (the pipeline dead-letters them), and counted as bad otherwise.
 */
public final class TopicCopy {
    /** Records buffered per partition before the partition is paused. */
    static final int BUFFERED = 5_000;
    /** Model id of the closing events of {@code analyze} and {@code replay --close-windows}. */
    static final String CLOSING_MODEL = "*driftwatch-closing*";

    /** What the copy saw. */
    public record Result(long handedOn, long outside, long undecodable) {
    }

    private final Properties consumerProps;
    private final String topic;
    private final Deserializer<InferenceEvent> deserializer;
    private final Instant start;
    private final Instant end;
    private final Duration idleTimeout;
    private volatile double fraction = Double.NaN;
    private long maxEventTime = Long.MIN_VALUE;

    /**
     * @param idleTimeout how long the copy waits for records that the end offsets promise (through a broker
     *                    outage, say) before it gives up
     */
    public TopicCopy(Properties clientProps, String topic, Deserializer<InferenceEvent> deserializer, Instant start,
                     Instant end, Duration idleTimeout) {
        this.consumerProps = new Properties();
        this.consumerProps.putAll(clientProps);
        this.consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        this.topic = topic;
        this.deserializer = deserializer;
        this.start = start;
        this.end = end;
        this.idleTimeout = idleTimeout;
    }

    /**
     * The latest event time handed on, closing events ({@code OfflineAnalysis.CLOSING_MODEL}) left out;
     * {@code Long.MIN_VALUE} when none.
     */
    public long maxEventTime() {
        return maxEventTime;
    }

    /** Share of the records read so far, NaN before the end offsets are known. */
    public double fraction() {
        return fraction;
    }

    /**
     * Runs the copy.
     *
     * @param stopOnBad stop at the first bad record
     * @throws IllegalStateException when the topic stops delivering records before its end for its idle timeout
     */
    public Result run(Consumer<ConsumerRecord<byte[], byte[]>> sink, BadRecords bad, boolean stopOnBad) {
        long handedOn = 0;
        long outside = 0;
        long undecodable = 0;
        boolean bounded = start != null || end != null;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions));
            Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions);
            long total = 0;
            for (TopicPartition tp : partitions) {
                total += ends.get(tp) - begins.get(tp);
            }
            long read = 0;
            fraction = total == 0 ? 1 : 0;
            // Partitions are merged in timestamp order (a k-way merge): copied one partition after the
            // other, a partition's early events would land after another's late ones and be dropped as late.
            Map<TopicPartition, ArrayDeque<ConsumerRecord<byte[], byte[]>>> buffers = new HashMap<>();
            partitions.forEach(tp -> buffers.put(tp, new ArrayDeque<>()));
            long idleSince = System.nanoTime();
            while (true) {
                ConsumerRecord<byte[], byte[]> next = null;
                boolean waiting = false;
                for (TopicPartition tp : partitions) {
                    ArrayDeque<ConsumerRecord<byte[], byte[]>> buffer = buffers.get(tp);
                    if (buffer.isEmpty()) {
                        if (consumer.position(tp) < ends.get(tp)) {
                            waiting = true;
                        }
                        continue;
                    }
                    if (next == null || buffer.peekFirst().timestamp() < next.timestamp()) {
                        next = buffer.peekFirst();
                    }
                }
                if (!waiting && next == null) {
                    break;
                }
                if (waiting) {
                    List<TopicPartition> full = partitions.stream().filter(tp -> buffers.get(tp).size() >= BUFFERED)
                            .toList();
                    consumer.pause(full);
                    consumer.resume(partitions.stream().filter(tp -> !full.contains(tp)).toList());
                    var records = consumer.poll(Duration.ofMillis(200));
                    if (records.isEmpty()) {
                        if (System.nanoTime() - idleSince > idleTimeout.toNanos()) {
                            throw new IllegalStateException("no records from " + topic + " for " + idleTimeout
                                    + " before its end offsets " + ends);
                        }
                    } else {
                        idleSince = System.nanoTime();
                    }
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                        if (r.offset() < ends.get(tp)) {
                            buffers.get(tp).addLast(r);
                        }
                    }
                    continue;
                }
                ConsumerRecord<byte[], byte[]> r = buffers.get(new TopicPartition(next.topic(), next.partition()))
                        .pollFirst();
                read++;
                fraction = total == 0 ? 1 : read / (double) total;
                InferenceEvent e = null;
                try {
                    e = r.value() == null ? null : deserializer.deserialize(r.topic(), r.headers(), r.value());
                } catch (RuntimeException ex) {
                    if (bounded) {
                        bad.add("partition " + r.partition() + " offset " + r.offset(), ex.getMessage());
                        if (stopOnBad) {
                            return new Result(handedOn, outside, undecodable);
                        }
                        continue;
                    }
                    undecodable++;
                }
                if ((e != null && !within(e.getEventTime())) || (e == null && bounded)) {
                    outside++;
                    continue;
                }
                if (e != null && !e.getModelId().equals(CLOSING_MODEL)) {
                    maxEventTime = Math.max(maxEventTime, e.getEventTime().toEpochMilli());
                }
                sink.accept(r);
                handedOn++;
            }
        }
        fraction = 1;
        return new Result(handedOn, outside, undecodable);
    }

    private boolean within(Instant t) {
        return (start == null || !t.isBefore(start)) && (end == null || t.isBefore(end));
    }
}
