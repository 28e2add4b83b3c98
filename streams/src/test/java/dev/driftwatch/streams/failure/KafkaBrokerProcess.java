package dev.driftwatch.streams.failure;

import kafka.server.KafkaConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A single KRaft broker (broker and controller) in a child JVM ({@code kafka.Kafka}), on fixed ports and
 * a log folder that outlive it, so that it can be stopped and started again on the same data, as a
 * broker restart in production.
 */
final class KafkaBrokerProcess implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Path dir;
    private final Path properties;
    private final int port;
    private int starts;
    private ChildJvm jvm;

    private KafkaBrokerProcess(Path dir, Path properties, int port) {
        this.dir = dir;
        this.properties = properties;
        this.port = port;
    }

    /** Formats a new log folder under {@code dir} and starts the broker on it. */
    static KafkaBrokerProcess start(Path dir) throws Exception {
        int port = freePort();
        int controllerPort = freePort();
        Path logDir = Files.createDirectories(dir.resolve("kafka-log"));
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("num.partitions", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "3");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "3");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        // The traffic has fixed event times (record timestamps) weeks in the past: with the default 7-day
        // retention the broker would delete it at its first retention check, ~30 s after it starts.
        props.put("log.retention.ms", "-1");
        KafkaConfig config = new KafkaConfig(props, false);
        try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream())) {
            new Formatter().setPrintStream(quiet).setClusterId(Uuid.randomUuid().toString()).setNodeId(1)
                    .addDirectory(logDir.toString()).setMetadataLogDirectory(config.metadataLogDir())
                    .setControllerListenerName("CONTROLLER").setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        }
        Path file = dir.resolve("server.properties");
        Files.writeString(file, props.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n")));
        KafkaBrokerProcess broker = new KafkaBrokerProcess(dir, file, port);
        broker.startAgain();
        return broker;
    }

    /** Starts the broker process (again) on the same ports and log folder, and waits until it answers. */
    void startAgain() throws Exception {
        if (jvm != null && jvm.isAlive()) {
            throw new IllegalStateException("the broker is running");
        }
        Path log = Path.of("target", "it-logs", "failure-broker-" + port + "-" + (++starts) + ".log").toAbsolutePath();
        jvm = ChildJvm.start(log, List.of("-Xmx1g"), "kafka.Kafka", properties.toString());
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = admin()) {
            while (true) {
                if (!jvm.isAlive()) {
                    throw new AssertionError("the broker exited with " + jvm.exitValue() + ": " + jvm.tail());
                }
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception notYet) {
                    // not answering yet
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the broker did not answer within " + READY_TIMEOUT + ": " + jvm.tail());
                }
                Thread.sleep(200); // poll interval between two metadata requests
            }
        }
    }

    /** Stops the broker as an operator would (SIGTERM, controlled shutdown). */
    void stop() throws InterruptedException {
        jvm.stop(60);
    }

    /** Kills the broker process (SIGKILL): no controlled shutdown, no snapshot of producer state. */
    void kill() throws InterruptedException {
        jvm.kill();
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
        return Admin.create(props);
    }

    void createTopics(Collection<String> names, int partitions, Map<String, String> configs) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(names.stream().map(n -> new NewTopic(n, partitions, (short) 1).configs(configs))
                    .toList()).all().get(30, TimeUnit.SECONDS);
        }
    }

    String tail() {
        return jvm == null ? "" : jvm.tail();
    }

    @Override
    public void close() {
        if (jvm != null) {
            try {
                jvm.stop(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                jvm.close();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
