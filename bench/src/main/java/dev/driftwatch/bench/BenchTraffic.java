package dev.driftwatch.bench;

import dev.driftwatch.detectors.summary.CategoricalBaseline;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.DeploymentRole;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ModelOutputs;
import dev.driftwatch.streams.internals.BaselineCodec;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
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
        return numeric(feature, drifted ? 0 : -1);
    }

    /** A value of numeric feature {@code feature}, shifted when it is {@code driftedFeature} (-1: none). */
    double numeric(int feature, int driftedFeature) {
        double g = gaussian();
        double shift = feature == driftedFeature ? 1.0 : 0.0;
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
        return event(version, time, drifted, NUMERIC, CATEGORICAL);
    }

    /**
     * An event with {@code numericCount} numeric features {@code n0..} and {@code categoricalCount} categorical
     * ones {@code c0..} (feature {@code cK} takes the categories of {@code c(K mod 5)}).
     */
    InferenceEvent event(String version, long time, boolean drifted, int numericCount, int categoricalCount) {
        return event(version, time, drifted ? 0 : -1, numericCount, categoricalCount);
    }

    /** An event of the bench's shape whose numeric feature {@code driftedFeature} is shifted (-1: none). */
    InferenceEvent event(String version, long time, int driftedFeature) {
        return event(version, time, driftedFeature, NUMERIC, CATEGORICAL);
    }

    private InferenceEvent event(String version, long time, int driftedFeature, int numericCount,
                                 int categoricalCount) {
        Map<String, Double> numeric = new LinkedHashMap<>();
        for (int f = 0; f < numericCount; f++) {
            numeric.put("n" + f, numeric(f, driftedFeature));
        }
        Map<String, String> categorical = new LinkedHashMap<>();
        for (int f = 0; f < categoricalCount; f++) {
            categorical.put("c" + f, categorical(f % CATEGORICAL));
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

    /**
     * The baselines of the bench model's versions, keyed as the baselines topic is: per version, a sample
     * of 20,000 values per feature from this traffic (seeded by the version's name).
     */
    static Map<String, Baseline> baselines(List<String> versions) {
        Map<String, Baseline> out = new LinkedHashMap<>();
        for (String version : versions) {
            BenchTraffic t = new BenchTraffic(version.hashCode());
            int n = 20_000;
            for (int f = 0; f < NUMERIC; f++) {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = t.numeric(f, false);
                }
                NumericBaseline b = NumericBaseline.fromSample(v, 10, NumericGrid.DEFAULT_RESOLUTION, "bench", null,
                        null);
                out.put(BaselineCodec.key("bench-model", version, "n" + f),
                        BaselineCodec.toAvro("bench-model", version, "n" + f, b, null));
            }
            for (int f = 0; f < CATEGORICAL; f++) {
                String[] v = new String[n];
                for (int i = 0; i < n; i++) {
                    v[i] = t.categorical(f);
                }
                CategoricalBaseline b = CategoricalBaseline.fromSample(v, "bench", null, null);
                out.put(BaselineCodec.key("bench-model", version, "c" + f),
                        BaselineCodec.toAvro("bench-model", version, "c" + f, b, null));
            }
        }
        return out;
    }

    private double gaussian() {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
