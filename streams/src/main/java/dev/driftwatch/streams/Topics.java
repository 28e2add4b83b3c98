package dev.driftwatch.streams;

import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.BusinessMetrics;
import dev.driftwatch.schemas.avro.ControlCommand;
import dev.driftwatch.schemas.avro.ControlResult;
import dev.driftwatch.schemas.avro.DeadLetter;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.OutcomeEvent;
import dev.driftwatch.schemas.avro.ReviewRequest;
import dev.driftwatch.schemas.avro.RoleComparison;
import dev.driftwatch.schemas.avro.ServiceLevels;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.schemas.serde.AvroSerdes;
import org.apache.kafka.common.serialization.Serdes;

import java.util.Map;

/**
 * The topics of the pipeline with their serdes. Values are Avro in the Confluent wire format through
 * the configured registry ({@code schema.registry.url}, {@code mock://name} for tests and the demo).
 */
public record Topics(Topic<String, InferenceEvent> events,
                     Topic<String, Baseline> baselines,
                     Topic<String, WindowStats> windowStats,
                     Topic<String, DriftAlert> alerts,
                     Topic<String, DeadLetter> deadLetters,
                     Topic<String, ControlCommand> control,
                     Topic<String, ControlResult> controlResults,
                     Topic<String, OutcomeEvent> outcomes,
                     Topic<String, BusinessMetrics> businessMetrics,
                     Topic<String, ServiceLevels> serviceLevels,
                     Topic<String, RoleComparison> roleComparisons,
                     Topic<String, ReviewRequest> review) {

    /** Default topic names. */
    public static final String EVENTS = "inference-events";
    public static final String BASELINES = "driftwatch-baselines";
    public static final String WINDOW_STATS = "driftwatch-window-stats";
    public static final String ALERTS = "driftwatch-alerts";
    public static final String DEAD_LETTERS = "driftwatch-dlq";
    public static final String CONTROL = "driftwatch-control";
    public static final String CONTROL_RESULTS = "driftwatch-control-results";
    public static final String OUTCOMES = "outcome-events";
    public static final String BUSINESS_METRICS = "driftwatch-business-metrics";
    public static final String SERVICE_LEVELS = "driftwatch-service-levels";
    public static final String ROLE_COMPARISONS = "driftwatch-role-comparisons";
    public static final String REVIEW = "driftwatch-review";

    /** The topics with the given names, their Avro serdes configured from {@code serdeConfig}. */
    public static Topics of(Map<String, ?> serdeConfig, String events, String baselines, String windowStats,
                            String alerts, String deadLetters) {
        return of(serdeConfig, events, baselines, windowStats, alerts, deadLetters, CONTROL, CONTROL_RESULTS);
    }

    /** The topics with the given names, control topics included; the others have their default names. */
    public static Topics of(Map<String, ?> serdeConfig, String events, String baselines, String windowStats,
                            String alerts, String deadLetters, String control, String controlResults) {
        return of(serdeConfig, new Names(events, baselines, windowStats, alerts, deadLetters, control, controlResults,
                OUTCOMES, BUSINESS_METRICS, SERVICE_LEVELS, ROLE_COMPARISONS, REVIEW));
    }

    /** The topics with the given names. */
    public static Topics of(Map<String, ?> serdeConfig, Names n) {
        return new Topics(
                topic(n.events(), InferenceEvent.class, serdeConfig),
                topic(n.baselines(), Baseline.class, serdeConfig),
                topic(n.windowStats(), WindowStats.class, serdeConfig),
                topic(n.alerts(), DriftAlert.class, serdeConfig),
                topic(n.deadLetters(), DeadLetter.class, serdeConfig),
                topic(n.control(), ControlCommand.class, serdeConfig),
                topic(n.controlResults(), ControlResult.class, serdeConfig),
                topic(n.outcomes(), OutcomeEvent.class, serdeConfig),
                topic(n.businessMetrics(), BusinessMetrics.class, serdeConfig),
                topic(n.serviceLevels(), ServiceLevels.class, serdeConfig),
                topic(n.roleComparisons(), RoleComparison.class, serdeConfig),
                topic(n.review(), ReviewRequest.class, serdeConfig));
    }

    private static <V extends org.apache.avro.specific.SpecificRecord> Topic<String, V> topic(
            String name, Class<V> type, Map<String, ?> serdeConfig) {
        return new Topic<>(name, Serdes.String(), AvroSerdes.specific(type, serdeConfig, false));
    }

    /** The name of every topic. */
    public record Names(String events, String baselines, String windowStats, String alerts, String deadLetters,
                        String control, String controlResults, String outcomes, String businessMetrics,
                        String serviceLevels, String roleComparisons, String review) {
        /** The default names. */
        public static Names defaults() {
            return new Names(EVENTS, BASELINES, WINDOW_STATS, ALERTS, DEAD_LETTERS, CONTROL, CONTROL_RESULTS,
                    OUTCOMES, BUSINESS_METRICS, SERVICE_LEVELS, ROLE_COMPARISONS, REVIEW);
        }

        /** Every name with a suffix (tests and the demo keep runs apart this way). */
        public Names withSuffix(String suffix) {
            return new Names(events + suffix, baselines + suffix, windowStats + suffix, alerts + suffix,
                    deadLetters + suffix, control + suffix, controlResults + suffix, outcomes + suffix,
                    businessMetrics + suffix, serviceLevels + suffix, roleComparisons + suffix, review + suffix);
        }
    }

    /** The default topic names. */
    public static Topics defaults(Map<String, ?> serdeConfig) {
        return of(serdeConfig, EVENTS, BASELINES, WINDOW_STATS, ALERTS, DEAD_LETTERS);
    }
}
