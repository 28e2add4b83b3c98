package dev.driftwatch.schemas.registry;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;

/**
 * How to reach a schema registry. The key names are those of Confluent's serdes, so that one
 * configuration works with theirs and ours; the time-out and retry keys are driftwatch's own
 * (Confluent's serdes ignore them).
 */
public class SchemaRegistryClientConfig extends AbstractConfig {

    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    public static final String SCHEMA_REGISTRY_URL_DOC = "Comma-separated base URLs of the schema registry "
            + "(http://host:8081, https://..., Apicurio's http://host:8080/apis/ccompat/v7), tried in turn on failure; "
            + "or mock://<scope> for the in-memory registry shared by every client of that scope.";

    public static final String BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE_DOC = "Where the basic-auth credentials come from: "
            + "USER_INFO (basic.auth.user.info) or URL (the user:password@ part of the URL).";
    public static final String DEFAULT_BASIC_AUTH_CREDENTIALS_SOURCE = "URL";

    public static final String USER_INFO_CONFIG = "basic.auth.user.info";
    public static final String USER_INFO_DOC = "Basic-auth credentials as user:password, used when "
            + "basic.auth.credentials.source is USER_INFO.";
    /** The same setting under the prefixed name that Confluent's serdes also accept. */
    public static final String PREFIXED_USER_INFO_CONFIG = "schema.registry.basic.auth.user.info";

    public static final String SSL_TRUSTSTORE_LOCATION_CONFIG = "schema.registry.ssl.truststore.location";
    public static final String SSL_TRUSTSTORE_PASSWORD_CONFIG = "schema.registry.ssl.truststore.password";
    public static final String SSL_TRUSTSTORE_TYPE_CONFIG = "schema.registry.ssl.truststore.type";
    public static final String SSL_KEYSTORE_LOCATION_CONFIG = "schema.registry.ssl.keystore.location";
    public static final String SSL_KEYSTORE_PASSWORD_CONFIG = "schema.registry.ssl.keystore.password";
    public static final String SSL_KEYSTORE_TYPE_CONFIG = "schema.registry.ssl.keystore.type";
    public static final String SSL_KEY_PASSWORD_CONFIG = "schema.registry.ssl.key.password";

    public static final String CONNECT_TIMEOUT_MS_CONFIG = "schema.registry.connect.timeout.ms";
    public static final String CONNECT_TIMEOUT_MS_DOC = "Time-out for opening a connection to the registry, in ms.";
    public static final int DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

    public static final String REQUEST_TIMEOUT_MS_CONFIG = "schema.registry.request.timeout.ms";
    public static final String REQUEST_TIMEOUT_MS_DOC = "Time-out for one HTTP request to the registry, in ms.";
    public static final int DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

    public static final String MAX_RETRIES_CONFIG = "schema.registry.max.retries";
    public static final String MAX_RETRIES_DOC = "How many times a failed call is tried again (no answer, HTTP 429 or 5xx); "
            + "4xx answers are never retried.";
    public static final int DEFAULT_MAX_RETRIES = 3;

    public static final String RETRY_BACKOFF_MS_CONFIG = "schema.registry.retry.backoff.ms";
    public static final String RETRY_BACKOFF_MS_DOC = "Wait before the first retry, in ms; doubled at each further retry.";
    public static final long DEFAULT_RETRY_BACKOFF_MS = 100;

    public static final String RETRY_BACKOFF_MAX_MS_CONFIG = "schema.registry.retry.backoff.max.ms";
    public static final String RETRY_BACKOFF_MAX_MS_DOC = "Longest wait between two retries, in ms.";
    public static final long DEFAULT_RETRY_BACKOFF_MAX_MS = 5_000;

    public static final String MAX_SCHEMAS_PER_SUBJECT_CONFIG = "max.schemas.per.subject";
    public static final String MAX_SCHEMAS_PER_SUBJECT_DOC = "Capacity of each client-side cache (ids by schema, schemas by id).";
    public static final int DEFAULT_MAX_SCHEMAS_PER_SUBJECT = 1000;

    public SchemaRegistryClientConfig(Map<?, ?> props) {
        this(clientConfigDef(), props);
    }

    protected SchemaRegistryClientConfig(ConfigDef definition, Map<?, ?> props) {
        super(definition, props);
    }

    /** The definition of the client keys; serde configurations extend it. */
    public static ConfigDef clientConfigDef() {
        return new ConfigDef()
                .define(SCHEMA_REGISTRY_URL_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE,
                        new ConfigDef.NonEmptyString() {
                            @Override
                            public void ensureValid(String name, Object value) {
                                if (value == null || ((List<?>) value).isEmpty()) {
                                    throw new org.apache.kafka.common.config.ConfigException(name, value,
                                            "at least one registry URL is needed, e.g. http://127.0.0.1:8081 or mock://demo");
                                }
                            }
                        }, Importance.HIGH, SCHEMA_REGISTRY_URL_DOC)
                .define(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, Type.STRING, DEFAULT_BASIC_AUTH_CREDENTIALS_SOURCE,
                        ConfigDef.CaseInsensitiveValidString.in("URL", "USER_INFO"), Importance.MEDIUM,
                        BASIC_AUTH_CREDENTIALS_SOURCE_DOC)
                .define(USER_INFO_CONFIG, Type.PASSWORD, null, Importance.MEDIUM, USER_INFO_DOC)
                .define(PREFIXED_USER_INFO_CONFIG, Type.PASSWORD, null, Importance.LOW,
                        "Same as " + USER_INFO_CONFIG + "; used when that one is not set.")
                .define(SSL_TRUSTSTORE_LOCATION_CONFIG, Type.STRING, null, Importance.MEDIUM,
                        "Trust store with the certificates that https registry URLs are checked against; "
                        + "the JVM's default trust store when not set.")
                .define(SSL_TRUSTSTORE_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.MEDIUM, "Password of the trust store.")
                .define(SSL_TRUSTSTORE_TYPE_CONFIG, Type.STRING, "JKS", Importance.LOW, "Type of the trust store: JKS or PKCS12.")
                .define(SSL_KEYSTORE_LOCATION_CONFIG, Type.STRING, null, Importance.LOW,
                        "Key store with the client certificate, for registries that require mutual TLS.")
                .define(SSL_KEYSTORE_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.LOW, "Password of the key store.")
                .define(SSL_KEYSTORE_TYPE_CONFIG, Type.STRING, "JKS", Importance.LOW, "Type of the key store: JKS or PKCS12.")
                .define(SSL_KEY_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.LOW,
                        "Password of the private key in the key store; the key store's password when not set.")
                .define(CONNECT_TIMEOUT_MS_CONFIG, Type.INT, DEFAULT_CONNECT_TIMEOUT_MS, ConfigDef.Range.atLeast(1),
                        Importance.LOW, CONNECT_TIMEOUT_MS_DOC)
                .define(REQUEST_TIMEOUT_MS_CONFIG, Type.INT, DEFAULT_REQUEST_TIMEOUT_MS, ConfigDef.Range.atLeast(1),
                        Importance.LOW, REQUEST_TIMEOUT_MS_DOC)
                .define(MAX_RETRIES_CONFIG, Type.INT, DEFAULT_MAX_RETRIES, ConfigDef.Range.atLeast(0),
                        Importance.LOW, MAX_RETRIES_DOC)
                .define(RETRY_BACKOFF_MS_CONFIG, Type.LONG, DEFAULT_RETRY_BACKOFF_MS, ConfigDef.Range.atLeast(0),
                        Importance.LOW, RETRY_BACKOFF_MS_DOC)
                .define(RETRY_BACKOFF_MAX_MS_CONFIG, Type.LONG, DEFAULT_RETRY_BACKOFF_MAX_MS, ConfigDef.Range.atLeast(0),
                        Importance.LOW, RETRY_BACKOFF_MAX_MS_DOC)
                .define(MAX_SCHEMAS_PER_SUBJECT_CONFIG, Type.INT, DEFAULT_MAX_SCHEMAS_PER_SUBJECT,
                        ConfigDef.Range.atLeast(1), Importance.LOW, MAX_SCHEMAS_PER_SUBJECT_DOC);
    }

    /** The configured URLs. */
    public List<String> urls() {
        return getList(SCHEMA_REGISTRY_URL_CONFIG);
    }

    /** The user:password to send, from basic.auth.user.info or its prefixed alias; null when not set. */
    public String userInfo() {
        if (!"USER_INFO".equalsIgnoreCase(getString(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG))) {
            return null;
        }
        Password info = getPassword(USER_INFO_CONFIG);
        if (info == null) {
            info = getPassword(PREFIXED_USER_INFO_CONFIG);
        }
        if (info == null) {
            throw new org.apache.kafka.common.config.ConfigException(USER_INFO_CONFIG, null,
                    "basic.auth.credentials.source is USER_INFO but no user:password is set");
        }
        return info.value();
    }

    /** The settings of an HTTP client, resolved from this configuration. */
    public RestSchemaRegistryClient.Settings restSettings() {
        return new RestSchemaRegistryClient.Settings(
                urls(),
                userInfo(),
                TlsSettings.from(this),
                java.time.Duration.ofMillis(getInt(CONNECT_TIMEOUT_MS_CONFIG)),
                java.time.Duration.ofMillis(getInt(REQUEST_TIMEOUT_MS_CONFIG)),
                getInt(MAX_RETRIES_CONFIG),
                java.time.Duration.ofMillis(getLong(RETRY_BACKOFF_MS_CONFIG)),
                java.time.Duration.ofMillis(getLong(RETRY_BACKOFF_MAX_MS_CONFIG)),
                getInt(MAX_SCHEMAS_PER_SUBJECT_CONFIG));
    }
}
