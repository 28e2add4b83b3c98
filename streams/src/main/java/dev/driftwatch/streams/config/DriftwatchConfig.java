package dev.driftwatch.streams.config;

import dev.driftwatch.detectors.DriftTest;
import dev.driftwatch.detectors.DriftTests;
import dev.driftwatch.detectors.policy.AlertPolicy;
import dev.driftwatch.detectors.policy.EvidenceRule;
import dev.driftwatch.detectors.policy.Threshold;
import dev.driftwatch.schemas.registry.Redaction;
import dev.driftwatch.schemas.serde.AvroSerdeConfig;
import dev.driftwatch.schemas.serde.AvroSerdes;
import dev.driftwatch.streams.ControlSettings;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.Signals;
import dev.driftwatch.streams.Topics;
import dev.driftwatch.streams.Validators;
import dev.driftwatch.streams.business.BusinessSettings;
import dev.driftwatch.streams.embedding.EmbeddingSettings;
import dev.driftwatch.streams.internals.OperationalSubjects;
import dev.driftwatch.streams.multivariate.MultivariateSettings;
import dev.driftwatch.streams.performance.LabelSettings;
import dev.driftwatch.streams.performance.PerformanceSettings;
import dev.driftwatch.streams.quality.QualitySettings;
import dev.driftwatch.streams.review.ReviewSettings;
import dev.driftwatch.streams.roles.RoleSettings;
import dev.driftwatch.streams.slo.ServiceLevelSettings;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The configuration of a driftwatch instance: connection, topic names, windows, limits and alert
 * policy, each key declared once below with its type, default, validator and documentation.
 *
 * <h2>Sources and precedence</h2>
 * Highest first: command-line flags of the command that has them (such as {@code --bootstrap-servers}),
 * then environment variables, then the {@code .properties} file, then the defaults. A key's
 * environment variable is {@code DRIFTWATCH_} followed by the key in upper case with dots as
 * underscores: {@code policy.psi.warning} is {@code DRIFTWATCH_POLICY_PSI_WARNING},
 * {@code kafka.security.protocol} is {@code DRIFTWATCH_KAFKA_SECURITY_PROTOCOL}. Keys whose names hold
 * an underscore or upper-case letters cannot be set this way. The launcher's own variables
 * {@code DRIFTWATCH_JAVA_OPTS}, {@code DRIFTWATCH_NO_REBUILD} and {@code DRIFTWATCH_JAR} are not settings.
 *
 * <h2>Kafka settings</h2>
 * Any key that starts with {@code kafka.} is handed to the Kafka Streams and client configuration with
 * the prefix removed ({@code kafka.security.protocol=SASL_SSL}); so are plain Kafka Streams, producer,
 * consumer and admin keys ({@code num.stream.threads}, {@code commit.interval.ms}, {@code replication.factor})
 * and their Streams prefixes ({@code producer.}, {@code consumer.}, {@code main.consumer.},
 * {@code restore.consumer.}, {@code global.consumer.}, {@code admin.}). When both forms set a key, the
 * {@code kafka.} one wins. Internal-topic settings need the {@code kafka.} form
 * ({@code kafka.topic.min.insync.replicas}) because {@code topic.} names driftwatch's topics.
 * {@code application.id}, {@code bootstrap.servers}, {@code processing.guarantee} and {@code state.dir}
 * are driftwatch keys: set them without the prefix.
 *
 * <h2>Serde settings</h2>
 * {@code schema.registry.*}, {@code basic.auth.*} and the Avro serde keys ({@code auto.register.schemas},
 * {@code use.latest.version}, {@code key.subject.name.strategy}, {@code value.subject.name.strategy},
 * {@code max.schemas.per.subject}, {@code avro.serde.class}) go to the serdes only ({@link #serdeConfig()}).
 *
 * <p>Other keys are unknown: each is logged as a warning and ignored. Values of secret keys
 * ({@link #isSecret}: names holding {@code password}, {@code secret}, {@code sasl.jaas.config},
 * {@code user.info}, {@code token}, ..., and Kafka's password settings) are never logged or printed, nor
 * is the password of a URL in any value ({@code http://user:[hidden]@host}); {@link #describe()} and
 * {@link #toString()} show them as {@code [hidden]}.
 */
public final class DriftwatchConfig extends AbstractConfig {
    private static final Logger LOG = LoggerFactory.getLogger(DriftwatchConfig.class);

    /** Prefix of the environment variables that set keys. */
    public static final String ENV_PREFIX = "DRIFTWATCH_";
    /** Prefix of keys passed, without it, to Kafka Streams and its clients. */
    public static final String KAFKA_PREFIX = "kafka.";
    /** How secret values are shown. */
    public static final String HIDDEN = Redaction.HIDDEN;

    // --- connection ----------------------------------------------------------------------------------

    public static final String BOOTSTRAP_SERVERS_CONFIG = StreamsConfig.BOOTSTRAP_SERVERS_CONFIG;
    public static final String BOOTSTRAP_SERVERS_DOC = "Kafka brokers to connect to, host:port[,host:port...]."
            + " Required by the commands that connect (run, and baseline unless --dry-run).";

    public static final String APPLICATION_ID_CONFIG = StreamsConfig.APPLICATION_ID_CONFIG;
    public static final String APPLICATION_ID_DOC = "Kafka Streams application id: the consumer group, the"
            + " transactional id prefix and the prefix of internal topics. Instances with the same id share the work.";
    public static final String DEFAULT_APPLICATION_ID = "driftwatch";

    public static final String SCHEMA_REGISTRY_URL_CONFIG = AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG;
    public static final String SCHEMA_REGISTRY_URL_DOC = "Schema registry for the Avro topics: http(s)://host:port,"
            + " or mock://<name> for an in-memory registry shared within one JVM (tests and the demo only:"
            + " another process cannot read what it wrote).";
    public static final String DEFAULT_SCHEMA_REGISTRY_URL = "mock://driftwatch";

    public static final String PROCESSING_GUARANTEE_CONFIG = StreamsConfig.PROCESSING_GUARANTEE_CONFIG;
    public static final String PROCESSING_GUARANTEE_DOC = "exactly_once_v2 (default) or at_least_once. With"
            + " at_least_once a failure can count events twice and repeat alerts; a warning is logged.";
    public static final String DEFAULT_PROCESSING_GUARANTEE = StreamsConfig.EXACTLY_ONCE_V2;

    public static final String STATE_DIR_CONFIG = StreamsConfig.STATE_DIR_CONFIG;
    public static final String STATE_DIR_DOC = "Folder of the local state stores; unset for Kafka Streams'"
            + " default (<java.io.tmpdir>/kafka-streams). Give each instance on a host its own folder.";

    // --- topics --------------------------------------------------------------------------------------

    public static final String TOPIC_INFERENCE_EVENTS_CONFIG = "topic.inference.events";
    public static final String TOPIC_INFERENCE_EVENTS_DOC = "Input topic of InferenceEvent records, keyed by request id.";
    public static final String DEFAULT_TOPIC_INFERENCE_EVENTS = Topics.EVENTS;

    public static final String TOPIC_BASELINES_CONFIG = "topic.baselines";
    public static final String TOPIC_BASELINES_DOC = "Compacted topic of Baseline records, keyed model/version/subject.";
    public static final String DEFAULT_TOPIC_BASELINES = Topics.BASELINES;

    public static final String TOPIC_WINDOW_STATS_CONFIG = "topic.window.stats";
    public static final String TOPIC_WINDOW_STATS_DOC = "Output topic of WindowStats records: every window's statistics.";
    public static final String DEFAULT_TOPIC_WINDOW_STATS = Topics.WINDOW_STATS;

    public static final String TOPIC_ALERTS_CONFIG = "topic.alerts";
    public static final String TOPIC_ALERTS_DOC = "Output topic of DriftAlert records (FIRING and RESOLVED).";
    public static final String DEFAULT_TOPIC_ALERTS = Topics.ALERTS;

    public static final String TOPIC_DLQ_CONFIG = "topic.dlq";
    public static final String TOPIC_DLQ_DOC = "Output topic of DeadLetter records: input that could not be used, with the reason.";
    public static final String DEFAULT_TOPIC_DLQ = Topics.DEAD_LETTERS;

    public static final String TOPIC_CONTROL_CONFIG = "topic.control";
    public static final String TOPIC_CONTROL_DOC = "Input topic of ControlCommand records, keyed by command id.";
    public static final String DEFAULT_TOPIC_CONTROL = Topics.CONTROL;

    public static final String TOPIC_CONTROL_RESULTS_CONFIG = "topic.control.results";
    public static final String TOPIC_CONTROL_RESULTS_DOC = "Output topic of ControlResult records, keyed by command"
            + " id: every command's answer, accepted or rejected with the reason.";
    public static final String DEFAULT_TOPIC_CONTROL_RESULTS = Topics.CONTROL_RESULTS;

    public static final String TOPIC_OUTCOME_EVENTS_CONFIG = "topic.outcome.events";
    public static final String TOPIC_OUTCOME_EVENTS_DOC = "Input topic of OutcomeEvent records (impressions, clicks,"
            + " conversions), keyed by request id; read only when business.enabled=true. It must have as many"
            + " partitions as the inference-events topic, so that a request's outcomes meet its inference.";
    public static final String TOPIC_BUSINESS_METRICS_CONFIG = "topic.business.metrics";
    public static final String TOPIC_BUSINESS_METRICS_DOC = "Output topic of BusinessMetrics records: windowed CTR"
            + " and conversion rate per model version.";
    public static final String TOPIC_SERVICE_LEVELS_CONFIG = "topic.service.levels";
    public static final String TOPIC_SERVICE_LEVELS_DOC = "Output topic of ServiceLevels records: latency"
            + " percentiles, error rate, tokens, cost and low-confidence share per model version and window.";
    public static final String TOPIC_ROLE_COMPARISONS_CONFIG = "topic.role.comparisons";
    public static final String TOPIC_ROLE_COMPARISONS_DOC = "Output topic of RoleComparison records: shadow and"
            + " canary versions against the primary on the same requests.";
    public static final String TOPIC_REVIEW_CONFIG = "topic.review";
    public static final String TOPIC_REVIEW_DOC = "Output topic of ReviewRequest records: inferences a person should"
            + " look at (e.g. confidence below review.confidence.threshold).";

    public static final String TOPIC_REPLICATION_FACTOR_CONFIG = "topic.replication.factor";
    public static final String TOPIC_REPLICATION_FACTOR_DOC = "Replication factor of the topics that"
            + " `run --create-topics` creates; -1 for the broker's default.";
    public static final int DEFAULT_TOPIC_REPLICATION_FACTOR = -1;

    // --- windows -------------------------------------------------------------------------------------

    public static final String WINDOW_SIZE_MS_CONFIG = PipelineSettings.WINDOW_SIZE_MS_CONFIG;
    public static final String WINDOW_SIZE_MS_DOC = "Event-time window size in milliseconds (5 minutes by default).";
    public static final long DEFAULT_WINDOW_SIZE_MS = 300_000L;

    public static final String WINDOW_ADVANCE_MS_CONFIG = PipelineSettings.WINDOW_ADVANCE_MS_CONFIG;
    public static final String WINDOW_ADVANCE_MS_DOC = "Hop of hopping windows in milliseconds: at most"
            + " window.size.ms and a divisor of it. 0 (default) means the window size: tumbling windows.";
    public static final long DEFAULT_WINDOW_ADVANCE_MS = 0L;

    public static final String WINDOW_GRACE_MS_CONFIG = "window.grace.ms";
    public static final String WINDOW_GRACE_MS_DOC = "How long after its end, in stream time, a window still"
            + " accepts late events; later events are counted as late and dropped.";
    public static final long DEFAULT_WINDOW_GRACE_MS = 60_000L;

    public static final String SEGMENT_ATTRIBUTE_CONFIG = "segment.attribute";
    public static final String SEGMENT_ATTRIBUTE_DOC = "Segment attribute of the events that splits every"
            + " window (e.g. region); empty (default) for none.";
    public static final String DEFAULT_SEGMENT_ATTRIBUTE = "";

    // --- limits --------------------------------------------------------------------------------------

    public static final String MAX_FEATURES_CONFIG = "max.features";
    public static final String MAX_FEATURES_DOC = "Most features one event may carry; an event with more goes to the DLQ.";
    public static final int DEFAULT_MAX_FEATURES = 1000;

    public static final String MAX_VALUE_LENGTH_CONFIG = "max.value.length";
    public static final String MAX_VALUE_LENGTH_DOC = "Longest categorical value, in characters: a longer feature"
            + " value or error code is truncated (its start, '#' and a hash of the whole value) and counted in"
            + " driftwatch_values_truncated_total; an event with a longer segment value or output label goes to the"
            + " DLQ.";
    public static final int DEFAULT_MAX_VALUE_LENGTH = 1024;

    public static final String MAX_FUTURE_SKEW_MS_CONFIG = "max.future.skew.ms";
    public static final String MAX_FUTURE_SKEW_MS_DOC = "How far ahead of the wall-clock time an event time may be,"
            + " in milliseconds, before the event goes to the DLQ as a clock error (one day by default; at least two"
            + " windows + grace + the business close delay). When a partition's stream time is ahead of the wall clock"
            + " (traffic stamped ahead of this machine's clock) the margin counts from stream time instead. A quiet"
            + " period of any length is not an error: live traffic after it is near the wall clock, and replayed or"
            + " analysed old traffic is behind it.";
    public static final long DEFAULT_MAX_FUTURE_SKEW_MS = 86_400_000L;

    public static final String INPUT_PARTITIONS_CONFIG = "input.partitions";
    public static final String INPUT_PARTITIONS_DOC = "Partitions of the inference-events topic; windows are"
            + " evaluated when every partition's watermark (or hand-on mark) has passed them. 0 (default): read"
            + " from the topic at start-up.";
    public static final int DEFAULT_INPUT_PARTITIONS = 0;

    public static final String BASELINE_CAPTURE_RETENTION_MS_CONFIG = "baseline.capture.retention.ms";
    public static final String BASELINE_CAPTURE_RETENTION_MS_DOC = "How long evaluated window summaries are kept"
            + " (by window end, in event time) so that a CAPTURE_BASELINE command can build baselines from them;"
            + " 0 keeps none.";
    public static final long DEFAULT_BASELINE_CAPTURE_RETENTION_MS = ControlSettings.DEFAULT_CAPTURE_RETENTION.toMillis();

    public static final String BASELINE_CAPTURE_MAX_WINDOWS_CONFIG = "baseline.capture.max.windows";
    public static final String BASELINE_CAPTURE_MAX_WINDOWS_DOC = "Most evaluated windows kept per model version"
            + " and segment for CAPTURE_BASELINE, whatever the retention (bounds the state).";
    public static final int DEFAULT_BASELINE_CAPTURE_MAX_WINDOWS = ControlSettings.DEFAULT_CAPTURE_MAX_WINDOWS;

    // --- policy --------------------------------------------------------------------------------------

    public static final String POLICY_VERSION_CONFIG = "policy.version";
    public static final String POLICY_VERSION_DOC = "Version of the alert policy, named by every alert. Change"
            + " it whenever a policy setting changes.";
    public static final String DEFAULT_POLICY_VERSION = AlertPolicy.DEFAULT_VERSION;

    public static final String POLICY_ALPHA_CONFIG = "policy.alpha";
    public static final String POLICY_ALPHA_DOC = "Significance level for the Benjamini-Hochberg adjusted "
            + String.join(" / ", DriftTests.all().stream().filter(DriftTest::isSignificanceGate).map(DriftTest::id)
                    .toList())
            + " p-values, in (0, 1); typically 0.01-0.05.";
    public static final double DEFAULT_POLICY_ALPHA = AlertPolicy.DEFAULT_ALPHA;

    public static final String POLICY_PERSISTENCE_M_CONFIG = "policy.persistence.m";
    public static final String POLICY_PERSISTENCE_M_DOC = "Drifted windows, among the last policy.persistence.n,"
            + " that make an alert fire; 1 <= m <= n.";
    public static final int DEFAULT_POLICY_PERSISTENCE_M = 1;

    public static final String POLICY_PERSISTENCE_N_CONFIG = "policy.persistence.n";
    public static final String POLICY_PERSISTENCE_N_DOC = "Windows looked at by the m-of-n persistence rule, 1-64.";
    public static final int DEFAULT_POLICY_PERSISTENCE_N = 1;

    public static final String POLICY_DATASET_DRIFT_SHARE_CONFIG = "policy.dataset.drift.share";
    public static final String POLICY_DATASET_DRIFT_SHARE_DOC = "Share of drifted features at or above which"
            + " the dataset drifts, in (0, 1].";
    public static final double DEFAULT_POLICY_DATASET_DRIFT_SHARE = AlertPolicy.DEFAULT_DATASET_DRIFT_SHARE;

    public static final String POLICY_DECIDING_TESTS_CONFIG = "policy.deciding.tests";
    public static final String POLICY_DECIDING_TESTS_DOC = "Effect-size tests whose warning threshold makes a"
            + " feature drift (with the significance gate); the others are reported only.";
    public static final String DEFAULT_POLICY_DECIDING_TESTS = String.join(",", DriftTests.effectSizes().stream()
            .filter(DriftTest::decidesByDefault).map(DriftTest::id).toList());

    public static final String POLICY_FIRE_LEVEL_CONFIG = "policy.fire.level";
    public static final String POLICY_FIRE_LEVEL_DOC = "Evidence of change, in standard-normal units, at which a"
            + " subject's window is over and its alert fires (with an effect size that matters); the default 4.5 holds"
            + " false FIRING under 1 per 10,000 subject-windows on stationary traffic (docs/policy.md). In (0, 40].";
    public static final double DEFAULT_POLICY_FIRE_LEVEL = EvidenceRule.DEFAULT_FIRE_LEVEL;

    public static final String POLICY_RESOLVE_LEVEL_CONFIG = "policy.resolve.level";
    public static final String POLICY_RESOLVE_LEVEL_DOC = "Evidence below which a window counts towards resolving"
            + " a firing alert (hysteresis); in [0, policy.fire.level).";
    public static final double DEFAULT_POLICY_RESOLVE_LEVEL = EvidenceRule.DEFAULT_RESOLVE_LEVEL;

    public static final String POLICY_RESOLVE_WINDOWS_CONFIG = "policy.resolve.windows";
    public static final String POLICY_RESOLVE_WINDOWS_DOC = "Windows in a row with evidence below"
            + " policy.resolve.level that resolve a firing alert, 1-64.";
    public static final int DEFAULT_POLICY_RESOLVE_WINDOWS = EvidenceRule.DEFAULT_RESOLVE_WINDOWS;

    public static final String POLICY_MIN_SAMPLE_SIZE_CONFIG = "policy.min.sample.size";
    public static final String POLICY_MIN_SAMPLE_SIZE_DOC = "Smallest window, in non-missing values of a subject,"
            + " that may fire or resolve its alert; smaller windows are reported as insufficient. The default 100"
            + " is where a half-standard-deviation shift or a category moving from 10% to 25% reaches the fire"
            + " level with 80% power.";
    public static final int DEFAULT_POLICY_MIN_SAMPLE_SIZE = EvidenceRule.DEFAULT_MIN_SAMPLE_SIZE;

    public static final String POLICY_PSI_WARNING_CONFIG = thresholdKey(DriftTests.PSI, "warning");
    public static final String POLICY_PSI_CRITICAL_CONFIG = thresholdKey(DriftTests.PSI, "critical");
    public static final String POLICY_KL_WARNING_CONFIG = thresholdKey(DriftTests.KL, "warning");
    public static final String POLICY_KL_CRITICAL_CONFIG = thresholdKey(DriftTests.KL, "critical");
    public static final String POLICY_JS_WARNING_CONFIG = thresholdKey(DriftTests.JS, "warning");
    public static final String POLICY_JS_CRITICAL_CONFIG = thresholdKey(DriftTests.JS, "critical");
    public static final String POLICY_WASSERSTEIN_WARNING_CONFIG = thresholdKey(DriftTests.WASSERSTEIN, "warning");
    public static final String POLICY_WASSERSTEIN_CRITICAL_CONFIG = thresholdKey(DriftTests.WASSERSTEIN, "critical");
    public static final String POLICY_THRESHOLD_DOC = "%s threshold of %s: a statistic at or above it is %s."
            + " Finite, >= 0; critical >= warning.";

    // --- operations ----------------------------------------------------------------------------------

    public static final String HTTP_ENABLED_CONFIG = "http.enabled";
    public static final String HTTP_ENABLED_DOC = "Whether `run` serves GET /metrics (Prometheus), /health/live,"
            + " /health/ready and /status over HTTP.";
    public static final boolean DEFAULT_HTTP_ENABLED = true;

    public static final String HTTP_BIND_ADDRESS_CONFIG = "http.bind.address";
    public static final String HTTP_BIND_ADDRESS_DOC = "Address the HTTP endpoints listen on: 127.0.0.1 (default,"
            + " this host only) or e.g. 0.0.0.0 in a container, for Prometheus and Kubernetes probes.";
    public static final String DEFAULT_HTTP_BIND_ADDRESS = "127.0.0.1";

    public static final String HTTP_PORT_CONFIG = "http.port";
    public static final String HTTP_PORT_DOC = "Port of the HTTP endpoints; 0 picks a free port (tests). With"
            + " several instances, set application.server=<host>:<this port> so that /status can ask the others.";
    public static final int DEFAULT_HTTP_PORT = 8080;

    public static final String METRICS_MAX_SERIES_CONFIG = "metrics.max.series";
    public static final String METRICS_MAX_SERIES_DOC = "Most driftwatch metric series whose tags come from the data"
            + " (model, version, subject); further series are dropped with a warning.";
    public static final int DEFAULT_METRICS_MAX_SERIES = 10_000;

    public static final String STATUS_REMOTE_TIMEOUT_MS_CONFIG = "status.remote.timeout.ms";
    public static final String STATUS_REMOTE_TIMEOUT_MS_DOC = "How long GET /status waits for each other instance's"
            + " answer, in milliseconds; an instance that does not answer is listed as unreachable.";
    public static final long DEFAULT_STATUS_REMOTE_TIMEOUT_MS = 2_000L;

    /** The effect-size tests that have thresholds, in key order: every effect size of the registry. */
    private static final List<DriftTest> THRESHOLD_TESTS = DriftTests.effectSizes();

    private static final String GROUP_CONNECTION = "Connection";
    private static final String GROUP_TOPICS = "Topics";
    private static final String GROUP_WINDOWS = "Windows";
    private static final String GROUP_LIMITS = "Limits";
    private static final String GROUP_POLICY = "Policy";
    private static final String GROUP_OPERATIONS = "Operations";

    private static final ConfigDef CONFIG;

    static {
        ConfigDef def = new ConfigDef()
                .define(BOOTSTRAP_SERVERS_CONFIG, Type.LIST, "", Validators.hostPortList(), Importance.HIGH,
                        BOOTSTRAP_SERVERS_DOC, GROUP_CONNECTION, 1, ConfigDef.Width.LONG, BOOTSTRAP_SERVERS_CONFIG)
                .define(APPLICATION_ID_CONFIG, Type.STRING, DEFAULT_APPLICATION_ID, Validators.applicationId(),
                        Importance.HIGH, APPLICATION_ID_DOC, GROUP_CONNECTION, 2, ConfigDef.Width.MEDIUM,
                        APPLICATION_ID_CONFIG)
                .define(SCHEMA_REGISTRY_URL_CONFIG, Type.STRING, DEFAULT_SCHEMA_REGISTRY_URL,
                        Validators.registryUrls(), Importance.HIGH, SCHEMA_REGISTRY_URL_DOC, GROUP_CONNECTION, 3,
                        ConfigDef.Width.LONG, SCHEMA_REGISTRY_URL_CONFIG)
                .define(PROCESSING_GUARANTEE_CONFIG, Type.STRING, DEFAULT_PROCESSING_GUARANTEE,
                        ValidString.in(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE), Importance.MEDIUM,
                        PROCESSING_GUARANTEE_DOC, GROUP_CONNECTION, 4, ConfigDef.Width.SHORT,
                        PROCESSING_GUARANTEE_CONFIG)
                .define(STATE_DIR_CONFIG, Type.STRING, null, Validators.optionalNonBlank(), Importance.MEDIUM,
                        STATE_DIR_DOC, GROUP_CONNECTION, 5, ConfigDef.Width.LONG, STATE_DIR_CONFIG)

                .define(TOPIC_INFERENCE_EVENTS_CONFIG, Type.STRING, DEFAULT_TOPIC_INFERENCE_EVENTS,
                        Validators.topicName(), Importance.HIGH, TOPIC_INFERENCE_EVENTS_DOC, GROUP_TOPICS, 1,
                        ConfigDef.Width.MEDIUM, TOPIC_INFERENCE_EVENTS_CONFIG)
                .define(TOPIC_BASELINES_CONFIG, Type.STRING, DEFAULT_TOPIC_BASELINES, Validators.topicName(),
                        Importance.HIGH, TOPIC_BASELINES_DOC, GROUP_TOPICS, 2, ConfigDef.Width.MEDIUM,
                        TOPIC_BASELINES_CONFIG)
                .define(TOPIC_WINDOW_STATS_CONFIG, Type.STRING, DEFAULT_TOPIC_WINDOW_STATS, Validators.topicName(),
                        Importance.MEDIUM, TOPIC_WINDOW_STATS_DOC, GROUP_TOPICS, 3, ConfigDef.Width.MEDIUM,
                        TOPIC_WINDOW_STATS_CONFIG)
                .define(TOPIC_ALERTS_CONFIG, Type.STRING, DEFAULT_TOPIC_ALERTS, Validators.topicName(),
                        Importance.HIGH, TOPIC_ALERTS_DOC, GROUP_TOPICS, 4, ConfigDef.Width.MEDIUM, TOPIC_ALERTS_CONFIG)
                .define(TOPIC_DLQ_CONFIG, Type.STRING, DEFAULT_TOPIC_DLQ, Validators.topicName(), Importance.MEDIUM,
                        TOPIC_DLQ_DOC, GROUP_TOPICS, 5, ConfigDef.Width.MEDIUM, TOPIC_DLQ_CONFIG)
                .define(TOPIC_CONTROL_CONFIG, Type.STRING, DEFAULT_TOPIC_CONTROL, Validators.topicName(),
                        Importance.MEDIUM, TOPIC_CONTROL_DOC, GROUP_TOPICS, 7, ConfigDef.Width.MEDIUM,
                        TOPIC_CONTROL_CONFIG)
                .define(TOPIC_CONTROL_RESULTS_CONFIG, Type.STRING, DEFAULT_TOPIC_CONTROL_RESULTS,
                        Validators.topicName(), Importance.MEDIUM, TOPIC_CONTROL_RESULTS_DOC, GROUP_TOPICS, 8,
                        ConfigDef.Width.MEDIUM, TOPIC_CONTROL_RESULTS_CONFIG)
                .define(TOPIC_OUTCOME_EVENTS_CONFIG, Type.STRING, Topics.OUTCOMES, Validators.topicName(),
                        Importance.MEDIUM, TOPIC_OUTCOME_EVENTS_DOC, GROUP_TOPICS, 9, ConfigDef.Width.MEDIUM,
                        TOPIC_OUTCOME_EVENTS_CONFIG)
                .define(TOPIC_BUSINESS_METRICS_CONFIG, Type.STRING, Topics.BUSINESS_METRICS, Validators.topicName(),
                        Importance.MEDIUM, TOPIC_BUSINESS_METRICS_DOC, GROUP_TOPICS, 10, ConfigDef.Width.MEDIUM,
                        TOPIC_BUSINESS_METRICS_CONFIG)
                .define(TOPIC_SERVICE_LEVELS_CONFIG, Type.STRING, Topics.SERVICE_LEVELS, Validators.topicName(),
                        Importance.MEDIUM, TOPIC_SERVICE_LEVELS_DOC, GROUP_TOPICS, 11, ConfigDef.Width.MEDIUM,
                        TOPIC_SERVICE_LEVELS_CONFIG)
                .define(TOPIC_ROLE_COMPARISONS_CONFIG, Type.STRING, Topics.ROLE_COMPARISONS, Validators.topicName(),
                        Importance.MEDIUM, TOPIC_ROLE_COMPARISONS_DOC, GROUP_TOPICS, 12, ConfigDef.Width.MEDIUM,
                        TOPIC_ROLE_COMPARISONS_CONFIG)
                .define(TOPIC_REVIEW_CONFIG, Type.STRING, Topics.REVIEW, Validators.topicName(),
                        Importance.MEDIUM, TOPIC_REVIEW_DOC, GROUP_TOPICS, 13, ConfigDef.Width.MEDIUM,
                        TOPIC_REVIEW_CONFIG)
                .define(TOPIC_REPLICATION_FACTOR_CONFIG, Type.INT, DEFAULT_TOPIC_REPLICATION_FACTOR,
                        Validators.replicationFactor(), Importance.LOW, TOPIC_REPLICATION_FACTOR_DOC, GROUP_TOPICS, 6,
                        ConfigDef.Width.SHORT, TOPIC_REPLICATION_FACTOR_CONFIG)

                .define(WINDOW_SIZE_MS_CONFIG, Type.LONG, DEFAULT_WINDOW_SIZE_MS, Range.atLeast(1), Importance.HIGH,
                        WINDOW_SIZE_MS_DOC, GROUP_WINDOWS, 1, ConfigDef.Width.SHORT, WINDOW_SIZE_MS_CONFIG)
                .define(WINDOW_ADVANCE_MS_CONFIG, Type.LONG, DEFAULT_WINDOW_ADVANCE_MS, Range.atLeast(0),
                        Importance.MEDIUM, WINDOW_ADVANCE_MS_DOC, GROUP_WINDOWS, 2, ConfigDef.Width.SHORT,
                        WINDOW_ADVANCE_MS_CONFIG)
                .define(WINDOW_GRACE_MS_CONFIG, Type.LONG, DEFAULT_WINDOW_GRACE_MS, Range.atLeast(0),
                        Importance.MEDIUM, WINDOW_GRACE_MS_DOC, GROUP_WINDOWS, 3, ConfigDef.Width.SHORT,
                        WINDOW_GRACE_MS_CONFIG)
                .define(SEGMENT_ATTRIBUTE_CONFIG, Type.STRING, DEFAULT_SEGMENT_ATTRIBUTE, Validators.maxLength(256),
                        Importance.LOW, SEGMENT_ATTRIBUTE_DOC, GROUP_WINDOWS, 4, ConfigDef.Width.MEDIUM,
                        SEGMENT_ATTRIBUTE_CONFIG)

                .define(MAX_FEATURES_CONFIG, Type.INT, DEFAULT_MAX_FEATURES, Range.between(1, 100_000),
                        Importance.LOW, MAX_FEATURES_DOC, GROUP_LIMITS, 1, ConfigDef.Width.SHORT, MAX_FEATURES_CONFIG)
                .define(MAX_VALUE_LENGTH_CONFIG, Type.INT, DEFAULT_MAX_VALUE_LENGTH, Range.between(1, 16_384),
                        Importance.LOW, MAX_VALUE_LENGTH_DOC, GROUP_LIMITS, 2, ConfigDef.Width.SHORT,
                        MAX_VALUE_LENGTH_CONFIG)
                .define(MAX_FUTURE_SKEW_MS_CONFIG, Type.LONG, DEFAULT_MAX_FUTURE_SKEW_MS, Range.atLeast(0),
                        Importance.LOW, MAX_FUTURE_SKEW_MS_DOC, GROUP_LIMITS, 3, ConfigDef.Width.SHORT,
                        MAX_FUTURE_SKEW_MS_CONFIG)
                .define(INPUT_PARTITIONS_CONFIG, Type.INT, DEFAULT_INPUT_PARTITIONS, Range.between(0, 100_000),
                        Importance.LOW, INPUT_PARTITIONS_DOC, GROUP_LIMITS, 4, ConfigDef.Width.SHORT,
                        INPUT_PARTITIONS_CONFIG)

                .define(BASELINE_CAPTURE_RETENTION_MS_CONFIG, Type.LONG, DEFAULT_BASELINE_CAPTURE_RETENTION_MS,
                        Range.atLeast(0), Importance.LOW, BASELINE_CAPTURE_RETENTION_MS_DOC, GROUP_LIMITS, 5,
                        ConfigDef.Width.SHORT, BASELINE_CAPTURE_RETENTION_MS_CONFIG)
                .define(BASELINE_CAPTURE_MAX_WINDOWS_CONFIG, Type.INT, DEFAULT_BASELINE_CAPTURE_MAX_WINDOWS,
                        Range.between(1, 1_000_000), Importance.LOW, BASELINE_CAPTURE_MAX_WINDOWS_DOC, GROUP_LIMITS,
                        6, ConfigDef.Width.SHORT, BASELINE_CAPTURE_MAX_WINDOWS_CONFIG)

                .define(POLICY_VERSION_CONFIG, Type.STRING, DEFAULT_POLICY_VERSION,
                        Validators.nonBlank(AlertPolicy.MAX_VERSION_LENGTH), Importance.MEDIUM, POLICY_VERSION_DOC,
                        GROUP_POLICY, 1, ConfigDef.Width.SHORT, POLICY_VERSION_CONFIG)
                .define(POLICY_ALPHA_CONFIG, Type.DOUBLE, DEFAULT_POLICY_ALPHA, Validators.openUnitInterval(),
                        Importance.MEDIUM, POLICY_ALPHA_DOC, GROUP_POLICY, 2, ConfigDef.Width.SHORT, POLICY_ALPHA_CONFIG)
                .define(POLICY_PERSISTENCE_M_CONFIG, Type.INT, DEFAULT_POLICY_PERSISTENCE_M, Range.between(1, 64),
                        Importance.MEDIUM, POLICY_PERSISTENCE_M_DOC, GROUP_POLICY, 3, ConfigDef.Width.SHORT,
                        POLICY_PERSISTENCE_M_CONFIG)
                .define(POLICY_PERSISTENCE_N_CONFIG, Type.INT, DEFAULT_POLICY_PERSISTENCE_N, Range.between(1, 64),
                        Importance.MEDIUM, POLICY_PERSISTENCE_N_DOC, GROUP_POLICY, 4, ConfigDef.Width.SHORT,
                        POLICY_PERSISTENCE_N_CONFIG)
                .define(POLICY_DATASET_DRIFT_SHARE_CONFIG, Type.DOUBLE, DEFAULT_POLICY_DATASET_DRIFT_SHARE,
                        Validators.halfOpenUnitInterval(), Importance.MEDIUM, POLICY_DATASET_DRIFT_SHARE_DOC,
                        GROUP_POLICY, 5, ConfigDef.Width.SHORT, POLICY_DATASET_DRIFT_SHARE_CONFIG)
                .define(POLICY_DECIDING_TESTS_CONFIG, Type.LIST, DEFAULT_POLICY_DECIDING_TESTS,
                        Validators.effectTests(), Importance.MEDIUM, POLICY_DECIDING_TESTS_DOC, GROUP_POLICY, 6,
                        ConfigDef.Width.MEDIUM, POLICY_DECIDING_TESTS_CONFIG)
                .define(POLICY_FIRE_LEVEL_CONFIG, Type.DOUBLE, DEFAULT_POLICY_FIRE_LEVEL,
                        Range.between(Double.MIN_VALUE, 40.0), Importance.MEDIUM, POLICY_FIRE_LEVEL_DOC, GROUP_POLICY,
                        7, ConfigDef.Width.SHORT, POLICY_FIRE_LEVEL_CONFIG)
                .define(POLICY_RESOLVE_LEVEL_CONFIG, Type.DOUBLE, DEFAULT_POLICY_RESOLVE_LEVEL,
                        Range.between(0.0, 40.0), Importance.MEDIUM, POLICY_RESOLVE_LEVEL_DOC, GROUP_POLICY, 8,
                        ConfigDef.Width.SHORT, POLICY_RESOLVE_LEVEL_CONFIG)
                .define(POLICY_RESOLVE_WINDOWS_CONFIG, Type.INT, DEFAULT_POLICY_RESOLVE_WINDOWS, Range.between(1, 64),
                        Importance.MEDIUM, POLICY_RESOLVE_WINDOWS_DOC, GROUP_POLICY, 9, ConfigDef.Width.SHORT,
                        POLICY_RESOLVE_WINDOWS_CONFIG)
                .define(POLICY_MIN_SAMPLE_SIZE_CONFIG, Type.INT, DEFAULT_POLICY_MIN_SAMPLE_SIZE, Range.atLeast(1),
                        Importance.MEDIUM, POLICY_MIN_SAMPLE_SIZE_DOC, GROUP_POLICY, 10, ConfigDef.Width.SHORT,
                        POLICY_MIN_SAMPLE_SIZE_CONFIG);
        int order = 11;
        for (DriftTest test : THRESHOLD_TESTS) {
            Threshold defaults = AlertPolicy.defaults().threshold(test);
            def.define(thresholdKey(test, "warning"), Type.DOUBLE, defaults.warning(), Validators.nonNegativeFinite(),
                    Importance.MEDIUM, String.format(Locale.ROOT, POLICY_THRESHOLD_DOC, "Warning", test.id(), "a warning"),
                    GROUP_POLICY, order++, ConfigDef.Width.SHORT, thresholdKey(test, "warning"));
            def.define(thresholdKey(test, "critical"), Type.DOUBLE, defaults.critical(),
                    Validators.nonNegativeFinite(), Importance.MEDIUM,
                    String.format(Locale.ROOT, POLICY_THRESHOLD_DOC, "Critical", test.id(), "critical"),
                    GROUP_POLICY, order++, ConfigDef.Width.SHORT, thresholdKey(test, "critical"));
        }
        def.define(HTTP_ENABLED_CONFIG, Type.BOOLEAN, DEFAULT_HTTP_ENABLED, ConfigDef.LambdaValidator.with(
                        (name, value) -> {
                            if (!(value instanceof Boolean)) {
                                throw new ConfigException(name, value, "expected true or false");
                            }
                        }, () -> "true or false"), Importance.MEDIUM, HTTP_ENABLED_DOC,
                        GROUP_OPERATIONS, 1, ConfigDef.Width.SHORT, HTTP_ENABLED_CONFIG)
                .define(HTTP_BIND_ADDRESS_CONFIG, Type.STRING, DEFAULT_HTTP_BIND_ADDRESS, Validators.nonBlank(255),
                        Importance.MEDIUM, HTTP_BIND_ADDRESS_DOC, GROUP_OPERATIONS, 2, ConfigDef.Width.MEDIUM,
                        HTTP_BIND_ADDRESS_CONFIG)
                .define(HTTP_PORT_CONFIG, Type.INT, DEFAULT_HTTP_PORT, Range.between(0, 65_535), Importance.MEDIUM,
                        HTTP_PORT_DOC, GROUP_OPERATIONS, 3, ConfigDef.Width.SHORT, HTTP_PORT_CONFIG)
                .define(METRICS_MAX_SERIES_CONFIG, Type.INT, DEFAULT_METRICS_MAX_SERIES, Range.between(1, 1_000_000),
                        Importance.LOW, METRICS_MAX_SERIES_DOC, GROUP_OPERATIONS, 4, ConfigDef.Width.SHORT,
                        METRICS_MAX_SERIES_CONFIG)
                .define(STATUS_REMOTE_TIMEOUT_MS_CONFIG, Type.LONG, DEFAULT_STATUS_REMOTE_TIMEOUT_MS,
                        Range.between(1, 600_000), Importance.LOW, STATUS_REMOTE_TIMEOUT_MS_DOC, GROUP_OPERATIONS, 5,
                        ConfigDef.Width.SHORT, STATUS_REMOTE_TIMEOUT_MS_CONFIG);
        BusinessSettings.define(def);
        ServiceLevelSettings.define(def);
        RoleSettings.define(def);
        ReviewSettings.define(def);
        QualitySettings.define(def);
        EmbeddingSettings.define(def);
        OperationalSubjects.define(def);
        MultivariateSettings.define(def);
        PerformanceSettings.define(def);
        LabelSettings.define(def);
        CONFIG = def;
    }

    /** Streams, producer, consumer and admin keys passed through without the kafka. prefix. */
    private static final Set<String> CLIENT_KEYS = clientKeys();
    private static final List<String> CLIENT_PREFIXES = List.of(StreamsConfig.CONSUMER_PREFIX,
            StreamsConfig.MAIN_CONSUMER_PREFIX, StreamsConfig.RESTORE_CONSUMER_PREFIX,
            StreamsConfig.GLOBAL_CONSUMER_PREFIX, StreamsConfig.PRODUCER_PREFIX, StreamsConfig.ADMIN_CLIENT_PREFIX,
            StreamsConfig.CLIENT_TAG_PREFIX);
    /** Serde keys (registry client and Avro serde), besides schema.registry.url which is ours. */
    private static final Set<String> SERDE_KEYS = serdeKeys();
    private static final List<String> SERDE_PREFIXES = List.of("schema.registry.", "basic.auth.");
    /** Driftwatch keys that Kafka also knows: never taken from the kafka. prefix. */
    private static final Set<String> OWN_KAFKA_KEYS = Set.of(BOOTSTRAP_SERVERS_CONFIG, APPLICATION_ID_CONFIG,
            PROCESSING_GUARANTEE_CONFIG, STATE_DIR_CONFIG);
    /** Variables of the bin/driftwatch launcher, not settings. */
    private static final Set<String> LAUNCHER_VARIABLES = Set.of("DRIFTWATCH_JAVA_OPTS", "DRIFTWATCH_NO_REBUILD",
            "DRIFTWATCH_JAR");

    /** Every setting that Kafka's own clients and Streams declare as a password. */
    private static final java.util.Set<String> KAFKA_PASSWORDS = kafkaPasswords();

    private static java.util.Set<String> kafkaPasswords() {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (ConfigDef def : List.of(org.apache.kafka.clients.producer.ProducerConfig.configDef(),
                org.apache.kafka.clients.consumer.ConsumerConfig.configDef(),
                org.apache.kafka.clients.admin.AdminClientConfig.configDef(),
                org.apache.kafka.streams.StreamsConfig.configDef())) {
            def.configKeys().forEach((name, key) -> {
                if (key.type == Type.PASSWORD) {
                    names.add(name);
                }
            });
        }
        return names;
    }

    private final AlertPolicy policy;
    private final Duration windowAdvance;
    private final Map<String, Object> kafkaSettings;
    private final Map<String, Object> serdeSettings;
    private final List<String> unknownKeys;

    /**
     * A configuration from keys and values (strings as in a properties file, or typed values).
     *
     * @throws ConfigException naming the key, the bad value and what is allowed
     */
    public DriftwatchConfig(Map<?, ?> props) {
        super(CONFIG, props, false);
        long size = getLong(WINDOW_SIZE_MS_CONFIG);
        long advance = getLong(WINDOW_ADVANCE_MS_CONFIG);
        if (advance == 0) {
            advance = size;
        } else if (advance > size || size % advance != 0) {
            throw new ConfigException(WINDOW_ADVANCE_MS_CONFIG, advance, "expected 0 (tumbling windows) or a"
                    + " divisor of " + WINDOW_SIZE_MS_CONFIG + "=" + size + " that is at most that size");
        }
        this.windowAdvance = Duration.ofMillis(advance);
        this.policy = buildPolicy();

        Map<String, Object> kafka = new TreeMap<>();
        Map<String, Object> kafkaPrefixed = new TreeMap<>();
        Map<String, Object> serde = new TreeMap<>();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, Object> e : originals().entrySet()) {
            String key = e.getKey();
            if (CONFIG.names().contains(key)) {
                continue;
            }
            if (key.startsWith(KAFKA_PREFIX)) {
                String stripped = key.substring(KAFKA_PREFIX.length());
                if (OWN_KAFKA_KEYS.contains(stripped)) {
                    throw new ConfigException(key, shown(key, e.getValue()), "this is a driftwatch key: set "
                            + stripped + " without the " + KAFKA_PREFIX + " prefix");
                }
                if (stripped.isEmpty()) {
                    throw new ConfigException(key, shown(key, e.getValue()), "expected kafka.<Kafka key>");
                }
                kafkaPrefixed.put(stripped, e.getValue());
            } else if (SERDE_KEYS.contains(key) || SERDE_PREFIXES.stream().anyMatch(key::startsWith)) {
                serde.put(key, e.getValue());
            } else if (CLIENT_KEYS.contains(key) || CLIENT_PREFIXES.stream().anyMatch(key::startsWith)) {
                kafka.put(key, e.getValue());
            } else {
                unknown.add(key);
            }
        }
        kafka.putAll(kafkaPrefixed);
        this.kafkaSettings = Collections.unmodifiableMap(kafka);
        serde.put(SCHEMA_REGISTRY_URL_CONFIG, getString(SCHEMA_REGISTRY_URL_CONFIG));
        this.serdeSettings = Collections.unmodifiableMap(serde);
        Collections.sort(unknown);
        this.unknownKeys = List.copyOf(unknown);
        for (String key : unknownKeys) {
            LOG.warn("Unknown configuration key '{}' is ignored{}", key, hintFor(key));
        }
        if (!StreamsConfig.EXACTLY_ONCE_V2.equals(processingGuarantee())) {
            LOG.warn("{}={}: after a failure, events may be counted twice and alerts repeated; the default {} avoids it",
                    PROCESSING_GUARANTEE_CONFIG, processingGuarantee(), StreamsConfig.EXACTLY_ONCE_V2);
        }
    }

    /**
     * Reads a properties file (if given) and the process environment ({@code DRIFTWATCH_*}, which
     * wins over the file).
     *
     * @param file a {@code .properties} file in UTF-8, or null for the environment and defaults only
     * @throws ConfigException when the file cannot be read or a value is not allowed; the message says
     *     where the bad value was set
     */
    public static DriftwatchConfig load(Path file) {
        return load(file, System.getenv(), Map.of());
    }

    /**
     * Reads a properties file (if given), environment variables and command-line overrides, in rising
     * precedence: file, then {@code env}, then {@code overrides}.
     *
     * @param file      a {@code .properties} file in UTF-8, or null
     * @param env       environment variables; only {@code DRIFTWATCH_*} ones are read
     * @param overrides keys set on the command line (null values are skipped)
     * @throws ConfigException when the file cannot be read or a value is not allowed; the message says
     *     where the bad value was set
     */
    public static DriftwatchConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
        Map<String, Object> merged = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        if (file != null) {
            Properties props = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(reader);
            } catch (NoSuchFileException e) {
                throw new ConfigException("config file not found: " + file);
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
            }
            for (String key : props.stringPropertyNames()) {
                merged.put(key, props.getProperty(key));
                sources.put(key, "in " + file);
            }
        }
        new TreeMap<>(env).forEach((var, value) -> {
            if (var.startsWith(ENV_PREFIX) && var.length() > ENV_PREFIX.length() && !LAUNCHER_VARIABLES.contains(var)) {
                String key = keyOfEnvironmentVariable(var);
                merged.put(key, value);
                sources.put(key, "by environment variable " + var);
            }
        });
        overrides.forEach((key, value) -> {
            if (value != null) {
                merged.put(key, value);
                sources.put(key, "on the command line");
            }
        });
        try {
            return new DriftwatchConfig(merged);
        } catch (ConfigException e) {
            throw withSource(e, sources);
        }
    }

    /** {@code DRIFTWATCH_POLICY_PSI_WARNING} → {@code policy.psi.warning}. */
    public static String keyOfEnvironmentVariable(String variable) {
        if (!variable.startsWith(ENV_PREFIX)) {
            throw new IllegalArgumentException("'" + variable + "' does not start with " + ENV_PREFIX);
        }
        return variable.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /** {@code policy.psi.warning} → {@code DRIFTWATCH_POLICY_PSI_WARNING}. */
    public static String environmentVariableOf(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** A copy of the definition of every driftwatch key, e.g. for generated documentation. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    // --- typed values --------------------------------------------------------------------------------

    /** The brokers, possibly empty (see {@link #requireBootstrapServers()}). */
    public List<String> bootstrapServers() {
        return getList(BOOTSTRAP_SERVERS_CONFIG);
    }

    /**
     * The brokers as one {@code bootstrap.servers} value.
     *
     * @throws ConfigException when none is set, saying how to set it
     */
    public String requireBootstrapServers() {
        List<String> servers = bootstrapServers();
        if (servers.isEmpty()) {
            throw new ConfigException(BOOTSTRAP_SERVERS_CONFIG + " is not set; set it in the config file (e.g. "
                    + BOOTSTRAP_SERVERS_CONFIG + "=localhost:9092) or as "
                    + environmentVariableOf(BOOTSTRAP_SERVERS_CONFIG));
        }
        return String.join(",", servers);
    }

    public String applicationId() {
        return getString(APPLICATION_ID_CONFIG);
    }

    public String schemaRegistryUrl() {
        return getString(SCHEMA_REGISTRY_URL_CONFIG);
    }

    /** True when the schema registry is in memory ({@code mock://}), so only this JVM can read what it writes. */
    public boolean usesInMemoryRegistry() {
        return schemaRegistryUrl().startsWith("mock://");
    }

    public String processingGuarantee() {
        return getString(PROCESSING_GUARANTEE_CONFIG);
    }

    /** The state folder, or empty for Kafka Streams' default. */
    public Optional<String> stateDir() {
        return Optional.ofNullable(getString(STATE_DIR_CONFIG));
    }

    public String eventsTopic() {
        return getString(TOPIC_INFERENCE_EVENTS_CONFIG);
    }

    public String baselinesTopic() {
        return getString(TOPIC_BASELINES_CONFIG);
    }

    public String windowStatsTopic() {
        return getString(TOPIC_WINDOW_STATS_CONFIG);
    }

    public String alertsTopic() {
        return getString(TOPIC_ALERTS_CONFIG);
    }

    public String deadLettersTopic() {
        return getString(TOPIC_DLQ_CONFIG);
    }

    public String controlTopic() {
        return getString(TOPIC_CONTROL_CONFIG);
    }

    public String controlResultsTopic() {
        return getString(TOPIC_CONTROL_RESULTS_CONFIG);
    }

    /** The settings of the control commands: how long window summaries are kept for baseline capture. */
    public ControlSettings controlSettings() {
        return new ControlSettings(Duration.ofMillis(getLong(BASELINE_CAPTURE_RETENTION_MS_CONFIG)),
                getInt(BASELINE_CAPTURE_MAX_WINDOWS_CONFIG));
    }

    /** The replication factor for topics driftwatch creates, or empty for the broker's default. */
    public Optional<Short> topicReplicationFactor() {
        int rf = getInt(TOPIC_REPLICATION_FACTOR_CONFIG);
        return rf == -1 ? Optional.empty() : Optional.of((short) rf);
    }

    public Duration windowSize() {
        return Duration.ofMillis(getLong(WINDOW_SIZE_MS_CONFIG));
    }

    /** The hop, resolved: the window size when {@code window.advance.ms} is 0. */
    public Duration windowAdvance() {
        return windowAdvance;
    }

    public Duration grace() {
        return Duration.ofMillis(getLong(WINDOW_GRACE_MS_CONFIG));
    }

    /** The configured input partitions; 0 means: read them from the topic at start-up. */
    public int inputPartitions() {
        return getInt(INPUT_PARTITIONS_CONFIG);
    }

    /** Whether the HTTP endpoints (metrics, health, status) are served. */
    public boolean httpEnabled() {
        return getBoolean(HTTP_ENABLED_CONFIG);
    }

    /** The address the HTTP endpoints listen on. */
    public String httpBindAddress() {
        return getString(HTTP_BIND_ADDRESS_CONFIG);
    }

    /** The port of the HTTP endpoints; 0 for a free one. */
    public int httpPort() {
        return getInt(HTTP_PORT_CONFIG);
    }

    /** The most metric series with data-valued tags. */
    public int metricsMaxSeries() {
        return getInt(METRICS_MAX_SERIES_CONFIG);
    }

    /** How long /status waits for another instance. */
    public Duration statusRemoteTimeout() {
        return Duration.ofMillis(getLong(STATUS_REMOTE_TIMEOUT_MS_CONFIG));
    }

    /** {@code application.server} (host:port of this instance's HTTP endpoints for the others), if set. */
    public Optional<String> applicationServer() {
        Object v = kafkaSettings.get(StreamsConfig.APPLICATION_SERVER_CONFIG);
        return v == null || v.toString().isBlank() ? Optional.empty() : Optional.of(v.toString());
    }

    /** The alert policy, validated when this configuration was built. */
    public AlertPolicy policy() {
        return policy;
    }

    /**
     * The topology's settings.
     *
     * @param inputPartitions the partitions of the inference-events topic (discovered, or
     *     {@link #inputPartitions()} when that is set), &ge; 1
     * @throws IllegalArgumentException when {@code inputPartitions} is below 1
     */
    public PipelineSettings pipelineSettings(int inputPartitions) {
        if (inputPartitions < 1) {
            throw new IllegalArgumentException("input partitions must be >= 1, got " + inputPartitions
                    + "; read the topic's partition count when " + INPUT_PARTITIONS_CONFIG + "=0");
        }
        return new PipelineSettings(applicationId(), windowSize(), windowAdvance, grace(),
                getString(SEGMENT_ATTRIBUTE_CONFIG), getInt(MAX_FEATURES_CONFIG), getInt(MAX_VALUE_LENGTH_CONFIG),
                Duration.ofMillis(getLong(MAX_FUTURE_SKEW_MS_CONFIG)), inputPartitions, policy, null, signals());
    }

    /** Business outcomes, service levels, shadow/canary comparison and review, as configured. */
    public Signals signals() {
        return Signals.none().with(BusinessSettings.from(this)).with(ServiceLevelSettings.from(this))
                .with(RoleSettings.from(this)).with(ReviewSettings.from(this)).with(QualitySettings.from(this))
                .with(EmbeddingSettings.from(this)).with(OperationalSubjects.from(this))
                .with(MultivariateSettings.from(this)).with(PerformanceSettings.from(this))
                .with(LabelSettings.from(this));
    }

    /** The pipeline's topics with Avro serdes configured from {@link #serdeConfig()}. */
    public Topics topics() {
        return Topics.of(serdeConfig(), new Topics.Names(eventsTopic(), baselinesTopic(), windowStatsTopic(),
                alertsTopic(), deadLettersTopic(), controlTopic(), controlResultsTopic(),
                getString(TOPIC_OUTCOME_EVENTS_CONFIG), getString(TOPIC_BUSINESS_METRICS_CONFIG),
                getString(TOPIC_SERVICE_LEVELS_CONFIG), getString(TOPIC_ROLE_COMPARISONS_CONFIG),
                getString(TOPIC_REVIEW_CONFIG)));
    }

    /** The serde configuration: schema.registry.url and the other registry and serde keys given. */
    public Map<String, Object> serdeConfig() {
        return serdeSettings;
    }

    /** The consumers' heartbeat interval unless set: how soon every stream thread hears of a rebalance. */
    public static final String DEFAULT_HEARTBEAT_INTERVAL_MS = "1000";

    /**
     * Kafka Streams properties, built here at the edge: application.id, bootstrap.servers,
     * processing.guarantee, state.dir (when set) and every passed-through Kafka key.
     *
     * @throws ConfigException when bootstrap.servers is not set
     */
    public Properties streamsProperties() {
        Properties props = new Properties();
        props.putAll(kafkaSettings);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, requireBootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee());
        stateDir().ifPresent(dir -> props.put(StreamsConfig.STATE_DIR_CONFIG, dir));
        if (BusinessSettings.from(this).enabled()) {
            props.putIfAbsent(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, BusinessSettings.DEFAULT_MAX_TASK_IDLE_MS);
        }
        // A rebalance waits for every member to hear of it through its next heartbeat. A new application
        // always has a second one (its repartition topic appears during the first), which Kafka's 3 s default
        // stretched to up to 3 s before any record of some partitions was processed.
        props.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, DEFAULT_HEARTBEAT_INTERVAL_MS);
        return props;
    }

    /**
     * Admin client properties: bootstrap.servers, the passed-through admin keys (security settings
     * included) and {@code admin.}-prefixed keys, which win.
     *
     * @throws ConfigException when bootstrap.servers is not set
     */
    public Properties adminProperties() {
        return clientProperties(AdminClientConfig.configNames(), StreamsConfig.ADMIN_CLIENT_PREFIX);
    }

    /**
     * Producer properties: bootstrap.servers, the passed-through producer keys (security settings
     * included) and {@code producer.}-prefixed keys, which win.
     *
     * @throws ConfigException when bootstrap.servers is not set
     */
    public Properties producerProperties() {
        return clientProperties(ProducerConfig.configNames(), StreamsConfig.PRODUCER_PREFIX);
    }

    /**
     * Consumer properties: bootstrap.servers, the passed-through consumer keys (security settings
     * included) and {@code consumer.}-prefixed keys, which win.
     *
     * @throws ConfigException when bootstrap.servers is not set
     */
    public Properties consumerProperties() {
        return clientProperties(org.apache.kafka.clients.consumer.ConsumerConfig.configNames(),
                StreamsConfig.CONSUMER_PREFIX);
    }

    private Properties clientProperties(Set<String> names, String prefix) {
        Properties props = new Properties();
        kafkaSettings.forEach((key, value) -> {
            if (names.contains(key)) {
                props.put(key, value);
            }
        });
        kafkaSettings.forEach((key, value) -> {
            if (key.startsWith(prefix) && names.contains(key.substring(prefix.length()))) {
                props.put(key.substring(prefix.length()), value);
            }
        });
        props.put(BOOTSTRAP_SERVERS_CONFIG, requireBootstrapServers());
        return props;
    }

    /** Keys that are neither driftwatch's, Kafka's nor the serdes': warned about and ignored. */
    public List<String> unknownKeys() {
        return unknownKeys;
    }

    /**
     * Whether the value of {@code key} is a secret that is never logged or printed: a key that
     * {@link Redaction#isSecretKey} calls secret, or one of Kafka's password settings (also behind the
     * {@code kafka.} prefix or a client prefix such as {@code producer.}).
     */
    public static boolean isSecret(String key) {
        if (Redaction.isSecretKey(key)) {
            return true;
        }
        String lower = key.toLowerCase(Locale.ROOT);
        for (String name : KAFKA_PASSWORDS) {
            if (lower.equals(name) || lower.endsWith("." + name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Every effective setting, one {@code key=value} a line in key order: driftwatch keys with their
     * defaults, then passed-through Kafka and serde keys. Secret values show as {@value #HIDDEN}.
     */
    public String describe() {
        Map<String, Object> all = new TreeMap<>();
        values().forEach(all::put);
        kafkaSettings.forEach((k, v) -> all.put(KAFKA_PREFIX + k, v));
        serdeSettings.forEach(all::put);
        StringBuilder out = new StringBuilder();
        all.forEach((k, v) -> {
            Object value = v instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList()) : v;
            out.append(k).append('=').append(value == null ? "" : shown(k, value)).append(System.lineSeparator());
        });
        return out.toString();
    }

    /** The keys set explicitly (not the defaults), secrets hidden. */
    @Override
    public String toString() {
        Map<String, Object> set = new TreeMap<>(originals());
        StringBuilder out = new StringBuilder("DriftwatchConfig{");
        String sep = "";
        for (Map.Entry<String, Object> e : set.entrySet()) {
            out.append(sep).append(e.getKey()).append('=').append(shown(e.getKey(), e.getValue()));
            sep = ", ";
        }
        return out.append('}').toString();
    }

    // --- internals -----------------------------------------------------------------------------------

    private static String thresholdKey(DriftTest test, String level) {
        return "policy." + test.id() + "." + level;
    }

    private AlertPolicy buildPolicy() {
        AlertPolicy.Builder builder = AlertPolicy.builder();
        apply(POLICY_VERSION_CONFIG, () -> builder.version(getString(POLICY_VERSION_CONFIG)));
        apply(POLICY_ALPHA_CONFIG, () -> builder.alpha(getDouble(POLICY_ALPHA_CONFIG)));
        apply(POLICY_PERSISTENCE_M_CONFIG, () -> builder.persistence(getInt(POLICY_PERSISTENCE_M_CONFIG),
                getInt(POLICY_PERSISTENCE_N_CONFIG)));
        apply(POLICY_DATASET_DRIFT_SHARE_CONFIG,
                () -> builder.datasetDriftShare(getDouble(POLICY_DATASET_DRIFT_SHARE_CONFIG)));
        apply(POLICY_DECIDING_TESTS_CONFIG, () -> builder.decidingTests(getList(POLICY_DECIDING_TESTS_CONFIG)
                .stream().map(DriftTest::fromId).toArray(DriftTest[]::new)));
        apply(POLICY_RESOLVE_LEVEL_CONFIG, () -> builder.evidence(EvidenceRule.of(getDouble(POLICY_FIRE_LEVEL_CONFIG),
                getDouble(POLICY_RESOLVE_LEVEL_CONFIG), getInt(POLICY_RESOLVE_WINDOWS_CONFIG),
                getInt(POLICY_MIN_SAMPLE_SIZE_CONFIG), EvidenceRule.DEFAULT_SEQUENTIAL_LEVEL, EvidenceRule.DEFAULT_EFFECT_FLOOR)));
        for (DriftTest test : THRESHOLD_TESTS) {
            String warning = thresholdKey(test, "warning");
            apply(warning, () -> builder.threshold(test, getDouble(warning), getDouble(thresholdKey(test, "critical"))));
        }
        return builder.build();
    }

    /** Runs one builder step; a rejected value becomes a ConfigException naming the key. */
    private void apply(String key, Runnable step) {
        try {
            step.run();
        } catch (IllegalArgumentException e) { // IllegalPolicyException, or an unknown test id
            throw new ConfigException(key, get(key), e.getMessage());
        }
    }

    /** The value as it may be printed: secrets hidden, and the password of any URL in it ({@link Redaction}). */
    private static Object shown(String key, Object value) {
        return value != null && isSecret(key) ? HIDDEN : Redaction.value(key, value);
    }

    private static String hintFor(String key) {
        if (key.startsWith("topic.")) {
            return "; driftwatch's topics are " + TOPIC_INFERENCE_EVENTS_CONFIG + ", " + TOPIC_BASELINES_CONFIG + ", "
                    + TOPIC_WINDOW_STATS_CONFIG + ", " + TOPIC_ALERTS_CONFIG + " and " + TOPIC_DLQ_CONFIG
                    + "; for a setting of Kafka Streams' internal topics use " + KAFKA_PREFIX + key;
        }
        return "; check its spelling, or give a Kafka client setting as " + KAFKA_PREFIX + key;
    }

    /** Adds where the offending key was set to the message, when that is known. */
    private static ConfigException withSource(ConfigException e, Map<String, String> sources) {
        String message = e.getMessage();
        for (Map.Entry<String, String> s : sources.entrySet()) {
            String key = s.getKey();
            if (message.contains("configuration " + key + ":") || message.endsWith("configuration " + key)
                    || message.startsWith(key + " ")) {
                ConfigException withSource = new ConfigException(message + " (set " + s.getValue() + ")");
                withSource.initCause(e);
                return withSource;
            }
        }
        return e;
    }

    private static Set<String> clientKeys() {
        Set<String> keys = new HashSet<>(StreamsConfig.configDef().names());
        keys.addAll(ProducerConfig.configNames());
        keys.addAll(ConsumerConfig.configNames());
        keys.addAll(AdminClientConfig.configNames());
        keys.removeAll(CONFIG.names());
        return Collections.unmodifiableSet(keys);
    }

    private static Set<String> serdeKeys() {
        Set<String> keys = new HashSet<>(AvroSerdeConfig.serdeConfigDef().names());
        keys.add(AvroSerdes.AVRO_SERDE_CLASS_CONFIG);
        keys.remove(SCHEMA_REGISTRY_URL_CONFIG);
        return Collections.unmodifiableSet(keys);
    }
}
