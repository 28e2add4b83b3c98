package dev.driftwatch.streams.cli;

import dev.driftwatch.streams.tail.OutputTopic;
import dev.driftwatch.streams.tail.TopicReader;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

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
                    + "(ISO-8601), epoch milliseconds, a duration ago (90s, 15m, 2h, 7d).")
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
            description = "Stop after this long, e.g. 30s, 2m, 500ms (default: no limit).")
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
        Duration wait = timeout == null ? null : duration("--timeout", timeout);
        TopicReader.Filter filter = new TopicReader.Filter(model, version, subject);
        return new TopicReader.Request(output, start, since == null ? null : time(since, now), follow, max, wait,
                filter);
    }

    /** An instant, epoch milliseconds, or a duration before {@code now}. */
    static Instant time(String text, Instant now) {
        String t = text.trim();
        try {
            if (t.matches("\\d{10,}")) {
                return Instant.ofEpochMilli(Long.parseLong(t));
            }
            if (t.matches("\\d+(ms|s|m|h|d)")) {
                return now.minus(duration("--since", t));
            }
            return Instant.parse(t);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("--since '" + text + "' is not a time; expected an ISO-8601 instant"
                    + " such as 2026-11-01T09:00:00Z, epoch milliseconds, or a duration ago such as 2h");
        }
    }

    /** {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, {@code 7d}: a positive duration. */
    static Duration duration(String option, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m|h|d)").matcher(t);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new IllegalArgumentException(option + " '" + text + "' is not a duration; expected a positive"
                    + " number with a unit: 500ms, 30s, 2m, 1h or 7d");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
