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

    private Subjects() {
    }

    /**
     * Prefix of the subjects of business outcomes (business.ctr, business.judge.score, business.value, ...):
     * the ones with distributions are window subjects beside the features, but are neither features (not in
     * the dataset-level judgement) nor outputs.
     */
    public static final String OUTCOME_PREFIX = "business.";

    public static boolean isOutput(String subject) {
        return subject.startsWith(OUTPUT_PREFIX);
    }

    public static boolean isOutcome(String subject) {
        return subject.startsWith(OUTCOME_PREFIX);
    }
}
