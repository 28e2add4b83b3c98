package dev.driftwatch.streams.demo;

import dev.driftwatch.schemas.avro.DeploymentRole;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ModelOutputs;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Deterministic sample traffic of a click-through-rate model: six numeric features, three
 * categorical ones, and the model's score, confidence and label. A drift can be switched on for one
 * model version from a given time: {@code income} and {@code session_seconds} shift, {@code device}
 * moves towards mobile, and the outputs follow.
 */
public final class DemoTraffic {
    /** Features that the injected drift moves. */
    public static final Set<String> DRIFTING_FEATURES = Set.of("income", "session_seconds", "device");
    /** Outputs, which follow the drifted features. */
    public static final List<String> OUTPUTS = List.of("output.score", "output.confidence", "output.label");
    public static final List<String> NUMERIC = List.of("age", "income", "session_seconds", "pages_viewed",
            "days_since_visit", "basket_value");
    public static final List<String> CATEGORICAL = List.of("country", "device", "channel");
    private static final String[] COUNTRIES = {"US", "DE", "FR", "GB", "IN", "BR", "JP"};
    private static final double[] COUNTRY_WEIGHTS = {0.35, 0.15, 0.1, 0.12, 0.13, 0.1, 0.05};
    private static final String[] DEVICES = {"desktop", "mobile", "tablet"};
    private static final double[] DEVICE_WEIGHTS = {0.5, 0.4, 0.1};
    private static final double[] DRIFTED_DEVICE_WEIGHTS = {0.25, 0.7, 0.05};
    private static final String[] CHANNELS = {"search", "social", "email", "direct"};
    private static final double[] CHANNEL_WEIGHTS = {0.4, 0.3, 0.1, 0.2};

    private final SplittableRandom random;
    private long sequence;

    public DemoTraffic(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** One row of features and score; {@code drifted} applies the injected drift. */
    public Map<String, Object> row(boolean drifted) {
        Map<String, Object> row = new LinkedHashMap<>();
        double age = clamp(18, 90, 38 + 12 * gaussian());
        double income = Math.exp(10.8 + 0.5 * gaussian() + (drifted ? 0.45 : 0));
        double session = Math.exp(4.6 + 0.8 * gaussian()) * (drifted ? 1.8 : 1);
        double pages = Math.floor(Math.exp(1.4 + 0.6 * gaussian()));
        double days = Math.floor(-Math.log(1 - random.nextDouble()) * 9);
        double basket = Math.max(0, 60 + 25 * gaussian());
        row.put("age", Math.floor(age));
        row.put("income", Math.round(income * 100) / 100.0);
        row.put("session_seconds", Math.round(session * 10) / 10.0);
        row.put("pages_viewed", pages);
        row.put("days_since_visit", days);
        row.put("basket_value", Math.round(basket * 100) / 100.0);
        row.put("country", pick(COUNTRIES, COUNTRY_WEIGHTS));
        String device = pick(DEVICES, drifted ? DRIFTED_DEVICE_WEIGHTS : DEVICE_WEIGHTS);
        row.put("device", device);
        row.put("channel", pick(CHANNELS, CHANNEL_WEIGHTS));
        double logit = -2.2 + 0.35 * (Math.log(income) - 10.8) + 0.25 * Math.log1p(pages)
                + (device.equals("mobile") ? -0.3 : 0.1) + 0.3 * gaussian() - (drifted ? 0.6 : 0);
        double score = 1 / (1 + Math.exp(-logit));
        row.put("output.score", score);
        row.put("output.confidence", Math.abs(score - 0.5) * 2);
        row.put("output.label", score > 0.5 ? "click" : "no_click");
        return row;
    }

    /** An inference event for a row. */
    public InferenceEvent event(String model, String version, long eventTime, Map<String, Object> row) {
        Map<String, Double> numeric = new LinkedHashMap<>();
        Map<String, String> categorical = new LinkedHashMap<>();
        for (String f : NUMERIC) {
            numeric.put(f, (Double) row.get(f));
        }
        for (String f : CATEGORICAL) {
            categorical.put(f, (String) row.get(f));
        }
        double score = (Double) row.get("output.score");
        double confidence = (Double) row.get("output.confidence");
        String label = (String) row.get("output.label");
        String id = version + "-" + (sequence++);
        return InferenceEvent.newBuilder()
                .setEventId("evt-" + id)
                .setRequestId("req-" + id)
                .setModelId(model)
                .setModelVersion(version)
                .setRole(DeploymentRole.PRIMARY)
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .setNumericFeatures(numeric)
                .setCategoricalFeatures(categorical)
                .setOutputs(ModelOutputs.newBuilder().setScore(score).setLabel(label)
                        .setConfidence(confidence).build())
                .setLatencyMs(Math.round(Math.exp(3.5 + 0.4 * gaussian()) * 10) / 10.0)
                .setTokensIn(null)
                .setTokensOut(null)
                .setCost(0.0002)
                .setErrorCode(null)
                .setSegment(Map.of("country", (String) row.get("country")))
                .build();
    }

    /**
     * The event of a shadow version that scored a copy of {@code primary}'s request: the same request id,
     * event time, features and segment, role SHADOW, and a score that differs by a little noise (standard
     * deviation 0.01), with the confidence and label that follow from it and a latency of its own.
     */
    public InferenceEvent shadow(InferenceEvent primary, String version) {
        double score = Math.min(1, Math.max(0, primary.getOutputs().getScore() + 0.01 * gaussian()));
        return InferenceEvent.newBuilder(primary)
                .setEventId(primary.getEventId() + "-shadow-" + version)
                .setModelVersion(version)
                .setRole(DeploymentRole.SHADOW)
                .setOutputs(ModelOutputs.newBuilder().setScore(score).setLabel(score > 0.5 ? "click" : "no_click")
                        .setConfidence(Math.abs(score - 0.5) * 2).build())
                .setLatencyMs(Math.round(Math.exp(3.6 + 0.4 * gaussian()) * 10) / 10.0)
                .build();
    }

    private double gaussian() {
        // Box-Muller on the splittable generator (deterministic for a seed).
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private String pick(String[] values, double[] weights) {
        double u = random.nextDouble();
        double acc = 0;
        for (int i = 0; i < values.length; i++) {
            acc += weights[i];
            if (u < acc) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }

    private static double clamp(double lo, double hi, double v) {
        return Math.max(lo, Math.min(hi, v));
    }

}
