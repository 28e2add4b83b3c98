package dev.driftwatch.detectors.policy;

import dev.driftwatch.detectors.TestResult;
import dev.driftwatch.detectors.DriftTest;
import dev.driftwatch.detectors.DriftTests;
import dev.driftwatch.detectors.WindowEvidence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The alert policy: when a feature, and a dataset, count as drifted in a window, and how many
 * windows make an alert. Immutable and validated when built; a policy carries a {@link #version()}
 * that alerts name for provenance.
 *
 * <h2>Feature rule</h2>
 * A feature drifted in a window when both hold:
 * <ol>
 *   <li><b>effect</b>: some deciding effect test ({@link #decidingTests()}, by default PSI, JS and
 *       Wasserstein) has a defined statistic ≥ its warning {@link Threshold}; undefined statistics
 *       never count;</li>
 *   <li><b>significance</b>: the feature's significance test (KS for numeric, chi-square for
 *       categorical) has a Benjamini-Hochberg adjusted p-value ≤ {@link #alpha()}, the correction
 *       taken over the features evaluated together; a feature without a defined significance test
 *       passes this gate ({@link SignificanceGate#NOT_AVAILABLE}).</li>
 * </ol>
 * Its severity is then the highest {@link Threshold#classify(double)} among the deciding tests that
 * crossed. Effect tests with a threshold that are not deciding (KL by default) are classified for
 * reporting only. A significance test alone never makes a feature drift: at streaming sample
 * sizes every p-value is tiny.
 *
 * <h2>Dataset rule</h2>
 * The dataset drifted when at least one feature was evaluated and
 * drifted features / features ≥ {@link #datasetDriftShare()}; its severity is then the highest
 * severity among the drifted features.
 *
 * <h2>Alerts</h2>
 * Which windows fire and resolve a subject's alert is decided by {@link #judge}, with the
 * {@link #evidence()} rule: evidence accumulated across windows against a calibrated fire level, a
 * minimum sample size, and a lower resolve level (hysteresis). The feature rule above classifies each
 * window's effect sizes for reporting and severity.
 *
 * <h2>Defaults</h2>
 * Thresholds (warning / critical): PSI 0.1 / 0.25, KL 0.1 / 0.25, JS 0.1 / 0.2, Wasserstein
 * 0.1 / 0.3; deciding PSI, JS, Wasserstein; alpha 0.05; persistence 1 of 1; dataset drift share
 * 0.5; version "default".
 */
public final class AlertPolicy {

    /** The default significance level for BH-adjusted p-values. */
    public static final double DEFAULT_ALPHA = 0.05;

    /** The default share of drifted features at which the dataset drifts. */
    public static final double DEFAULT_DATASET_DRIFT_SHARE = 0.5;

    /** The version of {@link #defaults()}. */
    public static final String DEFAULT_VERSION = "default";

    /** The longest accepted {@link #version()}, in characters. */
    public static final int MAX_VERSION_LENGTH = 256;

    private static final AlertPolicy DEFAULTS = new Builder().build();

    private final Map<DriftTest, Threshold> thresholds;
    private final Set<DriftTest> decidingTests;
    private final double alpha;
    private final Persistence persistence;
    private final double datasetDriftShare;
    private final String version;
    private final EvidenceRule evidence;

    private AlertPolicy(Builder builder) {
        this.thresholds = Collections.unmodifiableMap(new TreeMap<>(builder.thresholds));
        this.decidingTests = Collections.unmodifiableSet(new TreeSet<>(builder.decidingTests));
        this.alpha = builder.alpha;
        this.persistence = builder.persistence;
        this.datasetDriftShare = builder.datasetDriftShare;
        this.version = builder.version;
        this.evidence = builder.evidence;
    }

    /**
     * The default policy (see the class description).
     *
     * @return the default policy
     */
    public static AlertPolicy defaults() {
        return DEFAULTS;
    }

    /**
     * A builder that starts from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder that starts from this policy, to derive a changed one (give it a new version).
     *
     * @return a new builder holding this policy's settings
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Decides one feature evaluated alone: with a single p-value the Benjamini-Hochberg adjusted
     * p-value is the raw one.
     *
     * @param feature the feature's test results
     * @return the verdict
     * @throws IllegalArgumentException if {@code feature} is null
     */
    public FeatureVerdict evaluate(FeatureStatistics feature) {
        checkFeature(feature);
        double p = feature.definedSignificanceResult()
                .map(r -> r.pValue())
                .orElse(Double.NaN);
        return decide(feature, p);
    }

    /**
     * Decides one feature whose significance p-value was adjusted with the others of its family,
     * for example by {@link BenjaminiHochberg#adjust(double[])} over all features of a model in a
     * window.
     *
     * @param feature the feature's test results; must have a defined significance test
     * @param adjustedPValue the BH-adjusted p-value of that test, in [raw p, 1]
     * @return the verdict
     * @throws IllegalArgumentException if {@code feature} is null or has no defined significance
     *     test, or {@code adjustedPValue} is outside [raw p, 1] or NaN
     */
    public FeatureVerdict evaluate(FeatureStatistics feature, double adjustedPValue) {
        checkFeature(feature);
        Optional<TestResult> significance = feature.definedSignificanceResult();
        if (significance.isEmpty()) {
            throw new IllegalArgumentException("feature '" + feature.feature() + "' has no defined"
                    + " significance test, so there is no adjusted p-value to apply; use evaluate(feature)");
        }
        double raw = significance.get().pValue();
        if (!(adjustedPValue >= raw && adjustedPValue <= 1.0)) {
            throw new IllegalArgumentException("adjusted p-value " + adjustedPValue + " of feature '"
                    + feature.feature() + "' is not allowed; expected a value in [" + raw
                    + " (the raw p-value), 1]");
        }
        return decide(feature, adjustedPValue);
    }

    /**
     * Decides the features of one window evaluated together: adjusts their significance p-values
     * with Benjamini-Hochberg (the family is the features with a defined significance test, KS
     * and chi-square alike), decides each feature, then the dataset.
     *
     * @param features the features, with distinct names; may be empty (nothing drifts)
     * @return the verdicts, features in input order
     * @throws IllegalArgumentException if the list or an element is null, or two features share a
     *     name
     */
    public Evaluation evaluateAll(List<FeatureStatistics> features) {
        if (features == null) {
            throw new IllegalArgumentException("features must not be null; pass an empty list");
        }
        Set<String> names = new HashSet<>();
        List<Integer> family = new ArrayList<>();
        List<Double> pValues = new ArrayList<>();
        for (int i = 0; i < features.size(); i++) {
            FeatureStatistics feature = features.get(i);
            if (feature == null) {
                throw new IllegalArgumentException("feature at index " + i + " is null");
            }
            if (!names.add(feature.feature())) {
                throw new IllegalArgumentException("feature '" + feature.feature()
                        + "' appears twice; expected distinct feature names");
            }
            Optional<TestResult> significance = feature.definedSignificanceResult();
            if (significance.isPresent()) {
                family.add(i);
                pValues.add(significance.get().pValue());
            }
        }
        double[] raw = new double[pValues.size()];
        for (int k = 0; k < raw.length; k++) {
            raw[k] = pValues.get(k);
        }
        double[] adjusted = BenjaminiHochberg.adjust(raw);
        double[] adjustedByFeature = new double[features.size()];
        Arrays.fill(adjustedByFeature, Double.NaN);
        for (int k = 0; k < adjusted.length; k++) {
            adjustedByFeature[family.get(k)] = adjusted[k];
        }
        List<FeatureVerdict> verdicts = new ArrayList<>(features.size());
        for (int i = 0; i < features.size(); i++) {
            verdicts.add(decide(features.get(i), adjustedByFeature[i]));
        }
        return new Evaluation(verdicts, decideDataset(verdicts), version);
    }

    /**
     * Decides the dataset from feature verdicts already made (for example by separate
     * {@link #evaluate(FeatureStatistics, double)} calls).
     *
     * @param verdicts the feature verdicts of one window; may be empty
     * @return the dataset verdict
     * @throws IllegalArgumentException if the list or an element is null
     */
    public DatasetVerdict decideDataset(List<FeatureVerdict> verdicts) {
        if (verdicts == null) {
            throw new IllegalArgumentException("verdicts must not be null; pass an empty list");
        }
        int drifted = 0;
        Severity worst = Severity.NONE;
        for (int i = 0; i < verdicts.size(); i++) {
            FeatureVerdict verdict = verdicts.get(i);
            if (verdict == null) {
                throw new IllegalArgumentException("verdict at index " + i + " is null");
            }
            if (verdict.isDrifted()) {
                drifted++;
                worst = worst.max(verdict.severity());
            }
        }
        int total = verdicts.size();
        boolean datasetDrifted = total > 0 && (double) drifted / total >= datasetDriftShare;
        return new DatasetVerdict(drifted, total, datasetDriftShare,
                datasetDrifted ? worst : Severity.NONE);
    }

    private static void checkFeature(FeatureStatistics feature) {
        if (feature == null) {
            throw new IllegalArgumentException("feature statistics must not be null");
        }
    }

    /** adjustedPValue is NaN when the feature has no defined significance test. */
    private FeatureVerdict decide(FeatureStatistics feature, double adjustedPValue) {
        Map<DriftTest, Severity> effectSeverities = new TreeMap<>();
        Severity worstCrossed = Severity.NONE;
        List<DriftTest> crossed = new ArrayList<>();
        for (TestResult result : feature.results().values()) {
            DriftTest test = result.test();
            Threshold threshold = thresholds.get(test);
            if (threshold == null || !result.isDefined()) {
                continue;
            }
            Severity severity = threshold.classify(result.statistic());
            effectSeverities.put(test, severity);
            if (decidingTests.contains(test) && severity != Severity.NONE) {
                crossed.add(test);
                worstCrossed = worstCrossed.max(severity);
            }
        }
        SignificanceGate gate;
        if (Double.isNaN(adjustedPValue)) {
            gate = SignificanceGate.NOT_AVAILABLE;
        } else {
            gate = adjustedPValue <= alpha ? SignificanceGate.SIGNIFICANT : SignificanceGate.NOT_SIGNIFICANT;
        }
        boolean drifted = !crossed.isEmpty() && gate.passes();
        List<DriftTest> driftedBy = new ArrayList<>();
        if (drifted) {
            driftedBy.addAll(crossed);
            if (gate == SignificanceGate.SIGNIFICANT) {
                driftedBy.add(feature.definedSignificanceResult().get().test());
            }
            driftedBy.sort(null);
        }
        return new FeatureVerdict(feature.feature(), drifted ? worstCrossed : Severity.NONE, driftedBy,
                effectSeverities, gate, adjustedPValue);
    }

    /**
     * Judges one window of one subject with the {@link #evidence()} rule: whether it fires, resolves, or
     * was too small to say anything.
     *
     * @param persistence the subject's firing flag and history, {@link PersistenceState#initial()} at first
     * @param state       the subject's sequential state, {@link EvidenceState#initial()} at first
     * @param statistics  the window's test results
     * @param evidence    the window's evidence against the same baseline
     * @return the judgement, with the states to store
     * @throws NullPointerException if an argument is null
     */
    public Judgement judge(PersistenceState persistence, EvidenceState state, FeatureStatistics statistics,
                           WindowEvidence evidence) {
        return this.evidence.next(persistence, state, statistics, evidence, this);
    }

    /**
     * Judges one window of a model version's dataset from the judgements of its features in that window, with
     * the fire and resolve levels and hysteresis of {@link #evidence()} (see {@link EvidenceRule}): over when
     * the share of over features reaches {@link #datasetDriftShare()}, quiet while the share of features with
     * evidence at the resolve level or more stays below it; a firing dataset resolves after the resolve windows
     * of quiet windows in a row.
     *
     * @param persistence the dataset's firing flag and history, {@link PersistenceState#initial()} at first
     * @param state       the dataset's evidence state (its quiet windows), {@link EvidenceState#initial()} at first
     * @param features    the judgements of the window's features (outputs left out); insufficient ones are ignored
     * @return the verdict of the window and the judgement, with the states to store
     * @throws NullPointerException if an argument is null
     */
    public DatasetJudgement judgeDataset(PersistenceState persistence, EvidenceState state, List<Judgement> features) {
        return evidence.nextDataset(Objects.requireNonNull(persistence, "persistence state"),
                Objects.requireNonNull(state, "evidence state"), features, this);
    }

    /**
     * Decides the dataset from the severities of the subjects judged in one window (insufficient ones left
     * out): it drifted when at least one was judged and the share of those over is at least
     * {@link #datasetDriftShare()}.
     *
     * @param severities one per judged subject, {@link Severity#NONE} when not over
     * @return the dataset verdict
     */
    public DatasetVerdict decideDatasetFromSeverities(List<Severity> severities) {
        int drifted = 0;
        Severity worst = Severity.NONE;
        for (Severity s : severities) {
            if (s != Severity.NONE) {
                drifted++;
                worst = worst.max(s);
            }
        }
        int total = severities.size();
        boolean datasetDrifted = total > 0 && (double) drifted / total >= datasetDriftShare;
        return new DatasetVerdict(drifted, total, datasetDriftShare, datasetDrifted ? worst : Severity.NONE);
    }

    /**
     * The rule that turns windows' evidence into FIRING and RESOLVED.
     *
     * @return the rule, by default {@link EvidenceRule#defaults()}
     */
    public EvidenceRule evidence() {
        return evidence;
    }

    /**
     * The thresholds of every effect-size test.
     *
     * @return an unmodifiable map holding PSI, KL, JS and Wasserstein, in {@link DriftTest} order
     */
    public Map<DriftTest, Threshold> thresholds() {
        return thresholds;
    }

    /**
     * The threshold of one effect-size test.
     *
     * @param test an effect-size test
     * @return its threshold
     * @throws IllegalArgumentException if {@code test} is null or a significance test
     */
    public Threshold threshold(DriftTest test) {
        Threshold threshold = test == null ? null : thresholds.get(test);
        if (threshold == null) {
            throw new IllegalArgumentException("no threshold for test " + (test == null ? "null" : test.id())
                    + "; thresholds exist for effect sizes: " + DriftTests.effectSizeIds());
        }
        return threshold;
    }

    /**
     * The effect tests whose crossing can make a feature drift; the other effect tests are
     * reported only.
     *
     * @return an unmodifiable, non-empty set of effect-size tests; by default PSI, JS, Wasserstein
     */
    public Set<DriftTest> decidingTests() {
        return decidingTests;
    }

    /**
     * The significance level compared with BH-adjusted p-values: a feature is significant when
     * its adjusted p-value is ≤ alpha. It is also the false discovery rate controlled.
     *
     * @return a value in (0, 1), by default 0.05
     */
    public double alpha() {
        return alpha;
    }

    /**
     * The m-of-n persistence rule applied to each subject's window verdicts.
     *
     * @return the rule, by default 1 of 1
     */
    public Persistence persistence() {
        return persistence;
    }

    /**
     * The share of drifted features at or above which the dataset drifts.
     *
     * @return a value in (0, 1], by default 0.5
     */
    public double datasetDriftShare() {
        return datasetDriftShare;
    }

    /**
     * The policy's version, named by every alert it produced.
     *
     * @return a non-blank string of at most {@value #MAX_VERSION_LENGTH} characters
     */
    public String version() {
        return version;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof AlertPolicy)) {
            return false;
        }
        AlertPolicy that = (AlertPolicy) o;
        return thresholds.equals(that.thresholds)
                && decidingTests.equals(that.decidingTests)
                && Double.compare(alpha, that.alpha) == 0
                && persistence.equals(that.persistence)
                && Double.compare(datasetDriftShare, that.datasetDriftShare) == 0
                && version.equals(that.version)
                && evidence.equals(that.evidence);
    }

    @Override
    public int hashCode() {
        return Objects.hash(thresholds, decidingTests, alpha, persistence, datasetDriftShare, version, evidence);
    }

    @Override
    public String toString() {
        return "AlertPolicy{version=" + version + ", thresholds=" + thresholds.values()
                + ", deciding=" + decidingTests + ", alpha=" + alpha + ", " + persistence
                + ", datasetDriftShare=" + datasetDriftShare + ", " + evidence + "}";
    }

    /**
     * Builds an {@link AlertPolicy}, starting from the defaults. Every setter checks its argument
     * at once and throws {@link IllegalPolicyException} naming the bad value.
     */
    public static final class Builder {

        private final TreeMap<DriftTest, Threshold> thresholds = new TreeMap<>();
        private TreeSet<DriftTest> decidingTests = new TreeSet<>();
        private double alpha = DEFAULT_ALPHA;
        private Persistence persistence = Persistence.of(1, 1);
        private double datasetDriftShare = DEFAULT_DATASET_DRIFT_SHARE;
        private String version = DEFAULT_VERSION;
        private EvidenceRule evidence = EvidenceRule.defaults();

        private Builder() {
            for (DriftTest test : DriftTests.effectSizes()) {
                DriftTest.Thresholds defaults = test.defaultThresholds();
                threshold(Threshold.of(test, defaults.warning(), defaults.critical()));
                if (test.decidesByDefault()) {
                    decidingTests.add(test);
                }
            }
        }

        private Builder(AlertPolicy policy) {
            thresholds.putAll(policy.thresholds);
            decidingTests = new TreeSet<>(policy.decidingTests);
            alpha = policy.alpha;
            persistence = policy.persistence;
            datasetDriftShare = policy.datasetDriftShare;
            version = policy.version;
            evidence = policy.evidence;
        }

        /**
         * Sets the rule that turns windows' evidence into FIRING and RESOLVED.
         *
         * @param rule the rule, not null
         * @return this builder
         * @throws IllegalPolicyException if {@code rule} is null
         */
        public Builder evidence(EvidenceRule rule) {
            if (rule == null) {
                throw new IllegalPolicyException("evidence rule must not be null; the default is EvidenceRule.defaults()");
            }
            this.evidence = rule;
            return this;
        }

        /**
         * Sets the thresholds of an effect-size test.
         *
         * @param test an effect-size test
         * @param warning the warning threshold, finite, ≥ 0
         * @param critical the critical threshold, finite, ≥ {@code warning}
         * @return this builder
         * @throws IllegalPolicyException as {@link Threshold#of(DriftTest, double, double)}
         */
        public Builder threshold(DriftTest test, double warning, double critical) {
            return threshold(Threshold.of(test, warning, critical));
        }

        /**
         * Sets the thresholds of the threshold's test.
         *
         * @param threshold the thresholds, not null
         * @return this builder
         * @throws IllegalPolicyException if {@code threshold} is null
         */
        public Builder threshold(Threshold threshold) {
            if (threshold == null) {
                throw new IllegalPolicyException("threshold must not be null");
            }
            thresholds.put(threshold.test(), threshold);
            return this;
        }

        /**
         * Sets which effect tests decide drift.
         *
         * @param tests one or more effect-size tests, such as PSI, JS, Wasserstein
         * @return this builder
         * @throws IllegalPolicyException if none is given, or one is null or a significance test
         */
        public Builder decidingTests(DriftTest... tests) {
            if (tests == null || tests.length == 0) {
                throw new IllegalPolicyException("deciding tests must not be empty; expected one or more"
                        + " of " + DriftTests.effectSizeIds());
            }
            TreeSet<DriftTest> chosen = new TreeSet<>();
            for (DriftTest test : tests) {
                if (test == null || !test.isEffectSize()) {
                    throw new IllegalPolicyException("deciding test " + (test == null ? "null" : test.id())
                            + " is not allowed; expected an effect size: " + DriftTests.effectSizeIds()
                            + " (significance tests gate through alpha)");
                }
                chosen.add(test);
            }
            decidingTests = chosen;
            return this;
        }

        /**
         * Sets the significance level for BH-adjusted p-values.
         *
         * @param alpha a value in (0, 1), typically 0.01–0.05
         * @return this builder
         * @throws IllegalPolicyException if {@code alpha} is not in (0, 1)
         */
        public Builder alpha(double alpha) {
            if (!(alpha > 0.0 && alpha < 1.0)) {
                throw new IllegalPolicyException("alpha " + alpha + " is not allowed; expected a"
                        + " significance level strictly between 0 and 1, typically 0.05");
            }
            this.alpha = alpha;
            return this;
        }

        /**
         * Sets the persistence rule to "m of the last n windows" ({@link Persistence#of(int, int)}).
         *
         * @param m drifted windows needed, 1 ≤ m ≤ n
         * @param n windows looked at, 1 ≤ n ≤ 64
         * @return this builder
         * @throws IllegalPolicyException if m or n is out of range
         */
        public Builder persistence(int m, int n) {
            return persistence(Persistence.of(m, n));
        }

        /**
         * Sets the persistence rule.
         *
         * @param persistence the rule, not null
         * @return this builder
         * @throws IllegalPolicyException if {@code persistence} is null
         */
        public Builder persistence(Persistence persistence) {
            if (persistence == null) {
                throw new IllegalPolicyException("persistence must not be null; the default is 1 of 1");
            }
            this.persistence = persistence;
            return this;
        }

        /**
         * Sets the share of drifted features at or above which the dataset drifts.
         *
         * @param share a value in (0, 1], typically 0.3–0.5; 1 means every feature must drift
         * @return this builder
         * @throws IllegalPolicyException if {@code share} is not in (0, 1]
         */
        public Builder datasetDriftShare(double share) {
            if (!(share > 0.0 && share <= 1.0)) {
                throw new IllegalPolicyException("dataset drift share " + share + " is not allowed;"
                        + " expected a value in (0, 1], typically 0.5");
            }
            this.datasetDriftShare = share;
            return this;
        }

        /**
         * Sets the policy version that alerts will name.
         *
         * @param version a non-blank string of at most 256 characters, such as "2" or "2024-06-01a"
         * @return this builder
         * @throws IllegalPolicyException if {@code version} is null, blank or too long
         */
        public Builder version(String version) {
            if (version == null || version.isBlank() || version.length() > MAX_VERSION_LENGTH) {
                throw new IllegalPolicyException("policy version '" + version + "' is not allowed;"
                        + " expected a non-blank string of at most " + MAX_VERSION_LENGTH + " characters");
            }
            this.version = version;
            return this;
        }

        /**
         * Builds the policy.
         *
         * @return the immutable policy
         */
        public AlertPolicy build() {
            return new AlertPolicy(this);
        }
    }
}
