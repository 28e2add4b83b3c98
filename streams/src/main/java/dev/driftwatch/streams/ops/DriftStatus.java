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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /status}: the current drift state of every model version and subject, read from the
 * alert-state store of this instance by an interactive query and, unless {@code local} is asked, from
 * every other instance of the application over HTTP ({@code /status?local=true} at its
 * {@code application.server}), merged into one answer:
 *
 * <pre>{@code
 * {"firing": 1,
 *  "subjects": [{"model": "ctr-model", "version": "1.5.0", "segment": "*", "subject": "income",
 *                "firing": true, "severity": "CRITICAL", "test": "psi", "windows_observed": 7,
 *                "windows_drifted": 1, "latest_drifted": true}, ...],
 *  "instances": [{"server": "10.0.0.5:8080", "local": true, "reachable": true}, ...]}
 * }</pre>
 *
 * {@code windows_drifted} counts the drifted windows among the last n of the m-of-n policy.
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
        ReadOnlyKeyValueStore<String, byte[]> store;
        List<AlertStatus> out = new ArrayList<>();
        try {
            store = streams.store(StoreQueryParameters.fromNameAndType(WindowEvaluator.ALERTS_STORE,
                    QueryableStoreTypes.keyValueStore()));
            try (KeyValueIterator<String, byte[]> it = store.all()) {
                while (it.hasNext()) {
                    KeyValue<String, byte[]> kv = it.next();
                    out.add(AlertStatus.decode(kv.key, kv.value, persistenceWindows));
                }
            }
        } catch (InvalidStateStoreException | IllegalStateException e) {
            throw new NotQueryableException("the alert state cannot be queried while the instance is "
                    + streams.state() + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Also lists this instance's model versions and subjects without a usable baseline ({@code baselineProblems}). */
    public DriftStatus withBaselineProblems(BaselineProblems problems) {
        this.baselineProblems = problems;
        return this;
    }

    /** The JSON answer: this instance only when {@code localOnly}, else every instance's, merged. */
    public String json(boolean localOnly) {
        List<AlertStatus> subjects = new ArrayList<>(local());
        ArrayNode instances = JSON.createArrayNode();
        instances.addObject().put("server", self.map(h -> h.host() + ":" + h.port()).orElse("(this instance)"))
                .put("local", true).put("reachable", true);
        List<JsonNode> remote = new ArrayList<>();
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
            list.add(node(s));
            firing += s.firing() ? 1 : 0;
        }
        for (JsonNode r : remote) {
            list.add(r);
            firing += r.path("firing").asBoolean() ? 1 : 0;
        }
        root.put("firing", firing);
        root.set("subjects", list);
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

    private static ObjectNode node(AlertStatus s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("model", s.model()).put("version", s.version()).put("segment", s.segment()).put("subject", s.subject())
                .put("firing", s.firing()).put("severity", s.severity()).put("test", s.test())
                .put("windows_observed", s.windowsObserved()).put("windows_drifted", s.windowsDrifted())
                .put("latest_drifted", s.latestDrifted());
        return n;
    }
}
