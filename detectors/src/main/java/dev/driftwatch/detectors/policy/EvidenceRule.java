package dev.driftwatch.detectors.policy;

import dev.driftwatch.detectors.DriftTest;
import dev.driftwatch.detectors.DriftTests;
import dev.driftwatch.detectors.TestResult;
import dev.driftwatch.detectors.WindowEvidence;
import dev.driftwatch.detectors.summary.SummaryEvidence;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * When a subject's alert fires and resolves, from the evidence of its windows (the part of
 * {@link AlertPolicy} that turns windows into FIRING and RESOLVED). Immutable.
 *
 * <h2>Rule</h2>
 * For each window of a subject:
 * <ol>
 *   <li>A window with fewer than {@link #minSampleSize()} values is <b>insufficient</b>: it neither
 *       fires nor resolves, and leaves the state as it was.</li>
 *   <li>Otherwise the window is <b>pooled</b> with the subject's previous windows: the current window together
 *       with the newest 1, 2, …, {@value #MAX_POOLED_WINDOWS} − 1 windows of its run is tested against the
 *       reference as one sample (numeric: the location and scale placement sums of {@link WindowEvidence}, over
 *       σ·√(M·(1 + M/n)); categorical: the two-sample chi-square of the pooled group counts). Pooling tests the
 *       windows against the reference once, so the reference's own noise, which every window shares, counts
 *       once, where a CUSUM over per-window scores adds it up window after window. A run restarts at a window
 *       that does not point the run's way (its own z-score in the run's direction below
 *       {@value #RUN_SUPPORT}, or more than {@value #RUN_SLACK} below the z-score the run's effect would give
 *       it), so a change that ends stops counting at once. The <b>sequential evidence</b>
 *       is the largest pooled |z| (a categorical p-value as Φ⁻¹(1 − p/2)).</li>
 *   <li>The window's <b>evidence</b> is the larger of the window score Φ⁻¹(1 − p) (p the window's two-sample
 *       omnibus p-value) and the sequential evidence on the same scale ({@link #sequentialScore}): a pooled
 *       |z| at {@link #sequentialLevel()} counts as the fire level, one of {@value #SEQUENTIAL_FLOOR} as 0. The pooled tests have their own level
 *       because they are few and strongly correlated from window to window, where the window score is the
 *       smallest of three p-values of independent windows.</li>
 *   <li>The window is <b>over</b> when evidence ≥ {@link #fireLevel()} and an effect size is large enough
 *       to matter: a deciding effect statistic ≥ {@link #effectFloor()} × its warning threshold, or, when a
 *       deciding effect is undefined (Wasserstein on a constant reference, where PSI is 0 too), a KS
 *       distance ≥ {@value #MIN_KS_DISTANCE}.</li>
 *   <li>A quiet subject <b>fires</b> when the window is over and the m-of-n persistence (over the
 *       windows that were over) holds; a firing subject <b>resolves</b> once its evidence has been below
 *       {@link #resolveLevel()} for {@link #resolveWindows()} sufficient windows in a row.</li>
 * </ol>
 * The dataset of a model version follows the same levels and hysteresis ({@link AlertPolicy#judgeDataset}).
 *
 * <h2>Defaults and how they were chosen</h2>
 * Fire level 4.5 and resolve level 2.0 (standard-normal units), 3 resolve windows, sequential level
 * {@value #DEFAULT_SEQUENTIAL_LEVEL}, effect floor 0.5, minimum sample size 100. The fire and sequential levels
 * hold the false FIRING rate on stationary traffic under 1 in 10,000 subject-windows in the seeded simulation
 * ({@code bench/}, see docs/policy.md). The minimum sample size is where a half-standard-deviation mean shift,
 * or a category moving from 10 % to 25 %, reaches the fire level with 80 % power in one window: z ≈ 0.49·√m
 * for the shift and 0.5·√m for the category, against 4.5 + 0.84, gives m ≈ 115, rounded to 100; below that,
 * too, the chi-square approximation on rare categories stops holding.
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

    /** Default level of the pooled (sequential) evidence, as a |z|, that counts as the fire level. */
    public static final double DEFAULT_SEQUENTIAL_LEVEL = 4.25;

    /** The most windows pooled: the current one and up to this many minus one before it. */
    public static final int MAX_POOLED_WINDOWS = 8;

    /** Default share of a warning threshold that an effect size must reach for a window to be over. */
    public static final double DEFAULT_EFFECT_FLOOR = 0.5;

    /**
     * When a deciding effect size is undefined (Wasserstein on a constant reference), a KS distance at least
     * this large counts as an effect that matters.
     */
    public static final double MIN_KS_DISTANCE = 0.05;

    /** A window continues a sequential run when its own z-score, in the run's direction, is at least this. */
    public static final double RUN_SUPPORT = 0.5;

    /** The pooled |z| that counts as no evidence at all (see {@link #sequentialScore}). */
    public static final double SEQUENTIAL_FLOOR = 1.5;

    /**
     * A window does not continue a run when its z-score is more than this below the one the run's effect would
     * give it: the change the run measured has ended or shrunk.
     */
    public static final double RUN_SLACK = 3.0;

    private static final EvidenceRule DEFAULTS = new EvidenceRule(DEFAULT_FIRE_LEVEL, DEFAULT_RESOLVE_LEVEL,
            DEFAULT_RESOLVE_WINDOWS, DEFAULT_MIN_SAMPLE_SIZE, DEFAULT_SEQUENTIAL_LEVEL, DEFAULT_EFFECT_FLOOR);

    private final double fireLevel;
    private final double resolveLevel;
    private final int resolveWindows;
    private final int minSampleSize;
    private final double sequentialLevel;
    private final double effectFloor;

    private EvidenceRule(double fireLevel, double resolveLevel, int resolveWindows, int minSampleSize, double sequentialLevel,
                         double effectFloor) {
        this.fireLevel = fireLevel;
        this.resolveLevel = resolveLevel;
        this.resolveWindows = resolveWindows;
        this.minSampleSize = minSampleSize;
        this.sequentialLevel = sequentialLevel;
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
     * @param sequentialLevel pooled |z| that counts as the fire level, in (1.5, 40], typically 4.25
     * @param effectFloor    share of a warning threshold an effect must reach, in [0, 1]
     * @return the rule
     * @throws IllegalPolicyException naming the first value out of its range
     */
    public static EvidenceRule of(double fireLevel, double resolveLevel, int resolveWindows, int minSampleSize,
                                  double sequentialLevel, double effectFloor) {
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
        if (!(sequentialLevel > SEQUENTIAL_FLOOR && sequentialLevel <= WindowEvidence.MAX_SCORE)) {
            throw new IllegalPolicyException("sequential level " + sequentialLevel + " is not allowed; expected a"
                    + " value in (" + SEQUENTIAL_FLOOR + ", " + WindowEvidence.MAX_SCORE + "], typically " + DEFAULT_SEQUENTIAL_LEVEL);
        }
        if (!(effectFloor >= 0 && effectFloor <= 1)) {
            throw new IllegalPolicyException("effect floor " + effectFloor + " is not allowed; expected a value in"
                    + " [0, 1], typically " + DEFAULT_EFFECT_FLOOR);
        }
        return new EvidenceRule(fireLevel, resolveLevel, resolveWindows, minSampleSize, sequentialLevel, effectFloor);
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

    /** The pooled |z| that counts as the fire level. */
    public double sequentialLevel() {
        return sequentialLevel;
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
        // Windows compared with another reference (or grouped otherwise) cannot be pooled with this one.
        EvidenceState before = state.referenceCount() == n && state.groups() == evidence.groups() ? state
                : state.withoutWindows();
        EvidenceState.Window current = new EvidenceState.Window(evidence.count(), evidence.locationSum(),
                evidence.scaleSum(), evidence.groupCounts());
        List<EvidenceState.Window> previous = before.windows();
        Pooled location = poolScores(previous, before.locationRun(), current, EvidenceState.Window::locationSum,
                evidence.locationSigma(), n);
        Pooled scale = poolScores(previous, before.scaleRun(), current, EvidenceState.Window::scaleSum,
                evidence.scaleSigma(), n);
        Pooled categories = poolGroups(previous, before.categoryRun(), current, evidence.referenceGroupCounts());
        double sequential = Math.max(location.z(), Math.max(scale.z(), categories.z()));
        double score = Math.max(evidence.windowScore(), sequentialScore(sequential));
        Severity severity = score >= fireLevel ? effectSeverity(statistics, policy) : Severity.NONE;
        boolean over = severity != Severity.NONE;
        int quiet = Math.min(score < resolveLevel ? state.quietWindows() + 1 : 0, PersistenceState.MAX_WINDOWS);
        int keep = Math.max(location.run(), Math.max(scale.run(), categories.run()));
        List<EvidenceState.Window> stored = new ArrayList<>(keep);
        if (keep > 0) {
            stored.add(current);
            stored.addAll(previous.subList(0, Math.min(previous.size(), keep - 1)));
        }
        EvidenceState updated = new EvidenceState(n, location.run(), scale.run(), categories.run(), stored, quiet);
        return decide(persistence, over, quiet, policy.persistence(), updated, score, sequential, severity);
    }

    /**
     * The pooled |z| on the evidence scale: the straight line through ({@value #SEQUENTIAL_FLOOR}, 0) and
     * (sequential level, fire level), floored at 0 and capped at {@link WindowEvidence#MAX_SCORE}. A run of
     * unchanged windows is a run because its windows happened to point one way, so its pooled |z| is often 1.5
     * to 2.5: mapped this way it rarely reaches the resolve level, and a subject whose change ended resolves
     * after the resolve windows, while a small change that persists (pooled |z| of 4 and more) stays above it.
     */
    private double sequentialScore(double pooledZ) {
        double slope = fireLevel / (sequentialLevel - SEQUENTIAL_FLOOR);
        return Math.max(0, Math.min(WindowEvidence.MAX_SCORE, (pooledZ - SEQUENTIAL_FLOOR) * slope));
    }

    /** Fires or resolves from a window that is over or not and the quiet windows so far (subjects and dataset). */
    private Judgement decide(PersistenceState persistence, boolean over, int quiet, Persistence rule,
                             EvidenceState updated, double score, double sequential, Severity severity) {
        PersistenceState seen = persistence.observe(over, persistence.isFiring());
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
     * Applies one window to the dataset of a model version, from the judgements of its features in that window
     * (insufficient ones left out). The dataset is <b>over</b> when the share of judged features that are over
     * is at least {@link AlertPolicy#datasetDriftShare()}; it is <b>quiet</b> when the share of features whose
     * evidence is at least the resolve level stays below that share. A quiet dataset fires on an over window
     * that the m-of-n persistence confirms; a firing one resolves after {@link #resolveWindows()} quiet windows
     * in a row: the same fire and resolve levels, and the same hysteresis, as a subject's.
     *
     * @param persistence the dataset's firing flag and history of over windows
     * @param state       the dataset's evidence state (only its quiet windows are used)
     * @param features    the judgements of the features of this window
     * @param policy      the policy
     * @return the judgement; its evidence is the share of over features, its sequential figure the share of
     *     features at or above the resolve level; NONE and unchanged states when no feature was judged
     */
    DatasetJudgement nextDataset(PersistenceState persistence, EvidenceState state, List<Judgement> features,
                                 AlertPolicy policy) {
        List<Severity> severities = new ArrayList<>();
        int active = 0;
        for (Judgement j : features) {
            if (!j.insufficient()) {
                severities.add(j.severity());
                active += j.evidence() >= resolveLevel ? 1 : 0;
            }
        }
        DatasetVerdict verdict = policy.decideDatasetFromSeverities(severities);
        if (severities.isEmpty()) {
            return new DatasetJudgement(verdict, new Judgement(persistence, state, Transition.NONE, true, false,
                    Double.NaN, Double.NaN, Severity.NONE));
        }
        double activeShare = (double) active / severities.size();
        boolean over = verdict.severity() != Severity.NONE;
        int quiet = Math.min(activeShare < policy.datasetDriftShare() ? state.quietWindows() + 1 : 0,
                PersistenceState.MAX_WINDOWS);
        return new DatasetJudgement(verdict, decide(persistence, over, quiet, policy.persistence(),
                state.withQuietWindows(quiet), verdict.share(), activeShare, verdict.severity()));
    }

    /** A pooled statistic: its largest |z| over the pooled lengths, and the run length to store. */
    private record Pooled(double z, int run) {
        static final Pooled NONE = new Pooled(0, 0);
    }

    /**
     * Pools a placement score (location or scale) over the run: the current window with the newest 1, 2, …
     * windows of the run, each pooled sum standardised with its variance under no change, σ²·M·(1 + M/n) (M
     * the pooled size: the M/n term is the reference's noise, shared by every window). The current window
     * continues the run when its own z-score, in the run's direction, is at least {@value #RUN_SUPPORT};
     * otherwise it starts a new one.
     */
    private static Pooled poolScores(List<EvidenceState.Window> previous, int run, EvidenceState.Window current,
                                     ToDoubleFunction<EvidenceState.Window> score, double sigma, long n) {
        if (!(sigma > 0) || n <= 0) {
            return Pooled.NONE;
        }
        double runSum = 0;
        for (int i = 0; i < run; i++) {
            runSum += score.applyAsDouble(previous.get(i));
        }
        double sum = score.applyAsDouble(current);
        double m = current.count();
        double runCount = 0;
        for (int i = 0; i < run; i++) {
            runCount += previous.get(i).count();
        }
        // The z-score this window would have if the run's effect went on: a window far below it (a large change
        // that ended) does not support the run, even when its own z-score is above RUN_SUPPORT by chance.
        double expected = run > 0 ? Math.abs(runSum) * (m / runCount) / (sigma * spread(m, n)) : 0;
        double windowZ = sum * Math.signum(runSum) / (sigma * spread(m, n));
        boolean supports = runSum != 0 && windowZ >= Math.max(RUN_SUPPORT, expected - RUN_SLACK);
        int pooled = supports ? run : 0;
        double best = 0;
        for (int i = 0; i < pooled; i++) {
            sum += score.applyAsDouble(previous.get(i));
            m += previous.get(i).count();
            best = Math.max(best, Math.abs(sum) / (sigma * spread(m, n)));
        }
        return new Pooled(best, Math.min(pooled + 1, MAX_POOLED_WINDOWS - 1));
    }

    /**
     * Pools a categorical subject's group counts over the run: the two-sample test of the current window with
     * the newest 1, 2, … windows of the run against the reference, each as a two-sided normal score
     * Φ⁻¹(1 − p/2). The current window continues the run when its standardised deviations from the reference
     * point the run's way: their projection on the direction of the run's deviations is at least
     * {@value #RUN_SUPPORT}.
     */
    private static Pooled poolGroups(List<EvidenceState.Window> previous, int run, EvidenceState.Window current,
                                     long[] reference) {
        int groups = reference.length;
        if (groups < 2) {
            return Pooled.NONE;
        }
        long n = 0;
        for (long r : reference) {
            n += r;
        }
        long[] pooled = current.groupCounts();
        long runCount = 0;
        long[] runCounts = new long[groups];
        for (int i = 0; i < run; i++) {
            runCount += previous.get(i).count();
            for (int g = 0; g < groups; g++) {
                runCounts[g] += previous.get(i).groupCount(g);
            }
        }
        boolean supports = run > 0 && projection(pooled, current.count(), runCounts, runCount, reference, n)
                >= Math.max(RUN_SUPPORT, expectedProjection(current.count(), runCounts, runCount, reference, n)
                - RUN_SLACK);
        int length = supports ? run : 0;
        double best = 0;
        for (int i = 0; i < length; i++) {
            for (int g = 0; g < groups; g++) {
                pooled[g] += previous.get(i).groupCount(g);
            }
            best = Math.max(best, WindowEvidence.normalScore(SummaryEvidence.pooledGroupPValue(reference, pooled) / 2));
        }
        return new Pooled(best, Math.min(length + 1, MAX_POOLED_WINDOWS - 1));
    }

    /**
     * The projection of a window's standardised deviations from the reference, (w − m·r/n)/√(m·r/n) by group,
     * on the unit direction of the run's; about standard normal under no change. Half a count is added to
     * every reference group, so that a group the reference never had still has a direction.
     */
    private static double projection(long[] window, long m, long[] run, long runM, long[] reference, long n) {
        double dot = 0;
        double norm = 0;
        double total = n + 0.5 * reference.length;
        for (int g = 0; g < reference.length; g++) {
            double share = (reference[g] + 0.5) / total;
            double w = (window[g] - m * share) / Math.sqrt(m * share);
            double r = (run[g] - runM * share) / Math.sqrt(runM * share);
            dot += w * r;
            norm += r * r;
        }
        return norm > 0 ? dot / Math.sqrt(norm) : 0.0;
    }

    /**
     * The projection a window of m values would have if the run's deviations went on: the length of the run's
     * standardised deviations beyond what noise gives (their squared length is about χ² with groups − 1 degrees
     * of freedom under no change), scaled from the run's size to the window's.
     */
    private static double expectedProjection(long m, long[] run, long runM, long[] reference, long n) {
        double norm = 0;
        double total = n + 0.5 * reference.length;
        for (int g = 0; g < reference.length; g++) {
            double share = (reference[g] + 0.5) / total;
            norm += square(run[g] - runM * share) / (runM * share);
        }
        return Math.sqrt(Math.max(0, norm - (reference.length - 1)) * m / runM);
    }

    private static double square(double x) {
        return x * x;
    }

    private static double spread(double m, long n) {
        return Math.sqrt(m * (1.0 + m / n));
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
                && Double.compare(sequentialLevel, that.sequentialLevel) == 0 && Double.compare(effectFloor, that.effectFloor) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(fireLevel, resolveLevel, resolveWindows, minSampleSize, sequentialLevel, effectFloor);
    }

    @Override
    public String toString() {
        return "EvidenceRule{fire>=" + fireLevel + ", resolve<" + resolveLevel + " x" + resolveWindows + ", minN="
                + minSampleSize + ", sequential>=" + sequentialLevel + " (pooling up to " + MAX_POOLED_WINDOWS + " windows)" + ", effectFloor=" + effectFloor + "}";
    }
}
