package dev.driftwatch.streams.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --config FILE}: the properties file every command that reads settings takes. */
final class ConfigFileOption {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file with the settings: connection (bootstrap.servers, schema.registry.url, "
                    + "security), topic names, windows and policy. DRIFTWATCH_<KEY> environment variables override it.")
    Path file;
}
