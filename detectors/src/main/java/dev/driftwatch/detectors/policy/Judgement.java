package dev.driftwatch.detectors.policy;

/**
 * What {@link AlertPolicy#judge} decided about one window of one subject: the states to store, the alert
 * transition, and the figures a window's statistics report. Immutable.
 *
 * @param persistence  the firing flag and history of over windows, to store
 * @param state        the sequential state, to store
 * @param transition   FIRING, RESOLVED or NONE
 * @param insufficient whether the window had fewer values than the minimum sample size (then nothing
 *                     changed, and the evidence figures are NaN)
 * @param over         whether the window's evidence reached the fire level with an effect that matters
 * @param evidence     the window's evidence in standard-normal units, in [0, 40]; NaN when insufficient
 * @param sequential   the sequential z-score after this window (the larger of location and scale), ≥ 0;
 *                     NaN when insufficient
 * @param severity     the severity of the window when over, else NONE
 */
public record Judgement(PersistenceState persistence, EvidenceState state, Transition transition,
                        boolean insufficient, boolean over, double evidence, double sequential, Severity severity) {
}
