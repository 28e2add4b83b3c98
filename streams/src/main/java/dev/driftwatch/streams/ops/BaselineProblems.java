package dev.driftwatch.streams.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The model versions and subjects of this instance without a usable baseline: those whose baseline record
 * cannot be decoded or parsed (e.g. its schema id is unknown to the registry: the pipeline is not ready, see
 * {@link #notReadyReason()}), and those whose windows found no baseline at all (normal for a new subject,
 * listed only). Thread-safe; keys are {@code model/version/subject}.
 */
public final class BaselineProblems {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, String> unreadable = new ConcurrentSkipListMap<>();
    private final Map<String, String> missing = new ConcurrentSkipListMap<>();

    /** The baseline record of {@code key} cannot be used, for {@code reason}; null: it can (again), or was deleted. */
    public void unreadable(String key, String reason) {
        if (reason == null) {
            unreadable.remove(key);
        } else {
            unreadable.put(key, reason);
            missing.remove(key);
        }
    }

    /** A window of {@code key} was evaluated without a baseline ({@code reason}), or (null) with one. */
    public void missing(String key, String reason) {
        if (reason == null) {
            missing.remove(key);
        } else if (!unreadable.containsKey(key)) {
            missing.put(key, reason);
        }
    }

    /** Why the pipeline is not ready: the first unreadable baselines and their reasons; empty when there is none. */
    public Optional<String> notReadyReason() {
        Map<String, String> now = new TreeMap<>(unreadable);
        if (now.isEmpty()) {
            return Optional.empty();
        }
        Map.Entry<String, String> first = now.entrySet().iterator().next();
        return Optional.of(now.size() + (now.size() == 1 ? " baseline" : " baselines") + " cannot be decoded, so"
                + " their subjects are not tested (first: " + first.getKey() + ": " + first.getValue() + "); publish"
                + " them again with the schema.registry.url this pipeline uses; every one is listed at /status");
    }

    /** How many baselines cannot be decoded. */
    public int unreadableCount() {
        return unreadable.size();
    }

    /** One JSON object per problem: model, version, subject, problem (unreadable or missing) and reason. */
    public ArrayNode json() {
        ArrayNode list = JSON.createArrayNode();
        add(list, unreadable, "unreadable");
        add(list, missing, "missing");
        return list;
    }

    private static void add(ArrayNode list, Map<String, String> problems, String kind) {
        for (Map.Entry<String, String> e : problems.entrySet()) {
            String[] parts = e.getKey().split("/", 3);
            list.addObject().put("model", parts[0]).put("version", parts.length > 1 ? parts[1] : "")
                    .put("subject", parts.length > 2 ? parts[2] : "").put("problem", kind).put("reason", e.getValue());
        }
    }
}
