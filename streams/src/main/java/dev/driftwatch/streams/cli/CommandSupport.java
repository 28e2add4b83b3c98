package dev.driftwatch.streams.cli;

import dev.driftwatch.schemas.registry.InMemorySchemaRegistry;
import dev.driftwatch.schemas.registry.Redaction;
import dev.driftwatch.streams.config.DriftwatchConfig;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the commands that talk to Kafka say the same way. */
final class CommandSupport {
    private CommandSupport() {
    }

    /**
     * Refuses a {@code mock://} registry that nothing else in this process uses: its schema ids would mean
     * nothing to the other processes on the broker (a pipeline would skip every baseline this command
     * publishes, a command could not read what the pipeline writes). Inside one process (the demo, tests
     * that run the pipeline and a command in one JVM) the scope is already in use, and shared.
     *
     * @throws IllegalArgumentException with a one-line message that names the setting and the fix
     */
    static void refuseInMemoryRegistry(DriftwatchConfig cfg) {
        if (cfg.usesInMemoryRegistry()
                && !InMemorySchemaRegistry.isInUse(InMemorySchemaRegistry.scopeOf(cfg.schemaRegistryUrl()))) {
            throw new IllegalArgumentException(DriftwatchConfig.SCHEMA_REGISTRY_URL_CONFIG + "="
                    + cfg.schemaRegistryUrl() + " is an in-memory registry that lives only inside this process, so"
                    + " the other processes on Kafka could not decode what it writes, nor it what they write; set "
                    + DriftwatchConfig.SCHEMA_REGISTRY_URL_CONFIG + " to a schema registry's Confluent API (e.g."
                    + " http://registry:8080/apis/ccompat/v7; deploy/local/stack.sh start runs one and writes the"
                    + " settings to a --config file)");
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

    /**
     * Whether stderr is a terminal. Java tells only whether the process has a console (stdin and stdout);
     * on Linux, where stderr points to is read from /proc.
     */
    static boolean stderrIsTerminal() {
        Path fd = Path.of("/proc/self/fd/2");
        try {
            if (Files.exists(fd)) {
                String target = Files.readSymbolicLink(fd).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // fall back on the console below
        }
        return System.console() != null;
    }
}
