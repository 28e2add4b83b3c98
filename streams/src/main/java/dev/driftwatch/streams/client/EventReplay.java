package dev.driftwatch.streams.client;

import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.streams.analyze.OfflineAnalysis;
import dev.driftwatch.streams.business.BusinessSettings;
import dev.driftwatch.streams.config.DriftwatchConfig;
import dev.driftwatch.streams.config.Preflight;
import dev.driftwatch.streams.config.Preflight.PreflightException;
import dev.driftwatch.streams.replay.BadRecords;
import dev.driftwatch.streams.replay.EventFileReader;
import dev.driftwatch.streams.replay.OrderedSender;
import dev.driftwatch.streams.replay.RatePacer;
import dev.driftwatch.streams.replay.ResumePoint;
import dev.driftwatch.streams.replay.RetentionGuard;
import dev.driftwatch.streams.replay.TopicCopy;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Replays inference events into a topic, each keyed by its request id and timestamped with its event time, so
 * that the pipeline gives the same windows and alerts as it did live: from an events file, or copied from
 * another topic (keys, headers and timestamps kept). Events go out in Kafka transactions through an
 * {@link OrderedSender}, which waits through a broker outage; a replay that gives up says how many events are
 * committed, and its {@link ResumePoint} where the next run goes on.
 *
 * <p>One instance runs one replay.</p>
 */
public final class EventReplay {
    /**
     * What to replay and how.
     *
     * @param target          the topic written to
     * @param from            only events at or after this event time; null for no bound
     * @param to              only events before this event time; null for no bound
     * @param pacer           how fast
     * @param timeout         how long to wait through an outage before giving up
     * @param timeoutText     how the user wrote {@code timeout}, for messages
     * @param resume          events of the source to skip first
     * @param closeWindows    whether to send one closing event to every partition after the events, so that the
     *                        pipeline closes the last windows
     * @param ignoreRetention whether to publish events older than the retention of the target or the outputs
     * @param runId           names this replay in its transactional id: the same run again (the same source and
     *                        time range) gets the same id, and ends the transaction a run that gave up left open
     */
    public record Plan(String target, Instant from, Instant to, RatePacer pacer, Duration timeout, String timeoutText,
                       ResumePoint resume, boolean closeWindows, boolean ignoreRetention, String runId) {
    }

    /**
     * What a replay did.
     *
     * @param sent        events handed to the target (closing events not counted)
     * @param outside     events outside [from, to)
     * @param undecodable records of a source topic that are not InferenceEvents, copied as they are
     */
    public record Result(long sent, long outside, long undecodable) {
    }

    /** The replay gave up: the first {@link #committed()} events are written, nothing after them is visible. */
    public static final class GaveUp extends RuntimeException {
        private final long committed;
        private final long sent;
        private final String silentSource;

        GaveUp(String reason, long committed, long sent, String silentSource) {
            super(reason);
            this.committed = committed;
            this.sent = sent;
            this.silentSource = silentSource;
        }

        /** Events committed from the first one sent on (at most {@link #sent()}). */
        public long committed() {
            return Math.min(committed, sent);
        }

        /** Events handed to the sender before it gave up. */
        public long sent() {
            return sent;
        }

        /** The source topic that stopped delivering records, or null when the target did not acknowledge. */
        public String silentSource() {
            return silentSource;
        }
    }

    /** Told of what a replay does as it goes. */
    public interface Listener {
        /** {@code events} events sent so far. */
        void sent(long events);

        /** Closing events at {@code time} were sent to each of the {@code partitions} partitions of the target. */
        void closed(Instant time, int partitions);
    }

    private final DriftwatchConfig cfg;
    private final Plan plan;
    private final AtomicLong sent = new AtomicLong();
    private volatile EventFileReader file;
    private volatile TopicCopy copy;

    public EventReplay(DriftwatchConfig cfg, Plan plan) {
        this.cfg = cfg;
        this.plan = plan;
    }

    /** The share of the source read so far, NaN while unknown (for a progress line). */
    public double fraction() {
        EventFileReader f = file;
        if (f != null) {
            return f.size() == 0 ? Double.NaN : f.bytesRead() / (double) f.size();
        }
        TopicCopy c = copy;
        return c == null ? Double.NaN : c.fraction();
    }

    /**
     * Replays the events of a file; records that cannot be read go to {@code bad}.
     *
     * @throws PreflightException (one line) when the target is missing, the broker cannot be reached, or an event
     *     is older than a topic keeps records (then the events before it are committed first)
     * @throws GaveUp when the target did not commit a transaction for the timeout
     */
    public Result fromFile(EventFileReader events, BadRecords bad, Listener listener) {
        file = events;
        RetentionGuard retention = requireTopics(List.of(plan.target()), plan.ignoreRetention() ? null : plan.target());
        Serializer<InferenceEvent> values = cfg.topics().events().valueSerde().serializer();
        AtomicLong maxTime = new AtomicLong(Long.MIN_VALUE);
        AtomicLong outside = new AtomicLong();
        String target = plan.target();
        try (OrderedSender sender = sender()) {
            events.read(e -> {
                if (!inRange(e.getEventTime())) {
                    outside.incrementAndGet();
                    return;
                }
                maxTime.accumulateAndGet(e.getEventTime().toEpochMilli(), Math::max);
                if (plan.resume().skip()) {
                    return;
                }
                send(sender, retention, new ProducerRecord<>(target, null, e.getEventTime().toEpochMilli(),
                        e.getRequestId().getBytes(StandardCharsets.UTF_8), values.serialize(target, e)), listener);
            }, bad);
            closeWindows(sender, maxTime.get(), values, listener);
            sender.finish();
        } catch (OrderedSender.GaveUp g) {
            throw new GaveUp(g.getMessage(), g.committed(), sent.get(), null);
        } catch (KafkaException e) {
            throw new PreflightException("cannot publish to " + target + " at " + DriftwatchConfig.BOOTSTRAP_SERVERS_CONFIG
                    + "=" + cfg.requireBootstrapServers() + ": " + e.getMessage());
        }
        return new Result(sent.get(), outside.get(), 0);
    }

    /**
     * Copies the events of {@code source} from its beginning to the end it has now, partitions merged in
     * timestamp order, read_committed.
     *
     * @param stopOnBad stop at the first record that cannot be read (the records before it are sent)
     * @throws PreflightException (one line) when a topic is missing, the broker cannot be reached, or an event is
     *     older than a topic keeps records
     * @throws GaveUp when the target did not commit a transaction, or the source delivered nothing, for the timeout
     */
    public Result fromTopic(String source, BadRecords bad, boolean stopOnBad, Listener listener) {
        checkSource(source, plan.target());
        RetentionGuard retention = requireTopics(List.of(source, plan.target()),
                plan.ignoreRetention() ? null : plan.target());
        copy = new TopicCopy(consumerProperties(cfg), source, cfg.topics().events().valueSerde().deserializer(),
                plan.from(), plan.to(), plan.timeout());
        String target = plan.target();
        TopicCopy.Result result;
        try (OrderedSender sender = sender()) {
            try {
                result = copy.run(r -> {
                    if (plan.resume().skip()) {
                        return;
                    }
                    send(sender, retention, new ProducerRecord<>(target, null, r.timestamp(), r.key(), r.value(),
                            r.headers()), listener);
                }, bad, stopOnBad);
            } catch (IllegalStateException silent) {
                // the source stopped short of its end offsets: what was sent is written, then the same advice
                sender.finish();
                throw new GaveUp(silent.getMessage(), sender.committed(), sent.get(), source);
            }
            closeWindows(sender, copy.maxEventTime(), cfg.topics().events().valueSerde().serializer(), listener);
            sender.finish();
        } catch (OrderedSender.GaveUp g) {
            throw new GaveUp(g.getMessage(), g.committed(), sent.get(), null);
        } catch (KafkaException e) {
            throw new PreflightException("cannot copy " + source + " to " + target + ": " + e.getMessage());
        }
        return new Result(sent.get(), result.outside(), result.undecodable());
    }

    /**
     * Refuses to copy a topic into itself.
     *
     * @throws IllegalArgumentException naming the topic and the fix
     */
    public static void checkSource(String source, String target) {
        if (source.equals(target)) {
            throw new IllegalArgumentException("--from-topic " + source + " is also the target topic; name another"
                    + " one with --topic");
        }
    }

    /**
     * Reads {@code source} as {@link #fromTopic} does and counts its events in [from, to), sending nothing.
     *
     * @throws IllegalStateException when the source delivers nothing for the timeout before its end
     */
    public Result countTopic(String source, BadRecords bad, boolean stopOnBad, LongConsumer counted) {
        requireTopics(List.of(source), null);
        copy = new TopicCopy(consumerProperties(cfg), source, cfg.topics().events().valueSerde().deserializer(),
                plan.from(), plan.to(), plan.timeout());
        TopicCopy.Result result = copy.run(r -> counted.accept(sent.incrementAndGet()), bad, stopOnBad);
        return new Result(sent.get(), result.outside(), result.undecodable());
    }

    /**
     * The event time of the closing events after events up to {@code maxTime}: past the last window, its
     * grace and, with business outcomes on, the join window and join grace that delay its closing.
     */
    public static long closingTime(DriftwatchConfig cfg, long maxTime) {
        return maxTime + cfg.windowSize().toMillis() + cfg.grace().toMillis()
                + BusinessSettings.of(cfg.signals()).closeDelayMs() + 1;
    }

    private void send(OrderedSender sender, RetentionGuard retention, ProducerRecord<byte[], byte[]> record,
                      Listener listener) {
        checkRetention(retention, sender, record.timestamp(), sent.get());
        long n = sent.incrementAndGet();
        plan.pacer().await(n);
        sender.send(record);
        listener.sent(n);
    }

    private void closeWindows(OrderedSender sender, long maxTime, Serializer<InferenceEvent> values,
                              Listener listener) {
        if (!plan.closeWindows() || maxTime == Long.MIN_VALUE) {
            return;
        }
        long closing = closingTime(cfg, maxTime);
        InferenceEvent e = OfflineAnalysis.closingEvent(closing);
        String target = plan.target();
        int partitions = sender.partitions(target);
        for (int p = 0; p < partitions; p++) {
            sender.send(new ProducerRecord<>(target, p, closing, e.getRequestId().getBytes(StandardCharsets.UTF_8),
                    values.serialize(target, e)));
        }
        listener.closed(Instant.ofEpochMilli(closing), partitions);
    }

    private boolean inRange(Instant t) {
        return (plan.from() == null || !t.isBefore(plan.from())) && (plan.to() == null || t.isBefore(plan.to()));
    }

    /**
     * Checks that the topics exist and, unless {@code replayTarget} is null, what a replay into it must not
     * publish (see {@link RetentionGuard}), over one admin connection.
     */
    private RetentionGuard requireTopics(List<String> topics, String replayTarget) {
        cfg.requireBootstrapServers();
        try (Preflight preflight = Preflight.connect(cfg, Preflight.DEFAULT_TIMEOUT)) {
            List<String> missing = preflight.missing(topics);
            if (!missing.isEmpty()) {
                throw new PreflightException("topic " + missing + " does not exist on " + cfg.requireBootstrapServers()
                        + "; create it first (e.g. with driftwatch run --create-topics --check)");
            }
            return replayTarget == null ? RetentionGuard.NONE : RetentionGuard.of(cfg, replayTarget, preflight);
        }
    }

    /**
     * The transactional sender of this replay. Its transactional id ends with a hash of the plan's run id, so
     * that the same command run again (with the {@code --skip} a replay that gave up printed, say) has the same
     * id and ends the transaction that the first run left open, while replays of other sources run side by side.
     */
    private OrderedSender sender() {
        Properties props = cfg.producerProperties();
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 10);
        props.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, cfg.applicationId() + "-replay");
        String suffix = Integer.toHexString(plan.runId().hashCode());
        return new OrderedSender(OrderedSender.producers(props, plan.target(), suffix, plan.timeout()), plan.timeout(),
                plan.timeoutText());
    }

    /**
     * {@link RetentionGuard#check}; when replay stops there, the events sent before are committed first (the
     * message counts them as published).
     */
    private static void checkRetention(RetentionGuard retention, OrderedSender sender, long eventTimeMs,
                                       long published) {
        try {
            retention.check(eventTimeMs, published);
        } catch (PreflightException e) {
            sender.finish();
            throw e;
        }
    }

    /** The consumer settings of the configuration (its admin settings, without the admin-only keys). */
    static Properties consumerProperties(DriftwatchConfig cfg) {
        Properties props = new Properties();
        Set<String> names = ConsumerConfig.configNames();
        cfg.adminProperties().forEach((k, v) -> {
            if (names.contains(String.valueOf(k))) {
                props.put(k, v);
            }
        });
        return props;
    }
}
