package dev.driftwatch.streams.internals;

/** Names of the subjects a model version is watched on: its features and its outputs. */
public final class Subjects {
    /** Prefix of output subjects. */
    public static final String OUTPUT_PREFIX = "output.";
    public static final String SCORE = OUTPUT_PREFIX + "score";
    public static final String CONFIDENCE = OUTPUT_PREFIX + "confidence";
    public static final String LABEL = OUTPUT_PREFIX + "label";
    /** The subject of dataset-level drift (the share of drifted features). */
    public static final String DATASET = "*dataset*";
    /**
     * Prefix of a subject's data-quality alert state ({@code *quality*age}): a name no feature can have, so that
     * the data-quality alert of a feature keeps a state (and alert ids) apart from its drift alert.
     */
    public static final String DATA_QUALITY_PREFIX = "*quality*";

    /**
     * Prefix of the subjects of business outcomes (business.ctr, business.judge.score, business.value, ...):
     * the ones with distributions are window subjects beside the features, but are neither features (not in
     * the dataset-level judgement) nor outputs.
     */
    public static final String OUTCOME_PREFIX = "business.";

    private Subjects() {
    }

    /** The name a subject's data-quality alert state is kept under. */
    public static String dataQuality(String subject) {
        return DATA_QUALITY_PREFIX + subject;
    }

    public static boolean isOutput(String subject) {
        return subject.startsWith(OUTPUT_PREFIX);
    }

    /**
     * Whether a subject is an operational value of the call (latency, tokens, cost, error code), derived from the
     * event's fields by {@link EventFeatures}; these are outputs too (not in the dataset's share of drifted features).
     */
    public static boolean isOperational(String subject) {
        return switch (subject) {
            case EventFeatures.LATENCY, EventFeatures.TOKENS_IN, EventFeatures.TOKENS_OUT, EventFeatures.COST,
                 EventFeatures.ERROR -> true;
            default -> false;
        };
    }

    public static boolean isOutcome(String subject) {
        return subject.startsWith(OUTCOME_PREFIX);
    }

    /**
     * Whether a baseline's subject is one a signal keeps from something other than the event's features and outputs:
     * alert states ({@code *...}), business outcomes, service levels, model performance (the captured accuracy
     * baseline {@code performance.accuracy}) and embeddings. No event carries these as values, so the data-quality
     * checks (a subject absent from a window, its missing share) do not apply to them.
     */
    public static boolean isKeptBySignal(String subject) {
        return subject.startsWith("*") || subject.startsWith(OUTCOME_PREFIX) || subject.startsWith("slo.")
                || subject.startsWith("performance.") || subject.startsWith("embedding.");
    }
}
