package dev.driftwatch.streams.replay;

import dev.driftwatch.schemas.avro.DeploymentRole;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Parsing of the scalar fields that the JSON-lines and CSV forms share. */
final class EventFields {
    private EventFields() {
    }

    /** An ISO-8601 instant ({@code 2026-11-01T09:00:00Z}, or with an offset) or epoch milliseconds. */
    static Instant time(String field, String text) {
        String t = text.trim();
        if (t.matches("-?\\d+")) {
            long ms = Long.parseLong(t);
            if (ms <= 0) {
                throw new BadEventException(field + " " + t + " must be a positive epoch-millisecond time");
            }
            return Instant.ofEpochMilli(ms);
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(t).toInstant();
            } catch (DateTimeParseException e2) {
                throw new BadEventException(field + " '" + t + "' is not an ISO-8601 time (2026-11-01T09:00:00Z)"
                        + " nor epoch milliseconds");
            }
        }
    }

    static DeploymentRole role(String text) {
        if (text == null || text.isBlank()) {
            return DeploymentRole.PRIMARY;
        }
        try {
            return DeploymentRole.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadEventException("role '" + text + "' is not one of primary, shadow, canary");
        }
    }

    static Double number(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new BadEventException(field + " '" + text + "' is not a number");
        }
    }

    static Long integer(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new BadEventException(field + " '" + text + "' is not an integer");
        }
    }

    static String required(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new BadEventException(field + " is missing");
        }
        return text;
    }

    /** Text for a double that parses back to the same value ({@code NaN}, {@code Infinity} as such). */
    static String text(Double d) {
        return d == null ? "" : Double.toString(d);
    }
}
