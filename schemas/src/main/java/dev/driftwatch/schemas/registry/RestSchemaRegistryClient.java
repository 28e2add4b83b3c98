package dev.driftwatch.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A client of the Confluent schema-registry REST API over {@link HttpClient}.
 *
 * <p>Works with any server of that API: Confluent Schema Registry, Apicurio Registry under
 * {@code /apis/ccompat/v7}, Karapace. Schemas by id and ids by (subject, schema) are cached, so a
 * serde calls the registry once per schema, not once per record. A schema id the registry does not
 * know (HTTP 404) is remembered for {@link #MISSING_ID_TTL} and refused from memory meanwhile, so that
 * a flood of records with a bad id costs one request, not one each. Calls time out after
 * {@link Settings#requestTimeout()}; those that get no answer, HTTP 429 or a 5xx status are tried
 * again, on the next URL when several are configured, after an exponential back-off. Basic auth
 * and TLS (trust store, and key store for mutual TLS) come from the {@link Settings}.
 *
 * <p>Thread-safe.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    /**
     * How long the answer "no such schema id" is trusted before the registry is asked again: a schema
     * registered in the meantime is found after at most this long.
     */
    public static final Duration MISSING_ID_TTL = Duration.ofSeconds(30);

    /** Content type of the registry's requests and answers. */
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; q=0.9, application/json; q=0.5";

    /**
     * Everything the client needs.
     *
     * @param urls base URLs, tried in turn on failure (e.g. {@code http://127.0.0.1:8081})
     * @param userInfo basic-auth {@code user:password}, or null (then a user-info part of a URL is used, if any)
     * @param tls trust and key stores for https URLs
     * @param connectTimeout time-out for opening a connection
     * @param requestTimeout time-out for one request
     * @param maxRetries further tries after a retriable failure, 0 or more
     * @param retryBackoff wait before the first retry, doubled at each retry
     * @param retryBackoffMax longest wait between two tries
     * @param cacheCapacity entries per cache
     */
    public record Settings(List<String> urls, String userInfo, TlsSettings tls, Duration connectTimeout,
                           Duration requestTimeout, int maxRetries, Duration retryBackoff,
                           Duration retryBackoffMax, int cacheCapacity) {
        public Settings {
            if (urls == null || urls.isEmpty()) {
                throw new IllegalArgumentException("at least one registry URL is needed");
            }
            if (maxRetries < 0) {
                throw new IllegalArgumentException("maxRetries must be >= 0, was " + maxRetries);
            }
            Objects.requireNonNull(tls, "tls");
            urls = List.copyOf(urls);
        }

        /** Defaults for one URL: 10 s connect, 30 s request, 3 retries from 100 ms up to 5 s, 1000 cached schemas. */
        public static Settings of(String url) {
            return new Settings(List.of(url), null, TlsSettings.DEFAULTS, Duration.ofSeconds(10), Duration.ofSeconds(30),
                    3, Duration.ofMillis(100), Duration.ofSeconds(5), 1000);
        }
    }

    private final Settings settings;
    private final List<URI> baseUris;
    private final String authorization;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final BoundedCache<Integer, Schema> schemasById;
    /** Ids the registry said it does not know, with the {@link System#nanoTime()} until which that answer holds. */
    private final BoundedCache<Integer, MissingId> missingIds;
    private final Map<String, BoundedCache<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();

    public RestSchemaRegistryClient(Settings settings) {
        this.settings = settings;
        List<URI> uris = new ArrayList<>();
        String urlUserInfo = null;
        for (String url : settings.urls()) {
            URI uri;
            try {
                uri = URI.create(url.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("registry URL '" + Redaction.text(url) + "' is not a URL: "
                        + Redaction.text(e.getMessage()));
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("registry URL '" + Redaction.text(url)
                        + "' must be http(s)://host[:port][/path]");
            }
            if (uri.getRawUserInfo() != null) {
                urlUserInfo = decode(uri.getRawUserInfo());
            }
            String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
            uris.add(URI.create(uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + path));
        }
        this.baseUris = List.copyOf(uris);
        String userInfo = settings.userInfo() != null ? settings.userInfo() : urlUserInfo;
        this.authorization = userInfo == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL);
        if (!settings.tls().isDefault()) {
            builder.sslContext(settings.tls().sslContext());
        }
        this.http = builder.build();
        this.schemasById = new BoundedCache<>(settings.cacheCapacity());
        this.missingIds = new BoundedCache<>(settings.cacheCapacity());
    }

    /** A remembered 404 for a schema id: the registry's answer, trusted until {@code until} (nano time). */
    private record MissingId(SchemaRegistryException answer, long until) {
    }

    @Override
    public int register(String subject, Schema schema) {
        Integer cached = idCache(subject).get(schema);
        if (cached != null) {
            return cached;
        }
        ObjectNode body = schemaBody(schema);
        JsonNode answer = call("POST", "/subjects/" + encode(subject) + "/versions", body);
        int id = requireInt(answer, "id");
        idCache(subject).put(schema, id);
        schemasById.put(id, schema);
        return id;
    }

    @Override
    public RegisteredSchema lookup(String subject, Schema schema) {
        JsonNode answer = call("POST", "/subjects/" + encode(subject), schemaBody(schema));
        RegisteredSchema found = registered(answer, subject);
        idCache(subject).put(schema, found.id());
        return found;
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        MissingId missing = missingIds.get(id);
        if (missing != null && System.nanoTime() - missing.until() < 0) {
            throw new SchemaRegistryException(missing.answer().getMessage() + " (remembered for up to "
                    + MISSING_ID_TTL.toSeconds() + " s)", missing.answer().httpStatus(), missing.answer().errorCode());
        }
        JsonNode answer;
        try {
            answer = call("GET", "/schemas/ids/" + id, null);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                missingIds.put(id, new MissingId(e, System.nanoTime() + MISSING_ID_TTL.toNanos()));
            }
            throw e;
        }
        Schema schema = parse(answer, "schema id " + id);
        schemasById.put(id, schema);
        return schema;
    }

    @Override
    public List<Integer> versions(String subject) {
        JsonNode answer = call("GET", "/subjects/" + encode(subject) + "/versions", null);
        List<Integer> versions = new ArrayList<>();
        answer.forEach(v -> versions.add(v.asInt()));
        return versions;
    }

    @Override
    public RegisteredSchema version(String subject, int version) {
        return registered(call("GET", "/subjects/" + encode(subject) + "/versions/" + version, null), subject);
    }

    @Override
    public RegisteredSchema latest(String subject) {
        return registered(call("GET", "/subjects/" + encode(subject) + "/versions/latest", null), subject);
    }

    @Override
    public List<String> subjects() {
        List<String> subjects = new ArrayList<>();
        call("GET", "/subjects", null).forEach(s -> subjects.add(s.asText()));
        return subjects;
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        try {
            JsonNode answer = call("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest", schemaBody(schema));
            return answer.path("is_compatible").asBoolean(false);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                return true; // no version yet: anything may be registered
            }
            throw e;
        }
    }

    @Override
    public void setCompatibility(String subject, CompatibilityLevel level) {
        ObjectNode body = json.createObjectNode().put("compatibility", level.name());
        call("PUT", "/config/" + encode(subject), body);
    }

    /** The settings this client was built with. */
    public Settings settings() {
        return settings;
    }

    private BoundedCache<Schema, Integer> idCache(String subject) {
        return idsBySubject.computeIfAbsent(subject, s -> new BoundedCache<>(settings.cacheCapacity()));
    }

    private ObjectNode schemaBody(Schema schema) {
        return json.createObjectNode().put("schema", schema.toString());
    }

    private RegisteredSchema registered(JsonNode answer, String subject) {
        return new RegisteredSchema(answer.path("subject").asText(subject), requireInt(answer, "version"),
                requireInt(answer, "id"), parse(answer, "subject '" + subject + "'"));
    }

    private Schema parse(JsonNode answer, String what) {
        String type = answer.path("schemaType").asText("AVRO");
        if (!"AVRO".equalsIgnoreCase(type)) {
            throw new SchemaRegistryException("the registry's " + what + " is a " + type + " schema; only AVRO is supported",
                    422, SchemaRegistryException.NO_RESPONSE);
        }
        JsonNode text = answer.get("schema");
        if (text == null || !text.isTextual()) {
            throw new SchemaRegistryException("the registry's answer for " + what + " has no 'schema' text: " + answer,
                    SchemaRegistryException.NO_RESPONSE, SchemaRegistryException.NO_RESPONSE);
        }
        try {
            return new Schema.Parser().parse(text.asText());
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException("the registry's " + what + " is not a valid Avro schema: " + e.getMessage(),
                    422, SchemaRegistryException.NO_RESPONSE);
        }
    }

    private static int requireInt(JsonNode answer, String field) {
        JsonNode value = answer.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new SchemaRegistryException("the registry's answer has no integer '" + field + "': " + answer,
                    SchemaRegistryException.NO_RESPONSE, SchemaRegistryException.NO_RESPONSE);
        }
        return value.asInt();
    }

    /** One call, tried up to 1 + maxRetries times over the URLs in turn. */
    private JsonNode call(String method, String path, JsonNode body) {
        SchemaRegistryException last = null;
        Duration backoff = settings.retryBackoff();
        for (int attempt = 0; attempt <= settings.maxRetries(); attempt++) {
            if (attempt > 0) {
                pause(backoff);
                backoff = min(backoff.multipliedBy(2), settings.retryBackoffMax());
            }
            URI uri = URI.create(baseUris.get(attempt % baseUris.size()) + path);
            try {
                return once(method, uri, body);
            } catch (SchemaRegistryException e) {
                if (!e.isRetriable()) {
                    throw e;
                }
                last = e;
            }
        }
        throw new SchemaRegistryException(method + " " + path + " failed after " + (settings.maxRetries() + 1)
                + " tries; last failure: " + last.getMessage(), last.httpStatus(), last.errorCode());
    }

    private JsonNode once(String method, URI uri, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(settings.requestTimeout())
                .header("Accept", ACCEPT);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", CONTENT_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SchemaRegistryException(method + " " + uri + ": no answer (" + e + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(method + " " + uri + ": interrupted", e);
        }
        int status = response.statusCode();
        JsonNode answer = readJson(response.body());
        if (status >= 200 && status < 300) {
            if (answer == null) {
                throw new SchemaRegistryException(method + " " + uri + ": HTTP " + status + " with a body that is not JSON: "
                        + abbreviate(response.body()), status, SchemaRegistryException.NO_RESPONSE);
            }
            return answer;
        }
        int errorCode = answer == null ? SchemaRegistryException.NO_RESPONSE
                : answer.path("error_code").asInt(SchemaRegistryException.NO_RESPONSE);
        String message = answer == null ? abbreviate(response.body()) : answer.path("message").asText(answer.toString());
        throw new SchemaRegistryException(method + " " + uri + ": HTTP " + status
                + (errorCode == SchemaRegistryException.NO_RESPONSE ? "" : " error_code " + errorCode) + ": " + message,
                status, errorCode);
    }

    private JsonNode readJson(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static void pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("interrupted while waiting to retry", e);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String decode(String raw) {
        return java.net.URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
