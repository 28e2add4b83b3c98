package dev.driftwatch.bench;

import dev.driftwatch.schemas.avro.DeploymentRole;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ModelOutputs;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Benchmark traffic: 20 numeric and 5 categorical features, a score; deterministic for a seed. */
final class BenchTraffic {
    static final int NUMERIC = 20;
    static final int CATEGORICAL = 5;
    private static final String[][] CATEGORIES = {
        {"a", "b", "c"}, {"us", "de", "fr", "gb", "in", "br"}, {"web", "ios", "android"},
        {"c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9"}, {"x", "y"}};

    private final SplittableRandom random;
    private long sequence;

    BenchTraffic(long seed) {
        random = new SplittableRandom(seed);
    }

    double numeric(int feature, boolean drifted) {
        double g = gaussian();
        double shift = drifted && feature == 0 ? 1.0 : 0.0;
        return switch (feature % 4) {
            case 0 -> g + shift;
            case 1 -> Math.exp(0.5 * g + shift);
            case 2 -> random.nextDouble() * 100 + shift * 30;
            default -> -Math.log(1 - random.nextDouble()) * 5 + shift * 5;
        };
    }

    String categorical(int feature) {
        String[] values = CATEGORIES[feature];
        return values[Math.min(values.length - 1, (int) Math.abs(gaussian() * values.length / 2.5))];
    }

    InferenceEvent event(String version, long time, boolean drifted) {
        Map<String, Double> numeric = new LinkedHashMap<>();
        for (int f = 0; f < NUMERIC; f++) {
            numeric.put("n" + f, numeric(f, drifted));
        }
        Map<String, String> categorical = new LinkedHashMap<>();
        for (int f = 0; f < CATEGORICAL; f++) {
            categorical.put("c" + f, categorical(f));
        }
        double score = 1 / (1 + Math.exp(-(gaussian() - 1)));
        String id = version + "-" + (sequence++);
        return InferenceEvent.newBuilder()
                .setEventId("e-" + id).setRequestId("r-" + id)
                .setModelId("bench-model").setModelVersion(version)
                .setRole(DeploymentRole.PRIMARY)
                .setEventTime(Instant.ofEpochMilli(time))
                .setNumericFeatures(numeric).setCategoricalFeatures(categorical)
                .setOutputs(ModelOutputs.newBuilder().setScore(score).setLabel(null).setConfidence(null).build())
                .setLatencyMs(20.0).setTokensIn(null).setTokensOut(null).setCost(null).setErrorCode(null)
                .setSegment(Map.of())
                .build();
    }

    private double gaussian() {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
