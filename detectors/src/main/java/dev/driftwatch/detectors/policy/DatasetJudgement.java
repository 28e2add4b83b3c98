package dev.driftwatch.detectors.policy;

/**
 * What {@link AlertPolicy#judgeDataset} decided about one window of a model version's dataset. Immutable.
 *
 * @param verdict   the window's verdict: how many of the judged features were over, and the severity
 * @param judgement the transition and the states to store; its evidence is the share of over features, its
 *                  sequential figure the share of features with evidence at the resolve level or more
 *                  (insufficient, with NaN figures, when no feature was judged)
 */
public record DatasetJudgement(DatasetVerdict verdict, Judgement judgement) {
}
