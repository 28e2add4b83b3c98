package dev.driftwatch.schemas.registry;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/** Builds the right {@link SchemaRegistryClient} for a configuration. */
public final class SchemaRegistryClients {
    private SchemaRegistryClients() {
    }

    /** A client for {@code schema.registry.url}: {@code mock://scope} or http(s) URLs. */
    public static SchemaRegistryClient create(Map<String, ?> config) {
        return create(new SchemaRegistryClientConfig(config));
    }

    /** A client for a parsed configuration. */
    public static SchemaRegistryClient create(SchemaRegistryClientConfig config) {
        List<String> urls = config.urls();
        long mocks = urls.stream().filter(u -> u.startsWith(InMemorySchemaRegistry.MOCK_URL_PREFIX)).count();
        if (mocks > 0) {
            if (urls.size() > 1) {
                throw new ConfigException(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL_CONFIG,
                        Redaction.value(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL_CONFIG, urls), "a mock:// URL must be the only registry URL");
            }
            return InMemorySchemaRegistry.forScope(InMemorySchemaRegistry.scopeOf(urls.get(0)));
        }
        try {
            return new RestSchemaRegistryClient(config.restSettings());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL_CONFIG,
                    Redaction.value(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL_CONFIG, urls),
                    Redaction.text(e.getMessage()));
        }
    }
}
