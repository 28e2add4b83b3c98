package dev.driftwatch.schemas.registry;

import java.util.Objects;
import org.apache.avro.Schema;

/**
 * One version of a subject in a schema registry.
 *
 * @param subject the subject, e.g. {@code inference-events-value}
 * @param version the version within the subject, from 1
 * @param id the global schema id written in the Confluent wire format
 * @param schema the Avro schema
 */
public record RegisteredSchema(String subject, int version, int id, Schema schema) {
    public RegisteredSchema {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
    }
}
