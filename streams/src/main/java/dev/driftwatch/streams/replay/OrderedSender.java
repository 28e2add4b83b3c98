package dev.driftwatch.streams.replay;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * Publishes the records of a replay exactly once and in order through an outage of the brokers, in Kafka
 * transactions of one chunk each (at most {@link #CHUNK_RECORDS} records or {@link #CHUNK_TIME}, whichever comes
 * first). A read_committed consumer sees each committed chunk whole and never an aborted one.
 *
 * <p>The chunk being written is kept in memory. When it cannot be committed, the sender waits and tries again:
 * a commit whose outcome is not known yet (a timeout) is tried again as it is; a transaction that failed (a
 * record the broker refused for the moment, an epoch bumped across a broker restart, a producer in a fatal
 * state) is aborted, with a new producer of the same {@code transactional.id} when the old one cannot abort,
 * and the chunk is sent again from its first record. Records sent twice that way are in aborted transactions:
 * invisible to read_committed consumers, so nothing is doubled and nothing is missing.</p>
 *
 * <p>It gives up when a chunk could not be committed for {@code timeout}, or at once on an error that waiting
 * cannot cure (another producer with the same {@code transactional.id}, a missing ACL, a record too large);
 * {@link GaveUp#committed()} is then the number of records committed, from the first one on.</p>
 */
public final class OrderedSender implements AutoCloseable {
    /** How every replay's {@code transactional.id} begins: the operator's principal needs WRITE and DESCRIBE on it. */
    public static final String TRANSACTIONAL_ID_PREFIX = "driftwatch-replay-";
    /** Records of one transaction at most. */
    public static final int CHUNK_RECORDS = 10_000;
    /** How long one transaction gathers records at most (checked at each record). */
    public static final Duration CHUNK_TIME = Duration.ofSeconds(1);
    /** The longest transaction a broker accepts by default ({@code transaction.max.timeout.ms}). */
    private static final Duration MAX_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);
    /** Pause between two tries after a failure. */
    private static final long BACKOFF_MS = 500;

    /** Replay gave up: the first {@link #committed()} records are written, the rest must be sent again. */
    public static final class GaveUp extends RuntimeException {
        private final long committed;

        public GaveUp(String reason, long committed) {
            super(reason);
            this.committed = committed;
        }

        /** Records committed from the first one on; none after them is visible to a read_committed consumer. */
        public long committed() {
            return committed;
        }
    }

    private final Supplier<Producer<byte[], byte[]>> producers;
    private final long timeoutNanos;
    private final String timeoutText;
    private final int chunkRecords;
    private final long chunkNanos;
    private final List<ProducerRecord<byte[], byte[]>> chunk = new ArrayList<>();
    private Producer<byte[], byte[]> producer;
    private long chunkStarted;
    private long committed;
    private boolean closed;

    /**
     * @param producers   makes a transactional producer (see {@link #properties}), once and again after a fatal error;
     *                    each one is closed by this sender
     * @param timeout     how long a chunk may fail to be committed before the sender gives up
     * @param timeoutText how the user named the timeout, for the message
     * @throws GaveUp when the first producer cannot register its transactional id within the timeout
     */
    public OrderedSender(Supplier<Producer<byte[], byte[]>> producers, Duration timeout, String timeoutText) {
        this(producers, timeout, timeoutText, CHUNK_RECORDS, CHUNK_TIME);
    }

    OrderedSender(Supplier<Producer<byte[], byte[]>> producers, Duration timeout, String timeoutText,
                  int chunkRecords, Duration chunkTime) {
        this.producers = producers;
        this.timeoutNanos = timeout.toNanos();
        this.timeoutText = timeoutText;
        this.chunkRecords = chunkRecords;
        this.chunkNanos = chunkTime.toNanos();
        long since = System.nanoTime();
        while (producer == null) {
            try {
                producer = start(producers.get());
            } catch (KafkaException e) {
                pause(e, since);
            }
        }
    }

    /**
     * The producer settings for a replay into {@code target} on top of {@code base}: transactional (id
     * {@link #TRANSACTIONAL_ID_PREFIX} + target + "-" + {@code suffix}), acks=all, retried without end, a
     * blocking call bounded by {@code timeout}, a transaction that the coordinator keeps open through the
     * timeout (within the broker's default maximum).
     */
    public static Properties properties(Properties base, String target, String suffix, Duration timeout) {
        Properties props = new Properties();
        props.putAll(base);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID_PREFIX + target + "-" + suffix);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
        Duration txn = timeout.plusMinutes(1);
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                (int) (txn.compareTo(MAX_TRANSACTION_TIMEOUT) > 0 ? MAX_TRANSACTION_TIMEOUT : txn).toMillis());
        return props;
    }

    /** Makes producers of {@link #properties}. */
    public static Supplier<Producer<byte[], byte[]>> producers(Properties base, String target, String suffix,
                                                               Duration timeout) {
        Properties props = properties(base, target, suffix, timeout);
        return () -> new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Sends the next record (in the current chunk's transaction); commits the chunk when it is full or old enough.
     *
     * @throws GaveUp when the chunk could not be written for the timeout, or on an error waiting cannot cure
     */
    public void send(ProducerRecord<byte[], byte[]> record) {
        if (chunk.isEmpty()) {
            chunkStarted = System.nanoTime();
        }
        chunk.add(record);
        long since = System.nanoTime();
        try {
            if (chunk.size() == 1) {
                producer.beginTransaction();
            }
            producer.send(record);
        } catch (KafkaException e) {
            pause(e, since);
            resend(since);
        }
        if (chunk.size() >= chunkRecords || System.nanoTime() - chunkStarted >= chunkNanos) {
            commit();
        }
    }

    /**
     * Commits the records sent so far.
     *
     * @throws GaveUp as {@link #send} does
     */
    public void finish() {
        commit();
    }

    /** The number of partitions of {@code topic}, from the producer's metadata. */
    public int partitions(String topic) {
        return producer.partitionsFor(topic).size();
    }

    /** Records committed from the first one on. */
    public long committed() {
        return committed;
    }

    /**
     * Aborts the chunk not committed, if any, and closes the producer (waiting up to the timeout); a replay that
     * stops early, on a retention limit say, calls {@link #finish} first to keep what it sent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (producer == null) {
            return;
        }
        try {
            if (!chunk.isEmpty()) {
                producer.abortTransaction();
            }
        } catch (KafkaException e) {
            // closing the producer ends it all the same; the coordinator aborts the transaction
        } finally {
            producer.close(Duration.ofNanos(timeoutNanos));
        }
    }

    private void commit() {
        if (chunk.isEmpty()) {
            return;
        }
        long since = System.nanoTime();
        while (true) {
            try {
                producer.commitTransaction();
                committed += chunk.size();
                chunk.clear();
                return;
            } catch (TimeoutException e) {
                pause(e, since); // the outcome is not known: commit again, as the producer allows after a timeout
            } catch (KafkaException e) {
                pause(e, since);
                resend(since);
            }
        }
    }

    /** Aborts the failed transaction (with a new producer if this one cannot) and sends the chunk again. */
    private void resend(long since) {
        while (true) {
            try {
                abortOrRenew(since);
                producer.beginTransaction();
                for (ProducerRecord<byte[], byte[]> r : chunk) {
                    producer.send(r);
                }
                return;
            } catch (KafkaException e) {
                pause(e, since);
            }
        }
    }

    private void abortOrRenew(long since) {
        if (producer != null) {
            try {
                producer.abortTransaction();
                return;
            } catch (KafkaException e) {
                // a fatal state, or an abort that could not finish: a new producer of the same transactional.id
                // fences this one and has the coordinator abort its transaction
                pause(e, since);
            } catch (IllegalStateException e) {
                // no transaction to abort (it could not even begin): a new producer starts afresh
            }
            producer.close(Duration.ZERO);
            producer = null;
        }
        producer = start(producers.get());
    }

    private static Producer<byte[], byte[]> start(Producer<byte[], byte[]> p) {
        try {
            p.initTransactions();
            return p;
        } catch (KafkaException e) {
            p.close(Duration.ZERO);
            throw e;
        }
    }

    /** Waits a little after {@code e}, or gives up when {@code e} cannot be cured or the timeout has passed. */
    private void pause(KafkaException e, long since) {
        if (cannotRecover(e) || System.nanoTime() - since + BACKOFF_MS * 1_000_000 > timeoutNanos) {
            throw giveUp(e);
        }
        try {
            Thread.sleep(BACKOFF_MS);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw giveUp(e);
        }
    }

    private static boolean cannotRecover(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof AuthorizationException
                    || t instanceof AuthenticationException || t instanceof UnsupportedVersionException
                    || t instanceof RecordTooLargeException || t instanceof ConfigException) {
                return true;
            }
        }
        return false;
    }

    /** Gives up: the chunk not committed is aborted by closing the producer at once. */
    private GaveUp giveUp(KafkaException e) {
        closed = true;
        if (producer != null) {
            producer.close(Duration.ZERO);
        }
        String reason = e instanceof ProducerFencedException
                ? "another replay with the same transactional id took over (" + e.getMessage() + ")"
                : cannotRecover(e) ? e.getMessage()
                : "nothing committed for " + timeoutText + " (--timeout): " + e.getMessage();
        return new GaveUp(reason, committed);
    }
}
