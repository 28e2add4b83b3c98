package dev.driftwatch.streams.cli;

import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.streams.client.EventReplay;
import dev.driftwatch.streams.config.DriftwatchConfig;
import dev.driftwatch.streams.config.Preflight.PreflightException;
import dev.driftwatch.streams.replay.BadRecords;
import dev.driftwatch.streams.replay.EventFileReader;
import dev.driftwatch.streams.replay.RatePacer;
import dev.driftwatch.streams.replay.ResumePoint;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
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
            "Progress goes to stderr: a bar with events/s and the time left when stderr is",
            "a terminal, else one final line.",
        },
        footer = {"", "Examples:",
            "  bin/driftwatch replay --input last-week.avro --bootstrap-servers localhost:9092 --rate 5000",
            "  bin/driftwatch replay --from-topic inference-events --topic replay-events \\",
            "      --start 2026-11-01T00:00:00Z --end 2026-11-02T00:00:00Z --config prod.properties"})
public final class ReplayCommand implements Callable<Integer> {
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

    @Mixin
    ConnectionOptions connection;

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
            overrides.put(DriftwatchConfig.TOPIC_INFERENCE_EVENTS_CONFIG, topic);
            DriftwatchConfig cfg = connection.settings(overrides);
            // the same source and times name the same transactional id: a rerun ends what a run that gave up left open
            String runId = (source.input != null ? "file:" + source.input.toAbsolutePath().normalize()
                    : "topic:" + source.fromTopic) + "|" + start + "|" + end;
            EventReplay.Plan plan = new EventReplay.Plan(cfg.eventsTopic(), from, to, pacer, wait, timeout, resume,
                    closeWindows, ignoreRetention, runId);
            boolean terminal = CommandSupport.stderrIsTerminal();
            if (source.input != null) {
                return fromFile(cfg, plan, terminal, out, err);
            }
            return fromTopic(cfg, plan, terminal, out, err);
        } catch (ConfigException | PreflightException | IllegalArgumentException e) {
            return CommandSupport.badInput("replay", e.getMessage(), err);
        } catch (IllegalStateException | KafkaException e) {
            // a source topic that stops short of its end offsets, or a client that cannot go on
            return CommandSupport.badInput("replay", "cannot read " + (source.fromTopic == null ? source.input
                    : "topic " + source.fromTopic) + ": " + e.getMessage(), err);
        }
    }

    private int fromFile(DriftwatchConfig cfg, EventReplay.Plan plan, boolean terminal, PrintWriter out,
                         PrintWriter err) {
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
        if (dryRun) {
            return countFile(file, plan, bad, terminal, out, err);
        }
        cfg.requireBootstrapServers();
        CommandSupport.refuseInMemoryRegistry(cfg);
        EventReplay replay = new EventReplay(cfg, plan);
        Progress progress = new Progress(err, terminal, "replay", replay::fraction);
        long started = System.nanoTime();
        EventReplay.Result result;
        try {
            result = replay.fromFile(file, bad, listener(progress, plan.target(), err));
        } catch (EventReplay.GaveUp g) {
            progress.finish(g.sent());
            report(bad, err);
            return gaveUp(g, plan.target(), cfg, err);
        }
        progress.finish(result.sent());
        report(bad, err);
        return finish("replayed", result.sent(), plan.target(), result.outside(), bad, started, out);
    }

    /** {@code --dry-run} of a file: the events read, in and out of [--start, --end); no broker needed. */
    private int countFile(EventFileReader file, EventReplay.Plan plan, BadRecords bad, boolean terminal,
                          PrintWriter out, PrintWriter err) {
        AtomicLong read = new AtomicLong();
        AtomicLong outside = new AtomicLong();
        Progress progress = new Progress(err, terminal, "replay",
                () -> file.size() == 0 ? Double.NaN : file.bytesRead() / (double) file.size());
        file.read(e -> {
            Instant t = e.getEventTime();
            if ((plan.from() == null || !t.isBefore(plan.from())) && (plan.to() == null || t.isBefore(plan.to()))) {
                progress.update(read.incrementAndGet());
            } else {
                outside.incrementAndGet();
            }
        }, bad);
        progress.finish(read.get());
        report(bad, err);
        out.printf("dry run: %,d events read from %s (%s), %,d outside --start/--end, %,d bad records;"
                + " nothing published%n", read.get(), source.input, file.format().id(), outside.get(), bad.count());
        out.flush();
        return failOnBad && bad.count() > 0 ? DriftwatchCli.EXIT_BAD_INPUT : 0;
    }

    private int fromTopic(DriftwatchConfig cfg, EventReplay.Plan plan, boolean terminal, PrintWriter out,
                          PrintWriter err) {
        String sourceTopic = source.fromTopic;
        if (!dryRun) {
            EventReplay.checkSource(sourceTopic, plan.target());
        }
        cfg.requireBootstrapServers();
        CommandSupport.refuseInMemoryRegistry(cfg); // the source topic's records come from other processes
        EventReplay replay = new EventReplay(cfg, plan);
        BadRecords bad = new BadRecords();
        Progress progress = new Progress(err, terminal, "replay", replay::fraction);
        long started = System.nanoTime();
        EventReplay.Result result;
        if (dryRun) {
            result = replay.countTopic(sourceTopic, bad, failOnBad, progress::update);
        } else {
            try {
                result = replay.fromTopic(sourceTopic, bad, failOnBad, listener(progress, plan.target(), err));
            } catch (EventReplay.GaveUp g) {
                progress.finish(g.sent());
                if (g.silentSource() == null) {
                    report(bad, err);
                }
                return gaveUp(g, plan.target(), cfg, err);
            }
        }
        progress.finish(result.sent());
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
                    + " published%n", result.sent(), sourceTopic, result.outside(), bad.count());
            out.flush();
            return 0;
        }
        return finish("copied", result.sent(), plan.target(), result.outside(), bad, started, out);
    }

    /** Progress lines as events go out, and a line on stderr when the closing events are sent. */
    private static EventReplay.Listener listener(Progress progress, String target, PrintWriter err) {
        return new EventReplay.Listener() {
            @Override
            public void sent(long events) {
                progress.update(events);
            }

            @Override
            public void closed(Instant time, int partitions) {
                err.printf("replay: sent a closing event at %s to each of the %d partitions of %s%n", time, partitions,
                        target);
                err.flush();
            }
        };
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
     */
    private int gaveUp(EventReplay.GaveUp g, String target, DriftwatchConfig cfg, PrintWriter err) {
        String why = g.silentSource() != null ? "cannot read topic " + g.silentSource() + ": " + g.getMessage()
                : "gave up on " + target + " at " + DriftwatchConfig.BOOTSTRAP_SERVERS_CONFIG + "="
                        + cfg.requireBootstrapServers() + ": " + g.getMessage();
        String after = resume.isStart() ? "" : " after --skip " + skip;
        String written = String.format(Locale.ROOT, "the first %,d events%s are committed and nothing after them is"
                + " visible to read_committed consumers", g.committed(), after);
        return CommandSupport.badInput("replay", why + "; " + written + ": to go on, run the same command with --skip "
                + resume.next(g.committed()), err);
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
}
