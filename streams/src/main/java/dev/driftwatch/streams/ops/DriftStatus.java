package dev.driftwatch.streams.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftwatch.streams.internals.AlertStatus;
import dev.driftwatch.streams.internals.WindowEvaluator;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * {@code GET /status}: the current drift state of every model version and subject, read from the
 * alert-state store of this instance by an interactive query and, unless {@code local} is asked, from
 * every other instance of the application over HTTP ({@code /status?local=true} at its
 * {@code application.server}), merged into one answer:
 *
 * <pre>{@code
 * {"firing": 1,
 *  "subjects": [{"model": "ctr-model", "version": "1.5.0", "segment": "*", "subject": "income", "kind": "drift",
 *                "firing": true, "severity": "CRITICAL", "test": "psi", "alert_id": "al-1a2b...",
 *                "acknowledged": true, "acknowledged_by_command": "c0ffee...", "muted_until": null,
 *                "windows_observed": 7, "windows_drifted": 1, "latest_drifted": true}, ...],
 *  "mutes": [{"model": "ctr-model", "version": "*", "subject": "age", "until": "2026-12-01T00:00:00Z"}],
 *  "instances": [{"server": "10.0.0.5:8080", "local": true, "reachable": true}, ...]}
 * }</pre>
 *
 * {@code kind} is {@code drift}, or {@code data_quality} for a subject's data-quality alert (its {@code test} the
 * check that fired: {@code absent}, {@code missing_share}, {@code type_mismatch}, {@code out_of_range} or
 * {@code unseen_categories}). {@code windows_drifted} counts the drifted windows among the last n of the m-of-n policy. {@code alert_id}
 * is the open FIRING alert's (what {@code driftwatch ctl ack --alert-id} takes), {@code acknowledged_by_command}
 * the id of the ACKNOWLEDGE command that acknowledged it; {@code muted_until} the end of the longest mute that
 * covers the subject now ({@code UNMUTE}: until an UNMUTE command). {@code mutes} lists every mute in force,
 * {@code *} standing for every version or subject.
 */
public final class DriftStatus {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Thrown when the local store cannot be queried yet (starting, rebalancing, stopped). */
    public static final class NotQueryableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotQueryableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final KafkaStreams streams;
    private final Optional<HostInfo> self;
    private final int persistenceWindows;
    private final Duration remoteTimeout;
    private final HttpClient http;
    private volatile BaselineProblems baselineProblems = new BaselineProblems();

    /**
     * @param streams            the running client
     * @param applicationServer  this instance's {@code application.server}, if set
     * @param persistenceWindows n of the policy's m-of-n rule
     * @param remoteTimeout      how long to wait for another instance
     */
    public DriftStatus(KafkaStreams streams, Optional<String> applicationServer, int persistenceWindows,
                       Duration remoteTimeout) {
        this.streams = streams;
        this.self = applicationServer.map(HostInfo::buildFromEndpoint);
        this.persistenceWindows = persistenceWindows;
        this.remoteTimeout = remoteTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(remoteTimeout).build();
    }

    /** The subjects of this instance's active tasks. */
    public List<AlertStatus> local() {
        List<AlertStatus> out = new ArrayList<>();
        this.<byte[]>readStore(WindowEvaluator.ALERTS_STORE,
                (key, value) -> out.add(AlertStatus.decode(key, value, persistenceWindows)));
        return out;
    }

    /** The mutes of this instance's active tasks (a mute of every version is kept by every task: once here). */
    public List<AlertStatus.Mute> localMutes() {
        Set<AlertStatus.Mute> out = new LinkedHashSet<>();
        this.<Long>readStore(WindowEvaluator.MUTES_STORE, (key, until) -> out.add(AlertStatus.Mute.decode(key, until)));
        return List.copyOf(out);
    }

    /** Alert id to the id of the command that acknowledged it, for the alerts of this instance's tasks. */
    public Map<String, String> localAcknowledgements() {
        Map<String, String> out = new HashMap<>();
        this.<byte[]>readStore(WindowEvaluator.ALERT_LOG_STORE, (key, value) -> {
            String[] ack = AlertStatus.acknowledgement(key, value);
            if (!ack[1].isEmpty()) {
                out.put(ack[0], ack[1]);
            }
        });
        return out;
    }

    private <V> void readStore(String name, BiConsumer<String, V> entry) {
        try {
            ReadOnlyKeyValueStore<String, V> store = streams.store(StoreQueryParameters.fromNameAndType(name,
                    QueryableStoreTypes.keyValueStore()));
            try (KeyValueIterator<String, V> it = store.all()) {
                while (it.hasNext()) {
                    KeyValue<String, V> kv = it.next();
                    entry.accept(kv.key, kv.value);
                }
            }
        } catch (InvalidStateStoreException | IllegalStateException e) {
            throw new NotQueryableException("the alert state cannot be queried while the instance is "
                    + streams.state() + ": " + e.getMessage(), e);
        }
    }

    /** Also lists this instance's model versions and subjects without a usable baseline ({@code baselineProblems}). */
    public DriftStatus withBaselineProblems(BaselineProblems problems) {
        this.baselineProblems = problems;
        return this;
    }

    /** The JSON answer: this instance only when {@code localOnly}, else every instance's, merged. */
    public String json(boolean localOnly) {
        List<AlertStatus> subjects = new ArrayList<>(local());
        List<AlertStatus.Mute> mutes = localMutes();
        Map<String, String> acknowledgements = localAcknowledgements();
        long now = System.currentTimeMillis();
        ArrayNode instances = JSON.createArrayNode();
        instances.addObject().put("server", self.map(h -> h.host() + ":" + h.port()).orElse("(this instance)"))
                .put("local", true).put("reachable", true);
        List<JsonNode> remote = new ArrayList<>();
        Set<JsonNode> mutesShown = new LinkedHashSet<>();
        mutes.stream().filter(m -> m.until() > now).forEach(m -> mutesShown.add(mute(m)));
        if (!localOnly) {
            List<StreamsMetadata> clients;
            try {
                clients = List.copyOf(streams.metadataForAllStreamsClients());
            } catch (IllegalStateException e) {
                throw new NotQueryableException("the instances cannot be listed while this one is "
                        + streams.state() + ": " + e.getMessage(), e);
            }
            for (StreamsMetadata m : clients) {
                HostInfo host = m.hostInfo();
                if (host.port() <= 0 || self.map(host::equals).orElse(false)
                        || !m.stateStoreNames().contains(WindowEvaluator.ALERTS_STORE)) {
                    continue;
                }
                ObjectNode instance = instances.addObject().put("server", host.host() + ":" + host.port())
                        .put("local", false);
                try {
                    JsonNode answer = fetch(host);
                    answer.path("subjects").forEach(remote::add);
                    answer.path("mutes").forEach(mutesShown::add);
                    instance.put("reachable", true);
                } catch (IOException | RuntimeException e) {
                    instance.put("reachable", false).put("error", String.valueOf(e.getMessage()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    instance.put("reachable", false).put("error", "interrupted");
                }
            }
        }
        subjects.sort(Comparator.comparing(AlertStatus::model).thenComparing(AlertStatus::version)
                .thenComparing(AlertStatus::segment).thenComparing(AlertStatus::subject));
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = JSON.createArrayNode();
        long firing = 0;
        for (AlertStatus s : subjects) {
            list.add(node(s, s.mutedUntil(mutes, now).orElse(null),
                    s.alertId() == null ? null : acknowledgements.get(s.alertId())));
            firing += s.firing() ? 1 : 0;
        }
        for (JsonNode r : remote) {
            list.add(r);
            firing += r.path("firing").asBoolean() ? 1 : 0;
        }
        root.put("firing", firing);
        root.set("subjects", list);
        root.set("mutes", JSON.createArrayNode().addAll(mutesShown));
        root.set("instances", instances);
        root.set("baselineProblems", baselineProblems.json());
        return root.toString();
    }

    private JsonNode fetch(HostInfo host) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port()
                + OpsHttpServer.STATUS_PATH + "?local=true")).timeout(remoteTimeout).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static ObjectNode node(AlertStatus s, Long mutedUntil, String acknowledgedBy) {
        ObjectNode n = JSON.createObjectNode();
        n.put("model", s.model()).put("version", s.version()).put("segment", s.segment()).put("subject", s.subject())
                .put("kind", s.kind()).put("firing", s.firing()).put("severity", s.severity()).put("test", s.test())
                .put("alert_id", s.alertId()).put("acknowledged", acknowledgedBy != null)
                .put("acknowledged_by_command", acknowledgedBy).put("muted_until", until(mutedUntil))
                .put("windows_observed", s.windowsObserved()).put("windows_drifted", s.windowsDrifted())
                .put("latest_drifted", s.latestDrifted());
        return n;
    }

    private static ObjectNode mute(AlertStatus.Mute m) {
        return JSON.createObjectNode().put("model", m.model()).put("version", m.version())
                .put("subject", m.subject()).put("until", until(m.until()));
    }

    /** An ISO-8601 instant, {@code UNMUTE} for a mute without end, null for none. */
    private static String until(Long millis) {
        return millis == null ? null : millis == Long.MAX_VALUE ? "UNMUTE" : Instant.ofEpochMilli(millis).toString();
    }
}
