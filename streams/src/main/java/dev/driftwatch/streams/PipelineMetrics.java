package dev.driftwatch.streams;

/**
 * What the pipeline's processors report to the metrics of a running instance ({@code /metrics}).
 * The processors call it on their stream threads; implementations must be thread-safe and cheap.
 * {@link #NONE} records nothing (tests, TopologyTestDriver, the demo).
 *
 * <p>The Prometheus names are in {@link dev.driftwatch.streams.ops.DriftwatchMetrics}.
 */
public interface PipelineMetrics {
    /** Records nothing. */
    PipelineMetrics NONE = new PipelineMetrics() {
    };

    /** One record read from the inference-events topic, whatever becomes of it. */
    default void eventIn() {
    }

    /**
     * One valid inference event of a model version, with its operational values.
     *
     * @param latencyMs latency in milliseconds, or null when the event has none
     * @param error     whether the event carries an error code
     * @param tokensIn  prompt tokens, or null
     * @param tokensOut completion tokens, or null
     * @param cost      cost in the caller's currency, or null
     */
    default void inference(String model, String version, Double latencyMs, boolean error, Long tokensIn,
                           Long tokensOut, Double cost) {
    }

    /** One record sent to the dead-letter topic, with its reason (e.g. {@code MALFORMED_BODY}). */
    default void deadLetter(String reason) {
    }

    /** One valid inference event copied to the review topic (its confidence was below the review threshold). */
    default void reviewCopied(String model, String version) {
    }

    /**
     * One outcome of joining a shadow or canary event to its request's primary event: {@code paired},
     * {@code unpaired} (no primary within the join window), {@code duplicate} (a second event of the same
     * role and version for the request, not joined again), {@code overflow} (more candidate versions for
     * one request than the join keeps) or {@code window_closed} (the candidate's windows had closed, so the
     * outcome could not be counted in a RoleComparison).
     */
    default void rolePairing(String model, String candidateVersion, String outcome) {
    }

    /**
     * The baseline record of {@code key} ({@code model/version/subject}) cannot be decoded or used, for
     * {@code reason} (e.g. its schema id is unknown to the registry); null when it can again, or was deleted.
     */
    default void baselineUnreadable(String key, String reason) {
    }

    /** A window of {@code key} ({@code model/version/subject}) had no baseline to test ({@code reason}); null: it had. */
    default void baselineMissing(String key, String reason) {
    }

    /**
     * A categorical value (of {@code feature}) longer than {@code max.value.length} was truncated and kept (a
     * data-quality problem of that feature, not a reason to drop the event).
     */
    default void valueTruncated(String model, String version, String feature) {
    }

    /** One event dropped because it arrived after its window's grace period. */
    default void lateEvent(String model, String version) {
    }

    /**
     * Numeric subjects of a partial (one input partition's share of a window) whose grid the partial named and the
     * merging task could not find: their values from that partition were left out of the window.
     */
    default void partialGridMissing(String model, String version, long subjects) {
    }

    /** One window of a model version (and segment) evaluated against its baselines. */
    default void windowEvaluated(String model, String version) {
    }

    /** The latest value of a test statistic of a subject (e.g. psi 0.03), NaN when undefined. */
    default void statistic(String model, String version, String subject, String test, double value) {
    }

    /** The latest window mean of a numeric subject (e.g. output.score: the predicted CTR). */
    default void windowMean(String model, String version, String subject, double mean) {
    }

    /** The alert state of a subject after a window: firing or not, and its severity (WARNING, CRITICAL). */
    default void alertState(String model, String version, String subject, boolean firing, String severity) {
    }

    /**
     * The latest error-budget burn rate of a service-level objective over one window of its burn-rate
     * rules (e.g. subject slo.errors, window 1h): 1 spends the budget exactly over the SLO period; NaN
     * when the window had nothing to judge.
     */
    default void burnRate(String model, String version, String objective, String window, double value) {
    }

    /**
     * Counts an objective's burn-rate history could not use: {@code advance_changed} (the stored history was
     * counted in another window advance, so it was started again) or {@code window_too_old} (a window older
     * than the history's longest long window, not counted).
     */
    default void budgetHistoryDiscard(String model, String version, String objective, String reason) {
    }

    /** One alert written: state FIRING or RESOLVED, severity WARNING or CRITICAL. */
    default void alert(String model, String version, String state, String severity) {
    }

    /**
     * Outcome events of the business join by what became of them: {@code joined} (used with their
     * request), {@code duplicate}, {@code outside_window} (too far in event time from their inference),
     * {@code unmatched} (no inference joined them within the join window: it never came, was a shadow's,
     * or its request was already final) or {@code late} (more than the join window behind stream time).
     */
    default void outcomes(String result, long count) {
    }

    /**
     * Primary and canary inferences for which the business join opened no request, by reason:
     * {@code key_not_request_id} (the record key is not the request id, so its outcomes may be on another
     * partition), {@code shared_request} (another model version's inference already owns the request id) or
     * {@code duplicate_inference} (the same model version's inference was already read for it).
     */
    default void inferencesNotJoined(String reason, long count) {
    }
}
