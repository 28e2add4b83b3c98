package dev.driftwatch.streams.failure;

import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.streams.Topics;
import dev.driftwatch.streams.demo.DemoRun;
import dev.driftwatch.streams.demo.DemoTraffic;
import dev.driftwatch.streams.demo.SampleTraffic;
import dev.driftwatch.streams.internals.BaselineCodec;
import dev.driftwatch.streams.replay.EventFileWriter;
import dev.driftwatch.streams.replay.EventFormat;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Deterministic traffic for the failure tests: baselines of the demo's two model versions, then
 * windows of events of both versions with a drift injected into one of them for a span of windows
 * (so that it FIRES and RESOLVES), written to an events file that {@code driftwatch replay --close-windows}
 * publishes.
 */
final class FailureTraffic {
    static final String MODEL = DemoRun.MODEL;
    static final String STABLE = DemoRun.STABLE_VERSION;
    static final String DRIFTING = DemoRun.DRIFTING_VERSION;
    static final long T0 = Instant.parse("2026-11-01T09:00:00Z").toEpochMilli();
    static final long WINDOW_MS = 60_000;
    static final long GRACE_MS = 5_000;
    /** Window statistics per window and version: 6 numeric + 3 categorical features + 3 outputs. */
    static final int SUBJECTS = DemoRun.subjectsPerWindow();

    private FailureTraffic() {
    }

    static Map<String, Object> producerProps(String bootstrap) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return p;
    }

    /** Publishes the baselines of both versions from {@code trainingRows} rows each. */
    static void publishBaselines(String bootstrap, Topics topics, int trainingRows, long seed) {
        try (KafkaProducer<String, Baseline> producer = new KafkaProducer<>(producerProps(bootstrap),
                new StringSerializer(), topics.baselines().valueSerde().serializer())) {
            for (Baseline b : baselines(List.of(STABLE, DRIFTING), trainingRows, seed)) {
                producer.send(new ProducerRecord<>(topics.baselines().name(), key(b), b));
            }
            producer.flush();
        }
    }

    /** The baselines of the demo's features for {@code versions}, from {@code trainingRows} rows each. */
    static List<Baseline> baselines(List<String> versions, int trainingRows, long seed) {
        return SampleTraffic.baselines(MODEL, versions, seed, trainingRows, "failure-test");
    }

    /** The key of a baseline in its topic. */
    static String key(Baseline b) {
        return BaselineCodec.key(b.getModelId(), b.getModelVersion(), b.getFeature());
    }

    /** Generates events one at a time: both versions at each instant, drifted in {@code [driftFrom, driftTo)}. */
    static final class Generator {
        private final DemoTraffic stable;
        private final DemoTraffic drifting;
        private final int eventsPerWindow;
        private final int driftFrom;
        private final int driftTo;

        Generator(long seed, int eventsPerWindow, int driftFrom, int driftTo) {
            this.stable = new DemoTraffic(seed);
            this.drifting = new DemoTraffic(seed + 1);
            this.eventsPerWindow = eventsPerWindow;
            this.driftFrom = driftFrom;
            this.driftTo = driftTo;
        }

        long time(int window, int i) {
            return T0 + window * WINDOW_MS + (long) i * WINDOW_MS / eventsPerWindow;
        }

        InferenceEvent stable(int window, int i) {
            return stable.event(MODEL, STABLE, time(window, i), stable.row(false));
        }

        InferenceEvent drifting(int window, int i) {
            boolean drift = window >= driftFrom && window < driftTo;
            return drifting.event(MODEL, DRIFTING, time(window, i), drifting.row(drift));
        }

        /** An event of the stable version at {@code time}, e.g. to close windows. */
        InferenceEvent stableAt(long time) {
            return stable.event(MODEL, STABLE, time, stable.row(false));
        }
    }

    /**
     * Writes {@code windows} windows of both versions to an Avro events file, without closing events (a replay
     * with --close-windows sends them); returns the number of events written.
     */
    static long writeWindows(java.nio.file.Path file, int windows, Generator gen, int eventsPerWindow) {
        try (EventFileWriter w = EventFileWriter.create(file, EventFormat.AVRO)) {
            for (int win = 0; win < windows; win++) {
                for (int i = 0; i < eventsPerWindow; i++) {
                    w.write(gen.stable(win, i));
                    w.write(gen.drifting(win, i));
                }
            }
            return w.written();
        }
    }
}
