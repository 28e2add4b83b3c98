package dev.driftwatch.schemas.serde;

import dev.driftwatch.schemas.registry.SchemaRegistryClientConfig;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Configuration of driftwatch's Avro serdes: the registry client's keys plus the serde's. Every
 * key has the name Confluent's serdes use, so a configuration can be handed to either.
 */
public class AvroSerdeConfig extends SchemaRegistryClientConfig {

    public static final String AUTO_REGISTER_SCHEMAS_CONFIG = "auto.register.schemas";
    public static final String AUTO_REGISTER_SCHEMAS_DOC = "Whether the serializer registers the record's schema "
            + "under its subject. When false, the schema must already be registered (it is looked up).";
    public static final boolean DEFAULT_AUTO_REGISTER_SCHEMAS = true;

    public static final String USE_LATEST_VERSION_CONFIG = "use.latest.version";
    public static final String USE_LATEST_VERSION_DOC = "Whether the serializer writes with the latest registered "
            + "version of the subject instead of the record's own schema (needs auto.register.schemas=false).";
    public static final boolean DEFAULT_USE_LATEST_VERSION = false;

    public static final String KEY_SUBJECT_NAME_STRATEGY_CONFIG = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY_CONFIG = "value.subject.name.strategy";
    public static final String SUBJECT_NAME_STRATEGY_DOC = "How subjects are named: TopicNameStrategy "
            + "(<topic>-key / <topic>-value), RecordNameStrategy or TopicRecordNameStrategy; Confluent's class names are accepted.";
    public static final String DEFAULT_SUBJECT_NAME_STRATEGY = SubjectNameStrategy.TOPIC_NAME.confluentClass();

    public AvroSerdeConfig(Map<?, ?> props) {
        super(serdeConfigDef(), classNamesAsStrings(props));
    }

    /** Confluent's serdes also take the strategy as a {@link Class}; only its name matters here. */
    private static Map<?, ?> classNamesAsStrings(Map<?, ?> props) {
        Map<Object, Object> copy = new java.util.HashMap<>(props);
        for (String key : new String[] {KEY_SUBJECT_NAME_STRATEGY_CONFIG, VALUE_SUBJECT_NAME_STRATEGY_CONFIG}) {
            if (copy.get(key) instanceof Class) {
                copy.put(key, ((Class<?>) copy.get(key)).getName());
            }
        }
        return copy;
    }

    /** The client keys plus the serde keys. */
    public static ConfigDef serdeConfigDef() {
        return clientConfigDef()
                .define(AUTO_REGISTER_SCHEMAS_CONFIG, Type.BOOLEAN, DEFAULT_AUTO_REGISTER_SCHEMAS, Importance.MEDIUM,
                        AUTO_REGISTER_SCHEMAS_DOC)
                .define(USE_LATEST_VERSION_CONFIG, Type.BOOLEAN, DEFAULT_USE_LATEST_VERSION, Importance.LOW,
                        USE_LATEST_VERSION_DOC)
                .define(KEY_SUBJECT_NAME_STRATEGY_CONFIG, Type.STRING, DEFAULT_SUBJECT_NAME_STRATEGY, Importance.LOW,
                        SUBJECT_NAME_STRATEGY_DOC)
                .define(VALUE_SUBJECT_NAME_STRATEGY_CONFIG, Type.STRING, DEFAULT_SUBJECT_NAME_STRATEGY, Importance.LOW,
                        SUBJECT_NAME_STRATEGY_DOC);
    }

    public boolean autoRegisterSchemas() {
        return getBoolean(AUTO_REGISTER_SCHEMAS_CONFIG);
    }

    public boolean useLatestVersion() {
        return getBoolean(USE_LATEST_VERSION_CONFIG);
    }

    public SubjectNameStrategy subjectNameStrategy(boolean isKey) {
        String key = isKey ? KEY_SUBJECT_NAME_STRATEGY_CONFIG : VALUE_SUBJECT_NAME_STRATEGY_CONFIG;
        return SubjectNameStrategy.parse(key, getString(key));
    }
}
