package dev.driftwatch.streams.replay;

import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ModelOutputs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Inference events as CSV: a header row, then one event per row. Columns, in any order:
 *
 * <ul>
 *   <li>{@code request_id}, {@code model_id}, {@code model_version}, {@code event_time} (ISO-8601 such as
 *       {@code 2026-11-01T09:00:00Z}, or epoch milliseconds): required;</li>
 *   <li>{@code event_id} (default: the request id), {@code role} (primary, shadow or canary; default
 *       primary);</li>
 *   <li>{@code f.<name>}: a numeric feature (empty: absent; {@code NaN}: a missing value);
 *       {@code c.<name>}: a categorical feature (empty: absent); {@code s.<name>}: a segment attribute;</li>
 *   <li>{@code score}, {@code label}, {@code confidence}, {@code latency_ms}, {@code tokens_in},
 *       {@code tokens_out}, {@code cost}, {@code error_code}: optional, empty for none.</li>
 * </ul>
 * Any other column is refused when the header is read.
 */
public final class EventCsv {
    private static final Set<String> PLAIN = Set.of("event_id", "request_id", "model_id", "model_version",
            "event_time", "role", "score", "label", "confidence", "latency_ms", "tokens_in", "tokens_out", "cost",
            "error_code");
    private static final List<String> LEADING = List.of("event_id", "request_id", "model_id", "model_version",
            "event_time", "role");
    private static final List<String> TRAILING = List.of("score", "label", "confidence", "latency_ms", "tokens_in",
            "tokens_out", "cost", "error_code");

    private final List<String> header;

    private EventCsv(List<String> header) {
        this.header = header;
    }

    /**
     * A reader of rows with this header.
     *
     * @throws BadEventException naming an unknown or duplicate column, or a missing required one
     */
    public static EventCsv ofHeader(List<String> header) {
        List<String> names = header.stream().map(String::trim).toList();
        Set<String> seen = new java.util.HashSet<>();
        for (String h : names) {
            boolean known = PLAIN.contains(h) || (h.length() > 2 && (h.startsWith("f.") || h.startsWith("c.")
                    || h.startsWith("s.")));
            if (!known) {
                throw new BadEventException("unknown column '" + h + "' in the header; expected " + LEADING
                        + ", f.<numeric feature>, c.<categorical feature>, s.<segment attribute>, " + TRAILING);
            }
            if (!seen.add(h)) {
                throw new BadEventException("column '" + h + "' appears twice in the header");
            }
        }
        for (String required : List.of("request_id", "model_id", "model_version", "event_time")) {
            if (!seen.contains(required)) {
                throw new BadEventException("the header has no '" + required + "' column");
            }
        }
        return new EventCsv(names);
    }

    /** The header of {@link #row} for events with these features and segment attributes. */
    public static List<String> header(InferenceEvent first) {
        List<String> h = new ArrayList<>(LEADING);
        first.getNumericFeatures().keySet().forEach(k -> h.add("f." + k));
        first.getCategoricalFeatures().keySet().forEach(k -> h.add("c." + k));
        first.getSegment().keySet().forEach(k -> h.add("s." + k));
        h.addAll(TRAILING);
        return h;
    }

    /** Parses one row. @throws BadEventException saying what is wrong */
    public InferenceEvent parse(List<String> row) {
        if (row.size() != header.size()) {
            throw new BadEventException("expected " + header.size() + " fields, found " + row.size());
        }
        Map<String, String> plain = new LinkedHashMap<>();
        Map<String, Double> numeric = new LinkedHashMap<>();
        Map<String, String> categorical = new LinkedHashMap<>();
        Map<String, String> segment = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String h = header.get(i);
            String v = row.get(i);
            if (h.startsWith("f.")) {
                if (!v.isEmpty()) {
                    numeric.put(h.substring(2), EventFields.number(h, v));
                }
            } else if (h.startsWith("c.")) {
                if (!v.isEmpty()) {
                    categorical.put(h.substring(2), v);
                }
            } else if (h.startsWith("s.")) {
                if (!v.isEmpty()) {
                    segment.put(h.substring(2), v);
                }
            } else {
                plain.put(h, v.isEmpty() ? null : v);
            }
        }
        String requestId = EventFields.required("request_id", plain.get("request_id"));
        String eventId = plain.get("event_id");
        return InferenceEvent.newBuilder()
                .setEventId(eventId == null ? requestId : eventId)
                .setRequestId(requestId)
                .setModelId(EventFields.required("model_id", plain.get("model_id")))
                .setModelVersion(EventFields.required("model_version", plain.get("model_version")))
                .setRole(EventFields.role(plain.get("role")))
                .setEventTime(EventFields.time("event_time", EventFields.required("event_time", plain.get("event_time"))))
                .setNumericFeatures(numeric)
                .setCategoricalFeatures(categorical)
                .setOutputs(ModelOutputs.newBuilder()
                        .setScore(EventFields.number("score", plain.get("score")))
                        .setLabel(plain.get("label"))
                        .setConfidence(EventFields.number("confidence", plain.get("confidence")))
                        .build())
                .setLatencyMs(EventFields.number("latency_ms", plain.get("latency_ms")))
                .setTokensIn(EventFields.integer("tokens_in", plain.get("tokens_in")))
                .setTokensOut(EventFields.integer("tokens_out", plain.get("tokens_out")))
                .setCost(EventFields.number("cost", plain.get("cost")))
                .setErrorCode(plain.get("error_code"))
                .setSegment(segment)
                .build();
    }

    /** One row for {@code header}; fields quoted when they hold a comma, quote or line break. */
    public static String row(List<String> header, InferenceEvent e) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < header.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(quote(field(header.get(i), e)));
        }
        return out.toString();
    }

    private static String field(String h, InferenceEvent e) {
        if (h.startsWith("f.")) {
            Double v = e.getNumericFeatures().get(h.substring(2));
            return v == null ? "" : Double.toString(v);
        }
        if (h.startsWith("c.")) {
            return orEmpty(e.getCategoricalFeatures().get(h.substring(2)));
        }
        if (h.startsWith("s.")) {
            return orEmpty(e.getSegment().get(h.substring(2)));
        }
        ModelOutputs out = e.getOutputs();
        return switch (h) {
            case "event_id" -> e.getEventId();
            case "request_id" -> e.getRequestId();
            case "model_id" -> e.getModelId();
            case "model_version" -> e.getModelVersion();
            case "event_time" -> e.getEventTime().toString();
            case "role" -> e.getRole().name().toLowerCase(Locale.ROOT);
            case "score" -> EventFields.text(out == null ? null : out.getScore());
            case "label" -> orEmpty(out == null ? null : out.getLabel());
            case "confidence" -> EventFields.text(out == null ? null : out.getConfidence());
            case "latency_ms" -> EventFields.text(e.getLatencyMs());
            case "tokens_in" -> e.getTokensIn() == null ? "" : e.getTokensIn().toString();
            case "tokens_out" -> e.getTokensOut() == null ? "" : e.getTokensOut().toString();
            case "cost" -> EventFields.text(e.getCost());
            case "error_code" -> orEmpty(e.getErrorCode());
            default -> throw new IllegalArgumentException("unknown column " + h);
        };
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
