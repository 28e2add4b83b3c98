package dev.driftwatch.streams.cli;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How every command reads a time or a duration, so that {@code --since}, {@code --from}, {@code --start},
 * {@code --timeout} and {@code --window-size} accept the same forms and refuse a bad value with the same one
 * line: the option, the value, and the forms accepted.
 *
 * <ul>
 *   <li>A duration: a whole number with a unit ({@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h},
 *       {@code 7d}), ISO-8601 ({@code PT5M}, {@code P1D}), or a whole number of seconds ({@code 300}).
 *       Letters in any case.</li>
 *   <li>A time: an ISO-8601 instant ({@code 2026-11-01T09:00:00Z}, or with an offset such as
 *       {@code +01:00}) or epoch milliseconds; where the option says so ({@code --since}), also a duration
 *       before now ({@code 2h}).</li>
 * </ul>
 */
final class CommandTimes {
    /** The forms of a duration, as error messages list them. */
    static final String DURATION_FORMS = "a number with a unit (500ms, 30s, 2m, 1h, 7d), ISO-8601 (PT5M) or"
            + " seconds (300)";
    /** The forms of a time, as error messages list them. */
    static final String TIME_FORMS = "an ISO-8601 instant such as 2026-11-01T09:00:00Z, or epoch milliseconds";

    private static final Pattern WITH_UNIT = Pattern.compile("(\\d{1,18})(ms|s|m|h|d)");

    private CommandTimes() {
    }

    /**
     * A duration longer than zero.
     *
     * @throws IllegalArgumentException naming the option, the value and the forms accepted
     */
    static Duration duration(String option, String text) {
        Duration d = parseDuration(option, text);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(option + " '" + text + "' is not positive; expected a duration above 0,"
                    + " as " + DURATION_FORMS);
        }
        return d;
    }

    /**
     * A duration within [{@code min}, {@code max}] ({@code max} null for no upper bound); {@code min} may be zero.
     *
     * @throws IllegalArgumentException naming the option, the value and the range or forms accepted
     */
    static Duration duration(String option, String text, Duration min, Duration max) {
        Duration d = parseDuration(option, text);
        if (d.compareTo(min) < 0 || (max != null && d.compareTo(max) > 0)) {
            throw new IllegalArgumentException(option + " '" + text + "' is out of range; expected " + describe(min)
                    + ".." + (max == null ? "" : describe(max)));
        }
        return d;
    }

    /**
     * An ISO-8601 instant or epoch milliseconds.
     *
     * @throws IllegalArgumentException naming the option, the value and the forms accepted
     */
    static Instant time(String option, String text) {
        String t = text.trim();
        try {
            if (t.matches("-?\\d{1,18}")) {
                return Instant.ofEpochMilli(Long.parseLong(t));
            }
            try {
                return Instant.parse(t);
            } catch (DateTimeParseException e) {
                return OffsetDateTime.parse(t).toInstant();
            }
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(option + " '" + text + "' is not a time; expected " + TIME_FORMS);
        }
    }

    /**
     * {@link #time}, or a duration before {@code now} ({@code 2h}: two hours ago). A bare number is epoch
     * milliseconds here, never seconds ago.
     *
     * @throws IllegalArgumentException naming the option, the value and the forms accepted
     */
    static Instant timeOrAgo(String option, String text, Instant now) {
        String t = text.trim();
        if (!t.matches("-?\\d+")) {
            try {
                return now.minus(duration(option, t));
            } catch (IllegalArgumentException | DateTimeException notADuration) {
                // then a time, or neither
            }
        }
        try {
            return time(option, t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " '" + text + "' is not a time; expected " + TIME_FORMS
                    + ", or a duration ago such as 90s, 15m, 2h or 7d");
        }
    }

    private static Duration parseDuration(String option, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.matches("\\d{1,18}")) {
                return Duration.ofSeconds(Long.parseLong(t));
            }
            Matcher m = WITH_UNIT.matcher(t);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            // too large, or not ISO-8601 after all: the message below
        }
        throw new IllegalArgumentException(option + " '" + text + "' is not a duration; expected " + DURATION_FORMS);
    }

    /** {@code 1ms}, {@code 30s}, {@code 1h}: a bound as an operator would write it. */
    private static String describe(Duration d) {
        if (d.toMillis() % 3_600_000 == 0 && !d.isZero()) {
            return d.toHours() + "h";
        }
        if (d.toMillis() % 60_000 == 0 && !d.isZero()) {
            return d.toMinutes() + "m";
        }
        if (d.toMillis() % 1000 == 0) {
            return d.toSeconds() + "s";
        }
        return d.toMillis() + "ms";
    }
}
