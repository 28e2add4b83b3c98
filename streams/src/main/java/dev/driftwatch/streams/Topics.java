package dev.driftwatch.streams;

import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.ControlCommand;
import dev.driftwatch.schemas.avro.ControlResult;
import dev.driftwatch.schemas.avro.DeadLetter;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.InferenceEvent;
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
                     Topic<String, ControlResult> controlResults) {

    /** Default topic names. */
    public static final String EVENTS = "inference-events";
    public static final String BASELINES = "driftwatch-baselines";
    public static final String WINDOW_STATS = "driftwatch-window-stats";
    public static final String ALERTS = "driftwatch-alerts";
    public static final String DEAD_LETTERS = "driftwatch-dlq";
    public static final String CONTROL = "driftwatch-control";
    public static final String CONTROL_RESULTS = "driftwatch-control-results";

    /** The topics with the given names, their Avro serdes configured from {@code serdeConfig}. */
    public static Topics of(Map<String, ?> serdeConfig, String events, String baselines, String windowStats,
                            String alerts, String deadLetters) {
        return of(serdeConfig, events, baselines, windowStats, alerts, deadLetters, CONTROL, CONTROL_RESULTS);
    }

    /** The topics with the given names, control topics included. */
    public static Topics of(Map<String, ?> serdeConfig, String events, String baselines, String windowStats,
                            String alerts, String deadLetters, String control, String controlResults) {
        return new Topics(
                new Topic<>(events, Serdes.String(), AvroSerdes.specific(InferenceEvent.class, serdeConfig, false)),
                new Topic<>(baselines, Serdes.String(), AvroSerdes.specific(Baseline.class, serdeConfig, false)),
                new Topic<>(windowStats, Serdes.String(), AvroSerdes.specific(WindowStats.class, serdeConfig, false)),
                new Topic<>(alerts, Serdes.String(), AvroSerdes.specific(DriftAlert.class, serdeConfig, false)),
                new Topic<>(deadLetters, Serdes.String(), AvroSerdes.specific(DeadLetter.class, serdeConfig, false)),
                new Topic<>(control, Serdes.String(), AvroSerdes.specific(ControlCommand.class, serdeConfig, false)),
                new Topic<>(controlResults, Serdes.String(),
                        AvroSerdes.specific(ControlResult.class, serdeConfig, false)));
    }

    /** The default topic names. */
    public static Topics defaults(Map<String, ?> serdeConfig) {
        return of(serdeConfig, EVENTS, BASELINES, WINDOW_STATS, ALERTS, DEAD_LETTERS);
    }
}
