package dev.driftwatch.streams.replay;

import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ModelOutputs;
import dev.driftwatch.streams.internals.FeatureArrays;

import java.util.ArrayList;
import java.util.Arrays;
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

    private static final int PLAIN_COLUMN = 0;
    private static final int NUMERIC = 1;
    private static final int CATEGORICAL = 2;
    private static final int SEGMENT = 3;
    /** Recurring values of short text columns (categories, model ids and versions), shared by a small cache. */
    private static final int SHARED_SLOTS = 1024;
    private static final int SHARED_MAX_LENGTH = 48;

    private final List<String> header;
    /** Per column: what it holds, and the feature's or attribute's name (one string for every row). */
    private final int[] kinds;
    private final String[] keys;
    /** Every numeric and categorical feature of the header, in its order: the names of a row that has them all. */
    private final String[] numericNames;
    private final String[] categoricalNames;
    private final int eventId;
    private final int requestId;
    private final int modelId;
    private final int modelVersion;
    private final int eventTime;
    private final int role;
    private final int score;
    private final int label;
    private final int confidence;
    private final int latencyMs;
    private final int tokensIn;
    private final int tokensOut;
    private final int cost;
    private final int errorCode;
    private final String[] shared = new String[SHARED_SLOTS];

    private EventCsv(List<String> header) {
        this.header = header;
        kinds = new int[header.size()];
        keys = new String[header.size()];
        List<String> numeric = new ArrayList<>();
        List<String> categorical = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            String h = header.get(i);
            kinds[i] = h.startsWith("f.") ? NUMERIC : h.startsWith("c.") ? CATEGORICAL : h.startsWith("s.") ? SEGMENT
                    : PLAIN_COLUMN;
            keys[i] = kinds[i] == PLAIN_COLUMN ? h : h.substring(2);
            if (kinds[i] == NUMERIC) {
                numeric.add(keys[i]);
            } else if (kinds[i] == CATEGORICAL) {
                categorical.add(keys[i]);
            }
        }
        numericNames = numeric.toArray(new String[0]);
        categoricalNames = categorical.toArray(new String[0]);
        eventId = header.indexOf("event_id");
        requestId = header.indexOf("request_id");
        modelId = header.indexOf("model_id");
        modelVersion = header.indexOf("model_version");
        eventTime = header.indexOf("event_time");
        role = header.indexOf("role");
        score = header.indexOf("score");
        label = header.indexOf("label");
        confidence = header.indexOf("confidence");
        latencyMs = header.indexOf("latency_ms");
        tokensIn = header.indexOf("tokens_in");
        tokensOut = header.indexOf("tokens_out");
        cost = header.indexOf("cost");
        errorCode = header.indexOf("error_code");
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

    /**
     * Parses one row. Features come as the pipeline's decoder holds them ({@link FeatureArrays}), recurring short
     * values as one string each. Not thread-safe: one per file.
     *
     * @throws BadEventException saying what is wrong
     */
    public InferenceEvent parse(List<String> row) {
        if (row.size() != header.size()) {
            throw new BadEventException("expected " + header.size() + " fields, found " + row.size());
        }
        String[] nNames = new String[numericNames.length];
        double[] nValues = new double[numericNames.length];
        String[] cNames = new String[categoricalNames.length];
        String[] cValues = new String[categoricalNames.length];
        int n = 0;
        int c = 0;
        Map<String, String> segment = new LinkedHashMap<>();
        for (int i = 0; i < kinds.length; i++) {
            String v = row.get(i);
            if (v.isEmpty()) {
                continue;
            }
            switch (kinds[i]) {
                case NUMERIC -> {
                    Double number = EventFields.number(header.get(i), v);
                    nNames[n] = keys[i];
                    nValues[n++] = number == null ? Double.NaN : number; // blank: a missing value, as the summarizer reads it
                }
                case CATEGORICAL -> {
                    cNames[c] = keys[i];
                    cValues[c++] = share(v);
                }
                case SEGMENT -> segment.put(keys[i], share(v));
                default -> {
                    // read by their column below
                }
            }
        }
        String requestId = EventFields.required("request_id", plain(row, this.requestId, false));
        String eventId = plain(row, this.eventId, false);
        return InferenceEvent.newBuilder()
                .setEventId(eventId == null ? requestId : eventId)
                .setRequestId(requestId)
                .setModelId(EventFields.required("model_id", plain(row, modelId, true)))
                .setModelVersion(EventFields.required("model_version", plain(row, modelVersion, true)))
                .setRole(EventFields.role(plain(row, role, false)))
                .setEventTime(EventFields.time("event_time", EventFields.required("event_time",
                        plain(row, eventTime, false))))
                .setNumericFeatures(FeatureArrays.numeric(n == numericNames.length ? numericNames
                        : Arrays.copyOf(nNames, n), n == nValues.length ? nValues : Arrays.copyOf(nValues, n)))
                .setCategoricalFeatures(FeatureArrays.categorical(c == categoricalNames.length ? categoricalNames
                        : Arrays.copyOf(cNames, c), c == cValues.length ? cValues : Arrays.copyOf(cValues, c)))
                .setOutputs(ModelOutputs.newBuilder()
                        .setScore(EventFields.number("score", plain(row, score, false)))
                        .setLabel(plain(row, label, true))
                        .setConfidence(EventFields.number("confidence", plain(row, confidence, false)))
                        .build())
                .setLatencyMs(EventFields.number("latency_ms", plain(row, latencyMs, false)))
                .setTokensIn(EventFields.integer("tokens_in", plain(row, tokensIn, false)))
                .setTokensOut(EventFields.integer("tokens_out", plain(row, tokensOut, false)))
                .setCost(EventFields.number("cost", plain(row, cost, false)))
                .setErrorCode(plain(row, errorCode, true))
                .setSegment(segment)
                .build();
    }

    /** The row's value in column {@code column} (null when empty or no such column), {@code shared} or not. */
    private String plain(List<String> row, int column, boolean shared) {
        if (column < 0) {
            return null;
        }
        String v = row.get(column);
        return v.isEmpty() ? null : shared ? share(v) : v;
    }

    /** {@code v}, or an equal string met before (a small direct-mapped cache of short strings). */
    private String share(String v) {
        if (v.length() > SHARED_MAX_LENGTH) {
            return v;
        }
        int slot = v.hashCode() & (SHARED_SLOTS - 1);
        String s = shared[slot];
        if (v.equals(s)) {
            return s;
        }
        shared[slot] = v;
        return v;
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
