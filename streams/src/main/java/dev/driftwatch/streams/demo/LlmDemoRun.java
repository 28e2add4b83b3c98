package dev.driftwatch.streams.demo;

import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.BusinessMetrics;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.OutcomeEvent;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.Signals;
import dev.driftwatch.streams.Topics;
import dev.driftwatch.streams.app.DriftwatchTopology;
import dev.driftwatch.streams.business.BusinessSettings;
import dev.driftwatch.streams.embedding.EmbeddingSettings;
import dev.driftwatch.streams.internals.BaselineCodec;
import dev.driftwatch.streams.internals.OperationalSubjects;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The LLM scenario of {@code driftwatch demo --scenario llm}: baselines of the chat model ({@link LlmTraffic}) from
 * undrifted training calls, then windows of its traffic through the pipeline on a broker, the prompt mix shifting
 * from a given window on; the alerts come back as they fire. A share of the calls get user feedback
 * ({@link LlmFeedback}) on the outcome-events topic, joined by the business signal, whose negative-feedback rate is
 * tested against the baseline of the training calls' feedback.
 */
public final class LlmDemoRun {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    /**
     * What came out: the alerts, the window statistics read of the expected number, the feedback outcomes sent and
     * the windows' business metrics (in the order read).
     */
    public record Outcome(long eventsSent, List<DriftAlert> alerts, int windowStats, int expectedWindowStats,
                          Duration elapsed, long feedbackSent, List<BusinessMetrics> business) {
    }

    private final String bootstrapServers;
    private final PrintWriter out;

    public LlmDemoRun(String bootstrapServers, PrintWriter out) {
        this.bootstrapServers = bootstrapServers;
        this.out = out;
    }

    /**
     * The demo's embedding settings: the defaults at {@link #EMBEDDING_ALPHA}. At the default 0.01 each of the 5
     * windows before the shift drifts with probability 0.01 (the measured false-alarm rate, docs/signals.md), so
     * about 1 run in 20 would show a false {@code embedding.prompt} alert; at 0.001, 1 in 200. The shift itself
     * gives the smallest combined p-value (0.001 with B = 999), so it still alerts in its first window.
     */
    public static EmbeddingSettings embeddingSettings() {
        return new EmbeddingSettings(true, EMBEDDING_ALPHA, EmbeddingSettings.DEFAULT_MIN_SAMPLES,
                EmbeddingSettings.DEFAULT_MAX_NAMES, EmbeddingSettings.defaultFit());
    }

    /** {@code embedding.alpha} of the demo. */
    public static final double EMBEDDING_ALPHA = 0.001;

    /** Runs the plan (the topics must exist, the events' with {@code partitions} partitions). */
    public Outcome run(DemoRun.Plan plan, int partitions, Duration timeout) throws InterruptedException {
        long started = System.nanoTime();
        Topics topics = Topics.defaults(Map.of("schema.registry.url", "mock://demo-llm-" + UUID.randomUUID()));
        PipelineSettings settings = PipelineSettings.defaults(plan.windowSize()).withGrace(Duration.ofSeconds(5))
                .withInputPartitions(partitions).withSignals(Signals.none().with(new OperationalSubjects(true))
                        .with(BusinessSettings.enabled(DemoRun.JOIN_WINDOW).withJoinGrace(DemoRun.JOIN_GRACE))
                        .with(embeddingSettings()));
        say("fitting baselines of %s %s from %,d training calls (the prompt embedding: %d dimensions, bootstrap"
                + " null distributions)", LlmTraffic.MODEL, LlmTraffic.VERSION, plan.trainingRows(), LlmTraffic.DIMENSION);
        List<Baseline> baselines = new ArrayList<>(LlmTraffic.baselines(plan.seed(), plan.trainingRows(),
                EmbeddingSettings.defaultFit()));
        Baseline feedbackBaseline = LlmFeedback.baseline(plan.seed(), plan.trainingRows());
        baselines.add(feedbackBaseline);
        say("negative-feedback baseline from the training calls' feedback: %s", feedbackBaseline.getCategoryCounts());
        Path stateDir;
        try {
            stateDir = Files.createTempDirectory("driftwatch-demo-llm-state");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties props = new Properties();
        String applicationId = "driftwatch-demo-llm-" + UUID.randomUUID().toString().substring(0, 8);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // Wait for an outcome partition behind its calls, as the pipeline does with business outcomes on.
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, BusinessSettings.DEFAULT_MAX_TASK_IDLE_MS);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "driftwatch-demo-llm-reader-" + UUID.randomUUID());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<DriftAlert> alerts = new ArrayList<>();
        List<BusinessMetrics> business = new ArrayList<>();
        int[] stats = {0};
        int expected = plan.windows() * LlmTraffic.subjects().size();
        long sent = 0;
        long feedbackSent = 0;
        long t0 = Instant.parse("2026-11-01T09:00:00Z").toEpochMilli();
        long size = plan.windowSize().toMillis();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer());
             KafkaStreams streams = new KafkaStreams(DriftwatchTopology.build(settings, topics), props);
             KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                     new ByteArrayDeserializer())) {
            Serializer<Baseline> baselineSerializer = topics.baselines().valueSerde().serializer();
            for (Baseline b : baselines) {
                String key = BaselineCodec.key(b.getModelId(), b.getModelVersion(), b.getFeature());
                producer.send(new ProducerRecord<>(topics.baselines().name(), key,
                        baselineSerializer.serialize(topics.baselines().name(), b)));
            }
            producer.flush();
            streams.start();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (streams.state() != KafkaStreams.State.RUNNING) {
                if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
                    throw new IllegalStateException("the pipeline did not reach RUNNING (state " + streams.state() + ")");
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
            consumer.subscribe(List.of(topics.alerts().name(), topics.windowStats().name(),
                    topics.businessMetrics().name()));
            say("pipeline running (%d input partitions, %s windows); streaming traffic", partitions, plan.windowSize());
            LlmTraffic traffic = new LlmTraffic(plan.seed());
            LlmFeedback feedback = new LlmFeedback(plan.seed() + 2);
            Serializer<InferenceEvent> serializer = topics.events().valueSerde().serializer();
            Serializer<OutcomeEvent> outcomeSerializer = topics.outcomes().valueSerde().serializer();
            String topic = topics.events().name();
            String outcomeTopic = topics.outcomes().name();
            for (int w = 0; w < plan.windows(); w++) {
                boolean drift = w >= plan.driftFromWindow();
                for (int i = 0; i < plan.eventsPerWindow(); i++) {
                    long time = t0 + w * size + (long) i * size / plan.eventsPerWindow();
                    InferenceEvent e = traffic.event(time, drift);
                    producer.send(new ProducerRecord<>(topic, null, time, e.getRequestId(), serializer.serialize(topic, e)));
                    sent++;
                    for (OutcomeEvent o : feedback.of(e).stream().toList()) {
                        producer.send(new ProducerRecord<>(outcomeTopic, null, o.getEventTime().toEpochMilli(),
                                o.getRequestId(), outcomeSerializer.serialize(outcomeTopic, o)));
                        feedbackSent++;
                    }
                }
                producer.flush();
                drain(consumer, topics, alerts, stats, business, Duration.ofMillis(100));
                say("window %s-%s sent: %,d calls%s", CLOCK.format(Instant.ofEpochMilli(t0 + w * size)),
                        CLOCK.format(Instant.ofEpochMilli(t0 + (w + 1) * size)), plan.eventsPerWindow(),
                        drift ? "   <- prompt mix shifted: legal and medical topics, longer prompts, more refusals" : "");
            }
            // The last calls' feedback must be read before the closing events end their join.
            List<String> behind = DemoRun.awaitConsumed(bootstrapServers, applicationId, outcomeTopic,
                    Duration.ofSeconds(15));
            if (!behind.isEmpty()) {
                say("warning: %s was not consumed to its end (partition: committed offset / end): %s", outcomeTopic,
                        behind);
            }
            long closing = t0 + (plan.windows() + 1) * size + 10_000;
            for (int part = 0; part < partitions; part++) {
                InferenceEvent e = traffic.event(closing, false);
                producer.send(new ProducerRecord<>(topic, part, closing, e.getRequestId(), serializer.serialize(topic, e)));
                sent++;
            }
            producer.flush();
            while ((stats[0] < expected || business.size() < plan.windows()) && System.nanoTime() < deadline) {
                drain(consumer, topics, alerts, stats, business, Duration.ofMillis(200));
            }
            drain(consumer, topics, alerts, stats, business, Duration.ofMillis(500));
            streams.close(Duration.ofSeconds(20));
        } finally {
            try (var paths = Files.walk(stateDir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException ignored) {
                // a temporary folder left behind is harmless
            }
        }
        return new Outcome(sent, alerts, stats[0], expected, Duration.ofNanos(System.nanoTime() - started),
                feedbackSent, business);
    }

    private void drain(KafkaConsumer<String, byte[]> consumer, Topics topics, List<DriftAlert> alerts, int[] stats,
                       List<BusinessMetrics> business, Duration wait) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(wait)) {
            if (r.topic().equals(topics.businessMetrics().name())) {
                BusinessMetrics m = topics.businessMetrics().valueSerde().deserializer().deserialize(r.topic(),
                        r.headers(), r.value());
                if (m != null && m.getModelId().equals(LlmTraffic.MODEL)) {
                    business.add(m);
                    out.println("  " + describe(m));
                    out.flush();
                }
            } else if (r.topic().equals(topics.alerts().name())) {
                DriftAlert a = topics.alerts().valueSerde().deserializer().deserialize(r.topic(), r.headers(), r.value());
                alerts.add(a);
                out.printf(Locale.ROOT, "  %-8s %-8s %-18s %-16s %s=%.4g (p %.4f)  [window %s-%s]%n",
                        a.getState() == AlertState.FIRING ? "FIRING" : "RESOLVED", a.getSeverity(), a.getSubject(),
                        a.getSubjectKind(), a.getTest().name().toLowerCase(Locale.ROOT), a.getStatistic(),
                        a.getPValue() == null ? Double.NaN : a.getPValue(), CLOCK.format(a.getWindowStart()),
                        CLOCK.format(a.getWindowEnd()));
                out.flush();
            } else {
                WindowStats s = topics.windowStats().valueSerde().deserializer().deserialize(r.topic(), r.headers(),
                        r.value());
                if (s != null) {
                    stats[0]++;
                }
            }
        }
    }

    /** One line of a window's feedback for the demo's output. */
    public static String describe(BusinessMetrics m) {
        return String.format(Locale.ROOT, "feedback [window %s-%s] %d up, %d down: negative rate %s (baseline %s%s)",
                CLOCK.format(m.getWindowStart()), CLOCK.format(m.getWindowEnd()), m.getFeedbackPositiveCount(),
                m.getFeedbackNegativeCount(), rate(m.getNegativeFeedbackRate()), rate(m.getBaselineNegativeFeedbackRate()),
                m.getNegativeFeedbackRelativeRise() == null ? ""
                        : String.format(Locale.ROOT, ", %+.0f %%", 100 * m.getNegativeFeedbackRelativeRise()));
    }

    private static String rate(Double r) {
        return r == null ? "-" : String.format(Locale.ROOT, "%.4f", r);
    }

    private void say(String format, Object... args) {
        out.printf("driftwatch demo: " + format + "%n", args);
        out.flush();
    }
}
