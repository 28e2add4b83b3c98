package dev.driftwatch.streams.cli;

import dev.driftwatch.schemas.registry.Redaction;
import dev.driftwatch.streams.config.DriftwatchConfig;

import java.io.PrintWriter;

/** What the commands that talk to Kafka say the same way. */
final class CommandSupport {
    private CommandSupport() {
    }

    /** Warns that a {@code mock://} registry cannot share schemas with other processes. */
    static void warnIfInMemoryRegistry(String command, DriftwatchConfig cfg, PrintWriter err) {
        if (cfg.usesInMemoryRegistry()) {
            err.println("driftwatch " + command + ": warning: " + DriftwatchConfig.SCHEMA_REGISTRY_URL_CONFIG + "="
                    + cfg.schemaRegistryUrl() + " is an in-memory registry: other processes cannot read what this"
                    + " one writes, nor this one what they write; set it to your schema registry's URL");
            err.flush();
        }
    }

    /**
     * Prints {@code driftwatch <command>: <message>} on one line, the password of any URL in it hidden,
     * and returns {@link DriftwatchCli#EXIT_BAD_INPUT}.
     */
    static int badInput(String command, String message, PrintWriter err) {
        err.println("driftwatch " + command + ": " + Redaction.text(message).replace('\n', ' '));
        err.flush();
        return DriftwatchCli.EXIT_BAD_INPUT;
    }
}
