package dev.driftwatch.streams.tail;

import dev.driftwatch.schemas.avro.BusinessMetrics;
import dev.driftwatch.schemas.avro.ControlResult;
import dev.driftwatch.schemas.avro.DeadLetter;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.ReviewRequest;
import dev.driftwatch.schemas.avro.RoleComparison;
import dev.driftwatch.schemas.avro.ServiceLevels;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.Topic;
import dev.driftwatch.streams.Topics;
import dev.driftwatch.streams.config.DriftwatchConfig;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The output topics a user reads with {@code driftwatch alerts} and {@code driftwatch tail --topic NAME}:
 * each with the short name the command line takes and the topic (name from the configuration, serdes).
 */
public enum OutputTopic {
    ALERTS("alerts", DriftwatchConfig.TOPIC_ALERTS_CONFIG, DriftAlert.getClassSchema(), Topics::alerts),
    STATS("stats", DriftwatchConfig.TOPIC_WINDOW_STATS_CONFIG, WindowStats.getClassSchema(), Topics::windowStats),
    BUSINESS("business", DriftwatchConfig.TOPIC_BUSINESS_METRICS_CONFIG, BusinessMetrics.getClassSchema(), Topics::businessMetrics),
    SERVICE_LEVELS("service-levels", DriftwatchConfig.TOPIC_SERVICE_LEVELS_CONFIG, ServiceLevels.getClassSchema(), Topics::serviceLevels),
    DLQ("dlq", DriftwatchConfig.TOPIC_DLQ_CONFIG, DeadLetter.getClassSchema(), Topics::deadLetters),
    REVIEW("review", DriftwatchConfig.TOPIC_REVIEW_CONFIG, ReviewRequest.getClassSchema(), Topics::review),
    ROLES("roles", DriftwatchConfig.TOPIC_ROLE_COMPARISONS_CONFIG, RoleComparison.getClassSchema(), Topics::roleComparisons),
    CONTROL_RESULTS("control-results", DriftwatchConfig.TOPIC_CONTROL_RESULTS_CONFIG, ControlResult.getClassSchema(), Topics::controlResults);

    private final String cliName;
    private final String configKey;
    private final Schema schema;
    private final Function<Topics, Topic<String, ? extends SpecificRecord>> topic;

    OutputTopic(String cliName, String configKey, Schema schema, Function<Topics, Topic<String, ? extends SpecificRecord>> topic) {
        this.cliName = cliName;
        this.configKey = configKey;
        this.schema = schema;
        this.topic = topic;
    }

    /** The name on the command line, e.g. {@code service-levels}. */
    public String cliName() {
        return cliName;
    }

    /** The key that names the topic, e.g. {@code topic.alerts}. */
    public String configKey() {
        return configKey;
    }

    /** The schema of the records, as this build reads them. */
    public Schema schema() {
        return schema;
    }

    /** This output's topic among the configured ones. */
    @SuppressWarnings("unchecked")
    public Topic<String, SpecificRecord> of(Topics topics) {
        return (Topic<String, SpecificRecord>) topic.apply(topics);
    }

    /** Every name the command line takes, comma separated. */
    public static String names() {
        return Arrays.stream(values()).map(OutputTopic::cliName).collect(Collectors.joining(", "));
    }

    /**
     * The output with that command-line name (case-insensitive).
     *
     * @throws IllegalArgumentException naming the valid names
     */
    public static OutputTopic byName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (OutputTopic t : values()) {
            if (t.cliName.equals(n)) {
                return t;
            }
        }
        throw new IllegalArgumentException("--topic '" + name + "' is not an output of driftwatch; expected one of "
                + names());
    }
}
