package dev.driftwatch.schemas.serde;

import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serde;

/**
 * Builds the serde of each Avro topic, so that the serde class is a setting: driftwatch's own by
 * default, or any {@link Serde} class with a no-argument constructor that reads generated classes,
 * such as Confluent's {@code io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde}, when it is
 * on the class path. Both take the same configuration keys.
 */
public final class AvroSerdes {

    /** The serde class to use for Avro topics. */
    public static final String AVRO_SERDE_CLASS_CONFIG = "avro.serde.class";
    public static final String AVRO_SERDE_CLASS_DOC = "Serde class for the Avro topics: driftwatch's "
            + "dev.driftwatch.schemas.serde.SpecificAvroSerde, or a drop-in such as Confluent's "
            + "io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde (which needs its jars on the class path).";
    public static final String DEFAULT_AVRO_SERDE_CLASS = SpecificAvroSerde.class.getName();

    private AvroSerdes() {
    }

    /**
     * A configured serde for {@code type}.
     *
     * @param type the generated class of the topic's values (or keys)
     * @param configs the serde configuration (schema.registry.url, ...), and optionally avro.serde.class
     * @param isKey whether the serde is for keys
     */
    @SuppressWarnings("unchecked")
    public static <T extends SpecificRecord> Serde<T> specific(Class<T> type, Map<String, ?> configs, boolean isKey) {
        Object configured = configs.get(AVRO_SERDE_CLASS_CONFIG);
        String className = configured == null ? DEFAULT_AVRO_SERDE_CLASS
                : configured instanceof Class ? ((Class<?>) configured).getName() : configured.toString().trim();
        Serde<T> serde;
        if (className.equals(DEFAULT_AVRO_SERDE_CLASS)) {
            serde = new SpecificAvroSerde<>(type);
        } else {
            serde = (Serde<T>) instantiate(className);
        }
        serde.configure(configs, isKey);
        return serde;
    }

    private static Serde<?> instantiate(String className) {
        Class<?> cls;
        try {
            cls = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ConfigException(AVRO_SERDE_CLASS_CONFIG, className, "class not found on the class path");
        }
        if (!Serde.class.isAssignableFrom(cls)) {
            throw new ConfigException(AVRO_SERDE_CLASS_CONFIG, className, "not an " + Serde.class.getName());
        }
        try {
            return (Serde<?>) cls.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new KafkaException("cannot create serde " + className + " with its no-argument constructor: " + e, e);
        }
    }
}
