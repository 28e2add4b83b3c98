package dev.driftwatch.streams.replay;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Properties;

/**
 * Sends the records of a replay in order through an outage of the brokers, and knows, when it gives up,
 * how many records from the first one on were acknowledged, so that a new replay can go on from there
 * without a hole and without a duplicate.
 *
 * <p>The producer is idempotent with at most 5 requests in flight per connection, so a retried batch cannot
 * be reordered or written twice. It never expires a record itself ({@code delivery.timeout.ms} is unbounded): it
 * retries for as long as the brokers are away. The bound is this class's {@code timeout}: when the first
 * record not yet acknowledged has waited that long without the acknowledged run from record 1 on growing (or
 * {@code send} could not even hand a record over for that long, its buffer full), it gives up. It gives up at the first record that fails, too
 * (an error the producer does not retry, such as an authorization error). Giving up closes the producer at
 * once, which fails every record not yet acknowledged: no record after the first unacknowledged one is sent
 * afterwards. The records are numbered 1, 2, ... in the order of {@link #send}; {@link GaveUp#acknowledged()}
 * is the length of the acknowledged run from record 1 on. Partitions whose leaders answer independently may
 * acknowledge a later record of one partition before an earlier one of another: {@link
 * GaveUp#acknowledgedPerPartition()} is exact in every case, as each partition's records are written in order.</p>
 */
public final class OrderedSender implements AutoCloseable {
    /** How long {@link #finish} waits between two looks at the acknowledgements. */
    private static final long WAIT_MS = 200;

    /** Replay gave up: the first {@link #acknowledged()} records are written, the rest must be sent again. */
    public static final class GaveUp extends RuntimeException {
        private final long acknowledged;
        private final long acknowledgedAfterGap;
        private final long[] acknowledgedPerPartition;

        public GaveUp(String reason, long acknowledged, long acknowledgedAfterGap, long[] acknowledgedPerPartition) {
            super(reason);
            this.acknowledged = acknowledged;
            this.acknowledgedAfterGap = acknowledgedAfterGap;
            this.acknowledgedPerPartition = acknowledgedPerPartition.clone();
        }

        /** Records acknowledged per partition of the target topic (each partition's from its first one on). */
        public long[] acknowledgedPerPartition() {
            return acknowledgedPerPartition.clone();
        }

        /** Records acknowledged from the first one on, without a gap. */
        public long acknowledged() {
            return acknowledged;
        }

        /**
         * Records after the first unacknowledged one that were acknowledged all the same (by another
         * partition's leader while this one's was away); 0 when the whole cluster was away.
         */
        public long acknowledgedAfterGap() {
            return acknowledgedAfterGap;
        }
    }

    private final Producer<byte[], byte[]> producer;
    private final long timeoutNanos;
    private final String timeoutText;
    /** Guarded by this: acked.get(i) for record base + i + 1. */
    private final BitSet acked = new BitSet();
    private long base;
    private long prefix;
    private long ackedTotal;
    private long sent;
    private long[] ackedPer = new long[0];
    private int partitions;
    private long unkeyed;
    private long lastProgress = System.nanoTime();
    private Exception failure;
    private boolean closed;

    /**
     * @param producer    an idempotent producer (see {@link #properties}); closed by {@link #close}
     * @param timeout     how long records may wait without any acknowledgement before the sender gives up
     * @param timeoutText how the user named the timeout, for the message
     */
    public OrderedSender(Producer<byte[], byte[]> producer, Duration timeout, String timeoutText) {
        this.producer = producer;
        this.timeoutNanos = timeout.toNanos();
        this.timeoutText = timeoutText;
    }

    /**
     * The producer settings for an ordered replay on top of {@code base}: idempotent, acks=all, at most 5
     * requests in flight, retried without end, {@code send} blocked at most {@code timeout}.
     */
    public static Properties properties(Properties base, Duration timeout) {
        Properties props = new Properties();
        props.putAll(base);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // Up to 5 in flight keeps the order with idempotence. Seen once in a 1M-event crash test: after a broker
        // restart one partition answered OUT_OF_ORDER_SEQUENCE_NUMBER to every retry; the give-up on --timeout
        // (with an exact per-partition --skip) is the way out. With 1 in flight a restart once wrote a batch
        // twice, silently: worse.
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
        return props;
    }

    /** A producer of {@link #properties}. */
    public static KafkaProducer<byte[], byte[]> producer(Properties base, Duration timeout) {
        return new KafkaProducer<>(properties(base, timeout), new org.apache.kafka.common.serialization
                .ByteArraySerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer());
    }

    /**
     * The partition of {@code topic} a record with {@code key} goes to: the producer's default for a key (murmur2
     * of the key modulo the partition count), round-robin in call order for none, so that a replay that goes on
     * with {@code --skip p:n,...} sends every record where the first run did.
     */
    public int partitionFor(String topic, byte[] key) {
        if (partitions == 0) {
            partitions = producer.partitionsFor(topic).size();
        }
        if (key == null) {
            return (int) (unkeyed++ % partitions);
        }
        return org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(key))
                % partitions;
    }

    /**
     * Sends the next record; its partition must be set (see {@link #partitionFor}).
     *
     * @throws GaveUp when an earlier record failed, when nothing was acknowledged for the timeout, or when the
     *     producer could not take the record within it
     */
    public void send(ProducerRecord<byte[], byte[]> record) {
        int partition = java.util.Objects.requireNonNull(record.partition(), "the record's partition");
        long n;
        synchronized (this) {
            if (mustGiveUp()) {
                n = -1;
            } else {
                n = ++sent;
                if (prefix == n - 1) {
                    lastProgress = System.nanoTime(); // this record is the first waiting: the timeout runs from now
                }
            }
        }
        if (n < 0) {
            throw giveUp();
        }
        try {
            producer.send(record, (md, ex) -> acknowledge(n, partition, ex));
        } catch (KafkaException e) {
            synchronized (this) {
                sent--;
                if (failure == null) {
                    failure = e;
                }
            }
            throw giveUp();
        }
    }

    /**
     * Waits until every record sent is acknowledged.
     *
     * @throws GaveUp as {@link #send} does
     */
    public void finish() {
        boolean done = false;
        while (!done) {
            synchronized (this) {
                if (mustGiveUp()) {
                    break;
                }
                done = prefix == sent;
                if (!done) {
                    try {
                        wait(WAIT_MS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        failure = e;
                    }
                }
            }
        }
        if (!done) {
            throw giveUp();
        }
    }

    /** The number of partitions of {@code topic}, from the producer's metadata. */
    public int partitions(String topic) {
        return producer.partitionsFor(topic).size();
    }

    /** Records acknowledged from the first one on, without a gap. */
    public synchronized long acknowledged() {
        return prefix;
    }

    /**
     * Closes the producer, waiting up to the timeout for the records sent (a replay that stops early, on a
     * retention limit say, still writes the records before the stop); a no-op after giving up.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        producer.close(Duration.ofNanos(timeoutNanos));
    }

    /**
     * Whether a record failed, or the first record not acknowledged waited for the timeout without the
     * acknowledged run growing (a partition stuck while the others go on counts too); under the lock.
     */
    private boolean mustGiveUp() {
        return failure != null || (prefix < sent && System.nanoTime() - lastProgress > timeoutNanos);
    }

    private void acknowledge(long n, int partition, Exception ex) {
        boolean fail;
        synchronized (this) {
            if (ex != null) {
                fail = failure == null && !closed;
                if (failure == null) {
                    failure = ex;
                }
            } else {
                fail = false;
                ackedTotal++;
                if (partition >= ackedPer.length) {
                    ackedPer = Arrays.copyOf(ackedPer, partition + 1);
                }
                ackedPer[partition]++;
                acked.set((int) (n - 1 - base));
                if (n == prefix + 1) {
                    int next = acked.nextClearBit((int) (prefix - base));
                    prefix = base + next;
                    lastProgress = System.nanoTime(); // the acknowledged run grew
                    if (prefix - base > 1 << 20) {
                        BitSet rest = acked.get((int) (prefix - base), Math.max((int) (prefix - base),
                                acked.length()));
                        acked.clear();
                        acked.or(rest);
                        base = prefix;
                    }
                }
            }
            notifyAll();
        }
        if (fail) {
            // From the producer's own thread this closes without waiting: batches queued after the failed
            // record fail too, instead of being sent after it.
            producer.close(Duration.ZERO);
        }
    }

    /** Closes the producer at once (outside the lock: its thread fails the waiting records through it). */
    private GaveUp giveUp() {
        long acknowledgedNow;
        long after;
        long[] per;
        String reason;
        synchronized (this) {
            closed = true;
            String timedOut = "no acknowledgement for " + timeoutText + " (--timeout)";
            reason = failure == null ? timedOut
                    : failure instanceof org.apache.kafka.common.errors.TimeoutException
                            ? timedOut + ": " + failure.getMessage() : failure.getMessage();
        }
        producer.close(Duration.ZERO);
        synchronized (this) {
            acknowledgedNow = prefix;
            after = ackedTotal - prefix;
            per = ackedPer.clone();
        }
        return new GaveUp(reason, acknowledgedNow, after, per);
    }
}
