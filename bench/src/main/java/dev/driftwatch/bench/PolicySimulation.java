package dev.driftwatch.bench;

import dev.driftwatch.detectors.ColumnComparison;
import dev.driftwatch.detectors.DriftTests;
import dev.driftwatch.detectors.TestResult;
import dev.driftwatch.detectors.WindowEvidence;
import dev.driftwatch.detectors.policy.AlertPolicy;
import dev.driftwatch.detectors.policy.DatasetJudgement;
import dev.driftwatch.detectors.policy.EvidenceRule;
import dev.driftwatch.detectors.policy.EvidenceState;
import dev.driftwatch.detectors.policy.FeatureStatistics;
import dev.driftwatch.detectors.policy.Judgement;
import dev.driftwatch.detectors.policy.PersistenceState;
import dev.driftwatch.detectors.policy.Transition;
import dev.driftwatch.detectors.summary.CategoricalBaseline;
import dev.driftwatch.detectors.summary.CategoricalSummary;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.detectors.summary.NumericSummary;
import dev.driftwatch.detectors.summary.SummaryComparisons;
import dev.driftwatch.detectors.summary.SummaryEvidence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A seeded simulation of the alert policy at its default settings, on window summaries built by the
 * detectors' own summary classes and judged by the real {@link AlertPolicy} (no Kafka): the false FIRING
 * rate on stationary traffic and the detection delay of known changes, next to two peers on the same
 * streams: a per-feature "KS p &lt; 0.05" rule (chi-square for categorical subjects) and a textbook
 * two-sided CUSUM (k = 0.5, h = 5) on the window mean in units of the reference's standard error
 * (on the chi-square score for categorical subjects).
 *
 * <p>Run: {@code ./mvnw -q -B -DskipTests -pl bench -am package && java -cp bench/target/benchmarks.jar
 * dev.driftwatch.bench.PolicySimulation [--models 120] [--windows 100] [--replications 300] [--seed 17]}
 * ({@code --fire-level} and {@code --sequential-level} try other settings).
 * A model has nine subjects of different shapes (normal, lognormal, bimodal, integer with ties,
 * mostly constant, constant, categorical with rare categories, an output score and an output label), each
 * with its own reference of 5,000–20,000 rows; every window holds 1,000 events.
 */
public final class PolicySimulation {
    static final int WINDOW = 1000;
    static final int WARM_UP = 5;
    static final int CHANGED = 10;
    private static final String[] CATEGORIES = {"a", "b", "c", "d", "e", "f", "g", "h", "i"};
    private static final double[] CATEGORY_P = {.40, .25, .14, .10, .06, .03, .015, .004, .001};
    private static final String[] LABELS = {"approve", "reject"};
    private static final double[] LABEL_P = {.7, .3};

    /** The shape of a subject's traffic. */
    enum Shape {
        NORMAL(1.0), LOGNORMAL(Math.sqrt((Math.E - 1) * Math.E)), BIMODAL(Math.sqrt(5.0)), INTEGER_TIES(Math.sqrt(3.0)),
        MOSTLY_CONSTANT(1.0), CONSTANT(0.0), CATEGORICAL_RARE(0.0), OUTPUT_SCORE(0.2), OUTPUT_LABEL(0.0);

        final double sd;

        Shape(double sd) {
            this.sd = sd;
        }

        boolean categorical() {
            return this == CATEGORICAL_RARE || this == OUTPUT_LABEL;
        }

        double mean() {
            return switch (this) {
                case LOGNORMAL -> Math.exp(0.5);
                case INTEGER_TIES -> 3.0;
                case MOSTLY_CONSTANT -> 0.15;
                case CONSTANT -> 1.0;
                case OUTPUT_SCORE -> 0.5;
                default -> 0.0;
            };
        }
    }

    /** A change applied to a subject from a given window on. */
    enum Change {
        NONE("stationary", Shape.NORMAL),
        MEAN_025("mean +0.25 sd (normal)", Shape.NORMAL),
        MEAN_025_LOGNORMAL("mean +0.25 sd (lognormal)", Shape.LOGNORMAL),
        MEAN_010("mean +0.1 sd, persistent (normal)", Shape.NORMAL),
        MEAN_010_REF_5000("mean +0.1 sd, persistent (normal), reference of 5,000 rows", Shape.NORMAL, 5000),
        MEAN_010_REF_20000("mean +0.1 sd, persistent (normal), reference of 20,000 rows", Shape.NORMAL, 20_000),
        VARIANCE_15("variance x1.5 (normal)", Shape.NORMAL),
        CATEGORY("category 10% -> 25% (rare-category feature)", Shape.CATEGORICAL_RARE),
        CATEGORY_SMALL("category 10% -> 12.5%, persistent (rare-category feature)", Shape.CATEGORICAL_RARE),
        CONSTANT_MOVES("constant reference, 10% of values move", Shape.CONSTANT);

        final String label;
        final Shape target;
        /** The reference's size; 0 draws it from 5,000-20,000 as for every other subject. */
        final int referenceRows;

        Change(String label, Shape target) {
            this(label, target, 0);
        }

        Change(String label, Shape target, int referenceRows) {
            this.label = label;
            this.target = target;
            this.referenceRows = referenceRows;
        }
    }

    /** Draws values of a shape, changed or not. */
    static double numeric(Shape shape, SplittableRandom r, Change change) {
        double v = switch (shape) {
            case NORMAL -> r.nextGaussian();
            case LOGNORMAL -> Math.exp(r.nextGaussian());
            case BIMODAL -> (r.nextBoolean() ? -2 : 2) + r.nextGaussian();
            case INTEGER_TIES -> poisson(r, 3.0);
            case MOSTLY_CONSTANT -> r.nextDouble() < 0.97 ? 0.0 : 5 + r.nextGaussian();
            case CONSTANT -> 1.0;
            case OUTPUT_SCORE -> 1 / (1 + Math.exp(-0.85 * r.nextGaussian()));
            default -> throw new IllegalArgumentException(shape.name());
        };
        if (change == Change.NONE || change.target != shape) {
            return v;
        }
        return switch (change) {
            case MEAN_025, MEAN_025_LOGNORMAL -> v + 0.25 * shape.sd;
            case MEAN_010, MEAN_010_REF_5000, MEAN_010_REF_20000 -> v + 0.1 * shape.sd;
            case VARIANCE_15 -> shape.mean() + (v - shape.mean()) * Math.sqrt(1.5);
            case CONSTANT_MOVES -> r.nextDouble() < 0.1 ? 2.0 : v;
            default -> v;
        };
    }

    static String categorical(Shape shape, SplittableRandom r, Change change) {
        if (shape == Shape.OUTPUT_LABEL) {
            return pick(r, LABELS, LABEL_P);
        }
        if (change == Change.CATEGORY || change == Change.CATEGORY_SMALL) {
            double moved = change == Change.CATEGORY ? 0.25 : 0.125;
            double[] p = CATEGORY_P.clone();
            for (int i = 0; i < p.length; i++) {
                p[i] = i == 3 ? moved : p[i] * (1 - moved) / 0.90;
            }
            return pick(r, CATEGORIES, p);
        }
        return pick(r, CATEGORIES, CATEGORY_P);
    }

    private static String pick(SplittableRandom r, String[] values, double[] p) {
        double u = r.nextDouble();
        for (int i = 0; i < values.length - 1; i++) {
            u -= p[i];
            if (u < 0) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }

    private static int poisson(SplittableRandom r, double mean) {
        double limit = Math.exp(-mean);
        double prod = r.nextDouble();
        int k = 0;
        while (prod > limit) {
            prod *= r.nextDouble();
            k++;
        }
        return k;
    }

    /** One subject of one simulated stream, with the state of each rule. */
    static final class Subject {
        final Shape shape;
        final String name;
        final NumericBaseline numeric;
        final CategoricalBaseline categorical;
        final double refMean;
        final double refSd;
        PersistenceState persistence = PersistenceState.initial();
        EvidenceState evidence = EvidenceState.initial();
        boolean ksFiring;
        double cusumUp;
        double cusumDown;

        Subject(Shape shape, SplittableRandom r) {
            this(shape, r, 0);
        }

        Subject(Shape shape, SplittableRandom r, int referenceRows) {
            this.shape = shape;
            this.name = shape.name().toLowerCase(Locale.ROOT);
            int drawn = 5000 + r.nextInt(15001);
            int n = referenceRows > 0 ? referenceRows : drawn;
            if (shape.categorical()) {
                String[] ref = new String[n];
                for (int i = 0; i < n; i++) {
                    ref[i] = categorical(shape, r, Change.NONE);
                }
                categorical = CategoricalBaseline.fromSample(ref, "sim", null, null);
                numeric = null;
                refMean = 0;
                refSd = 0;
            } else {
                double[] ref = new double[n];
                for (int i = 0; i < n; i++) {
                    ref[i] = numeric(shape, r, Change.NONE);
                }
                numeric = NumericBaseline.fromSample(ref, 10, NumericGrid.DEFAULT_RESOLUTION, "sim", null, null);
                categorical = null;
                refMean = numeric.reference().mean();
                refSd = numeric.reference().populationStd();
            }
        }
    }

    /** What each rule said about one window of one subject. */
    record Outcome(Transition driftwatch, Judgement judgement, boolean ksFired, boolean cusumFired) {
    }

    static Outcome window(Subject s, SplittableRandom r, Change change, AlertPolicy policy) {
        ColumnComparison comparison;
        WindowEvidence evidence;
        double cusumScore;
        if (s.numeric != null) {
            NumericSummary w = s.numeric.newWindow();
            for (int i = 0; i < WINDOW; i++) {
                w.add(numeric(s.shape, r, change));
            }
            comparison = SummaryComparisons.numeric(s.numeric, w);
            evidence = SummaryEvidence.numeric(s.numeric, w, comparison);
            cusumScore = s.refSd > 0 ? (w.mean() - s.refMean) / (s.refSd / Math.sqrt(WINDOW)) : 0.0;
        } else {
            CategoricalSummary w = s.categorical.newWindow();
            for (int i = 0; i < WINDOW; i++) {
                w.add(categorical(s.shape, r, change));
            }
            comparison = SummaryComparisons.categorical(s.categorical, w);
            evidence = SummaryEvidence.categorical(s.categorical, w);
            TestResult chi = comparison.test(DriftTests.CHI_SQUARE);
            cusumScore = chi != null && chi.pValue() != null ? WindowEvidence.normalScore(chi.pValue()) : 0.0;
        }
        FeatureStatistics statistics = FeatureStatistics.of(s.name, new ArrayList<>(comparison.tests().values()));
        Judgement j = policy.judge(s.persistence, s.evidence, statistics, evidence);
        s.persistence = j.persistence();
        s.evidence = j.state();

        TestResult sig = comparison.test(s.numeric != null ? DriftTests.KS : DriftTests.CHI_SQUARE);
        boolean ksOver = sig != null && sig.pValue() != null && sig.pValue() < 0.05;
        boolean ksFired = ksOver && !s.ksFiring;
        s.ksFiring = ksOver;

        s.cusumUp = Math.max(0, s.cusumUp + cusumScore - 0.5);
        s.cusumDown = s.numeric != null ? Math.max(0, s.cusumDown - cusumScore - 0.5) : 0;
        boolean cusumFired = s.cusumUp >= 5 || s.cusumDown >= 5;
        if (cusumFired) {
            s.cusumUp = 0;
            s.cusumDown = 0;
        }
        return new Outcome(j.transition(), j, ksFired, cusumFired);
    }

    static final class Counts {
        long subjectWindows;
        long driftwatch;
        long ks;
        long cusum;
        long modelWindows;
        long datasetFirings;
        long insufficient;
        long firingWindows;
        final long[] byShape = new long[Shape.values().length];
        final long[] windowsByShape = new long[Shape.values().length];
    }

    static Counts stationary(int models, int windows, long seed, AlertPolicy policy) {
        Counts c = new Counts();
        for (int model = 0; model < models; model++) {
            SplittableRandom r = new SplittableRandom(seed * 1_000_003L + model);
            List<Subject> subjects = new ArrayList<>();
            for (Shape shape : Shape.values()) {
                subjects.add(new Subject(shape, r));
            }
            PersistenceState dataset = PersistenceState.initial();
            EvidenceState datasetEvidence = EvidenceState.initial();
            for (int t = 0; t < windows; t++) {
                List<Judgement> features = new ArrayList<>();
                for (Subject s : subjects) {
                    Outcome o = window(s, r, Change.NONE, policy);
                    c.subjectWindows++;
                    c.windowsByShape[s.shape.ordinal()]++;
                    if (o.driftwatch == Transition.FIRING) {
                        c.driftwatch++;
                        c.byShape[s.shape.ordinal()]++;
                    }
                    c.firingWindows += s.persistence.isFiring() ? 1 : 0;
                    c.ks += o.ksFired ? 1 : 0;
                    c.cusum += o.cusumFired ? 1 : 0;
                    if (s.shape != Shape.OUTPUT_SCORE && s.shape != Shape.OUTPUT_LABEL) {
                        features.add(o.judgement);
                    }
                }
                DatasetJudgement step = policy.judgeDataset(dataset, datasetEvidence, features);
                dataset = step.judgement().persistence();
                datasetEvidence = step.judgement().state();
                c.modelWindows++;
                c.datasetFirings += step.judgement().transition() == Transition.FIRING ? 1 : 0;
            }
            if (model % 10 == 9) {
                System.err.printf(Locale.ROOT, "stationary: %d of %d models%n", model + 1, models);
            }
        }
        return c;
    }

    /** Delays (1 = the first changed window; 0 = not detected within {@value #CHANGED}) of each rule. */
    static final class Delays {
        final int[] driftwatch;
        final int[] ks;
        final int[] cusum;
        int resolvedDuringChange;

        Delays(int replications) {
            driftwatch = new int[replications];
            ks = new int[replications];
            cusum = new int[replications];
        }
    }

    static Delays change(Change change, int replications, long seed, AlertPolicy policy) {
        Delays d = new Delays(replications);
        for (int rep = 0; rep < replications; rep++) {
            SplittableRandom r = new SplittableRandom(seed * 7_919L + change.ordinal() * 100_000L + rep);
            Subject s = new Subject(change.target, r, change.referenceRows);
            for (int t = 0; t < WARM_UP; t++) {
                window(s, r, Change.NONE, policy);
            }
            boolean firingAtChange = s.persistence.isFiring();
            for (int t = 1; t <= CHANGED; t++) {
                Outcome o = window(s, r, change, policy);
                if (d.driftwatch[rep] == 0 && (o.driftwatch == Transition.FIRING || firingAtChange)) {
                    d.driftwatch[rep] = t;
                }
                if (d.driftwatch[rep] != 0 && o.driftwatch == Transition.RESOLVED) {
                    d.resolvedDuringChange++;
                }
                if (d.ks[rep] == 0 && (o.ksFired || s.ksFiring && t == 1)) {
                    d.ks[rep] = t;
                }
                if (d.cusum[rep] == 0 && o.cusumFired) {
                    d.cusum[rep] = t;
                }
            }
        }
        return d;
    }

    static String delayRow(String rule, int[] delays) {
        int n = delays.length;
        int first = 0;
        int three = 0;
        int ten = 0;
        int[] found = Arrays.stream(delays).filter(x -> x > 0).sorted().toArray();
        for (int x : delays) {
            first += x == 1 ? 1 : 0;
            three += x > 0 && x <= 3 ? 1 : 0;
            ten += x > 0 ? 1 : 0;
        }
        String median = found.length * 2 > n ? String.valueOf(found[(n - 1) / 2]) : "> " + CHANGED;
        return String.format(Locale.ROOT, "| %s | %.1f %% | %.1f %% | %.1f %% | %s |", rule, 100.0 * first / n,
                100.0 * three / n, 100.0 * ten / n, median);
    }

    public static void main(String[] args) {
        int models = 120;
        int windows = 100;
        int replications = 300;
        long seed = 17;
        EvidenceRule rule = EvidenceRule.defaults();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--models" -> models = Integer.parseInt(args[i + 1]);
                case "--windows" -> windows = Integer.parseInt(args[i + 1]);
                case "--replications" -> replications = Integer.parseInt(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--fire-level" -> rule = EvidenceRule.of(Double.parseDouble(args[i + 1]), rule.resolveLevel(),
                        rule.resolveWindows(), rule.minSampleSize(), rule.sequentialLevel(), rule.effectFloor());
                case "--sequential-level" -> rule = EvidenceRule.of(rule.fireLevel(), rule.resolveLevel(),
                        rule.resolveWindows(), rule.minSampleSize(), Double.parseDouble(args[i + 1]), rule.effectFloor());
                default -> {
                    System.err.println("unknown option " + args[i] + "; expected --models, --windows, --replications,"
                            + " --seed, --fire-level or --sequential-level");
                    System.exit(2);
                }
            }
        }
        AlertPolicy policy = rule.equals(EvidenceRule.defaults()) ? AlertPolicy.defaults()
                : AlertPolicy.builder().evidence(rule).version("simulated").build();
        System.out.println("Policy: " + policy.evidence() + (policy == AlertPolicy.defaults() ? " (the defaults)" : ""));
        long start = System.nanoTime();
        Counts c = stationary(models, windows, seed, policy);
        System.out.printf(Locale.ROOT, "Stationary traffic: %,d subject-windows (%d models x %d windows x %d"
                + " subjects, %d events per window, references of 5,000-20,000 rows), seed %d%n%n",
                c.subjectWindows, models, windows, Shape.values().length, WINDOW, seed);
        System.out.println("| rule | false FIRING | per 10,000 subject-windows |");
        System.out.println("|---|---|---|");
        printRate("driftwatch default policy", c.driftwatch, c.subjectWindows);
        printRate("KS p < 0.05 per feature", c.ks, c.subjectWindows);
        printRate("CUSUM k=0.5 h=5 on the window mean", c.cusum, c.subjectWindows);
        System.out.printf(Locale.ROOT, "%nDataset-level FIRING (driftwatch): %d in %,d model-windows%n",
                c.datasetFirings, c.modelWindows);
        System.out.printf(Locale.ROOT, "driftwatch subject-windows spent firing on stationary traffic: %,d (%.3f %%)%n",
                c.firingWindows, 100.0 * c.firingWindows / c.subjectWindows);
        StringBuilder shapes = new StringBuilder("driftwatch false FIRING by shape:");
        for (Shape s : Shape.values()) {
            shapes.append(' ').append(s.name().toLowerCase(Locale.ROOT)).append('=').append(c.byShape[s.ordinal()]);
        }
        System.out.println(shapes);
        System.out.printf(Locale.ROOT, "%nDetection delay: %d replications per change, %d stationary windows then"
                + " %d changed windows; delay 1 = fired in the first changed window%n", replications, WARM_UP, CHANGED);
        for (Change change : Change.values()) {
            if (change == Change.NONE) {
                continue;
            }
            Delays d = change(change, replications, seed, policy);
            System.out.printf(Locale.ROOT, "%n%s%n%n", change.label);
            System.out.println("| rule | in window 1 | within 3 | within 10 | median delay |");
            System.out.println("|---|---|---|---|---|");
            System.out.println(delayRow("driftwatch", d.driftwatch));
            System.out.println(delayRow("KS p < 0.05", d.ks));
            System.out.println(delayRow("CUSUM", d.cusum));
            System.out.printf(Locale.ROOT, "driftwatch RESOLVED while the change lasted: %d%n", d.resolvedDuringChange);
        }
        System.out.printf(Locale.ROOT, "%n(%.0f s)%n", (System.nanoTime() - start) / 1e9);
    }

    private static void printRate(String rule, long firings, long windows) {
        System.out.printf(Locale.ROOT, "| %s | %,d | %.2f |%n", rule, firings, 1e4 * firings / windows);
    }
}
