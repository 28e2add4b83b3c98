package dev.driftwatch.schemas.registry;

/**
 * A subject's compatibility level, as named by the Confluent REST API.
 * BACKWARD (the registry's usual default): the new schema can read data written with the latest
 * one. FORWARD: the latest schema can read data written with the new one. FULL: both.
 * The _TRANSITIVE forms check against every earlier version, not only the latest. NONE: no check.
 */
public enum CompatibilityLevel {
    NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE;

    /** Whether a reader with the new schema must read data of older versions. */
    public boolean checksBackward() {
        return this == BACKWARD || this == BACKWARD_TRANSITIVE || this == FULL || this == FULL_TRANSITIVE;
    }

    /** Whether readers with older versions must read data of the new schema. */
    public boolean checksForward() {
        return this == FORWARD || this == FORWARD_TRANSITIVE || this == FULL || this == FULL_TRANSITIVE;
    }

    /** Whether every earlier version is checked, not only the latest. */
    public boolean isTransitive() {
        return name().endsWith("_TRANSITIVE");
    }
}
