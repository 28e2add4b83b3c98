package dev.driftwatch.streams.app;

import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.config.DriftwatchConfig;
import dev.driftwatch.streams.ops.DriftStatus;
import dev.driftwatch.streams.ops.DriftwatchMetrics;
import dev.driftwatch.streams.ops.OpsHttpServer;
import dev.driftwatch.streams.ops.StoreMetricTags;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A running driftwatch pipeline: the topology of {@link DriftwatchTopology} on a {@link KafkaStreams}
 * client configured from {@link DriftwatchConfig}. Used by {@code driftwatch run} and the demo.
 *
 * <p>A stream thread that dies of a retriable Kafka error (a timeout, a leader change) is replaced, at
 * most {@value #MAX_REPLACEMENTS} times in {@link #REPLACEMENT_PERIOD}; any other error, or one
 * replacement too many, shuts this instance down ({@link KafkaStreams.State#ERROR}) and is kept as
 * {@link #failure()}. Every state change is logged.
 *
 * <p>Metrics go to a Prometheus registry: Micrometer's Kafka Streams binder ({@code kafka_stream_*},
 * {@code kafka_consumer_*}, {@code kafka_producer_*}), JVM and process meters, and driftwatch's own
 * ({@link DriftwatchMetrics}). Unless {@code http.enabled=false}, {@link OpsHttpServer} serves them with
 * the health and status endpoints on {@code http.bind.address:http.port} from before the start until
 * {@link #close()}.
 *
 * <pre>{@code
 * DriftwatchConfig config = DriftwatchConfig.load(Path.of("driftwatch.properties"));
 * try (DriftwatchApp app = DriftwatchApp.start(config, config.pipelineSettings(3))) {
 *     app.awaitState(KafkaStreams.State.RUNNING, Duration.ofSeconds(60));
 *     ...
 * }
 * }</pre>
 */
public final class DriftwatchApp implements AutoCloseable {
    /** How long {@link #close()} waits for the stream threads to finish. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** Most stream-thread replacements in {@link #REPLACEMENT_PERIOD} before the instance shuts down. */
    public static final int MAX_REPLACEMENTS = 5;
    public static final Duration REPLACEMENT_PERIOD = Duration.ofMinutes(5);

    private static final Logger LOG = LoggerFactory.getLogger(DriftwatchApp.class);
    private static final Set<KafkaStreams.State> TERMINAL =
            Set.of(KafkaStreams.State.NOT_RUNNING, KafkaStreams.State.ERROR);

    private final KafkaStreams streams;
    private final Topology topology;
    private final PrometheusMeterRegistry registry;
    private final DriftwatchMetrics metrics;
    private final KafkaStreamsMetrics streamsMetrics;
    private volatile OpsHttpServer http;
    private volatile DriftStatus status;
    private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
    private final Object stateLock = new Object();
    private final Deque<Long> replacements = new ArrayDeque<>();
    private volatile Throwable failure;

    private DriftwatchApp(KafkaStreams streams, Topology topology, PrometheusMeterRegistry registry,
                          DriftwatchMetrics metrics, KafkaStreamsMetrics streamsMetrics) {
        this.streams = streams;
        this.topology = topology;
        this.registry = registry;
        this.metrics = metrics;
        this.streamsMetrics = streamsMetrics;
    }

    /** The topology the app runs, with the topics and serdes of {@code config}. */
    public static Topology topology(DriftwatchConfig config, PipelineSettings settings) {
        return DriftwatchTopology.build(settings, config.topics(), config.controlSettings());
    }

    /**
     * Builds the topology and the Kafka Streams client, and starts it. Returns at once; use
     * {@link #awaitState} to wait for {@code RUNNING}.
     *
     * @param config   connection, topics and serdes ({@link DriftwatchConfig#streamsProperties()})
     * @param settings the topology's settings, e.g. {@code config.pipelineSettings(partitions)}
     * @throws org.apache.kafka.common.config.ConfigException when a setting is not valid
     *     ({@link RunSettingsCheck}, the checks of {@code run --check})
     */
    public static DriftwatchApp start(DriftwatchConfig config, PipelineSettings settings) {
        RunSettingsCheck.check(config);
        return startChecked(config, settings);
    }

    /**
     * {@link #start} for a caller that has just run {@link RunSettingsCheck#check} on {@code config} itself
     * ({@code driftwatch run} does, before it checks the topics): the check binds the HTTP port and builds a
     * serde, once is enough.
     */
    public static DriftwatchApp startChecked(DriftwatchConfig config, PipelineSettings settings) {
        PrometheusMeterRegistry registry = StoreMetricTags.registry();
        DriftwatchMetrics metrics = new DriftwatchMetrics(registry, config.metricsMaxSeries());
        settings = settings.withMetrics(metrics);
        Topology topology = topology(config, settings);
        KafkaStreams streams = new KafkaStreams(topology, config.streamsProperties());
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        DriftwatchApp app = new DriftwatchApp(streams, topology, registry, metrics, streamsMetrics);
        streams.setStateListener(app::onStateChange);
        streams.setUncaughtExceptionHandler(app::onUncaughtException);
        app.status = new DriftStatus(streams, config.applicationServer(), settings.policy().persistence().windows(),
                config.statusRemoteTimeout()).withBaselineProblems(metrics.baselineProblems());
        if (config.httpEnabled()) {
            try {
                app.http = OpsHttpServer.start(config.httpBindAddress(), config.httpPort(), streams::state,
                        registry::scrape, () -> app.status, metrics.baselineProblems());
            } catch (RuntimeException e) {
                app.close(Duration.ofSeconds(5));
                throw e;
            }
        }
        LOG.info("Starting application {} on {}: windows of {} every {}, grace {}, {} input partitions, policy {}",
                settings.applicationId(), config.requireBootstrapServers(), settings.windowSize(),
                settings.windowAdvance(), settings.grace(), settings.inputPartitions(), settings.policy().version());
        streams.start();
        return app;
    }

    /** The Kafka Streams state: CREATED, REBALANCING, RUNNING, PENDING_SHUTDOWN, NOT_RUNNING, PENDING_ERROR, ERROR. */
    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The topology running. */
    public Topology topology() {
        return topology;
    }

    /** The Kafka Streams client, for metrics and interactive queries. */
    public KafkaStreams streams() {
        return streams;
    }

    /** The port of the HTTP endpoints, empty when {@code http.enabled=false}. */
    public OptionalInt httpPort() {
        OpsHttpServer h = http;
        return h == null ? OptionalInt.empty() : OptionalInt.of(h.port());
    }

    /** driftwatch's own metrics, on {@link #registry()}. */
    public DriftwatchMetrics metrics() {
        return metrics;
    }

    /** Every meter of this instance, in the Prometheus format at {@code /metrics}. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The error that shut the instance down, if any. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Waits until the client reaches {@code wanted}, stops (NOT_RUNNING or ERROR), or the timeout passes.
     *
     * @return whether the state is {@code wanted}
     */
    public boolean awaitState(KafkaStreams.State wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (stateLock) {
            while (true) {
                KafkaStreams.State now = streams.state();
                if (now == wanted) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (TERMINAL.contains(now) || left <= 0) {
                    return false;
                }
                stateLock.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /**
     * Waits until the client has stopped: closed ({@code NOT_RUNNING}) or failed ({@code ERROR}).
     *
     * @return the final state
     */
    public KafkaStreams.State awaitTermination() throws InterruptedException {
        synchronized (stateLock) {
            while (!TERMINAL.contains(streams.state())) {
                stateLock.wait(1000); // woken by the state listener; the timeout only re-checks
            }
            return streams.state();
        }
    }

    /**
     * Stops the stream threads and waits up to {@code timeout} for them.
     *
     * @return whether every thread stopped in time
     */
    public boolean close(Duration timeout) {
        boolean closed = streams.close(timeout); // /health/ready answers 503 from here on
        if (!closed) {
            LOG.warn("driftwatch did not stop within {}; some threads may still be running", timeout);
        }
        if (released.compareAndSet(false, true)) { // close() runs twice on SIGTERM: the hook and run's finally
            OpsHttpServer h = http;
            if (h != null) {
                h.close();
            }
            streamsMetrics.close();
            registry.close();
        }
        return closed;
    }

    /** {@link #close(Duration)} with {@link #CLOSE_TIMEOUT}. */
    @Override
    public void close() {
        close(CLOSE_TIMEOUT);
    }

    private void onStateChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
        if (newState == KafkaStreams.State.ERROR || newState == KafkaStreams.State.PENDING_ERROR) {
            LOG.error("driftwatch state {} -> {}", oldState, newState);
        } else {
            LOG.info("driftwatch state {} -> {}", oldState, newState);
        }
        synchronized (stateLock) {
            stateLock.notifyAll();
        }
    }

    private StreamThreadExceptionResponse onUncaughtException(Throwable e) {
        if (isRetriable(e) && allowReplacement()) {
            LOG.warn("A stream thread failed with a retriable error; replacing it", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        failure = e;
        LOG.error("A stream thread failed; shutting this driftwatch instance down", e);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    private synchronized boolean allowReplacement() {
        long now = System.nanoTime();
        while (!replacements.isEmpty() && now - replacements.peekFirst() > REPLACEMENT_PERIOD.toNanos()) {
            replacements.removeFirst();
        }
        if (replacements.size() >= MAX_REPLACEMENTS) {
            return false;
        }
        replacements.addLast(now);
        return true;
    }

    private static boolean isRetriable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RetriableException) {
                return true;
            }
        }
        return false;
    }
}
