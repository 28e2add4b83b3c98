package dev.driftwatch.streams.cli;

import dev.driftwatch.streams.tail.OutputTopic;
import dev.driftwatch.streams.client.TopicReader;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;

/** How {@code alerts} and {@code tail} read: where to start, when to stop, what to keep, how to print. */
final class ReadOptions {
    /** How records are printed. */
    enum Format { text, json }

    @Option(names = {"-f", "--follow"},
            description = "Wait for new records at the end of the topic (until --max, --timeout or Ctrl-C). "
                    + "Starts at the end unless --from-beginning or --since says otherwise.")
    boolean follow;

    @Option(names = "--from-beginning",
            description = "Start at the oldest retained record (the default without --follow).")
    boolean fromBeginning;

    @Option(names = "--since", paramLabel = "TIME",
            description = "Start at the first record at or after TIME, one of: 2026-11-01T09:00:00Z "
                    + "(ISO-8601), epoch milliseconds, a duration ago (90s, 15m, 2h, 7d, PT2H).")
    String since;

    @Option(names = "--model", paramLabel = "MODEL", description = "Only records of this model.")
    String model;

    @Option(names = "--version", paramLabel = "VERSION", description = "Only records of this model version.")
    String version;

    @Option(names = "--subject", paramLabel = "SUBJECT",
            description = "Only records of this feature or output (e.g. income, output.score).")
    String subject;

    @Option(names = "--max", paramLabel = "N",
            description = "Stop after N matching records, waiting for them (with --timeout: exit 1 if fewer "
                    + "arrive in time).")
    long max;

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = "Stop after this long, e.g. 30s, 2m, 500ms, PT1M (default: no limit).")
    String timeout;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (one line per record, default) or json (one object per line, for jq).")
    Format format;

    @Mixin
    ConnectionOptions connection;

    /**
     * The request these options make.
     *
     * @throws IllegalArgumentException naming the bad option and value
     */
    TopicReader.Request request(OutputTopic output, Instant now) {
        if (max < 0) {
            throw new IllegalArgumentException("--max " + max + " is negative; expected a count of records, >= 1");
        }
        if (since != null && fromBeginning) {
            throw new IllegalArgumentException("--since and --from-beginning both say where to start; give one");
        }
        TopicReader.Start start = since != null ? TopicReader.Start.TIME
                : fromBeginning || !follow ? TopicReader.Start.BEGINNING : TopicReader.Start.END;
        Duration wait = timeout == null ? null : CommandTimes.duration("--timeout", timeout);
        TopicReader.Filter filter = new TopicReader.Filter(model, version, subject);
        return new TopicReader.Request(output, start, since == null ? null : CommandTimes.timeOrAgo("--since", since, now), follow, max, wait,
                filter);
    }
}
