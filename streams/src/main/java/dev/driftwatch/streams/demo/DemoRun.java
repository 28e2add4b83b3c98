package dev.driftwatch.streams.demo;

import dev.driftwatch.detectors.summary.CategoricalBaseline;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.BusinessMetrics;
import dev.driftwatch.schemas.avro.DeadLetter;
import dev.driftwatch.schemas.avro.DeploymentRole;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.OutcomeEvent;
import dev.driftwatch.schemas.avro.ReviewRequest;
import dev.driftwatch.schemas.avro.RoleComparison;
import dev.driftwatch.schemas.avro.RoleStatistic;
import dev.driftwatch.schemas.avro.ServiceLevels;
import dev.driftwatch.schemas.avro.SubjectKind;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.app.DriftwatchTopology;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.Signals;
import dev.driftwatch.streams.Topics;
import dev.driftwatch.streams.business.BusinessSettings;
import dev.driftwatch.streams.business.CtrBaseline;
import dev.driftwatch.streams.business.UnattributedOutcomes;
import dev.driftwatch.streams.internals.BaselineCodec;
import dev.driftwatch.streams.performance.PerformanceBaseline;
import dev.driftwatch.streams.performance.PerformanceSettings;
import dev.driftwatch.streams.performance.PerformanceSignal;
import dev.driftwatch.streams.quality.QualitySettings;
import dev.driftwatch.streams.review.ReviewSettings;
import dev.driftwatch.streams.roles.RoleSettings;
import dev.driftwatch.streams.slo.ServiceLevelSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
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
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One run of the pipeline against a broker: publishes baselines for two model versions, streams
 * windows of sample traffic with a drift injected into one version from a given window, and reads
 * back, with a read_committed consumer, the window statistics, alerts and dead letters. Used by
 * {@code driftwatch demo} and by the end-to-end integration test.
 */
public final class DemoRun {
    public static final String MODEL = "ctr-model";
    public static final String STABLE_VERSION = "1.4.0";
    public static final String DRIFTING_VERSION = "1.5.0";
    /** A shadow of {@link #STABLE_VERSION} that scores a copy of its requests (with {@link #withSignals}). */
    public static final String SHADOW_VERSION = "1.4.1";
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    /**
     * What to run.
     *
     * @param windows          event-time windows of traffic
     * @param eventsPerWindow  events per window and model version
     * @param driftFromWindow  first window of the injected drift (version 1.5.0 only)
     * @param windowSize       event-time window size
     * @param trainingRows     rows of the training sample behind each baseline
     * @param badRecords       unreadable records mixed into the traffic
     * @param seed             random seed
     */
    public record Plan(int windows, int eventsPerWindow, int driftFromWindow, Duration windowSize, int trainingRows,
                       int badRecords, long seed) {
    }

    /**
     * What came out; {@code business} is empty unless {@link #withOutcomes} switched outcomes on, and the
     * service levels, role comparisons and review copies are empty (0) unless {@link #withSignals} did.
     *
     * @param lowConfidenceSent valid events sent whose confidence is below the review threshold: each must
     *                          have given one review copy
     * @param reviewExample     the first review copy read, or null
     * @param performance       the model versions' performance records per window ({@link #withOutcomes}), the
     *                          shadow's left out (it has no outcomes)
     */
    public record Outcome(long eventsSent, List<DriftAlert> alerts, int windowStats, int expectedWindowStats,
                          List<DeadLetter> deadLetters, Duration elapsed, List<BusinessMetrics> business,
                          List<ServiceLevels> serviceLevels, List<RoleComparison> roleComparisons, long reviewCopies,
                          long lowConfidenceSent, ReviewRequest reviewExample, List<WindowStats> performance) {
    }

    /** How far apart an outcome and its inference may be in the demo (short, so that windows close soon). */
    public static final Duration JOIN_WINDOW = Duration.ofSeconds(20);
    /** The demo's join grace: a window's traffic is sent at once, so outcomes lag the inferences read ahead. */
    public static final Duration JOIN_GRACE = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final PrintWriter out;
    private final boolean verbose;
    private boolean outcomes;
    private boolean signals;
    private String applicationId;

    public DemoRun(String bootstrapServers, PrintWriter out, boolean verbose) {
        this.bootstrapServers = bootstrapServers;
        this.out = out;
        this.verbose = verbose;
    }

    /**
     * Also sends outcome events (impressions, clicks, conversions; the drifting version's CTR drops with
     * the drift), publishes CTR baselines and reads the business metrics back. The outcome-events topic
     * must then exist with as many partitions as inference-events, and the business-metrics topic too.
     */
    public DemoRun withOutcomes(boolean on) {
        this.outcomes = on;
        return this;
    }

    /**
     * Also shows the other signals: service levels per window and version, review copies of the events
     * whose confidence is below {@value ReviewSettings#DEFAULT_CONFIDENCE_THRESHOLD}, and a shadow version
     * ({@link #SHADOW_VERSION}) of the stable model that scores a copy of each of its requests with slightly
     * different scores, compared with it on every window. The service-levels, role-comparisons and review
     * topics must then exist.
     */
    public DemoRun withSignals(boolean on) {
        this.signals = on;
        return this;
    }

    /** The model versions whose windows are evaluated: the stable and drifting ones, and the shadow if shown. */
    public List<String> versions() {
        return signals ? List.of(STABLE_VERSION, DRIFTING_VERSION, SHADOW_VERSION)
                : List.of(STABLE_VERSION, DRIFTING_VERSION);
    }

    /** Runs the plan on topics with the default names. */
    public Outcome run(Plan plan, int partitions, Duration timeout) throws InterruptedException {
        return run(plan, partitions, timeout, "");
    }

    /**
     * Runs the plan; {@code topicSuffix} is appended to every topic name (the topics must exist, with
     * {@code partitions} partitions for the events).
     */
    public Outcome run(Plan plan, int partitions, Duration timeout, String topicSuffix) throws InterruptedException {
        long started = System.nanoTime();
        Map<String, Object> serdeConfig = Map.of("schema.registry.url", "mock://demo-" + UUID.randomUUID());
        Topics topics = Topics.of(serdeConfig, Topics.Names.defaults().withSuffix(topicSuffix));
        PipelineSettings settings = PipelineSettings.defaults(plan.windowSize())
                .withGrace(Duration.ofSeconds(5)).withInputPartitions(partitions);
        // Data quality is on by default (quality.enabled): the demo runs it too, and clean traffic must not alert.
        Signals on = Signals.none().with(QualitySettings.defaults());
        if (outcomes) {
            on = on.with(BusinessSettings.enabled(JOIN_WINDOW).withJoinGrace(JOIN_GRACE))
                    .with(PerformanceSettings.enabledWithDefaults());
        }
        if (signals) {
            // The shadow's event is sent with its primary's, so a join window as short as the grace suffices.
            on = on.with(ServiceLevelSettings.defaults())
                    .with(RoleSettings.defaults(true).withJoinWindow(Duration.ofSeconds(5)))
                    .with(new ReviewSettings(true, ReviewSettings.DEFAULT_CONFIDENCE_THRESHOLD));
        }
        settings = settings.withSignals(on);
        long t0 = Instant.parse("2026-11-01T09:00:00Z").toEpochMilli();
        long size = plan.windowSize().toMillis();

        say("publishing baselines of %s %s and %s%s from %,d training rows each", MODEL, STABLE_VERSION,
                DRIFTING_VERSION, signals ? " (and of " + STABLE_VERSION + "'s shadow " + SHADOW_VERSION + ")" : "", plan.trainingRows());
        publishBaselines(topics, plan);

        Path stateDir = tempDir();
        Properties props = new Properties();
        applicationId = "driftwatch-demo-" + UUID.randomUUID().toString().substring(0, 8);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        if (outcomes) {
            // Wait for an outcome partition behind its inferences, as the pipeline does by default with
            // business outcomes on: with 100 ms a loaded machine fetched outcomes more than the join window
            // and grace behind their inferences, and a window lost a third of its impressions.
            props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, BusinessSettings.DEFAULT_MAX_TASK_IDLE_MS);
        }

        int expected = 0;
        long sent;
        Results results;
        try (KafkaStreams streams = new KafkaStreams(DriftwatchTopology.build(settings, topics), props);
             KafkaConsumer<String, byte[]> consumer = resultsConsumer()) {
            streams.start();
            waitRunning(streams, timeout);
            List<String> read = new ArrayList<>(List.of(topics.alerts().name(), topics.windowStats().name(),
                    topics.deadLetters().name()));
            if (outcomes) {
                read.add(topics.businessMetrics().name());
            }
            if (signals) {
                read.addAll(List.of(topics.serviceLevels().name(), topics.roleComparisons().name(),
                        topics.review().name()));
            }
            consumer.subscribe(read);
            results = new Results(consumer, topics);
            say("pipeline running (exactly_once_v2, %d input partitions, %s windows); streaming traffic",
                    partitions, plan.windowSize());
            sent = produceTraffic(topics, plan, partitions, t0, size, results);
            int versions = versions().size();
            expected = plan.windows() * versions * subjectsPerWindow();
            long deadline = System.nanoTime() + timeout.toNanos();
            int expectedBusiness = outcomes ? plan.windows() * versions : 0;
            int expectedLevels = signals ? plan.windows() * versions : 0;
            int expectedComparisons = signals ? plan.windows() : 0;
            while ((results.windowStats < expected || results.deadLetters.size() < plan.badRecords()
                    || results.business.size() < expectedBusiness || results.serviceLevels.size() < expectedLevels
                    || results.roleComparisons.size() < expectedComparisons
                    || results.reviewCopies < results.lowConfidenceSent) && System.nanoTime() < deadline) {
                results.drain(Duration.ofMillis(200));
            }
            streams.close(Duration.ofSeconds(20));
        } finally {
            deleteQuietly(stateDir);
        }
        return new Outcome(sent, results.alerts, results.windowStats, expected, results.deadLetters,
                Duration.ofNanos(System.nanoTime() - started), results.business, results.serviceLevels,
                results.roleComparisons, results.reviewCopies, results.lowConfidenceSent, results.reviewExample,
                results.performance);
    }

    /** Window statistics per window and version: 6 numeric + 3 categorical features + 3 outputs. */
    public static int subjectsPerWindow() {
        return DemoTraffic.NUMERIC.size() + DemoTraffic.CATEGORICAL.size() + DemoTraffic.OUTPUTS.size();
    }

    private void publishBaselines(Topics topics, Plan plan) {
        try (KafkaProducer<String, Baseline> producer = new KafkaProducer<>(producerProps(),
                new StringSerializer(), topics.baselines().valueSerde().serializer())) {
            for (String version : versions()) {
                // The shadow is a retrained copy of the stable version: the same training sample.
                String trainedAs = version.equals(SHADOW_VERSION) ? STABLE_VERSION : version;
                DemoTraffic training = new DemoTraffic(plan.seed() * 31 + trainedAs.hashCode());
                double[] scores = new double[plan.trainingRows()];
                Map<String, double[]> numeric = new TreeMap<>();
                Map<String, String[]> categorical = new TreeMap<>();
                for (int i = 0; i < plan.trainingRows(); i++) {
                    Map<String, Object> row = training.row(false);
                    scores[i] = (Double) row.get("output.score");
                    for (Map.Entry<String, Object> e : row.entrySet()) {
                        if (e.getValue() instanceof Double d) {
                            numeric.computeIfAbsent(e.getKey(), k -> new double[plan.trainingRows()])[i] = d;
                        } else {
                            categorical.computeIfAbsent(e.getKey(), k -> new String[plan.trainingRows()])[i] =
                                    (String) e.getValue();
                        }
                    }
                }
                for (Map.Entry<String, double[]> e : numeric.entrySet()) {
                    NumericBaseline b = NumericBaseline.fromSample(e.getValue(), 10, NumericGrid.DEFAULT_RESOLUTION,
                            "demo:training-" + version, null, null);
                    producer.send(new ProducerRecord<>(topics.baselines().name(),
                            BaselineCodec.key(MODEL, version, e.getKey()),
                            BaselineCodec.toAvro(MODEL, version, e.getKey(), b, null)));
                }
                if (outcomes && !version.equals(SHADOW_VERSION)) {
                    // The training requests' clicks follow their scores: the CTR and performance references.
                    DemoOutcomes.Training clicks = DemoOutcomes.training(scores, plan.seed() * 37 + version.hashCode());
                    producer.send(new ProducerRecord<>(topics.baselines().name(),
                            BaselineCodec.key(MODEL, version, CtrBaseline.SUBJECT), clicks.ctrBaseline(MODEL, version)));
                    producer.send(new ProducerRecord<>(topics.baselines().name(),
                            BaselineCodec.key(MODEL, version, PerformanceBaseline.SUBJECT),
                            clicks.performanceBaseline(MODEL, version, PerformanceSettings.DEFAULT_BINS)));
                }
                for (Map.Entry<String, String[]> e : categorical.entrySet()) {
                    CategoricalBaseline b = CategoricalBaseline.fromSample(e.getValue(), "demo:training-" + version,
                            null, null);
                    producer.send(new ProducerRecord<>(topics.baselines().name(),
                            BaselineCodec.key(MODEL, version, e.getKey()),
                            BaselineCodec.toAvro(MODEL, version, e.getKey(), b, null)));
                }
            }
            producer.flush();
        }
    }

    /** Reads the pipeline's outputs as they are committed and prints alerts and dead letters. */
    private final class Results {
        private final KafkaConsumer<String, byte[]> consumer;
        private final Topics topics;
        final List<DriftAlert> alerts = new ArrayList<>();
        final List<DeadLetter> deadLetters = new ArrayList<>();
        final List<BusinessMetrics> business = new ArrayList<>();
        final List<ServiceLevels> serviceLevels = new ArrayList<>();
        final List<RoleComparison> roleComparisons = new ArrayList<>();
        final List<WindowStats> performance = new ArrayList<>();
        long reviewCopies;
        long lowConfidenceSent;
        ReviewRequest reviewExample;
        int windowStats;

        Results(KafkaConsumer<String, byte[]> consumer, Topics topics) {
            this.consumer = consumer;
            this.topics = topics;
        }

        void drain(Duration wait) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(wait)) {
                if (r.topic().equals(topics.alerts().name())) {
                    DriftAlert a = topics.alerts().valueSerde().deserializer().deserialize(r.topic(), r.headers(),
                            r.value());
                    alerts.add(a);
                    printAlert(a);
                } else if (r.topic().equals(topics.windowStats().name())) {
                    WindowStats s = topics.windowStats().valueSerde().deserializer().deserialize(r.topic(),
                            r.headers(), r.value());
                    if (SubjectKind.DATA_QUALITY.name().equals(s.getSubjectKind())) {
                        continue; // the data-quality record beside each drift record; only drift records are counted
                    }
                    if (s.getSubject().equals(PerformanceSignal.STATS_SUBJECT)) {
                        if (!s.getModelVersion().equals(SHADOW_VERSION)) { // a shadow has no outcomes
                            performance.add(s);
                            out.printf("  %s%n", describePerformance(s));
                        }
                        continue; // counted apart from the drift records
                    }
                    windowStats++;
                    if (verbose) {
                        out.printf("  stats %s %s %s n=%d drifting=%s%n", s.getModelVersion(), s.getSubject(),
                                CLOCK.format(s.getWindowStart()), s.getSampleSize(), s.getDrifting());
                    }
                } else if (r.topic().equals(topics.businessMetrics().name())) {
                    BusinessMetrics m = topics.businessMetrics().valueSerde().deserializer().deserialize(r.topic(),
                            r.headers(), r.value());
                    if (!UnattributedOutcomes.MODEL.equals(m.getModelId())) {
                        business.add(m); // the model versions' windows; the orphans' counts are only printed
                    }
                    if (!m.getModelVersion().equals(SHADOW_VERSION)) { // a shadow answers no caller: no outcomes
                        out.printf("  %s%n", DemoOutcomes.describe(m));
                    }
                } else if (r.topic().equals(topics.serviceLevels().name())) {
                    serviceLevels.add(topics.serviceLevels().valueSerde().deserializer().deserialize(r.topic(),
                            r.headers(), r.value()));
                } else if (r.topic().equals(topics.roleComparisons().name())) {
                    RoleComparison c = topics.roleComparisons().valueSerde().deserializer().deserialize(r.topic(),
                            r.headers(), r.value());
                    roleComparisons.add(c);
                    out.printf("  %s%n", describe(c));
                } else if (r.topic().equals(topics.review().name())) {
                    reviewCopies++;
                    if (reviewExample == null) {
                        reviewExample = topics.review().valueSerde().deserializer().deserialize(r.topic(),
                                r.headers(), r.value());
                    }
                } else {
                    DeadLetter d = topics.deadLetters().valueSerde().deserializer().deserialize(r.topic(),
                            r.headers(), r.value());
                    deadLetters.add(d);
                    out.printf("  dead letter  %s%n", d.getDetail());
                }
            }
            out.flush();
        }
    }

    private long produceTraffic(Topics topics, Plan plan, int partitions, long t0, long size, Results results) {
        DemoTraffic stable = new DemoTraffic(plan.seed());
        DemoTraffic drifting = new DemoTraffic(plan.seed() + 1);
        DemoTraffic shadow = new DemoTraffic(plan.seed() + 3);
        Serializer<InferenceEvent> serializer = topics.events().valueSerde().serializer();
        Serializer<OutcomeEvent> outcomeSerializer = topics.outcomes().valueSerde().serializer();
        DemoOutcomes outcomeTraffic = new DemoOutcomes(plan.seed() + 2);
        long sent = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps(), new StringSerializer(),
                new ByteArraySerializer())) {
            String topic = topics.events().name();
            for (int w = 0; w < plan.windows(); w++) {
                boolean drift = w >= plan.driftFromWindow();
                for (int i = 0; i < plan.eventsPerWindow(); i++) {
                    long time = t0 + w * size + (long) i * size / plan.eventsPerWindow();
                    InferenceEvent primary = stable.event(MODEL, STABLE_VERSION, time, stable.row(false));
                    List<InferenceEvent> events = new ArrayList<>(List.of(primary,
                            drifting.event(MODEL, DRIFTING_VERSION, time, drifting.row(drift))));
                    if (signals) {
                        events.add(shadow.shadow(primary, SHADOW_VERSION));
                    }
                    for (InferenceEvent e : events) {
                        producer.send(new ProducerRecord<>(topic, null, time, e.getRequestId(),
                                serializer.serialize(topic, e)));
                        sent++;
                        countLowConfidence(e, results);
                        if (outcomes && e.getRole() != DeploymentRole.SHADOW) {
                            boolean clicksLess = drift && e.getModelVersion().equals(DRIFTING_VERSION);
                            for (OutcomeEvent o : outcomeTraffic.scored(e, clicksLess)) {
                                sendOutcome(producer, topics, outcomeSerializer, o);
                            }
                        }
                    }
                    if (outcomes && i % 500 == 0) {
                        sendOutcome(producer, topics, outcomeSerializer, outcomeTraffic.orphan(time));
                    }
                    if (w == plan.windows() / 2 && i < plan.badRecords()) {
                        byte[] garbage = ("not avro #" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                        producer.send(new ProducerRecord<>(topic, null, time, "bad-" + i, garbage));
                    }
                }
                producer.flush();
                // Let the pipeline catch up with the previous window, so alerts show as the drift starts.
                int perWindow = versions().size() * subjectsPerWindow();
                int wanted = w * perWindow;
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                do {
                    results.drain(Duration.ofMillis(50));
                } while (results.windowStats < wanted - perWindow && System.nanoTime() < until);
                say("window %s-%s sent: %,d events per version%s", CLOCK.format(Instant.ofEpochMilli(t0 + w * size)),
                        CLOCK.format(Instant.ofEpochMilli(t0 + (w + 1) * size)), plan.eventsPerWindow(),
                        drift ? "   <- drift injected into " + DRIFTING_VERSION + ": "
                                + String.join(", ", new java.util.TreeSet<>(DemoTraffic.DRIFTING_FEATURES)) : "");
            }
            // Move every partition's stream time past the last window (and its grace) so it closes.
            if (outcomes) {
                // The last requests' outcomes must be read before the closing events end their join.
                awaitConsumed(topics.outcomes().name(), Duration.ofSeconds(15));
            }
            long closing = t0 + (plan.windows() + 1) * size + 10_000;
            for (int p = 0; p < partitions; p++) {
                InferenceEvent e = stable.event(MODEL, STABLE_VERSION, closing, stable.row(false));
                producer.send(new ProducerRecord<>(topic, p, closing, e.getRequestId(), serializer.serialize(topic, e)));
                sent++;
                countLowConfidence(e, results);
            }
            producer.flush();
        }
        return sent;
    }

    /** Counts an event the review topic must copy (confidence below the threshold), when review is on. */
    private void countLowConfidence(InferenceEvent e, Results results) {
        Double confidence = e.getOutputs().getConfidence();
        if (signals && confidence != null && confidence < ReviewSettings.DEFAULT_CONFIDENCE_THRESHOLD) {
            results.lowConfidenceSent++;
        }
    }

    /**
     * One line of a window's performance: realized (ROC AUC, calibration, log loss) beside the estimate from the
     * scores alone (CBPE's expected AUC) and the reference's.
     */
    public static String describePerformance(WindowStats s) {
        return String.format(Locale.ROOT, "perform. %s %s [window %s-%s] ROC AUC %s (estimated %s, reference %s),"
                        + " calibration %s (reference %s), log loss %s (reference %s), %d labelled%s",
                s.getModelId(), s.getModelVersion(), CLOCK.format(s.getWindowStart()), CLOCK.format(s.getWindowEnd()),
                value(s, "roc_auc"), value(s, "expected_roc_auc"), value(s, "reference_roc_auc"),
                value(s, "calibration"), value(s, "reference_calibration"), value(s, "log_loss"),
                value(s, "reference_log_loss"), s.getSampleSize(), s.getDrifting() ? "  DEGRADED" : "");
    }

    /** A window statistic's value, "n/a" when it is missing or undefined. */
    public static String value(WindowStats s, String test) {
        return s.getStatistics().stream().filter(t -> t.getTest().equals(test) && t.getValue() != null)
                .map(t -> String.format(Locale.ROOT, "%.3f", t.getValue())).findFirst().orElse("n/a");
    }

    /** One line for a shadow's comparison with its primary on one window. */
    public static String describe(RoleComparison c) {
        return String.format(Locale.ROOT, "shadow   %s %s vs primary %s [window %s-%s] %d paired, agreement %s,"
                        + " score PSI %s, KS D %s%s", c.getModelId(), c.getCandidateVersion(), c.getPrimaryVersion(),
                CLOCK.format(c.getWindowStart()), CLOCK.format(c.getWindowEnd()), c.getPairedRequests(),
                c.getAgreementRate() == null ? "n/a" : String.format(Locale.ROOT, "%.4f", c.getAgreementRate()),
                statistic(c, "PSI"), statistic(c, "KS"), c.getDiffers() ? "  DIFFERS" : "");
    }

    /** The value of a score statistic of a comparison, "n/a" when it is missing or undefined. */
    public static String statistic(RoleComparison c, String test) {
        return c.getStatistics().stream().filter(s -> s.getOutput().equals("output.score") && s.getTest().equals(test)
                        && s.getValue() != null).map(RoleStatistic::getValue).findFirst()
                .map(v -> String.format(Locale.ROOT, "%.4f", v)).orElse("n/a");
    }

    /**
     * Waits until the pipeline has committed its offsets to the end of {@code topic} (or the time is up):
     * the demo sends a window's traffic at once, faster than clicks would follow their inferences.
     */
    private void awaitConsumed(String topic, Duration timeout) {
        List<String> behind = awaitConsumed(bootstrapServers, applicationId, topic, timeout);
        if (!behind.isEmpty()) {
            say("warning: %s was not consumed to its end within %s (partition: committed offset / end): %s;"
                    + " outcomes read after the closing events are counted late", topic, timeout, behind);
        }
    }

    /**
     * Waits until the consumer group {@code applicationId} has committed its offsets to the end of {@code topic}
     * (or the time is up); returns the partitions still behind ({@link #unconsumed}), empty when none is.
     */
    static List<String> awaitConsumed(String bootstrapServers, String applicationId, String topic, Duration timeout) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            int count = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < count; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
            long deadline = System.nanoTime() + timeout.toNanos();
            Map<TopicPartition, OffsetAndMetadata> committed = Map.of();
            while (System.nanoTime() < deadline) {
                committed = admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get();
                if (unconsumed(ends, committed).isEmpty()) {
                    return List.of();
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
            return unconsumed(ends, committed);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the offsets of " + topic + ": " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** The partitions whose committed offset is short of their end, as "partition: committed / end". */
    static List<String> unconsumed(Map<TopicPartition, Long> ends, Map<TopicPartition, OffsetAndMetadata> committed) {
        List<String> behind = new ArrayList<>();
        new TreeMap<>(ends.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                e -> e.getKey().partition(), e -> e))).forEach((p, e) -> {
                    OffsetAndMetadata c = committed.get(e.getKey());
                    if (e.getValue() > 0 && (c == null || c.offset() < e.getValue())) {
                        behind.add(p + ": " + (c == null ? "none" : c.offset()) + " / " + e.getValue());
                    }
                });
        return behind;
    }

    private static void sendOutcome(KafkaProducer<String, byte[]> producer, Topics topics,
                                    Serializer<OutcomeEvent> serializer, OutcomeEvent o) {
        String topic = topics.outcomes().name();
        producer.send(new ProducerRecord<>(topic, null, o.getEventTime().toEpochMilli(), o.getRequestId(),
                serializer.serialize(topic, o)));
    }

    private void printAlert(DriftAlert a) {
        String marker = a.getState() == AlertState.FIRING ? "FIRING  " : "RESOLVED";
        String stat = a.getTest().name().toLowerCase(Locale.ROOT);
        if (a.getSubject().equals("*dataset*")) {
            out.printf("  %s %-8s %s %s  dataset: %s  [window %s-%s] %s%n", marker, a.getSeverity(), a.getModelId(),
                    a.getModelVersion(), a.getSummary() == null ? "" : a.getSummary(),
                    CLOCK.format(a.getWindowStart()), CLOCK.format(a.getWindowEnd()), a.getAlertId());
            return;
        }
        out.printf("  %s %-8s %s %s  %-18s %s=%.3f (warn %.2f)  n=%d  [window %s-%s] %s%s%n", marker, a.getSeverity(),
                a.getModelId(), a.getModelVersion(), a.getSubject(), stat, a.getStatistic(), a.getThreshold(),
                a.getCurrentSampleSize(), CLOCK.format(a.getWindowStart()), CLOCK.format(a.getWindowEnd()),
                a.getAlertId(), ctrContext(a));
    }

    /** The CTR of the alert's window against the baseline's, when the alert carries it. */
    private static String ctrContext(DriftAlert a) {
        var c = a.getBusinessContext();
        if (c == null || c.getCurrentCtr() == null) {
            return "";
        }
        return c.getBaselineCtr() == null ? String.format(Locale.ROOT, "  CTR %.4f", c.getCurrentCtr())
                : String.format(Locale.ROOT, "  CTR %.4f vs %.4f", c.getCurrentCtr(), c.getBaselineCtr());
    }

    private KafkaConsumer<String, byte[]> resultsConsumer() {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "driftwatch-demo-reader-" + UUID.randomUUID());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private Map<String, Object> producerProps() {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return p;
    }

    private static void waitRunning(KafkaStreams streams, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR
                    || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("the pipeline did not reach RUNNING (state " + streams.state() + ")");
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private void say(String format, Object... args) {
        out.printf("driftwatch demo: " + format + "%n", args);
        out.flush();
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("driftwatch-demo-state");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }
}
