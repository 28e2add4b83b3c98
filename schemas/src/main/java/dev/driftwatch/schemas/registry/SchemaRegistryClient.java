package dev.driftwatch.schemas.registry;

import java.io.Closeable;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The part of the Confluent schema-registry REST API that driftwatch uses.
 *
 * <p>Two implementations: {@link RestSchemaRegistryClient} speaks HTTP to a real registry
 * (Confluent Schema Registry, Apicurio's {@code /apis/ccompat/v7}, Karapace, ...), and
 * {@link InMemorySchemaRegistry} keeps everything in memory for tests, the offline mode and the
 * demo ({@code mock://name} URLs). {@link SchemaRegistryClients#create} picks one from a URL.
 *
 * <p>Ids are the registry's global schema ids: the 4-byte id of the Confluent wire format.
 * Subjects are strings such as {@code inference-events-value}. Versions count from 1 per subject.
 *
 * <p>Every method throws {@link SchemaRegistryException} when the registry answers with an error
 * ({@link SchemaRegistryException#isNotFound()} tells a missing subject, version or id apart) or
 * cannot be reached after the configured retries.
 */
public interface SchemaRegistryClient extends Closeable {

    /**
     * Registers {@code schema} under {@code subject} (a no-op returning the existing id when it is
     * already registered there) and returns its global id. Fails with HTTP 409 when the subject's
     * compatibility level rejects the schema.
     */
    int register(String subject, Schema schema);

    /** Finds {@code schema} among the versions of {@code subject}, without registering it. */
    RegisteredSchema lookup(String subject, Schema schema);

    /** The schema with global id {@code id}; cached, since an id never changes its schema. */
    Schema schemaById(int id);

    /** The versions registered under {@code subject}, ascending. */
    List<Integer> versions(String subject);

    /** One version of a subject. */
    RegisteredSchema version(String subject, int version);

    /** The latest version of a subject. */
    RegisteredSchema latest(String subject);

    /** All subjects the registry knows. */
    List<String> subjects();

    /**
     * Whether {@code schema} may be registered as the next version of {@code subject} under the
     * subject's compatibility level (true when the subject does not exist yet).
     */
    boolean isCompatible(String subject, Schema schema);

    /** Sets the compatibility level of one subject. */
    void setCompatibility(String subject, CompatibilityLevel level);

    /** Releases connections; the default does nothing. */
    @Override
    default void close() {
    }
}
