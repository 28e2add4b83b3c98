package dev.driftwatch.streams.demo;

import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.BusinessMetrics;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.OutcomeEvent;
import dev.driftwatch.schemas.avro.OutcomeType;
import dev.driftwatch.streams.business.CtrBaseline;
import dev.driftwatch.streams.performance.PerformanceBaseline;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic outcome events for the demo's inferences: 90 % of the requests are shown (an
 * impression 0.2 s after the inference), shown requests are clicked 2 s later with a click probability,
 * and a fifth of the clicks convert 5 s later with the basket value. With {@link #scored} (the demo's), the
 * click probability is the model's score (a calibrated model: about {@value #SCORED_CTR} on the demo's
 * traffic) until the injected drift starts; then the drifted traffic clicks less (about {@value #DRIFTED_CTR})
 * and its clicks follow a propensity that the model's score no longer follows: the score loses its
 * calibration and its ranking. With {@link #of} the click probability is {@value #CTR}, or {@value #DRIFTED_CTR}
 * once the drift has started, whatever the score. Real traffic is
 * untidy, so some outcomes are too: about 1 % of impressions are sent twice, about 1 % of clicks
 * arrive before their impression, about 0.5 % of requests get a click without an impression, and a
 * few outcomes name requests that never existed.
 */
public final class DemoOutcomes {
    /** Click probability of a shown request. */
    public static final double CTR = 0.10;
    /** Click probability of a shown request of the drifting version after the drift (on average, with scores). */
    public static final double DRIFTED_CTR = 0.055;
    /** The mean score of the demo's undrifted traffic: the CTR when clicks follow the scores. */
    public static final double SCORED_CTR = 0.14;
    /**
     * The drifted clicks' propensity: 1 / (1 + exp(−(A + B·Z + C·(logit(score) − M)))), Z standard normal: mostly
     * what the model does not see, and a little backwards from its score (the users it scores highest now click
     * least), so that the score's ROC AUC falls from about 0.62 to about 0.41.
     */
    private static final double DRIFTED_LOGIT_MEAN = -3.25;
    private static final double DRIFTED_LOGIT_SPREAD = 0.9;
    private static final double DRIFTED_SCORE_WEIGHT = -0.8;
    /** About the mean logit of the drifted version's scores after the drift. */
    private static final double DRIFTED_SCORE_LOGIT = -2.4;
    private static final double SHOWN = 0.9;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    private final SplittableRandom random;
    private long orphans;

    public DemoOutcomes(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The outcomes of one inference, in the order they are sent, clicked with a fixed probability. */
    public List<OutcomeEvent> of(InferenceEvent e, boolean drifted) {
        return outcomes(e, drifted ? DRIFTED_CTR : CTR);
    }

    /**
     * The outcomes of one inference whose clicks follow its score (the true click probability), or, once
     * {@code drifted}, a propensity of their own that the score does not follow (mean about {@value #DRIFTED_CTR}).
     */
    public List<OutcomeEvent> scored(InferenceEvent e, boolean drifted) {
        double score = e.getOutputs().getScore();
        return outcomes(e, drifted ? driftedPropensity(random, score) : score);
    }

    private static double driftedPropensity(SplittableRandom random, double score) {
        double u = 1 - random.nextDouble();
        double z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
        double s = Math.min(1 - 1e-9, Math.max(1e-9, score));
        double logit = Math.log(s / (1 - s));
        return 1 / (1 + Math.exp(-(DRIFTED_LOGIT_MEAN + DRIFTED_LOGIT_SPREAD * z
                + DRIFTED_SCORE_WEIGHT * (logit - DRIFTED_SCORE_LOGIT))));
    }

    private List<OutcomeEvent> outcomes(InferenceEvent e, double clickProbability) {
        List<OutcomeEvent> out = new ArrayList<>(4);
        long t = e.getEventTime().toEpochMilli();
        String id = e.getRequestId();
        if (random.nextDouble() >= SHOWN) {
            if (random.nextDouble() < 0.05) {
                out.add(outcome(id, OutcomeType.CLICK, t + 2_000, null)); // a click without an impression
            }
            return out;
        }
        OutcomeEvent impression = outcome(id, OutcomeType.IMPRESSION, t + 200, null);
        boolean clicked = random.nextDouble() < clickProbability;
        boolean clickFirst = clicked && random.nextDouble() < 0.1;
        if (!clickFirst) {
            out.add(impression);
        }
        if (random.nextDouble() < 0.01) {
            out.add(impression); // sent twice
        }
        if (clicked) {
            out.add(outcome(id, OutcomeType.CLICK, t + 2_000, null));
            if (clickFirst) {
                out.add(impression);
            }
            if (random.nextDouble() < 0.2) {
                double basket = (Double) e.getNumericFeatures().get("basket_value");
                out.add(outcome(id, OutcomeType.CONVERSION, t + 5_000, Math.round(basket * 100) / 100.0));
            }
        }
        return out;
    }

    /** An outcome for a request that never existed (its inference never comes). */
    public OutcomeEvent orphan(long time) {
        return outcome("req-never-" + (orphans++), OutcomeType.CLICK, time, null);
    }

    /**
     * The outcomes of a model version's training requests before any drift: each shown with probability 0.9 and,
     * shown, clicked with its score's probability.
     *
     * @param shownScores the scores of the shown requests
     * @param clicked     whether each was clicked
     */
    public record Training(double[] shownScores, boolean[] clicked) {
        /** Clicked impressions. */
        public long clicks() {
            long n = 0;
            for (boolean c : clicked) {
                n += c ? 1 : 0;
            }
            return n;
        }

        /** The CTR baseline of the model version: its impressions and clicks. */
        public Baseline ctrBaseline(String model, String version) {
            return CtrBaseline.toAvro(model, version, shownScores.length, clicks(), "demo:training-" + version, null,
                    null, null);
        }

        /** The performance baseline of the model version: its labelled scores (exact AUC), in {@code bins} bins. */
        public Baseline performanceBaseline(String model, String version, int bins) {
            return PerformanceBaseline.fromScores(model, version, shownScores, clicked, bins, "demo:training-" + version,
                    null, null);
        }
    }

    /** Simulates the outcomes of training requests of {@code scores} (see {@link Training}). */
    public static Training training(double[] scores, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] shown = new double[scores.length];
        boolean[] clicked = new boolean[scores.length];
        int n = 0;
        for (double score : scores) {
            if (r.nextDouble() < SHOWN) {
                clicked[n] = r.nextDouble() < score;
                shown[n++] = score;
            }
        }
        return new Training(java.util.Arrays.copyOf(shown, n), java.util.Arrays.copyOf(clicked, n));
    }

    /** One line of a window's business metrics for the demo's output. */
    public static String describe(BusinessMetrics m) {
        String ctr = m.getCtr() == null ? "   -  " : String.format(Locale.ROOT, "%.4f", m.getCtr());
        String vs = m.getBaselineCtr() == null ? "" : String.format(Locale.ROOT, " (baseline %.4f, %+.0f %%)",
                m.getBaselineCtr(), m.getCtrRelativeDrop() == null ? 0.0 : -100 * m.getCtrRelativeDrop());
        return String.format(Locale.ROOT, "business %s %s [window %s-%s] CTR %s%s  impressions %d clicks %d"
                        + " conversions %d | duplicates %d, clicks before impression %d, clicks without impression %d,"
                        + " unmatched %d, late %d",
                m.getModelId(), m.getModelVersion(), CLOCK.format(m.getWindowStart()), CLOCK.format(m.getWindowEnd()),
                ctr, vs, m.getImpressionCount(), m.getClickCount(), m.getConversionCount(), m.getDuplicateOutcomes(),
                m.getClicksBeforeImpression(), m.getClicksWithoutImpression(), m.getUnmatchedOutcomes(),
                m.getLateOutcomes());
    }

    private static OutcomeEvent outcome(String requestId, OutcomeType type, long time, Double value) {
        return OutcomeEvent.newBuilder().setRequestId(requestId).setType(type).setValue(value)
                .setEventTime(Instant.ofEpochMilli(time)).setAttributes(Map.of()).build();
    }
}
