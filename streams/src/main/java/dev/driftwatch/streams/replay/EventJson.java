package dev.driftwatch.streams.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ModelOutputs;
import dev.driftwatch.streams.internals.FeatureArrays;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;

import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One inference event per JSON line. Two shapes are read:
 *
 * <p><b>Flat form</b> (written by {@code sample --format jsonl}):
 * <pre>{@code
 * {"event_id":"evt-1","request_id":"req-1","model_id":"ctr-model","model_version":"1.5.0","role":"primary",
 *  "event_time":"2026-11-01T09:00:00Z","numeric_features":{"age":38.0},"categorical_features":{"device":"mobile"},
 *  "score":0.31,"label":"no_click","confidence":0.38,"latency_ms":33.2,"tokens_in":null,"tokens_out":null,
 *  "cost":0.0002,"error_code":null,"segment":{"country":"US"}}
 * }</pre>
 * {@code request_id}, {@code model_id}, {@code model_version} and {@code event_time} (ISO-8601 or epoch
 * milliseconds) are required; {@code event_id} defaults to the request id, {@code role} to primary, the
 * rest to null or empty. A feature value of {@code null} or {@code "NaN"} is a missing value. Unknown
 * members are refused, so that a misspelt name is not silently ignored.
 *
 * <p><b>Avro JSON encoding</b> of {@code InferenceEvent} (members {@code eventId}, {@code requestId}, …,
 * unions as {@code {"double": 1.0}}), recognised by its {@code eventId} member.
 */
public final class EventJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> MEMBERS = Set.of("event_id", "request_id", "model_id", "model_version", "role",
            "event_time", "numeric_features", "categorical_features", "score", "label", "confidence", "latency_ms",
            "tokens_in", "tokens_out", "cost", "error_code", "segment");

    private EventJson() {
    }

    /** Parses one line. @throws BadEventException saying what is wrong */
    public static InferenceEvent parse(String line) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new BadEventException("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new BadEventException("expected a JSON object");
        }
        if (node.has("eventId")) {
            return parseAvroJson(line);
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!MEMBERS.contains(name)) {
                throw new BadEventException("unknown member '" + name + "'; expected " + new java.util.TreeSet<>(MEMBERS));
            }
        }
        String requestId = EventFields.required("request_id", text(node, "request_id"));
        String eventId = text(node, "event_id");
        return InferenceEvent.newBuilder()
                .setEventId(eventId == null || eventId.isBlank() ? requestId : eventId)
                .setRequestId(requestId)
                .setModelId(EventFields.required("model_id", text(node, "model_id")))
                .setModelVersion(EventFields.required("model_version", text(node, "model_version")))
                .setRole(EventFields.role(text(node, "role")))
                .setEventTime(EventFields.time("event_time", EventFields.required("event_time", text(node, "event_time"))))
                .setNumericFeatures(numbers(node.get("numeric_features")))
                .setCategoricalFeatures(categories(node.get("categorical_features")))
                .setOutputs(ModelOutputs.newBuilder()
                        .setScore(number(node, "score"))
                        .setLabel(text(node, "label"))
                        .setConfidence(number(node, "confidence"))
                        .build())
                .setLatencyMs(number(node, "latency_ms"))
                .setTokensIn(integer(node, "tokens_in"))
                .setTokensOut(integer(node, "tokens_out"))
                .setCost(number(node, "cost"))
                .setErrorCode(text(node, "error_code"))
                .setSegment(strings("segment", node.get("segment")))
                .build();
    }

    /** The flat form of an event, on one line (no line break). */
    public static String write(InferenceEvent e) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("event_id", e.getEventId());
        o.put("request_id", e.getRequestId());
        o.put("model_id", e.getModelId());
        o.put("model_version", e.getModelVersion());
        o.put("role", e.getRole().name().toLowerCase(Locale.ROOT));
        o.put("event_time", e.getEventTime().toString());
        ObjectNode numeric = o.putObject("numeric_features");
        e.getNumericFeatures().forEach((k, v) -> {
            if (v == null || Double.isNaN(v) || Double.isInfinite(v)) {
                numeric.put(k, v == null ? null : Double.toString(v));
            } else {
                numeric.put(k, v);
            }
        });
        ObjectNode categorical = o.putObject("categorical_features");
        e.getCategoricalFeatures().forEach(categorical::put);
        ModelOutputs out = e.getOutputs();
        putNumber(o, "score", out == null ? null : out.getScore());
        o.put("label", out == null ? null : out.getLabel());
        putNumber(o, "confidence", out == null ? null : out.getConfidence());
        putNumber(o, "latency_ms", e.getLatencyMs());
        o.put("tokens_in", e.getTokensIn());
        o.put("tokens_out", e.getTokensOut());
        putNumber(o, "cost", e.getCost());
        o.put("error_code", e.getErrorCode());
        ObjectNode segment = o.putObject("segment");
        e.getSegment().forEach(segment::put);
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static void putNumber(ObjectNode o, String name, Double v) {
        if (v == null) {
            o.putNull(name);
        } else if (Double.isNaN(v) || Double.isInfinite(v)) {
            o.put(name, Double.toString(v));
        } else {
            o.put(name, v);
        }
    }

    /** The fields schema version 2 appended; a line of version 1 lacks them (the Avro JSON decoder fills no defaults). */
    private static final java.util.Set<String> V2_FIELDS = java.util.Set.of("texts", "textTokens", "embeddings");
    /** The first released InferenceEvent: the current schema without {@link #V2_FIELDS}. */
    private static final org.apache.avro.Schema V1 = v1();

    private static org.apache.avro.Schema v1() {
        org.apache.avro.Schema current = InferenceEvent.getClassSchema();
        java.util.List<org.apache.avro.Schema.Field> fields = new java.util.ArrayList<>();
        for (org.apache.avro.Schema.Field f : current.getFields()) {
            if (!V2_FIELDS.contains(f.name())) {
                fields.add(new org.apache.avro.Schema.Field(f, f.schema()));
            }
        }
        return org.apache.avro.Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false,
                fields);
    }

    private static InferenceEvent parseAvroJson(String line) {
        try {
            return new SpecificDatumReader<>(InferenceEvent.class).read(null,
                    DecoderFactory.get().jsonDecoder(InferenceEvent.getClassSchema(), line));
        } catch (IOException | RuntimeException e) {
            if (V2_FIELDS.stream().noneMatch(f -> line.contains("\"" + f + "\""))) {
                try { // a line written with the first schema: its fields, the new ones from their defaults
                    return new SpecificDatumReader<InferenceEvent>(V1, InferenceEvent.getClassSchema()).read(null,
                            DecoderFactory.get().jsonDecoder(V1, line));
                } catch (IOException | RuntimeException ignored) {
                    // not of the first schema either: the current schema's message says more
                }
            }
            throw new BadEventException("not an Avro JSON InferenceEvent: " + e.getMessage());
        }
    }

    private static String text(JsonNode node, String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isContainerNode()) {
            throw new BadEventException(name + " must be a string or number, got " + v);
        }
        return v.asText();
    }

    private static Double number(JsonNode node, String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            return v.doubleValue();
        }
        return EventFields.number(name, text(node, name));
    }

    private static Long integer(JsonNode node, String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber()) {
            return v.longValue();
        }
        return EventFields.integer(name, text(node, name));
    }

    /** The numeric features, in arrays as the pipeline's decoder holds them ({@link FeatureArrays}). */
    private static Map<String, Double> numbers(JsonNode node) {
        if (node == null || node.isNull()) {
            return new LinkedHashMap<>();
        }
        if (!node.isObject()) {
            throw new BadEventException("numeric_features must be an object of name: number");
        }
        String[] names = new String[node.size()];
        double[] values = new double[names.length];
        int i = 0;
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); i++) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode v = f.getValue();
            names[i] = f.getKey();
            if (v.isNull()) {
                values[i] = Double.NaN;
            } else if (v.isNumber()) {
                values[i] = v.doubleValue();
            } else if (v.isTextual()) {
                Double number = EventFields.number("numeric feature " + f.getKey(), v.asText());
                values[i] = number == null ? Double.NaN : number; // blank: a missing value, as the summarizer read it
            } else {
                throw new BadEventException("numeric feature " + f.getKey() + " must be a number, got " + v);
            }
        }
        return FeatureArrays.numeric(names, values);
    }

    /** The categorical features, in arrays as the pipeline's decoder holds them ({@link FeatureArrays}). */
    private static Map<String, String> categories(JsonNode node) {
        Map<String, String> read = strings("categorical_features", node);
        return read.isEmpty() ? read : FeatureArrays.categorical(read.keySet().toArray(new String[0]),
                read.values().toArray(new String[0]));
    }

    private static Map<String, String> strings(String what, JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw new BadEventException(what + " must be an object of name: string");
        }
        node.fields().forEachRemaining(f -> {
            if (f.getValue().isContainerNode() || f.getValue().isNull()) {
                throw new BadEventException(what + " " + f.getKey() + " must be a string, got " + f.getValue());
            }
            out.put(f.getKey(), f.getValue().asText());
        });
        return out;
    }
}
