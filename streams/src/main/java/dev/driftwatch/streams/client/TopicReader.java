package dev.driftwatch.streams.client;

import dev.driftwatch.streams.Topic;
import dev.driftwatch.streams.config.DriftwatchConfig;
import dev.driftwatch.streams.config.Preflight;
import dev.driftwatch.streams.config.Preflight.PreflightException;
import dev.driftwatch.streams.tail.OutputTopic;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;

/**
 * Reads one output topic of the pipeline, for {@code alerts}, {@code tail} or any other caller: every
 * partition assigned by hand (no consumer group, no committed offsets left behind), {@code read_committed}
 * (only what the pipeline's transactions committed), values decoded with the configured registry.
 *
 * <p>Where it starts: the beginning, the end, or the first record at or after a time. When it stops:
 * after {@code max} matching records; when {@code timeout} has passed; otherwise, unless it follows the
 * topic, once it has read everything the topic held when it started. {@link #stop()} ends a read from
 * another thread (a shutdown hook).
 */
public final class TopicReader {
    /** Where a read starts. */
    public enum Start { BEGINNING, END, TIME }

    /**
     * What to read.
     *
     * @param output  the topic
     * @param start   where to start; {@link Start#TIME} needs {@code since}
     * @param since   the earliest record time with {@link Start#TIME}, else null
     * @param follow  whether to wait for new records at the end of the topic
     * @param max     stop after this many matching records; 0 for no bound
     * @param timeout stop after this long; null for no bound
     * @param filter  which records to hand on
     */
    public record Request(OutputTopic output, Start start, Instant since, boolean follow, long max, Duration timeout,
                          Filter filter) {
        public Request {
            Objects.requireNonNull(output, "output");
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(filter, "filter");
            if (start == Start.TIME && since == null) {
                throw new IllegalArgumentException("a read from a time needs that time");
            }
            if (max < 0) {
                throw new IllegalArgumentException("max must be >= 0, got " + max);
            }
        }
    }

    /**
     * Keeps the records of a model, a model version and a subject; a null part matches everything.
     * Records without such a field match only when the filter leaves it null: {@link #check} says so
     * before reading.
     */
    public record Filter(String model, String version, String subject) {
        /** Everything. */
        public static final Filter NONE = new Filter(null, null, null);

        /**
         * @throws IllegalArgumentException when the filter names a field that the output's records lack
         */
        public void check(OutputTopic output, Schema schema) {
            require(output, schema, model, "modelId", "--model");
            require(output, schema, version, "modelVersion", "--version");
            require(output, schema, subject, "subject", "--subject");
        }

        private static void require(OutputTopic output, Schema schema, String wanted, String field, String option) {
            if (wanted != null && schema.getField(field) == null) {
                throw new IllegalArgumentException(option + " does not apply to " + output.cliName() + ": its "
                        + schema.getName() + " records have no " + field);
            }
        }

        /** Whether the record is one of those asked for. */
        public boolean matches(SpecificRecord r) {
            return is(r, model, "modelId") && is(r, version, "modelVersion") && is(r, subject, "subject");
        }

        private static boolean is(SpecificRecord r, String wanted, String field) {
            if (wanted == null) {
                return true;
            }
            Schema.Field f = r.getSchema().getField(field);
            return f != null && wanted.equals(String.valueOf(r.get(f.pos())));
        }
    }

    /** Where the records go, in the order of each partition. */
    public interface Sink {
        /** A matching record and where it was read. */
        void record(ConsumerRecord<String, byte[]> origin, SpecificRecord value);

        /** A record whose value cannot be decoded; the read goes on. */
        void undecodable(ConsumerRecord<String, byte[]> origin, String reason);
    }

    /**
     * How a read ended.
     *
     * @param matched     matching records handed on
     * @param undecodable records that could not be decoded
     * @param timedOut    whether the timeout ended it
     */
    public record Outcome(long matched, long undecodable, boolean timedOut) {
    }

    private final DriftwatchConfig config;
    private volatile boolean stopped;
    private volatile KafkaConsumer<String, byte[]> consumer;

    public TopicReader(DriftwatchConfig config) {
        this.config = config;
    }

    /** Ends a running read at its next poll; safe from any thread. */
    public void stop() {
        stopped = true;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    /**
     * Reads as the request says.
     *
     * @throws PreflightException when the brokers cannot be reached or the topic does not exist (one line)
     */
    public Outcome read(Request request, Sink sink) {
        Topic<String, SpecificRecord> topic = request.output().of(config.topics());
        long deadline = request.timeout() == null ? Long.MAX_VALUE : System.nanoTime() + request.timeout().toNanos();
        try (Preflight preflight = Preflight.connect(config, Preflight.DEFAULT_TIMEOUT)) {
            if (!preflight.missing(List.of(topic.name())).isEmpty()) {
                throw new PreflightException("topic '" + topic.name() + "' (" + request.output().configKey()
                        + ") does not exist on " + config.requireBootstrapServers()
                        + "; driftwatch run --create-topics creates it, or set " + request.output().configKey()
                        + " to the topic your pipeline writes");
            }
        }
        Deserializer<SpecificRecord> values = topic.valueSerde().deserializer();
        long matched = 0;
        long undecodable = 0;
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(properties(), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = c;
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : c.partitionsFor(topic.name(), Preflight.DEFAULT_TIMEOUT)) {
                partitions.add(new TopicPartition(p.topic(), p.partition()));
            }
            c.assign(partitions);
            seek(c, partitions, request);
            Map<TopicPartition, Long> ends = request.follow() || request.max() > 0 ? Map.of()
                    : c.endOffsets(partitions, Preflight.DEFAULT_TIMEOUT);
            while (!stopped) {
                if (!request.follow() && request.max() == 0 && atEnd(c, ends)) {
                    return new Outcome(matched, undecodable, false);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new Outcome(matched, undecodable, true);
                }
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofNanos(Math.min(left, 500_000_000L)))) {
                    SpecificRecord value;
                    try {
                        value = r.value() == null ? null : values.deserialize(r.topic(), r.value());
                    } catch (RuntimeException e) {
                        undecodable++;
                        sink.undecodable(r, String.valueOf(e.getMessage()).replace('\n', ' '));
                        continue;
                    }
                    if (value != null && request.filter().matches(value)) {
                        sink.record(r, value);
                        if (++matched == request.max()) {
                            return new Outcome(matched, undecodable, false);
                        }
                    }
                }
            }
            return new Outcome(matched, undecodable, false);
        } catch (WakeupException e) {
            return new Outcome(matched, undecodable, false);
        } finally {
            consumer = null;
        }
    }

    private static void seek(KafkaConsumer<String, byte[]> c, List<TopicPartition> partitions, Request request) {
        switch (request.start()) {
            case BEGINNING -> c.seekToBeginning(partitions);
            case END -> c.seekToEnd(partitions);
            case TIME -> {
                Map<TopicPartition, Long> times = new HashMap<>();
                partitions.forEach(p -> times.put(p, request.since().toEpochMilli()));
                Map<TopicPartition, OffsetAndTimestamp> found = c.offsetsForTimes(times, Preflight.DEFAULT_TIMEOUT);
                List<TopicPartition> none = new ArrayList<>();
                for (TopicPartition p : partitions) {
                    OffsetAndTimestamp at = found.get(p);
                    if (at == null) {
                        none.add(p);
                    } else {
                        c.seek(p, at.offset());
                    }
                }
                if (!none.isEmpty()) { // (an empty list would mean every partition)
                    c.seekToEnd(none); // nothing at or after that time yet
                }
            }
            default -> throw new IllegalStateException(request.start().name());
        }
        partitions.forEach(c::position); // resolve now, so that records written from here on are read
    }

    private static boolean atEnd(KafkaConsumer<String, byte[]> c, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            if (c.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private Properties properties() {
        Properties props = config.consumerProperties();
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, config.applicationId() + "-reader-" + UUID.randomUUID());
        props.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Preflight.DEFAULT_TIMEOUT.toMillis());
        return props;
    }
}
