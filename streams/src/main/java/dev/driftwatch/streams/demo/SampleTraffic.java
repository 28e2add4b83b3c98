package dev.driftwatch.streams.demo;

import dev.driftwatch.detectors.summary.CategoricalBaseline;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.streams.internals.BaselineCodec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The demo's sample traffic as a finite, deterministic sequence: for each window, events of the stable
 * and the drifting version interleaved in event-time order (drift injected into
 * {@link DemoRun#DRIFTING_VERSION} from a given window), and the baselines of both versions from
 * training rows of the same generator. Used by {@code driftwatch sample} and the replay tests.
 */
public final class SampleTraffic {
    /**
     * What to generate.
     *
     * @param windows          event-time windows, &ge; 1
     * @param eventsPerWindow  events per window and model version, &ge; 1
     * @param driftFromWindow  first window with the injected drift (&ge; windows for none)
     * @param windowSize       event-time window size
     * @param startMillis      event time of the first window's start (epoch ms)
     * @param seed             random seed
     */
    public record Plan(int windows, int eventsPerWindow, int driftFromWindow, Duration windowSize, long startMillis,
                       long seed) {
        public Plan {
            if (windows < 1 || eventsPerWindow < 1 || driftFromWindow < 0) {
                throw new IllegalArgumentException("windows and events per window must be >= 1 and the drift window"
                        + " >= 0, got " + windows + ", " + eventsPerWindow + ", " + driftFromWindow);
            }
            if (windowSize.toMillis() <= 0) {
                throw new IllegalArgumentException("window size must be positive, got " + windowSize);
            }
        }

        /** Event time just past the last window. */
        public long endMillis() {
            return startMillis + windows * windowSize.toMillis();
        }
    }

    private SampleTraffic() {
    }

    /** Hands every event of the plan, in event-time order, to {@code sink}; returns how many. */
    public static long events(Plan plan, Consumer<InferenceEvent> sink) {
        DemoTraffic stable = new DemoTraffic(plan.seed());
        DemoTraffic drifting = new DemoTraffic(plan.seed() + 1);
        long size = plan.windowSize().toMillis();
        long n = 0;
        for (int w = 0; w < plan.windows(); w++) {
            boolean drift = w >= plan.driftFromWindow();
            for (int i = 0; i < plan.eventsPerWindow(); i++) {
                long time = plan.startMillis() + w * size + (long) i * size / plan.eventsPerWindow();
                sink.accept(stable.event(DemoRun.MODEL, DemoRun.STABLE_VERSION, time, stable.row(false)));
                sink.accept(drifting.event(DemoRun.MODEL, DemoRun.DRIFTING_VERSION, time, drifting.row(drift)));
                n += 2;
            }
        }
        return n;
    }

    /** Baselines of both versions from {@code trainingRows} undrifted rows each, 10 bins. */
    public static List<Baseline> baselines(long seed, int trainingRows) {
        return baselines(DemoRun.MODEL, List.of(DemoRun.STABLE_VERSION, DemoRun.DRIFTING_VERSION), seed, trainingRows,
                "sample");
    }

    /**
     * Baselines of the demo's features for {@code versions} of {@code model}, from {@code trainingRows} undrifted rows
     * each (a version's rows seeded from {@code seed} and its name), 10 bins, with the source
     * {@code <origin>:training-<version>}.
     */
    public static List<Baseline> baselines(String model, List<String> versions, long seed, int trainingRows,
                                           String origin) {
        List<Baseline> out = new ArrayList<>();
        for (String version : versions) {
            DemoTraffic training = new DemoTraffic(seed * 31 + version.hashCode());
            Map<String, double[]> numeric = new TreeMap<>();
            Map<String, String[]> categorical = new TreeMap<>();
            for (int i = 0; i < trainingRows; i++) {
                for (Map.Entry<String, Object> e : training.row(false).entrySet()) {
                    if (e.getValue() instanceof Double d) {
                        numeric.computeIfAbsent(e.getKey(), k -> new double[trainingRows])[i] = d;
                    } else {
                        categorical.computeIfAbsent(e.getKey(), k -> new String[trainingRows])[i] =
                                (String) e.getValue();
                    }
                }
            }
            String source = origin + ":training-" + version;
            numeric.forEach((subject, values) -> out.add(BaselineCodec.toAvro(model, version, subject,
                    NumericBaseline.fromSample(values, 10, NumericGrid.DEFAULT_RESOLUTION, source, null, null), null)));
            categorical.forEach((subject, values) -> out.add(BaselineCodec.toAvro(model, version, subject,
                    CategoricalBaseline.fromSample(values, source, null, null), null)));
        }
        return out;
    }
}
