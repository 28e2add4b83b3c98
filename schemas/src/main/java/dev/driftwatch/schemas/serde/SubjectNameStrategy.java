package dev.driftwatch.schemas.serde;

import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;

/**
 * How a serializer names the registry subject of a record, as Confluent's strategies do.
 * TOPIC_NAME (the default): {@code <topic>-key} or {@code <topic>-value}. RECORD_NAME: the
 * record's full name. TOPIC_RECORD_NAME: {@code <topic>-<full name>}.
 */
public enum SubjectNameStrategy {
    TOPIC_NAME("io.confluent.kafka.serializers.subject.TopicNameStrategy"),
    RECORD_NAME("io.confluent.kafka.serializers.subject.RecordNameStrategy"),
    TOPIC_RECORD_NAME("io.confluent.kafka.serializers.subject.TopicRecordNameStrategy");

    private final String confluentClass;

    SubjectNameStrategy(String confluentClass) {
        this.confluentClass = confluentClass;
    }

    /** The Confluent class name that selects this strategy in a Confluent serde configuration. */
    public String confluentClass() {
        return confluentClass;
    }

    /** The subject for a record of {@code schema} written to {@code topic}. */
    public String subject(String topic, boolean isKey, Schema schema) {
        switch (this) {
            case TOPIC_NAME:
                return topic + (isKey ? "-key" : "-value");
            case RECORD_NAME:
                return schema.getFullName();
            default:
                return topic + "-" + schema.getFullName();
        }
    }

    /** Parses a Confluent class name, a simple class name, or one of this enum's names. */
    public static SubjectNameStrategy parse(String key, String value) {
        for (SubjectNameStrategy strategy : values()) {
            String simple = strategy.confluentClass.substring(strategy.confluentClass.lastIndexOf('.') + 1);
            if (strategy.name().equalsIgnoreCase(value) || strategy.confluentClass.equals(value) || simple.equals(value)) {
                return strategy;
            }
        }
        throw new ConfigException(key, value, "unknown subject name strategy; expected TopicNameStrategy, "
                + "RecordNameStrategy or TopicRecordNameStrategy (Confluent's full class names are accepted)");
    }
}
