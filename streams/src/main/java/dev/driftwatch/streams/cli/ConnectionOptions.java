package dev.driftwatch.streams.cli;

import dev.driftwatch.streams.config.DriftwatchConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.HashMap;
import java.util.Map;

/**
 * The options that say where Kafka and the registry are: a properties file, and keys that override it. Every
 * command that talks to Kafka mixes them in.
 */
final class ConnectionOptions {
    @Mixin
    ConfigFileOption config = new ConfigFileOption();

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka brokers (overrides bootstrap.servers).")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL",
            description = "Schema registry (overrides schema.registry.url).")
    String schemaRegistryUrl;

    /**
     * The configuration with the brokers named.
     *
     * @throws org.apache.kafka.common.config.ConfigException naming the bad value and where it was set, or that
     *     no broker is named
     */
    DriftwatchConfig load() {
        DriftwatchConfig cfg = settings(Map.of());
        cfg.requireBootstrapServers();
        return cfg;
    }

    /**
     * The configuration: the file, then DRIFTWATCH_* variables, then these options, then the command's own
     * {@code overrides} (null values skipped); the brokers may be unnamed (a dry run needs none).
     *
     * @throws org.apache.kafka.common.config.ConfigException naming the bad value and where it was set
     */
    DriftwatchConfig settings(Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>();
        all.put(DriftwatchConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        all.put(DriftwatchConfig.SCHEMA_REGISTRY_URL_CONFIG, schemaRegistryUrl);
        all.putAll(overrides);
        return DriftwatchConfig.load(config.file, System.getenv(), all);
    }
}
