package dev.driftwatch.streams.config;

import dev.driftwatch.streams.business.BusinessSettings;
import dev.driftwatch.streams.review.ReviewSettings;
import dev.driftwatch.streams.roles.RoleSettings;
import dev.driftwatch.streams.slo.ServiceLevelSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Checks before a command uses Kafka, with bounded waits: that the brokers answer, which topics
 * exist, how many partitions a topic has; and creates missing topics on request. Every failure is a
 * {@link PreflightException} with a one-line message that names the setting or topic to fix.
 */
public final class Preflight implements AutoCloseable {
    /** The default bound on each request. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final Admin admin;
    private final String bootstrapServers;
    private final Duration timeout;

    private Preflight(Admin admin, String bootstrapServers, Duration timeout) {
        this.admin = admin;
        this.bootstrapServers = bootstrapServers;
        this.timeout = timeout;
    }

    /** A problem found by a check; its message is one line, fit for the user. */
    public static final class PreflightException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public PreflightException(String message) {
            super(message);
        }
    }

    /**
     * An admin client on the configured brokers whose requests give up after {@code timeout} (unless
     * the configuration sets the admin timeouts itself).
     *
     * @throws PreflightException when the address cannot be used (e.g. no host name resolves)
     * @throws org.apache.kafka.common.config.ConfigException when bootstrap.servers is not set
     */
    public static Preflight connect(DriftwatchConfig config, Duration timeout) {
        Properties props = config.adminProperties();
        String servers = config.requireBootstrapServers();
        props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, config.applicationId() + "-preflight");
        try {
            return new Preflight(Admin.create(props), servers, timeout);
        } catch (KafkaException e) {
            throw new PreflightException("cannot use " + DriftwatchConfig.BOOTSTRAP_SERVERS_CONFIG + "=" + servers
                    + ": " + rootMessage(e) + "; expected reachable host:port pairs");
        }
    }

    /**
     * The names of the topics that exist (internal ones left out).
     *
     * @throws PreflightException when the brokers do not answer in time or refuse the request
     */
    public Set<String> existingTopics() {
        return await(admin.listTopics(new ListTopicsOptions().timeoutMs((int) timeout.toMillis())).names(),
                "list the topics");
    }

    /** Those of {@code names} that do not exist, in the given order. */
    public List<String> missing(Collection<String> names) {
        Set<String> existing = existingTopics();
        return names.stream().filter(n -> !existing.contains(n)).distinct().toList();
    }

    /**
     * Of {@code names}, the topics that exist and delete records by age, with their {@code retention.ms}:
     * those whose cleanup policy includes {@code delete}, whose retention is finite and whose records keep
     * the producer's timestamp ({@code message.timestamp.type=CreateTime}). Records with older timestamps
     * than the retention are deleted at the broker's next retention check, whenever they arrived.
     *
     * @throws PreflightException when the brokers do not answer in time or refuse the request
     */
    public Map<String, Long> deletingByAge(Collection<String> names) {
        Set<String> existing = existingTopics();
        List<org.apache.kafka.common.config.ConfigResource> resources = names.stream().distinct()
                .filter(existing::contains)
                .map(n -> new org.apache.kafka.common.config.ConfigResource(
                        org.apache.kafka.common.config.ConfigResource.Type.TOPIC, n))
                .toList();
        Map<String, Long> deleting = new LinkedHashMap<>();
        if (resources.isEmpty()) {
            return deleting;
        }
        Map<org.apache.kafka.common.config.ConfigResource, org.apache.kafka.clients.admin.Config> configs =
                await(admin.describeConfigs(resources).all(), "describe the configuration of " + names);
        for (org.apache.kafka.common.config.ConfigResource r : resources) {
            org.apache.kafka.clients.admin.Config c = configs.get(r);
            String policy = value(c, TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
            String type = value(c, TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "CreateTime");
            long retention = Long.parseLong(value(c, TopicConfig.RETENTION_MS_CONFIG, "-1"));
            if (policy.contains(TopicConfig.CLEANUP_POLICY_DELETE) && type.equals("CreateTime") && retention >= 0) {
                deleting.put(r.name(), retention);
            }
        }
        return deleting;
    }

    private static String value(org.apache.kafka.clients.admin.Config config, String name, String otherwise) {
        org.apache.kafka.clients.admin.ConfigEntry e = config == null ? null : config.get(name);
        return e == null || e.value() == null ? otherwise : e.value();
    }

    /**
     * The partition count of a topic.
     *
     * @throws PreflightException when the topic does not exist or the brokers do not answer
     */
    public int partitions(String topic) {
        Map<String, TopicDescription> described = await(admin.describeTopics(List.of(topic)).allTopicNames(),
                "describe topic '" + topic + "'");
        return described.get(topic).partitions().size();
    }

    /**
     * Creates topics; one that appeared meanwhile is fine.
     *
     * @throws PreflightException when a topic cannot be created, with the broker's reason
     */
    public void create(Collection<NewTopic> topics) {
        Map<String, org.apache.kafka.common.KafkaFuture<Void>> futures = admin.createTopics(topics).values();
        for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> f : futures.entrySet()) {
            try {
                await(f.getValue(), "create topic '" + f.getKey() + "'");
            } catch (PreflightException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    /**
     * The topics to create for {@code names}: the configured replication factor, the given partitions
     * (or the broker's defaults), and compaction for the baselines topic.
     */
    public static List<NewTopic> newTopics(DriftwatchConfig config, Collection<String> names,
                                           Optional<Integer> partitions) {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            NewTopic topic = new NewTopic(name, partitions, config.topicReplicationFactor());
            if (name.equals(config.baselinesTopic())) {
                topic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            }
            topics.add(topic);
        }
        return topics;
    }

    /**
     * The topics driftwatch run reads and writes, each with the key that names it, in the order
     * input (events, baselines) then outputs (window stats, alerts, dead letters).
     */
    public static Map<String, String> pipelineTopics(DriftwatchConfig config) {
        Map<String, String> topics = new LinkedHashMap<>();
        topics.put(config.eventsTopic(), DriftwatchConfig.TOPIC_INFERENCE_EVENTS_CONFIG);
        topics.putIfAbsent(config.baselinesTopic(), DriftwatchConfig.TOPIC_BASELINES_CONFIG);
        topics.putIfAbsent(config.windowStatsTopic(), DriftwatchConfig.TOPIC_WINDOW_STATS_CONFIG);
        topics.putIfAbsent(config.alertsTopic(), DriftwatchConfig.TOPIC_ALERTS_CONFIG);
        topics.putIfAbsent(config.deadLettersTopic(), DriftwatchConfig.TOPIC_DLQ_CONFIG);
        topics.putIfAbsent(config.controlTopic(), DriftwatchConfig.TOPIC_CONTROL_CONFIG);
        topics.putIfAbsent(config.controlResultsTopic(), DriftwatchConfig.TOPIC_CONTROL_RESULTS_CONFIG);
        if (BusinessSettings.of(config.signals()).enabled()) {
            topics.putIfAbsent(config.getString(DriftwatchConfig.TOPIC_OUTCOME_EVENTS_CONFIG),
                    DriftwatchConfig.TOPIC_OUTCOME_EVENTS_CONFIG);
            topics.putIfAbsent(config.getString(DriftwatchConfig.TOPIC_BUSINESS_METRICS_CONFIG),
                    DriftwatchConfig.TOPIC_BUSINESS_METRICS_CONFIG);
        }
        if (ServiceLevelSettings.of(config.signals()).enabled()) {
            topics.putIfAbsent(config.getString(DriftwatchConfig.TOPIC_SERVICE_LEVELS_CONFIG),
                    DriftwatchConfig.TOPIC_SERVICE_LEVELS_CONFIG);
        }
        if (RoleSettings.of(config.signals()).enabled()) {
            topics.putIfAbsent(config.getString(DriftwatchConfig.TOPIC_ROLE_COMPARISONS_CONFIG),
                    DriftwatchConfig.TOPIC_ROLE_COMPARISONS_CONFIG);
        }
        if (ReviewSettings.of(config.signals()).enabled()) {
            topics.putIfAbsent(config.getString(DriftwatchConfig.TOPIC_REVIEW_CONFIG),
                    DriftwatchConfig.TOPIC_REVIEW_CONFIG);
        }
        return topics;
    }

    /**
     * Checks that outcome-events has as many partitions as inference-events, as the join of outcomes to
     * inferences by request id needs (partition p of both topics is read by the same task).
     *
     * @throws PreflightException naming both topics and their counts when they differ
     */
    public static void checkOutcomePartitions(String eventsTopic, int eventsPartitions, String outcomesTopic,
                                              int outcomesPartitions) {
        if (eventsPartitions != outcomesPartitions) {
            throw new PreflightException("topic '" + outcomesTopic + "' (" + DriftwatchConfig.TOPIC_OUTCOME_EVENTS_CONFIG
                    + ") has " + outcomesPartitions + " partitions but '" + eventsTopic + "' ("
                    + DriftwatchConfig.TOPIC_INFERENCE_EVENTS_CONFIG + ") has " + eventsPartitions + "; business outcomes"
                    + " are joined to inferences by request id within each partition, so both topics must have the"
                    + " same partition count (and the same key and partitioner): give '" + outcomesTopic + "' "
                    + eventsPartitions + " partitions, or set business.enabled=false");
        }
    }

    private <T> T await(org.apache.kafka.common.KafkaFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachable(what);
            }
            if (cause instanceof org.apache.kafka.common.errors.AuthenticationException) {
                PreflightException p = new PreflightException("authentication failed at Kafka "
                        + DriftwatchConfig.BOOTSTRAP_SERVERS_CONFIG + "=" + bootstrapServers + " (trying to " + what
                        + "): " + rootMessage(cause) + "; check the user name and password in kafka.sasl.jaas.config,"
                        + " kafka.sasl.mechanism and kafka.security.protocol");
                p.initCause(cause);
                throw p;
            }
            PreflightException p = new PreflightException("cannot " + what + " on Kafka at "
                    + DriftwatchConfig.BOOTSTRAP_SERVERS_CONFIG + "=" + bootstrapServers + ": " + rootMessage(cause));
            p.initCause(cause);
            throw p;
        } catch (TimeoutException e) {
            throw unreachable(what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PreflightException("interrupted while waiting to " + what);
        }
    }

    private PreflightException unreachable(String what) {
        return new PreflightException("no answer from Kafka at " + DriftwatchConfig.BOOTSTRAP_SERVERS_CONFIG + "="
                + bootstrapServers + " within " + timeout.toSeconds() + " s (trying to " + what + "); check that"
                + " the address is right and the brokers are running, and the security settings"
                + " (kafka.security.protocol, kafka.sasl.*) if the cluster needs them");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.replace('\n', ' ');
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
