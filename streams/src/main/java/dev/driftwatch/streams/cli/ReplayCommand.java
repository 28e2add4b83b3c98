package dev.driftwatch.streams.cli;

import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.streams.analyze.OfflineAnalysis;
import dev.driftwatch.streams.config.DriftwatchConfig;
import dev.driftwatch.streams.internals.Preflight;
import dev.driftwatch.streams.internals.Preflight.PreflightException;
import dev.driftwatch.streams.replay.BadRecords;
import dev.driftwatch.streams.replay.EventFileReader;
import dev.driftwatch.streams.replay.OrderedSender;
import dev.driftwatch.streams.replay.Progress;
import dev.driftwatch.streams.replay.RatePacer;
import dev.driftwatch.streams.replay.ResumePoint;
import dev.driftwatch.streams.replay.RetentionGuard;
import dev.driftwatch.streams.replay.TopicCopy;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serializer;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/** {@code driftwatch replay}: recorded inference events back into a topic, with their event times. */
@Command(name = "replay",
        header = "Replay inference events from a file or a topic into the events topic.",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Replay inference events into a topic (default: topic.inference.events), each",
            "record keyed by its request id and timestamped with its event time, so that",
            "the pipeline gives the same windows, statistics and alerts, with the same ids,",
            "as it did live.",
            "",
            "--input reads a file: an Avro object container of InferenceEvent, JSON lines",
            "(the flat form or Avro JSON), or CSV (header: event_id, request_id, model_id,",
            "model_version, event_time, role, f.<numeric feature>, c.<categorical feature>,",
            "s.<segment>, score, label, confidence, latency_ms, tokens_in, tokens_out,",
            "cost, error_code); the format is detected. --from-topic copies a topic from",
            "its beginning up to its end when the replay starts, read_committed, keeping",
            "keys, headers and timestamps.",
            "",
            "Bad records are counted and the first few reported with their line (a",
            "truncated Avro file with the byte offset of the damage); with --fail-on-bad a",
            "file with any bad record is not replayed at all (exit 2).",
            "",
            "Replay publishes in Kafka transactions of up to 10,000 events or 1 s each",
            "(transactional.id driftwatch-replay-<topic>-<hash of the source and times>):",
            "through a broker outage it waits and sends a failed transaction again, so a",
            "read_committed consumer sees every event once, in order. After --timeout",
            "without a commit it gives up, exits 2 and prints the --skip that goes on",
            "after the last committed transaction.",
            "Progress goes to stderr.",
        },
        footer = {"", "Examples:",
            "  bin/driftwatch replay --input last-week.avro --bootstrap-servers localhost:9092 --rate 5000",
            "  bin/driftwatch replay --from-topic inference-events --topic replay-events \\",
            "      --start 2026-11-01T00:00:00Z --end 2026-11-02T00:00:00Z --config prod.properties"})
public final class ReplayCommand implements Callable<Integer> {
    /** Seconds between progress lines when stderr is not a terminal. */
    static final int PROGRESS_EVERY_SECONDS = 5;

    static final class Source {
        @Option(names = "--input", required = true, paramLabel = "FILE",
                description = "Events file: Avro container, JSON lines or CSV.")
        Path input;

        @Option(names = "--from-topic", required = true, paramLabel = "TOPIC",
                description = "Topic of InferenceEvent records to copy.")
        String fromTopic;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--topic", paramLabel = "TOPIC",
            description = "Topic to replay into (default: topic.inference.events of the configuration).")
    String topic;

    @Option(names = "--start", paramLabel = "TIME", description = "Only events at or after this event time (ISO-8601 or epoch milliseconds).")
    String start;

    @Option(names = "--end", paramLabel = "TIME", description = "Only events before this event time (ISO-8601 or epoch milliseconds).")
    String end;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "N",
            description = "At most N events per second (default: as fast as possible).")
    double rate;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with the connection settings.")
    Path config;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka brokers (overrides bootstrap.servers).")
    String bootstrapServers;

    @Option(names = "--dry-run", description = "Read and count the events; publish nothing.")
    boolean dryRun;

    @Option(names = "--ignore-retention", description = "Publish events even when they are older than the retention.ms"
            + " of the target topic or of the pipeline's output topics. By default replay stops at the first such event:"
            + " the broker would delete it (and the statistics and alerts made from it) at its next retention check,"
            + " whenever it arrived.")
    boolean ignoreRetention;

    @Option(names = "--fail-on-bad", description = "Exit 2 when any record cannot be read: a file is checked first and"
            + " nothing is published; a copy from a topic stops at the first bad record (records before it are sent).")
    boolean failOnBad;

    // One string per line of the help: picocli would otherwise break a key such as business.join.grace.ms in two.
    @Option(names = "--close-windows", description = {
        "After the events, send one closing event to every partition of the target topic at the",
        "last event time + window.size.ms + window.grace.ms (+ business.join.window.ms +",
        "business.join.grace.ms when business.enabled=true) + 1 ms, so that the pipeline closes the",
        "last windows. Its model id is reserved; its own window never closes."})
    boolean closeWindows;

    @Option(names = "--timeout", defaultValue = "5m", paramLabel = "DURATION",
            description = "How long replay waits through a broker outage, e.g. 30s, 5m, PT10M (default"
                    + " ${DEFAULT-VALUE}, at most 1h): a transaction not committed for that long (or a topic copy's"
                    + " source silent for that long) makes it give up, exit 2 and print the --skip that goes on"
                    + " after the last committed transaction; nothing after it is visible to read_committed"
                    + " consumers.")
    String timeout;

    @Option(names = "--skip", defaultValue = "0", paramLabel = "N",
            description = "Skip the first N events (of those between --start and --end) before publishing: what a"
                    + " replay that gave up prints, to go on where it stopped without a hole or a duplicate.")
    String skip;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private ResumePoint resume;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            RatePacer pacer = new RatePacer(rate);
            Duration wait = CommandTimes.duration("--timeout", timeout, Duration.ofMillis(1), CtlCommand.MAX_TIMEOUT);
            resume = ResumePoint.parse(skip);
            Instant from = start == null ? null : CommandTimes.time("--start", start);
            Instant to = end == null ? null : CommandTimes.time("--end", end);
            if (from != null && to != null && !from.isBefore(to)) {
                throw new IllegalArgumentException("--start " + start + " must be before --end " + end);
            }
            Map<String, String> overrides = new HashMap<>();
            overrides.put(DriftwatchConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            overrides.put(DriftwatchConfig.TOPIC_INFERENCE_EVENTS_CONFIG, topic);
            DriftwatchConfig cfg = DriftwatchConfig.load(config, System.getenv(), overrides);
            String target = cfg.eventsTopic();
            boolean terminal = System.console() != null;
            if (source.input != null) {
                return fromFile(cfg, target, from, to, pacer, wait, terminal, out, err);
            }
            return fromTopic(cfg, target, from, to, pacer, wait, terminal, out, err);
        } catch (ConfigException | PreflightException | IllegalArgumentException e) {
            return CommandSupport.badInput("replay", e.getMessage(), err);
        } catch (IllegalStateException | KafkaException e) {
            // a source topic that stops short of its end offsets, or a client that cannot go on
            return CommandSupport.badInput("replay", "cannot read " + (source.fromTopic == null ? source.input
                    : "topic " + source.fromTopic) + ": " + e.getMessage(), err);
        }
    }

    private int fromFile(DriftwatchConfig cfg, String target, Instant from, Instant to, RatePacer pacer,
                         Duration wait, boolean terminal, PrintWriter out, PrintWriter err) {
        EventFileReader reader = EventFileReader.open(source.input);
        if (failOnBad && !dryRun) {
            BadRecords check = new BadRecords();
            reader.read(e -> { }, check);
            if (check.count() > 0) {
                report(check, err);
                return CommandSupport.badInput("replay", check.count() + " bad records in " + source.input
                        + " (--fail-on-bad): nothing replayed", err);
            }
            reader = EventFileReader.open(source.input);
        }
        EventFileReader file = reader;
        BadRecords bad = new BadRecords();
        AtomicLong sent = new AtomicLong();
        AtomicLong outside = new AtomicLong();
        Progress progress = new Progress(err, terminal, PROGRESS_EVERY_SECONDS,
                () -> file.size() == 0 ? Double.NaN : file.bytesRead() / (double) file.size());
        if (dryRun) {
            file.read(e -> {
                if (inRange(e, from, to)) {
                    progress.update(sent.incrementAndGet());
                } else {
                    outside.incrementAndGet();
                }
            }, bad);
            progress.finish(sent.get());
            report(bad, err);
            out.printf("dry run: %,d events read from %s (%s), %,d outside --start/--end, %,d bad records;"
                    + " nothing published%n", sent.get(), source.input, file.format().id(), outside.get(), bad.count());
            out.flush();
            return failOnBad && bad.count() > 0 ? DriftwatchCli.EXIT_BAD_INPUT : 0;
        }
        cfg.requireBootstrapServers();
        CommandSupport.refuseInMemoryRegistry(cfg);
        RetentionGuard retention = requireTopics(cfg, List.of(target), ignoreRetention ? null : target);
        Serializer<InferenceEvent> values = cfg.topics().events().valueSerde().serializer();
        AtomicLong maxTime = new AtomicLong(Long.MIN_VALUE);
        long started = System.nanoTime();
        try (OrderedSender sender = sender(cfg, target, wait)) {
            file.read(e -> {
                if (!inRange(e, from, to)) {
                    outside.incrementAndGet();
                    return;
                }
                maxTime.accumulateAndGet(e.getEventTime().toEpochMilli(), Math::max);
                if (resume.skip()) {
                    return;
                }
                checkRetention(retention, sender, e.getEventTime().toEpochMilli(), sent.get());
                long n = sent.incrementAndGet();
                pacer.await(n);
                sender.send(new ProducerRecord<>(target, null, e.getEventTime().toEpochMilli(),
                        e.getRequestId().getBytes(StandardCharsets.UTF_8), values.serialize(target, e)));
                progress.update(n);
            }, bad);
            closeWindows(cfg, sender, target, maxTime.get(), values, err);
            sender.finish();
        } catch (OrderedSender.GaveUp g) {
            progress.finish(sent.get());
            report(bad, err);
            return gaveUp(g, null, sent.get(), target, cfg, err);
        } catch (KafkaException e) {
            throw new PreflightException("cannot publish to " + target + " at " + DriftwatchConfig.BOOTSTRAP_SERVERS_CONFIG
                    + "=" + cfg.requireBootstrapServers() + ": " + e.getMessage());
        }
        progress.finish(sent.get());
        report(bad, err);
        return finish("replayed", sent.get(), target, outside.get(), bad, started, out);
    }

    private int fromTopic(DriftwatchConfig cfg, String target, Instant from, Instant to, RatePacer pacer,
                          Duration wait, boolean terminal, PrintWriter out, PrintWriter err) {
        String sourceTopic = source.fromTopic;
        if (sourceTopic.equals(target) && !dryRun) {
            throw new IllegalArgumentException("--from-topic " + sourceTopic + " is also the target topic; name"
                    + " another one with --topic");
        }
        cfg.requireBootstrapServers();
        CommandSupport.refuseInMemoryRegistry(cfg); // the source topic's records come from other processes
        RetentionGuard retention = requireTopics(cfg, dryRun ? List.of(sourceTopic) : List.of(sourceTopic, target),
                ignoreRetention || dryRun ? null : target);
        TopicCopy copy = new TopicCopy(consumerProperties(cfg), sourceTopic,
                cfg.topics().events().valueSerde().deserializer(), from, to, wait);
        BadRecords bad = new BadRecords();
        AtomicLong sent = new AtomicLong();
        Progress progress = new Progress(err, terminal, PROGRESS_EVERY_SECONDS, copy::fraction);
        long started = System.nanoTime();
        TopicCopy.Result result;
        if (dryRun) {
            result = copy.run(r -> progress.update(sent.incrementAndGet()), bad, failOnBad);
        } else {
            try (OrderedSender sender = sender(cfg, target, wait)) {
                try {
                    result = copy.run(r -> {
                        if (resume.skip()) {
                            return;
                        }
                        checkRetention(retention, sender, r.timestamp(), sent.get());
                        long n = sent.incrementAndGet();
                        pacer.await(n);
                        sender.send(new ProducerRecord<>(target, null, r.timestamp(), r.key(), r.value(),
                                r.headers()));
                        progress.update(n);
                    }, bad, failOnBad);
                } catch (IllegalStateException silent) {
                    // the source stopped short of its end offsets: what was sent is written, then the same advice
                    sender.finish();
                    progress.finish(sent.get());
                    return gaveUp(new OrderedSender.GaveUp(silent.getMessage(), sender.committed()), sourceTopic,
                            sent.get(), target, cfg, err);
                }
                closeWindows(cfg, sender, target, copy.maxEventTime(), cfg.topics().events().valueSerde().serializer(),
                        err);
                sender.finish();
            } catch (OrderedSender.GaveUp g) {
                progress.finish(sent.get());
                report(bad, err);
                return gaveUp(g, null, sent.get(), target, cfg, err);
            } catch (KafkaException e) {
                throw new PreflightException("cannot copy " + sourceTopic + " to " + target + ": " + e.getMessage());
            }
        }
        progress.finish(sent.get());
        report(bad, err);
        if (result.undecodable() > 0) {
            err.printf("replay: %,d records of %s are not readable InferenceEvents; copied as they are (the pipeline"
                    + " dead-letters them)%n", result.undecodable(), sourceTopic);
        }
        if (failOnBad && bad.count() > 0) {
            return CommandSupport.badInput("replay", bad.count() + " bad records in " + sourceTopic
                    + " (--fail-on-bad): stopped at the first", err);
        }
        if (dryRun) {
            out.printf("dry run: %,d records read from %s, %,d outside --start/--end, %,d bad records; nothing"
                    + " published%n", sent.get(), sourceTopic, result.outside(), bad.count());
            out.flush();
            return 0;
        }
        return finish("copied", sent.get(), target, result.outside(), bad, started, out);
    }

    private int finish(String verb, long acknowledged, String target, long outside, BadRecords bad,
                       long startedNanos, PrintWriter out) {
        double seconds = Math.max(1e-3, (System.nanoTime() - startedNanos) / 1e9);
        out.printf(Locale.ROOT, "%s %,d events to %s in %.1f s (%,.0f events/s); %,d outside --start/--end,"
                + " %,d bad records%s%n", verb, acknowledged, target, seconds, acknowledged / seconds, outside,
                bad.count(), resume.isStart() ? "" : "; skipped the events before --skip " + skip);
        out.flush();
        return 0;
    }

    /**
     * The one line of a replay that gave up: why, how many events are committed, and the {@code --skip} that goes
     * on after them.
     *
     * @param silentSource the source topic that stopped delivering, or null when the target did not acknowledge
     * @param events       events handed to the sender (closing events come after them)
     */
    private int gaveUp(OrderedSender.GaveUp g, String silentSource, long events, String target, DriftwatchConfig cfg,
                       PrintWriter err) {
        long inOrder = Math.min(g.committed(), events);
        String why = silentSource != null ? "cannot read topic " + silentSource + ": " + g.getMessage()
                : "gave up on " + target + " at " + DriftwatchConfig.BOOTSTRAP_SERVERS_CONFIG + "="
                        + cfg.requireBootstrapServers() + ": " + g.getMessage();
        String after = resume.isStart() ? "" : " after --skip " + skip;
        String written = String.format(Locale.ROOT, "the first %,d events%s are committed and nothing after them is"
                + " visible to read_committed consumers", inOrder, after);
        return CommandSupport.badInput("replay", why + "; " + written + ": to go on, run the same command with --skip "
                + resume.next(inOrder), err);
    }

    /**
     * The event time of the closing events after events up to {@code maxTime}: past the last window, its
     * grace and, with business outcomes on, the join window and join grace that delay its closing.
     */
    static long closingTime(DriftwatchConfig cfg, long maxTime) {
        return maxTime + cfg.windowSize().toMillis() + cfg.grace().toMillis()
                + cfg.signals().business().closeDelayMs() + 1;
    }

    private void closeWindows(DriftwatchConfig cfg, OrderedSender sender, String target,
                              long maxTime, Serializer<InferenceEvent> values, PrintWriter err) {
        if (!closeWindows || maxTime == Long.MIN_VALUE) {
            return;
        }
        long closing = closingTime(cfg, maxTime);
        InferenceEvent e = OfflineAnalysis.closingEvent(closing);
        int partitions = sender.partitions(target);
        for (int p = 0; p < partitions; p++) {
            sender.send(new ProducerRecord<>(target, p, closing, e.getRequestId().getBytes(StandardCharsets.UTF_8),
                    values.serialize(target, e)));
        }
        err.printf("replay: sent a closing event at %s to each of the %d partitions of %s%n",
                java.time.Instant.ofEpochMilli(closing), partitions, target);
        err.flush();
    }

    private static boolean inRange(InferenceEvent e, Instant from, Instant to) {
        Instant t = e.getEventTime();
        return (from == null || !t.isBefore(from)) && (to == null || t.isBefore(to));
    }

    private static void report(BadRecords bad, PrintWriter err) {
        if (bad.count() == 0) {
            return;
        }
        err.printf("replay: %,d bad records%s:%n", bad.count(), bad.count() > bad.first().size() ? ", the first "
                + bad.first().size() : "");
        bad.first().forEach(p -> err.println("  " + p));
        err.flush();
    }

    /**
     * Checks that the topics exist and, unless {@code replayTarget} is null, what a replay into it must not
     * publish (see {@link RetentionGuard}), over one admin connection.
     */
    private static RetentionGuard requireTopics(DriftwatchConfig cfg, List<String> topics, String replayTarget) {
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
     * The transactional sender of a replay into {@code target}. Its transactional id ends with a hash of the
     * source and the time range, so that the same command run again (with the {@code --skip} a replay that gave
     * up printed, say) has the same id and ends the transaction that the first run left open, while replays of
     * other sources run side by side.
     */
    private OrderedSender sender(DriftwatchConfig cfg, String target, Duration wait) {
        Properties props = cfg.producerProperties();
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 10);
        props.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, cfg.applicationId() + "-replay");
        String what = (source.input != null ? "file:" + source.input.toAbsolutePath().normalize()
                : "topic:" + source.fromTopic) + "|" + start + "|" + end;
        String suffix = Integer.toHexString(what.hashCode());
        return new OrderedSender(OrderedSender.producers(props, target, suffix, wait), wait, timeout);
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

    private static Properties consumerProperties(DriftwatchConfig cfg) {
        Properties props = new Properties();
        java.util.Set<String> names = org.apache.kafka.clients.consumer.ConsumerConfig.configNames();
        cfg.adminProperties().forEach((k, v) -> {
            if (names.contains(String.valueOf(k))) {
                props.put(k, v);
            }
        });
        return props;
    }
}
