package dev.driftwatch.detectors.policy;

import dev.driftwatch.detectors.DriftTest;
import dev.driftwatch.detectors.DriftTests;
import dev.driftwatch.detectors.TestResult;
import dev.driftwatch.detectors.WindowEvidence;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * When a subject's alert fires and resolves, from the evidence of its windows (the part of
 * {@link AlertPolicy} that turns windows into FIRING and RESOLVED). Immutable.
 *
 * <h2>Rule</h2>
 * For each window of a subject:
 * <ol>
 *   <li>A window with fewer than {@link #minSampleSize()} values is <b>insufficient</b>: it neither
 *       fires nor resolves, and leaves the state as it was.</li>
 *   <li>Otherwise the <b>sequential statistic</b> is updated: for each of the window's location and
 *       scale placement scores ({@link WindowEvidence}) a run, an exponentially weighted sum (decay λ =
 *       {@link #decay()} per window) standardised with the variance it has under no change, the
 *       reference's shared noise included (see {@link EvidenceState}). Like a CUSUM, a run restarts at a
 *       window that does not support it (its own z-score in the run's direction below
 *       {@value #RUN_SUPPORT}). A small change that persists adds up over windows; noise does not, the
 *       reference's own error cannot build up, and a change that ends stops counting at once.</li>
 *   <li>The window's <b>evidence</b> is the largest of the window score Φ⁻¹(1 − p) (p the window's
 *       two-sample omnibus p-value) and the two sequential z-scores, in standard-normal units.</li>
 *   <li>The window is <b>over</b> when evidence ≥ {@link #fireLevel()} and an effect size is large enough
 *       to matter: a deciding effect statistic ≥ {@link #effectFloor()} × its warning threshold, or, when a
 *       deciding effect is undefined (Wasserstein on a constant reference, where PSI is 0 too), a KS
 *       distance ≥ {@value #MIN_KS_DISTANCE}.</li>
 *   <li>A quiet subject <b>fires</b> when the window is over and the m-of-n persistence (over the
 *       windows that were over) holds; a firing subject <b>resolves</b> once its evidence has been below
 *       {@link #resolveLevel()} for {@link #resolveWindows()} sufficient windows in a row.</li>
 * </ol>
 *
 * <h2>Defaults and how they were chosen</h2>
 * Fire level 4.5 and resolve level 2.0 (standard-normal units), 3 resolve windows, decay 0.7, effect
 * floor 0.5, minimum sample size 100. The fire level holds the false FIRING rate on stationary traffic
 * under 1 in 10,000 subject-windows in the seeded simulation ({@code bench/}, see docs/policy.md). The
 * minimum sample size is where a half-standard-deviation mean shift, or a category moving from 10 % to
 * 25 %, reaches the fire level with 80 % power in one window: z ≈ 0.49·√m for the shift and 0.5·√m for the
 * category, against 4.5 + 0.84, gives m ≈ 115, rounded to 100; below that, too, the chi-square
 * approximation on rare categories stops holding.
 */
public final class EvidenceRule {

    /** Default fire level, in standard-normal units (p ≈ 3.4e-6 one-sided). */
    public static final double DEFAULT_FIRE_LEVEL = 4.5;

    /** Default resolve level, in standard-normal units. */
    public static final double DEFAULT_RESOLVE_LEVEL = 2.0;

    /** Default number of windows in a row below the resolve level that resolve an alert. */
    public static final int DEFAULT_RESOLVE_WINDOWS = 3;

    /** Default smallest window, in non-missing values, that may fire or resolve. */
    public static final int DEFAULT_MIN_SAMPLE_SIZE = 100;

    /** Default per-window decay of the sequential sums. */
    public static final double DEFAULT_DECAY = 0.7;

    /** Default share of a warning threshold that an effect size must reach for a window to be over. */
    public static final double DEFAULT_EFFECT_FLOOR = 0.5;

    /**
     * When a deciding effect size is undefined (Wasserstein on a constant reference), a KS distance at least
     * this large counts as an effect that matters.
     */
    public static final double MIN_KS_DISTANCE = 0.05;

    /** A window continues a sequential run when its own z-score, in the run's direction, is at least this. */
    public static final double RUN_SUPPORT = 0.5;

    private static final EvidenceRule DEFAULTS = new EvidenceRule(DEFAULT_FIRE_LEVEL, DEFAULT_RESOLVE_LEVEL,
            DEFAULT_RESOLVE_WINDOWS, DEFAULT_MIN_SAMPLE_SIZE, DEFAULT_DECAY, DEFAULT_EFFECT_FLOOR);

    private final double fireLevel;
    private final double resolveLevel;
    private final int resolveWindows;
    private final int minSampleSize;
    private final double decay;
    private final double effectFloor;

    private EvidenceRule(double fireLevel, double resolveLevel, int resolveWindows, int minSampleSize, double decay,
                         double effectFloor) {
        this.fireLevel = fireLevel;
        this.resolveLevel = resolveLevel;
        this.resolveWindows = resolveWindows;
        this.minSampleSize = minSampleSize;
        this.decay = decay;
        this.effectFloor = effectFloor;
    }

    /**
     * The default rule (see the class description).
     *
     * @return the defaults
     */
    public static EvidenceRule defaults() {
        return DEFAULTS;
    }

    /**
     * A rule.
     *
     * @param fireLevel      evidence at which a window is over, in (0, 40], typically 4–5
     * @param resolveLevel   evidence below which a window counts towards resolving, in [0, fireLevel)
     * @param resolveWindows windows in a row below the resolve level that resolve, 1–64, typically 2
     * @param minSampleSize  smallest window that may fire or resolve, ≥ 1, typically 100
     * @param decay          per-window decay λ of the sequential sums, in [0, 1); 0 uses each window alone
     * @param effectFloor    share of a warning threshold an effect must reach, in [0, 1]
     * @return the rule
     * @throws IllegalPolicyException naming the first value out of its range
     */
    public static EvidenceRule of(double fireLevel, double resolveLevel, int resolveWindows, int minSampleSize,
                                  double decay, double effectFloor) {
        if (!(fireLevel > 0 && fireLevel <= WindowEvidence.MAX_SCORE)) {
            throw new IllegalPolicyException("fire level " + fireLevel + " is not allowed; expected a value in (0, "
                    + WindowEvidence.MAX_SCORE + "], typically " + DEFAULT_FIRE_LEVEL);
        }
        if (!(resolveLevel >= 0 && resolveLevel < fireLevel)) {
            throw new IllegalPolicyException("resolve level " + resolveLevel + " is not allowed; expected a value in"
                    + " [0, fire level " + fireLevel + "), typically " + DEFAULT_RESOLVE_LEVEL);
        }
        if (resolveWindows < 1 || resolveWindows > PersistenceState.MAX_WINDOWS) {
            throw new IllegalPolicyException("resolve windows " + resolveWindows + " is not allowed; expected 1.."
                    + PersistenceState.MAX_WINDOWS + ", typically " + DEFAULT_RESOLVE_WINDOWS);
        }
        if (minSampleSize < 1) {
            throw new IllegalPolicyException("minimum sample size " + minSampleSize + " is not allowed; expected"
                    + " at least 1, typically " + DEFAULT_MIN_SAMPLE_SIZE);
        }
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalPolicyException("sequential decay " + decay + " is not allowed; expected a value in"
                    + " [0, 1), typically " + DEFAULT_DECAY);
        }
        if (!(effectFloor >= 0 && effectFloor <= 1)) {
            throw new IllegalPolicyException("effect floor " + effectFloor + " is not allowed; expected a value in"
                    + " [0, 1], typically " + DEFAULT_EFFECT_FLOOR);
        }
        return new EvidenceRule(fireLevel, resolveLevel, resolveWindows, minSampleSize, decay, effectFloor);
    }

    /** Evidence at which a window is over, in standard-normal units. */
    public double fireLevel() {
        return fireLevel;
    }

    /** Evidence below which a window counts towards resolving. */
    public double resolveLevel() {
        return resolveLevel;
    }

    /** Sufficient windows in a row below the resolve level that resolve a firing alert. */
    public int resolveWindows() {
        return resolveWindows;
    }

    /** The smallest window, in non-missing values, that may fire or resolve. */
    public int minSampleSize() {
        return minSampleSize;
    }

    /** Per-window decay of the sequential sums. */
    public double decay() {
        return decay;
    }

    /** Share of a warning threshold that a deciding effect size must reach for a window to be over. */
    public double effectFloor() {
        return effectFloor;
    }

    /**
     * Applies one window.
     *
     * @param persistence the subject's firing flag and history of over windows
     * @param state       the subject's sequential state
     * @param statistics  the window's test results (effect sizes for the effect gate)
     * @param evidence    the window's evidence
     * @param policy      the policy whose thresholds, deciding tests and m-of-n persistence apply
     * @return the judgement
     */
    Judgement next(PersistenceState persistence, EvidenceState state, FeatureStatistics statistics,
                   WindowEvidence evidence, AlertPolicy policy) {
        Objects.requireNonNull(persistence, "persistence state");
        Objects.requireNonNull(state, "evidence state");
        Objects.requireNonNull(evidence, "evidence");
        if (evidence.count() < minSampleSize) {
            return new Judgement(persistence, state, Transition.NONE, true, false, Double.NaN, Double.NaN,
                    Severity.NONE);
        }
        long n = evidence.referenceCount();
        boolean sameReference = state.referenceCount() == n; // another reference: start afresh
        double m = evidence.count();
        EvidenceState.Run location = extend(sameReference ? state.location() : EvidenceState.Run.EMPTY,
                evidence.locationSum(), evidence.locationSigma(), m, n);
        EvidenceState.Run scale = extend(sameReference ? state.scale() : EvidenceState.Run.EMPTY,
                evidence.scaleSum(), evidence.scaleSigma(), m, n);
        double sequential = Math.max(location.zScore(evidence.locationSigma(), n),
                scale.zScore(evidence.scaleSigma(), n));
        double score = Math.max(evidence.windowScore(), Math.min(WindowEvidence.MAX_SCORE, sequential));
        Severity severity = score >= fireLevel ? effectSeverity(statistics, policy) : Severity.NONE;
        boolean over = severity != Severity.NONE;
        int quiet = score < resolveLevel ? state.quietWindows() + 1 : 0;
        EvidenceState updated = new EvidenceState(n, location, scale, Math.min(quiet, PersistenceState.MAX_WINDOWS));
        PersistenceState seen = persistence.observe(over, persistence.isFiring());
        Persistence rule = policy.persistence();
        Transition transition = Transition.NONE;
        boolean firing = persistence.isFiring();
        if (!firing && over && seen.driftedInLast(rule.windows()) >= rule.required()) {
            transition = Transition.FIRING;
            firing = true;
        } else if (firing && quiet >= resolveWindows) {
            transition = Transition.RESOLVED;
            firing = false;
        }
        return new Judgement(persistence.observe(over, firing), updated, transition, false, over, score,
                sequential, severity);
    }

    /**
     * The run after one more window: decayed and extended while the window supports it (its own z-score, in
     * the run's direction, at least {@value #RUN_SUPPORT}), otherwise restarted from this window.
     */
    private EvidenceState.Run extend(EvidenceState.Run run, double sum, double sigma, double m, long n) {
        if (!(sigma > 0)) {
            return EvidenceState.Run.EMPTY;
        }
        double windowZ = sum / (sigma * Math.sqrt(m * (1.0 + m / n)));
        boolean supports = run.sum() != 0 && windowZ * Math.signum(run.sum()) >= RUN_SUPPORT;
        if (!supports) {
            return new EvidenceState.Run(sum, m, m);
        }
        return new EvidenceState.Run(decay * run.sum() + sum, decay * run.weight() + m,
                decay * decay * run.squaredWeight() + m);
    }

    /**
     * The severity of the window's effect when it is large enough to matter: the highest severity of the
     * deciding effects, at least WARNING; NONE when no effect reaches the floor.
     */
    private Severity effectSeverity(FeatureStatistics statistics, AlertPolicy policy) {
        boolean matters = false;
        boolean undefined = false;
        Severity worst = Severity.NONE;
        Set<DriftTest> deciding = policy.decidingTests();
        for (Map.Entry<DriftTest, TestResult> e : statistics.results().entrySet()) {
            TestResult r = e.getValue();
            Threshold t = policy.thresholds().get(e.getKey());
            if (t == null || !deciding.contains(e.getKey())) {
                continue;
            }
            if (!r.isDefined()) {
                undefined = true;
            } else {
                matters |= r.statistic() >= effectFloor * t.warning();
                worst = worst.max(t.classify(r.statistic()));
            }
        }
        TestResult ks = statistics.results().get(DriftTests.KS);
        if (undefined && ks != null && ks.isDefined() && ks.statistic() >= MIN_KS_DISTANCE) {
            matters = true;
        }
        return matters ? worst.max(Severity.WARNING) : Severity.NONE;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof EvidenceRule)) {
            return false;
        }
        EvidenceRule that = (EvidenceRule) o;
        return Double.compare(fireLevel, that.fireLevel) == 0 && Double.compare(resolveLevel, that.resolveLevel) == 0
                && resolveWindows == that.resolveWindows && minSampleSize == that.minSampleSize
                && Double.compare(decay, that.decay) == 0 && Double.compare(effectFloor, that.effectFloor) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(fireLevel, resolveLevel, resolveWindows, minSampleSize, decay, effectFloor);
    }

    @Override
    public String toString() {
        return "EvidenceRule{fire>=" + fireLevel + ", resolve<" + resolveLevel + " x" + resolveWindows + ", minN="
                + minSampleSize + ", decay=" + decay + ", effectFloor=" + effectFloor + "}";
    }
}
