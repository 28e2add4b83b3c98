package dev.driftwatch.bench;

import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.streams.PipelineMetrics;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.Topics;
import dev.driftwatch.streams.app.SignalRegistry;
import dev.driftwatch.streams.config.DriftwatchConfig;
import dev.driftwatch.streams.drift.DriftSignal;
import dev.driftwatch.streams.internals.BaselineLookup;
import dev.driftwatch.streams.internals.EventSummarizer;
import dev.driftwatch.streams.internals.Signal;
import dev.driftwatch.streams.internals.WindowStateStore;
import dev.driftwatch.streams.ops.DriftwatchMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Stage one of the pipeline on one thread, without a broker: the CPU an event costs from its bytes to its
 * windows (decoding, validation, metrics, summarising, closing windows), next to decoding alone with the
 * same deserializer. The events are those of {@link EndToEndBench} (20 numeric and 5 categorical
 * features, 2 model versions, 20,000 events per one-minute window), serialised once and held in memory.
 *
 * Driftwatch's own meters are recorded as in the application.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar dev.driftwatch.bench.StageOneBench [EVENTS] [PASSES] [THREADS]
 * [drift|all] [decoder]} (defaults 1,000,000, 8, 1 and drift; {@code all}: every signal of the registry at its default
 * settings, as the application runs them; {@code decoder}: without the pass over the deserializer's events, for a
 * profile of stage one as the application runs it): every pass runs a fresh processor over the same records and prints the
 * nanoseconds per event of each side; the JIT has settled after the first few passes.
 *
 * <p>{@code [EVENTS] [PASSES] 1 parts}: what each part of stage one costs, measured in pairs on one thread under the
 * same load: every pass runs stage one with every signal of the registry and driftwatch's meters, then without the
 * meters, then without each signal in turn; at the end, for each, the median over the passes after the second of its
 * difference to the whole in the same pass (a machine shared with other work moves every figure of a pass together).
 */
public final class StageOneBench {
    private static final long WINDOW_MS = 60_000;
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    private static final List<String> VERSIONS = List.of("v1", "v2");

    public static void main(String[] args) {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int parallel = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        boolean allSignals = args.length > 3 && args[3].equals("all");
        boolean parts = args.length > 3 && args[3].equals("parts");
        boolean withDeserializer = !(args.length > 4 && args[4].equals("decoder"));
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("bootstrap.servers", "unused:9092");
        cfg.put("application.id", "stage-one-bench");
        cfg.put("schema.registry.url", "mock://stage-one-bench");
        cfg.put("window.size.ms", Long.toString(WINDOW_MS));
        cfg.put("window.grace.ms", "0");
        cfg.put("http.enabled", "false");
        DriftwatchConfig config = new DriftwatchConfig(cfg);
        // With driftwatch's own meters, as the application records them per event.
        PipelineSettings settings = config.pipelineSettings(1).withMetrics(new DriftwatchMetrics(
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), config.metricsMaxSeries()));
        Topics topics = Topics.defaults(Map.of("schema.registry.url", "mock://stage-one-bench"));
        Serializer<InferenceEvent> serializer = topics.events().valueSerde().serializer();

        byte[][] values = new byte[events][];
        byte[][] keys = new byte[events][];
        long[] times = new long[events];
        BenchTraffic t = new BenchTraffic(1);
        int perWindow = 20_000;
        for (int i = 0; i < events; i++) {
            int w = i / perWindow;
            int k = i % perWindow;
            long time = T0 + w * WINDOW_MS + (long) k * WINDOW_MS / perWindow;
            InferenceEvent e = t.event(VERSIONS.get(k % 2), time, false);
            values[i] = serializer.serialize(topics.events().name(), e);
            keys[i] = e.getRequestId().getBytes(StandardCharsets.UTF_8);
            times[i] = time;
        }
        Map<String, Baseline> baselines = BenchTraffic.baselines(VERSIONS);
        if (parts) {
            PipelineSettings noMeters = config.pipelineSettings(1).withMetrics(new PipelineMetrics() { });
            parts(passes, settings, noMeters, topics, values, keys, times, baselines);
            return;
        }
        System.out.printf(Locale.ROOT, "%,d events, %d passes, %d thread(s), %s%n", events, passes, parallel,
                allSignals ? "the registry's signals at their defaults" : "drift only");
        List<Thread> workers = new java.util.ArrayList<>();
        for (int w = 0; w < parallel; w++) {
            int worker = w;
            workers.add(new Thread(() -> passes(worker, events, passes, settings, topics, values, keys, times,
                    baselines, allSignals ? SignalRegistry.signals(settings) : List.of(new DriftSignal()), withDeserializer)));
        }
        workers.forEach(Thread::start);
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static long deadLetters(MockProcessorContext<String, EventSummarizer.Output> context) {
        return context.forwarded().stream().filter(f -> f.record().value().deadLetter() != null).count();
    }

    private static void passes(int worker, int events, int passes, PipelineSettings settings, Topics topics,
                               byte[][] values, byte[][] keys, long[] times, Map<String, Baseline> baselines,
                               List<Signal> signals, boolean withDeserializer) {
        Deserializer<InferenceEvent> deserializer = topics.events().valueSerde().deserializer();
        var threads = ManagementFactory.getThreadMXBean();
        for (int pass = 1; pass <= passes; pass++) {
            long cpu = threads.getCurrentThreadCpuTime();
            long check = 0;
            for (int i = 0; i < events; i++) {
                check += deserializer.deserialize(topics.events().name(), values[i]).getNumericFeatures().size();
            }
            double decode = (threads.getCurrentThreadCpuTime() - cpu) / (double) events;

            long[] checks = new long[1];
            double stageOne = stageOne(settings, topics, deserializer, values, keys, times, baselines, signals, checks);
            // The same, with the deserializer's events handed over: stage one as before EventDecoder
            Deserializer<InferenceEvent> wrapped = (topic, bytes) -> deserializer.deserialize(topic, bytes);
            double before = withDeserializer
                    ? stageOne(settings, topics, wrapped, values, keys, times, baselines, signals, checks) : Double.NaN;
            check += checks[0];
            System.out.printf(Locale.ROOT, "[%d] pass %d: decode %5.0f ns/event, stage one %5.0f ns/event"
                    + " (%.0f besides decoding); with the deserializer's events %5.0f ns/event  [%d]%n", worker, pass,
                    decode, stageOne, stageOne - decode, before, check);
        }
    }

    /** The {@code parts} mode (see the class comment). */
    private static void parts(int passes, PipelineSettings settings, PipelineSettings noMeters, Topics topics,
                              byte[][] values, byte[][] keys, long[] times, Map<String, Baseline> baselines) {
        Deserializer<InferenceEvent> deserializer = topics.events().valueSerde().deserializer();
        List<String> names = new ArrayList<>(List.of("everything", "without meters"));
        SignalRegistry.signals(settings).forEach(s -> names.add("without " + s.getClass().getSimpleName()));
        Map<String, List<Double>> differences = new LinkedHashMap<>();
        for (int pass = 1; pass <= passes; pass++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "pass %d:", pass));
            long[] checks = new long[1];
            double whole = 0;
            for (int v = 0; v < names.size(); v++) {
                PipelineSettings s = v == 1 ? noMeters : settings;
                List<Signal> signals = new ArrayList<>(SignalRegistry.signals(s));
                if (v >= 2) {
                    signals.remove(v - 2);
                }
                double ns = stageOne(s, topics, deserializer, values, keys, times, baselines, signals, checks);
                whole = v == 0 ? ns : whole;
                if (pass > 2) {
                    differences.computeIfAbsent(names.get(v), k -> new ArrayList<>()).add(ns - whole);
                }
                line.append(String.format(Locale.ROOT, " %s %.0f;", names.get(v), ns));
            }
            System.out.println(line + " ns/event  [" + checks[0] + "]");
        }
        differences.forEach((name, d) -> {
            Collections.sort(d);
            System.out.printf(Locale.ROOT, "%-40s median difference to everything %+6.0f ns/event (%d passes)%n", name,
                    d.get(d.size() / 2), d.size());
        });
    }

    /** One pass of a new summarizer over the events: its CPU time per event. */
    private static double stageOne(PipelineSettings settings, Topics topics, Deserializer<InferenceEvent> deserializer,
                                   byte[][] values, byte[][] keys, long[] times, Map<String, Baseline> baselines,
                                   List<Signal> signals, long[] check) {
        var threads = ManagementFactory.getThreadMXBean();
        int events = values.length;
        MockProcessorContext<String, EventSummarizer.Output> context = new MockProcessorContext<>();
        KeyValueStore<String, byte[]> global = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(BaselineLookup.STORE), Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        global.init(context.getStateStoreContext(), global);
        baselines.forEach((key, b) -> global.put(key,
                topics.baselines().valueSerde().serializer().serialize(topics.baselines().name(), b)));
        context.addStateStore(global);
        WindowStateStore windows = WindowStateStore.unlogged(Stores.inMemoryKeyValueStore(EventSummarizer.STORE));
        windows.init(context.getStateStoreContext(), windows);
        context.addStateStore(windows);
        EventSummarizer summarizer = new EventSummarizer(settings, deserializer,
                new BaselineLookup(topics.baselines()), signals);
        summarizer.init(context);
        context.setRecordMetadata(topics.events().name(), 0, 0);
        // the validation's guard against clock errors reads the wall clock (unset, the mock fails every event)
        context.setCurrentSystemTimeMs(System.currentTimeMillis());
        long deadLetters = 0;
        long cpu = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < events; i++) {
            summarizer.process(new Record<>(keys[i], values[i], times[i]));
            if ((i & 1023) == 0) {
                deadLetters += deadLetters(context);
                check[0] += context.forwarded().size();
                context.resetForwards();
            }
        }
        double perEvent = (threads.getCurrentThreadCpuTime() - cpu) / (double) events;
        deadLetters += deadLetters(context);
        check[0] += context.forwarded().size();
        if (deadLetters > 0) {
            // every event is valid: a dead letter means the bench measures the wrong path
            throw new IllegalStateException(deadLetters + " events went to the dead letters");
        }
        return perEvent;
    }
}
