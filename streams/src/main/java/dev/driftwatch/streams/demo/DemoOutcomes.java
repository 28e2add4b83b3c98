package dev.driftwatch.streams.demo;

import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.BusinessMetrics;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.OutcomeEvent;
import dev.driftwatch.schemas.avro.OutcomeType;
import dev.driftwatch.streams.business.CtrBaseline;

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
 * impression 0.2 s after the inference), shown requests are clicked 2 s later with probability
 * {@value #CTR}, or {@value #DRIFTED_CTR} once the injected drift has started (the drifted traffic
 * clicks less), and a fifth of the clicks convert 5 s later with the basket value. Real traffic is
 * untidy, so some outcomes are too: about 1 % of impressions are sent twice, about 1 % of clicks
 * arrive before their impression, about 0.5 % of requests get a click without an impression, and a
 * few outcomes name requests that never existed.
 */
public final class DemoOutcomes {
    /** Click probability of a shown request. */
    public static final double CTR = 0.10;
    /** Click probability of a shown request of the drifting version after the drift. */
    public static final double DRIFTED_CTR = 0.055;
    private static final double SHOWN = 0.9;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    private final SplittableRandom random;
    private long orphans;

    public DemoOutcomes(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The outcomes of one inference, in the order they are sent. */
    public List<OutcomeEvent> of(InferenceEvent e, boolean drifted) {
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
        boolean clicked = random.nextDouble() < (drifted ? DRIFTED_CTR : CTR);
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
     * The CTR baseline of a model version: impressions and clicks of {@code rows} simulated requests
     * before any drift.
     */
    public static Baseline ctrBaseline(String model, String version, int rows, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long impressions = 0;
        long clicks = 0;
        for (int i = 0; i < rows; i++) {
            if (r.nextDouble() < SHOWN) {
                impressions++;
                if (r.nextDouble() < CTR) {
                    clicks++;
                }
            }
        }
        return CtrBaseline.toAvro(model, version, impressions, clicks, "demo:training-" + version, null, null, null);
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
