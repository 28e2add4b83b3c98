package dev.driftwatch.detectors.policy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dataset's alert: the share of over features against the dataset drift share to fire, the share of features
 * at the resolve level or more to stay firing, and the resolve windows of hysteresis, as a subject's.
 */
class DatasetJudgementTest {
    private static final AlertPolicy POLICY = AlertPolicy.defaults();

    /** A feature's judgement with this evidence: over (WARNING) at the fire level or more. */
    private static Judgement feature(double evidence) {
        boolean over = evidence >= POLICY.evidence().fireLevel();
        return new Judgement(PersistenceState.initial(), EvidenceState.initial(), Transition.NONE, false, over,
                evidence, 0.0, over ? Severity.WARNING : Severity.NONE);
    }

    private static final Judgement INSUFFICIENT = new Judgement(PersistenceState.initial(), EvidenceState.initial(),
            Transition.NONE, true, false, Double.NaN, Double.NaN, Severity.NONE);

    private PersistenceState persistence = PersistenceState.initial();
    private EvidenceState state = EvidenceState.initial();

    private DatasetJudgement window(double... evidences) {
        List<Judgement> features = new ArrayList<>();
        for (double e : evidences) {
            features.add(feature(e));
        }
        DatasetJudgement j = POLICY.judgeDataset(persistence, state, features);
        persistence = j.judgement().persistence();
        state = j.judgement().state();
        return j;
    }

    @Test
    void shouldNotFlapWhileHalfTheFeaturesStayAboveTheResolveLevel() {
        List<Transition> transitions = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            // Over in every other window; in between, two of four features still at evidence 3 (above 2.0).
            DatasetJudgement j = t % 2 == 0 ? window(6, 6, 1, 0) : window(4, 3, 1, 0);
            transitions.add(j.judgement().transition());
        }
        assertEquals(Transition.FIRING, transitions.get(0));
        assertEquals(1, transitions.stream().filter(x -> x != Transition.NONE).count(),
                "one FIRING and nothing else: " + transitions);
    }

    @Test
    void shouldResolveOnlyAfterTheResolveWindowsBelowTheShareAndQuoteAShareBelowIt() {
        assertEquals(Transition.FIRING, window(9, 8, 1, 0).judgement().transition());
        assertEquals(Transition.NONE, window(1, 1, 1, 0).judgement().transition());
        assertEquals(Transition.NONE, window(1, 3, 1, 0).judgement().transition());
        assertEquals(Transition.NONE, window(3, 3, 1, 0).judgement().transition(), "two of four at 3: not quiet");
        assertEquals(Transition.NONE, window(1, 1, 1, 0).judgement().transition());
        assertEquals(Transition.NONE, window(1, 1, 3, 0).judgement().transition());
        DatasetJudgement resolved = window(0, 1, 1, 0);
        assertEquals(Transition.RESOLVED, resolved.judgement().transition());
        assertTrue(resolved.judgement().sequential() < POLICY.datasetDriftShare(),
                "share at the resolve level " + resolved.judgement().sequential());
        assertFalse(persistence.isFiring());
    }

    @Test
    void shouldLeaveInsufficientFeaturesOutAndNotMoveOnAWindowWithoutJudgedFeatures() {
        assertEquals(Transition.FIRING, POLICY.judgeDataset(persistence, state,
                List.of(feature(6), INSUFFICIENT, INSUFFICIENT)).judgement().transition(),
                "one over of one judged feature");
        DatasetJudgement none = POLICY.judgeDataset(persistence, state, List.of(INSUFFICIENT));
        assertTrue(none.judgement().insufficient());
        assertEquals(Transition.NONE, none.judgement().transition());
        assertEquals(persistence, none.judgement().persistence());
    }
}
