package dev.driftwatch.streams.client;

import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.streams.baseline.CsvBaselines;
import dev.driftwatch.streams.config.DriftwatchConfig;
import dev.driftwatch.streams.config.Preflight;
import dev.driftwatch.streams.config.Preflight.PreflightException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Publishes baselines to the compacted baselines topic ({@code topic.baselines}), where the pipeline picks them
 * up: one record per entry, keyed by the entry's key, with an idempotent producer ({@code acks=all}).
 */
public final class BaselinePublisher {
    /** How long one baseline may take to be acknowledged. */
    static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final DriftwatchConfig cfg;

    public BaselinePublisher(DriftwatchConfig cfg) {
        this.cfg = cfg;
    }

    /**
     * Checks that the baselines topic exists, sends every entry, waits for the acknowledgements, and hands each
     * acknowledged entry to {@code acknowledged}, in order.
     *
     * @throws PreflightException (one line) when the broker cannot be reached, the topic does not exist, or a
     *     record is refused or not acknowledged in time
     */
    public void publish(List<CsvBaselines.Entry> entries, Consumer<CsvBaselines.Entry> acknowledged) {
        String servers = cfg.requireBootstrapServers();
        requireTopic(servers);
        Serializer<Baseline> values = cfg.topics().baselines().valueSerde().serializer();
        try (KafkaProducer<String, Baseline> producer = new KafkaProducer<>(producerProperties(cfg),
                new StringSerializer(), values)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (CsvBaselines.Entry e : entries) {
                sent.add(producer.send(new ProducerRecord<>(cfg.baselinesTopic(), e.key(), e.baseline())));
            }
            producer.flush();
            for (int i = 0; i < sent.size(); i++) {
                try {
                    sent.get(i).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException | TimeoutException ex) {
                    Throwable cause = ex instanceof ExecutionException ? ex.getCause() : ex;
                    throw new PreflightException("baseline " + entries.get(i).key() + " was not acknowledged by "
                            + DriftwatchConfig.BOOTSTRAP_SERVERS_CONFIG + "=" + servers + " on topic "
                            + cfg.baselinesTopic() + ": " + cause.getMessage());
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new PreflightException("interrupted while publishing baselines");
                }
                acknowledged.accept(entries.get(i));
            }
        } catch (KafkaException e) {
            throw new PreflightException("cannot publish to " + cfg.baselinesTopic() + " at "
                    + DriftwatchConfig.BOOTSTRAP_SERVERS_CONFIG + "=" + servers + ": " + e.getMessage());
        }
    }

    /**
     * {@link ClientProducers#acknowledged}, and unless the configuration sets them, request and delivery
     * timeouts that end a send within {@link #SEND_TIMEOUT}.
     */
    static Properties producerProperties(DriftwatchConfig cfg) {
        Properties props = ClientProducers.acknowledged(cfg, "baseline");
        if (!props.containsKey(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG)
                && !props.containsKey(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)) {
            props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Preflight.DEFAULT_TIMEOUT.toMillis());
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) (SEND_TIMEOUT.toMillis() - 5_000));
        }
        return props;
    }

    private void requireTopic(String servers) {
        try (Preflight preflight = Preflight.connect(cfg, Preflight.DEFAULT_TIMEOUT)) {
            if (!preflight.missing(List.of(cfg.baselinesTopic())).isEmpty()) {
                throw new PreflightException("topic '" + cfg.baselinesTopic() + "' ("
                        + DriftwatchConfig.TOPIC_BASELINES_CONFIG + ") does not exist on " + servers
                        + "; create it compacted, e.g. kafka-topics.sh --bootstrap-server " + servers + " --create"
                        + " --topic " + cfg.baselinesTopic() + " --config cleanup.policy=compact, or with driftwatch run"
                        + " --create-topics --check");
            }
        }
    }
}
