package dev.driftwatch.schemas.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * A schema registry held in memory, with the semantics of the Confluent one: one global id per
 * distinct schema (the same schema under two subjects has one id), versions from 1 per subject,
 * and compatibility checked with Avro's {@link SchemaCompatibility} on registration.
 *
 * <p>Selected by a {@code mock://name} URL: all clients configured with the same name share one
 * instance (see {@link #forScope(String)}), so a serializer and a deserializer built apart from
 * each other, as Kafka Streams builds them, see the same schemas. {@link #dropScope(String)}
 * forgets a scope between tests. A fresh, unshared instance comes from the constructor.
 *
 * <p>Thread-safe. Only Avro schemas; no schema references.
 */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {

    /** The URL scheme that selects this registry, as in Confluent's serdes. */
    public static final String MOCK_URL_PREFIX = "mock://";

    private static final Map<String, InMemorySchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private final Map<String, Integer> idsBySchemaText = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, List<Integer>> idsBySubject = new LinkedHashMap<>();
    private final Map<String, CompatibilityLevel> levels = new HashMap<>();
    private final CompatibilityLevel defaultLevel;
    private int nextId = 1;

    /** A registry whose subjects default to {@link CompatibilityLevel#BACKWARD}, as Confluent's do. */
    public InMemorySchemaRegistry() {
        this(CompatibilityLevel.BACKWARD);
    }

    public InMemorySchemaRegistry(CompatibilityLevel defaultLevel) {
        this.defaultLevel = defaultLevel;
    }

    /** The shared registry of a {@code mock://} scope, created on first use. */
    public static InMemorySchemaRegistry forScope(String scope) {
        return SCOPES.computeIfAbsent(scope, s -> new InMemorySchemaRegistry());
    }

    /**
     * Whether something in this process already uses the scope ({@link #forScope} was called and the scope
     * not dropped): only then can a new client share schemas with another one through it.
     */
    public static boolean isInUse(String scope) {
        return SCOPES.containsKey(scope);
    }

    /** Forgets a scope; clients already holding it keep their instance. */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }

    /** The scope named by a {@code mock://name} URL (the part after the scheme, up to a slash). */
    public static String scopeOf(String url) {
        if (!url.startsWith(MOCK_URL_PREFIX)) {
            throw new IllegalArgumentException("not a mock registry URL: '" + url + "'; expected mock://<scope>");
        }
        String rest = url.substring(MOCK_URL_PREFIX.length());
        int slash = rest.indexOf('/');
        String scope = slash < 0 ? rest : rest.substring(0, slash);
        if (scope.isEmpty()) {
            throw new IllegalArgumentException("mock registry URL '" + url + "' has no scope name; expected mock://<scope>");
        }
        return scope;
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        List<Integer> ids = idsBySubject.getOrDefault(subject, List.of());
        for (int id : ids) {
            if (schemasById.get(id).equals(schema)) {
                return id;
            }
        }
        String incompatibility = incompatibility(subject, schema);
        if (incompatibility != null) {
            throw new SchemaRegistryException("Schema being registered is incompatible with an earlier schema for subject '"
                    + subject + "': " + incompatibility, 409, 409);
        }
        int id = idsBySchemaText.computeIfAbsent(schema.toString(), text -> {
            schemasById.put(nextId, schema);
            return nextId++;
        });
        idsBySubject.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
        return id;
    }

    /**
     * Registers {@code schema} under {@code subject} with a chosen global id, as when importing
     * records written against another registry. Fails when the id is taken by another schema.
     */
    public synchronized int register(String subject, Schema schema, int id) {
        Schema existing = schemasById.get(id);
        if (existing != null && !existing.equals(schema)) {
            throw new SchemaRegistryException("schema id " + id + " is already taken by " + existing.getFullName(), 409, 409);
        }
        schemasById.put(id, schema);
        idsBySchemaText.putIfAbsent(schema.toString(), id);
        List<Integer> ids = idsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!ids.contains(id)) {
            ids.add(id);
        }
        nextId = Math.max(nextId, id + 1);
        return id;
    }

    @Override
    public synchronized RegisteredSchema lookup(String subject, Schema schema) {
        List<Integer> ids = idsOf(subject);
        for (int i = 0; i < ids.size(); i++) {
            Schema candidate = schemasById.get(ids.get(i));
            if (candidate.equals(schema)) {
                return new RegisteredSchema(subject, i + 1, ids.get(i), candidate);
            }
        }
        throw SchemaRegistryException.notFound("Schema in subject '" + subject + "'", 40403);
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw SchemaRegistryException.notFound("Schema id " + id, 40403);
        }
        return schema;
    }

    @Override
    public synchronized List<Integer> versions(String subject) {
        int count = idsOf(subject).size();
        List<Integer> versions = new ArrayList<>(count);
        for (int v = 1; v <= count; v++) {
            versions.add(v);
        }
        return versions;
    }

    @Override
    public synchronized RegisteredSchema version(String subject, int version) {
        List<Integer> ids = idsOf(subject);
        if (version < 1 || version > ids.size()) {
            throw SchemaRegistryException.notFound("Version " + version + " of subject '" + subject + "'", 40402);
        }
        int id = ids.get(version - 1);
        return new RegisteredSchema(subject, version, id, schemasById.get(id));
    }

    @Override
    public synchronized RegisteredSchema latest(String subject) {
        return version(subject, idsOf(subject).size());
    }

    @Override
    public synchronized List<String> subjects() {
        return new ArrayList<>(idsBySubject.keySet());
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        return incompatibility(subject, schema) == null;
    }

    @Override
    public synchronized void setCompatibility(String subject, CompatibilityLevel level) {
        levels.put(subject, level);
    }

    private List<Integer> idsOf(String subject) {
        List<Integer> ids = idsBySubject.get(subject);
        if (ids == null || ids.isEmpty()) {
            throw SchemaRegistryException.notFound("Subject '" + subject + "'", 40401);
        }
        return ids;
    }

    /** Null when compatible, else a description of the first incompatibility. */
    private String incompatibility(String subject, Schema candidate) {
        CompatibilityLevel level = levels.getOrDefault(subject, defaultLevel);
        List<Integer> ids = idsBySubject.getOrDefault(subject, List.of());
        if (level == CompatibilityLevel.NONE || ids.isEmpty()) {
            return null;
        }
        List<Integer> against = level.isTransitive() ? ids : List.of(ids.get(ids.size() - 1));
        for (int id : against) {
            Schema existing = schemasById.get(id);
            if (level.checksBackward()) {
                String problem = describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, existing));
                if (problem != null) {
                    return "the new schema cannot read data written with id " + id + ": " + problem;
                }
            }
            if (level.checksForward()) {
                String problem = describe(SchemaCompatibility.checkReaderWriterCompatibility(existing, candidate));
                if (problem != null) {
                    return "schema id " + id + " cannot read data written with the new schema: " + problem;
                }
            }
        }
        return null;
    }

    private static String describe(SchemaCompatibility.SchemaPairCompatibility result) {
        if (result.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return null;
        }
        return result.getResult().getIncompatibilities().toString();
    }
}
