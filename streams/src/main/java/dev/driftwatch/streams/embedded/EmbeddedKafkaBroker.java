package dev.driftwatch.streams.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single Kafka broker in this JVM, in KRaft mode (one process that is both broker and
 * controller), for the demo, the offline mode and integration tests. No ZooKeeper, no Docker.
 *
 * <p>It listens on 127.0.0.1 only, on free ports chosen at start, keeps its log in a fresh temporary
 * folder that {@link #close()} deletes, and runs with replication factor 1 everywhere (internal
 * topics included), so that transactions ({@code exactly_once_v2}) and consumer groups work at once.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
 *     kafka.createTopics(List.of("inference-events"), 3);
 *     props.put("bootstrap.servers", kafka.bootstrapServers());
 *     ...
 * }
 * }</pre>
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String SASL_LISTENER = "SASL_PLAINTEXT";
    private static final String BROKER_USER = "driftwatch-broker";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String PLAIN_LOGIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";
    private static final int NODE_ID = 1;
    private static final int PORT_ATTEMPTS = 3;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaRaftServer server;
    private final Path logDir;
    private final int port;
    private final String clusterId;
    private final Map<String, String> clientSecurity;
    private boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, Path logDir, int port, String clusterId,
                                Map<String, String> clientSecurity) {
        this.server = server;
        this.logDir = logDir;
        this.port = port;
        this.clusterId = clusterId;
        this.clientSecurity = clientSecurity;
    }

    /** Starts a broker with the default settings. */
    public static EmbeddedKafkaBroker start() {
        return start(Map.of());
    }

    /**
     * Starts a broker and returns once it answers a metadata request.
     *
     * @param overrides broker settings that replace the defaults (e.g. {@code num.partitions});
     *     listener, port, node and log-directory settings are the launcher's and cannot be changed
     */
    public static EmbeddedKafkaBroker start(Map<String, String> overrides) {
        return start(overrides, null);
    }

    /**
     * Starts a broker whose client listener needs SASL/PLAIN authentication (security protocol
     * SASL_PLAINTEXT, mechanism PLAIN) with one of {@code users}. Clients set
     * {@code security.protocol=SASL_PLAINTEXT}, {@code sasl.mechanism=PLAIN} and
     * {@code sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required
     * username="..." password="...";}. The controller listener stays in-process plaintext; the broker
     * authenticates to itself with a user of its own, which {@link #admin()} uses too.
     *
     * @param users     user name to password; names and passwords without double quotes
     * @param overrides other broker settings, as for {@link #start(Map)}
     */
    public static EmbeddedKafkaBroker startWithSaslPlain(Map<String, String> users, Map<String, String> overrides) {
        if (users.isEmpty()) {
            throw new IllegalArgumentException("at least one SASL user is needed");
        }
        return start(overrides, users);
    }

    private static EmbeddedKafkaBroker start(Map<String, String> overrides, Map<String, String> saslUsers) {
        KafkaException last = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            try {
                return startOnce(overrides, saslUsers);
            } catch (KafkaException e) {
                if (!isBindFailure(e)) {
                    throw e;
                }
                last = e; // another process took a port between choosing and binding it: choose again
            }
        }
        throw last;
    }

    private static EmbeddedKafkaBroker startOnce(Map<String, String> overrides, Map<String, String> saslUsers) {
        Path logDir;
        try {
            logDir = Files.createTempDirectory("driftwatch-kafka-");
        } catch (IOException e) {
            throw new KafkaException("cannot create a log folder for the embedded broker", e);
        }
        int brokerPort = freePort();
        int controllerPort = freePort();
        String clusterId = Uuid.randomUuid().toString();
        Map<String, Object> props = new HashMap<>(overrides);
        String listener = saslUsers == null ? BROKER_LISTENER : SASL_LISTENER;
        Map<String, String> clientSecurity = Map.of();
        if (saslUsers != null) {
            String brokerPassword = Uuid.randomUuid().toString();
            StringBuilder jaas = new StringBuilder(PLAIN_LOGIN_MODULE + " required username=\"" + BROKER_USER
                    + "\" password=\"" + brokerPassword + "\" user_" + BROKER_USER + "=\"" + brokerPassword + "\"");
            saslUsers.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password)
                    .append('"'));
            props.put("listener.name." + SASL_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".plain.sasl.jaas.config",
                    jaas.append(';').toString());
            props.put("sasl.enabled.mechanisms", "PLAIN");
            props.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
            clientSecurity = Map.of("security.protocol", SASL_LISTENER, "sasl.mechanism", "PLAIN",
                    "sasl.jaas.config", plainJaasConfig(BROKER_USER, brokerPassword));
        }
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        props.put("listeners", listener + "://127.0.0.1:" + brokerPort + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", listener + "://127.0.0.1:" + brokerPort);
        props.put("listener.security.protocol.map", listener + ":" + listener + "," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", listener);
        props.put("log.dirs", logDir.toString());
        props.putIfAbsent("num.partitions", "1");
        props.putIfAbsent("offsets.topic.replication.factor", "1");
        props.putIfAbsent("offsets.topic.num.partitions", "5");
        props.putIfAbsent("transaction.state.log.replication.factor", "1");
        props.putIfAbsent("transaction.state.log.min.isr", "1");
        props.putIfAbsent("transaction.state.log.num.partitions", "5");
        props.putIfAbsent("share.coordinator.state.topic.replication.factor", "1");
        props.putIfAbsent("share.coordinator.state.topic.min.isr", "1");
        props.putIfAbsent("group.initial.rebalance.delay.ms", "0");
        props.putIfAbsent("auto.create.topics.enable", "true");
        props.putIfAbsent("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        // No deletion by age: the demo, the tests and the benchmark write events (and so window statistics and
        // alerts) with fixed, often weeks-old timestamps, and the broker's default of 7 days would delete them at
        // its first retention check, 30 s after start-up: consumers then jumped past records they had not read and
        // producers lost their idempotence state (OutOfOrderSequenceException) mid-run.
        props.putIfAbsent("log.retention.ms", "-1");

        KafkaConfig config = new KafkaConfig(props, false);
        format(config, logDir, clusterId);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, logDir, brokerPort, clusterId, clientSecurity);
        try {
            server.startup();
            broker.awaitReady();
        } catch (RuntimeException e) {
            broker.close();
            throw e instanceof KafkaException ? (KafkaException) e : new KafkaException("embedded broker did not start", e);
        }
        return broker;
    }

    /** Writes meta.properties and the bootstrap metadata, as {@code kafka-storage.sh format} does. */
    private static void format(KafkaConfig config, Path logDir, String clusterId) {
        try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream())) {
            new Formatter()
                    .setPrintStream(quiet)
                    .setClusterId(clusterId)
                    .setNodeId(NODE_ID)
                    .addDirectory(logDir.toString())
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (Exception e) {
            throw new KafkaException("cannot format the embedded broker's log folder " + logDir, e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = admin()) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // not answering yet
                }
                if (System.nanoTime() > deadline) {
                    throw new KafkaException("embedded broker on 127.0.0.1:" + port + " did not answer within " + READY_TIMEOUT);
                }
                Thread.sleep(100); // poll interval between two metadata requests
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while waiting for the embedded broker", e);
        }
    }

    /** The JAAS line of a SASL/PLAIN client: {@code PlainLoginModule required username="u" password="p";}. */
    public static String plainJaasConfig(String user, String password) {
        return PLAIN_LOGIN_MODULE + " required username=\"" + user + "\" password=\"" + password + "\";";
    }

    /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The KRaft cluster id chosen at start. */
    public String clusterId() {
        return clusterId;
    }

    /** The folder holding the broker's log; deleted by {@link #close()}. */
    public Path logDir() {
        return logDir;
    }

    /** An admin client on this broker; the caller closes it. */
    public Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.putAll(clientSecurity);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
        return Admin.create(props);
    }

    /** Creates topics (replication factor 1) unless they exist, and waits until they do. */
    public void createTopics(Collection<String> names, int partitions) {
        List<NewTopic> topics = names.stream().map(n -> new NewTopic(n, partitions, (short) 1)).toList();
        try (Admin admin = admin()) {
            admin.createTopics(topics).values().forEach((name, future) -> {
                try {
                    future.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new KafkaException("cannot create topic " + name, e.getCause());
                    }
                } catch (TimeoutException e) {
                    throw new KafkaException("topic " + name + " was not created within 30 s", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new KafkaException("interrupted while creating topic " + name, e);
                }
            });
            awaitLeaders(admin, names);
        }
    }

    /**
     * Waits until the broker's metadata names a leader for every partition of the topics. The controller answers a
     * creation before the broker has applied it; a client that asks the broker at once (a global store at start,
     * say) can still find no partitions.
     */
    private static void awaitLeaders(Admin admin, Collection<String> names) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                boolean ready = admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS).values()
                        .stream().allMatch(d -> !d.partitions().isEmpty()
                                && d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
                if (ready) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                // not known to the broker yet (UnknownTopicOrPartition): ask again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted while waiting for topics " + names, e);
            }
            if (System.nanoTime() > deadline) {
                throw new KafkaException("topics " + names + " have no leader on the broker within 30 s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted while waiting for topics " + names, e);
            }
        }
    }

    /** Stops the broker, waits for it, and deletes its log folder. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            try {
                Utils.delete(logDir.toFile());
            } catch (IOException e) {
                // a temporary folder: left for the OS to clean
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new KafkaException("cannot find a free port on 127.0.0.1", e);
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }
}
