package dev.driftwatch.streams.cli;

import dev.driftwatch.streams.config.DriftwatchConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The options that say where Kafka and the registry are: a properties file, and keys that override it. */
final class ConnectionOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file with the connection settings (bootstrap.servers, schema.registry.url, "
                    + "topic names, security).")
    Path config;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka brokers (overrides bootstrap.servers).")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL",
            description = "Schema registry (overrides schema.registry.url).")
    String schemaRegistryUrl;

    /**
     * The configuration: the file, then DRIFTWATCH_* variables, then these options.
     *
     * @throws org.apache.kafka.common.config.ConfigException naming the bad value and where it was set
     */
    DriftwatchConfig load() {
        Map<String, String> overrides = new HashMap<>();
        overrides.put(DriftwatchConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        overrides.put(DriftwatchConfig.SCHEMA_REGISTRY_URL_CONFIG, schemaRegistryUrl);
        DriftwatchConfig cfg = DriftwatchConfig.load(config, System.getenv(), overrides);
        cfg.requireBootstrapServers();
        return cfg;
    }
}
