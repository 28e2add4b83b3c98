package dev.driftwatch.streams.business;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.driftwatch.schemas.avro.OutcomeEvent;
import dev.driftwatch.schemas.avro.OutcomeType;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Outcome events from a file, one JSON object per line, for {@code driftwatch analyze --outcomes}:
 * <pre>{@code
 * {"request_id":"req-1","type":"click","event_time":"2026-11-01T09:00:02Z","value":null}
 * }</pre>
 * {@code type} is impression, click, conversion or other (any case); {@code event_time} an ISO-8601
 * instant or epoch milliseconds; {@code value} optional. Blank lines are skipped. A line that cannot be
 * used stops the reading with an error naming the file, the line and what is wrong.
 */
public final class OutcomeFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OutcomeFiles() {
    }

    /**
     * Reads every outcome of the file.
     *
     * @throws IllegalArgumentException for a file that cannot be read or a line that cannot be used
     */
    public static List<OutcomeEvent> readJsonLines(Path file) {
        List<OutcomeEvent> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    out.add(parse(JSON.readTree(line)));
                } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
                    throw new IllegalArgumentException("outcome file " + file + " line " + number + ": "
                            + e.getMessage() + "; expected {\"request_id\":\"...\",\"type\":\"impression|click|"
                            + "conversion|feedback_positive|feedback_negative|success|failure|judge_score|other\",\"event_time\":\"2026-11-01T09:00:02Z\" or epoch ms,\"value\":"
                            + "number or null,\"score\":number or null}");
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the outcome file " + file + ": " + e.getMessage());
        }
        return out;
    }

    static OutcomeEvent parse(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode id = n.get("request_id");
        if (id == null || !id.isTextual() || id.asText().isEmpty()) {
            throw new IllegalArgumentException("request_id is missing or not a non-empty string");
        }
        JsonNode type = n.get("type");
        OutcomeType t;
        try {
            t = OutcomeType.valueOf(type == null ? "" : type.asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("type " + type + " is not impression, click, conversion,"
                    + " feedback_positive, feedback_negative, success, failure, judge_score or other");
        }
        JsonNode time = n.get("event_time");
        if (time == null || time.isNull()) {
            throw new IllegalArgumentException("event_time is missing");
        }
        Instant when = time.isNumber() ? Instant.ofEpochMilli(time.asLong()) : Instant.parse(time.asText());
        JsonNode value = n.get("value");
        if (value != null && !value.isNull() && !value.isNumber()) {
            throw new IllegalArgumentException("value " + value + " is not a number or null");
        }
        JsonNode score = n.get("score");
        if (score != null && !score.isNull() && !score.isNumber()) {
            throw new IllegalArgumentException("score " + score + " is not a number or null");
        }
        Map<String, String> attributes = new HashMap<>();
        return OutcomeEvent.newBuilder().setRequestId(id.asText()).setType(t)
                .setValue(value == null || value.isNull() ? null : value.asDouble()).setEventTime(when)
                .setAttributes(attributes).setScore(score == null || score.isNull() ? null : score.asDouble())
                .build();
    }
}
