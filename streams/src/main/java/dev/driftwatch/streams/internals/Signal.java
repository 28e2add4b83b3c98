package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.policy.AlertPolicy;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.BusinessContext;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.PipelineSettings;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.List;
import java.util.Map;

/**
 * One kind of evidence the pipeline watches (drift, business outcomes, service levels, deployment roles,
 * review copies): it observes events in the summarizing stage, keeps a bounded, mergeable
 * {@link WindowPart} per window (with its codec), and evaluates each merged window into records and alerts
 * in the evaluating stage. The two stages only window, route, merge and loop over the registered signals,
 * in the order of registration; they never name one.
 *
 * <p>A signal is shared by every task of the topology: its per-task work (and state stores) lives in the
 * {@link Observer} and {@link Evaluator} it creates when a stage's processor starts.
 */
public interface Signal {
    /** The readers of the window parts this signal keeps, by part name. */
    default Map<String, WindowPart.Reader> parts() {
        return Map.of();
    }

    /** Names of the evaluating stage's stores this signal uses; the topology connects them. */
    default List<String> evaluatorStores() {
        return List.of();
    }

    /** Its work in the summarizing stage of one task, or null when it has none there. */
    default Observer observer(ObserverContext context) {
        return null;
    }

    /** Its work in the evaluating stage of one task, or null when it has none there. */
    default Evaluator evaluator(EvaluatorContext context) {
        return null;
    }

    /**
     * What a signal may use in the summarizing stage.
     *
     * @param windows  the partition's open windows (state store {@link EventSummarizer#STORE})
     * @param features the features of the event being observed, read and checked once before any signal sees
     *                 the event (the same object for every event of the task; read it, never keep its values)
     */
    record ObserverContext(PipelineSettings settings, ProcessorContext<String, EventSummarizer.Output> processor,
                           WindowStateStore windows, BaselineLookup baselines, EventFeatures features) {
    }

    /**
     * A signal's per-event work in the summarizing stage. For each valid event the stage calls, on every
     * observer in turn: {@link #prepare}, then {@link #add} once per open window of the event, {@link #added},
     * {@link #observed}; and then {@link #closing} and {@link #closed} for each window it sends on.
     */
    interface Observer {
        /**
         * Before a valid event changes any window: prepares what adding it to {@code windows} (its open windows,
         * the latest first; empty when it was late for all) needs, such as baseline look-ups, so that a failure
         * (which sends the event to the dead letters) leaves every window as it was.
         */
        default void prepare(InferenceEvent event, List<WindowBundle> windows) {
        }

        /** Adds a valid event to one of the open windows it falls in (the window's part of this signal). */
        default void add(WindowBundle window, InferenceEvent event) {
        }

        /**
         * The event was added to its open windows ({@code windows}, the latest first; empty when it was late
         * for all). Part of summarizing: a failure here sends the event to the dead letters.
         *
         * @param recordKey the key of the event's record
         */
        default void added(byte[] recordKey, InferenceEvent event, String segment, List<WindowBundle> windows,
                           long streamTime) {
        }

        /** After the event was summarized; a failure here is the pipeline's. */
        default void observed(InferenceEvent event, String segment, long streamTime) {
        }

        /** Before the windows that ended at or before {@code closedUpTo} are sent on to the evaluating stage. */
        default void closing(long streamTime, long closedUpTo) {
        }

        /** The window was sent on to the evaluating stage: it is no longer open here. */
        default void closed(WindowBundle window) {
        }
    }

    /**
     * What a signal may use in the evaluating stage.
     *
     * @param alerts the alert-state store, keyed by {@link WindowKeys#alertState}
     */
    record EvaluatorContext(PipelineSettings settings, ProcessorContext<String, WindowEvaluator.Output> processor,
                            KeyValueStore<String, byte[]> alerts, BaselineLookup baselines) {
    }

    /** A signal's per-window work in the evaluating stage. */
    interface Evaluator {
        /**
         * Whether the window is this signal's alone (not a model version's traffic): it is then evaluated by
         * this signal only, and its alerts are dropped.
         */
        default boolean owns(WindowBundle window) {
            return false;
        }

        /** Evaluates a merged window whose every input partition has reported. */
        void evaluate(WindowBundle window, WindowOutput out);

        /**
         * The baselines this signal builds from retained windows of a model version for CAPTURE_BASELINE
         * (besides the subjects'), by the name the command's result lists each under.
         */
        default Map<String, Baseline> capture(String model, String version, List<WindowBundle> windows,
                                              String source, Long fromMillis, Long toMillis, String commandId) {
            return Map.of();
        }
    }

    /** Where a signal's evaluation of one window goes. */
    interface WindowOutput {
        /** The policy of a subject of the window's model version (set by SET_POLICY, else the configured one). */
        AlertPolicy policy(String subject);

        /** The statistics of one subject of the window, for the window-stats topic. */
        void windowStats(String key, WindowStats stats);

        /** A record for the topic of its type (BusinessMetrics, ServiceLevels, RoleComparison, ...). */
        void record(String key, SpecificRecord record);

        /** An alert of a subject (without the segment), unless the subject or model version is muted. */
        void alert(String subject, DriftAlert alert);

        /** The business context that the window's alerts carry from now on. */
        void businessContext(BusinessContext context);
    }
}
