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
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Outcome events from a file, one JSON object per line, for {@code driftwatch analyze --outcomes}:
 * <pre>{@code
 * {"request_id":"req-1","type":"click","event_time":"2026-11-01T09:00:02Z","value":null}
 * }</pre>
 * {@code type} is impression, click, conversion or other (any case); {@code event_time} an ISO-8601
 * instant or epoch milliseconds; {@code value} optional. Blank lines are skipped. A line that cannot be
 * used stops the reading with an error naming the file, the line and what is wrong. {@link #inTimeOrder} reads
 * a file as its outcomes are needed, in event-time order, in bounded memory.
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
                out.add(parseLine(file, number, line));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the outcome file " + file + ": " + e.getMessage());
        }
        return out;
    }

    /**
     * The outcomes of a file in event-time order, read as they are needed: at most {@link #REORDER} of them
     * are held, the earliest handed out first (ties in file order). A file in time order, or whose lines are
     * out of order by fewer than {@link #REORDER} lines, gives the same sequence as a stable sort of the whole
     * file; an outcome further out of order is handed out late, as a topic would carry it.
     *
     * @throws IllegalArgumentException from {@code hasNext} or {@code next}, for a file that cannot be read or a
     *                                  line that cannot be used
     */
    public static InTimeOrder inTimeOrder(Path file) {
        return new InTimeOrder(file, REORDER);
    }

    /** The most outcomes {@link #inTimeOrder} holds to put the file's lines back in time order. */
    public static final int REORDER = 100_000;

    /** A file's outcomes in event-time order (see {@link #inTimeOrder}); close it to close the file. */
    public static final class InTimeOrder implements Iterator<OutcomeEvent>, AutoCloseable {
        private record Held(OutcomeEvent outcome, long line) {
        }

        private final Path file;
        private final int reorder;
        private final PriorityQueue<Held> held = new PriorityQueue<>(Comparator
                .comparing((Held h) -> h.outcome().getEventTime()).thenComparingLong(Held::line));
        private BufferedReader in;
        private boolean opened;
        private long line;
        private long read;

        InTimeOrder(Path file, int reorder) {
            this.file = file;
            this.reorder = reorder;
        }

        @Override
        public boolean hasNext() {
            fill();
            return !held.isEmpty();
        }

        @Override
        public OutcomeEvent next() {
            fill();
            Held h = held.poll();
            if (h == null) {
                throw new NoSuchElementException("no outcome left in " + file);
            }
            return h.outcome();
        }

        /** Outcomes read from the file so far. */
        public long read() {
            return read;
        }

        private void fill() {
            try {
                if (!opened) {
                    opened = true;
                    in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                }
                while (in != null && held.size() < reorder) {
                    String text = in.readLine();
                    if (text == null) {
                        close();
                        return;
                    }
                    line++;
                    if (!text.isBlank()) {
                        held.add(new Held(parseLine(file, line, text), line));
                        read++;
                    }
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the outcome file " + file + ": " + e.getMessage());
            }
        }

        @Override
        public void close() {
            if (in != null) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // read only: nothing is lost
                }
                in = null;
            }
            opened = true; // not opened again
        }
    }

    private static OutcomeEvent parseLine(Path file, long number, String line) {
        try {
            return parse(JSON.readTree(line));
        } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
            throw new IllegalArgumentException("outcome file " + file + " line " + number + ": "
                    + e.getMessage() + "; expected {\"request_id\":\"...\",\"type\":\"impression|click|"
                    + "conversion|feedback_positive|feedback_negative|success|failure|judge_score|label|other\",\"event_time\":"
                    + "\"2026-11-01T09:00:02Z\" or epoch ms,\"value\":number or null,\"score\":number or null,"
                    + "\"label\":string or null}");
        }
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
                    + " feedback_positive, feedback_negative, success, failure, judge_score, label or other");
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
        JsonNode label = n.get("label");
        if (label != null && !label.isNull() && !label.isTextual()) {
            throw new IllegalArgumentException("label " + label + " is not a string or null");
        }
        Map<String, String> attributes = new HashMap<>();
        return OutcomeEvent.newBuilder().setRequestId(id.asText()).setType(t)
                .setValue(value == null || value.isNull() ? null : value.asDouble()).setEventTime(when)
                .setAttributes(attributes).setScore(score == null || score.isNull() ? null : score.asDouble())
                .setLabel(label == null || label.isNull() ? null : label.asText())
                .build();
    }
}
