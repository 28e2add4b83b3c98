package dev.driftwatch.streams.client;

import dev.driftwatch.schemas.avro.ControlCommand;
import dev.driftwatch.schemas.avro.ControlResult;
import dev.driftwatch.streams.config.DriftwatchConfig;
import dev.driftwatch.streams.config.Preflight;
import dev.driftwatch.streams.config.Preflight.PreflightException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Steers a running pipeline: writes a {@link ControlCommand} to the control topic ({@code topic.control}) and
 * waits for the pipeline's {@link ControlResult} with the same command id on the results topic
 * ({@code topic.control.results}), read_committed.
 */
public final class ControlClient {
    private final DriftwatchConfig cfg;

    public ControlClient(DriftwatchConfig cfg) {
        this.cfg = cfg;
    }

    /**
     * Writes the command and waits for its result. The results topic's end offsets are taken before the command
     * is written, so that the result cannot be missed; a command id the pipeline has seen before gets its first
     * result again.
     *
     * @param wait how long to wait for the result, from the call
     * @return the result, or empty when none arrived within {@code wait}
     * @throws PreflightException (one line) when the broker cannot be reached, a topic does not exist, or the
     *     command is not acknowledged
     */
    public Optional<ControlResult> send(ControlCommand command, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        requireTopics();
        Deserializer<ControlResult> values = cfg.topics().controlResults().valueSerde().deserializer();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProperties(cfg),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(cfg.controlResultsTopic(), Preflight.DEFAULT_TIMEOUT)) {
                partitions.add(new TopicPartition(p.topic(), p.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            produce(command);
            while (System.nanoTime() < deadline) {
                long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(Math.min(left, 500)))) {
                    if (command.getCommandId().equals(r.key()) && r.value() != null) {
                        return Optional.of(values.deserialize(r.topic(), r.value()));
                    }
                }
            }
            return Optional.empty();
        }
    }

    /** A consumer of the results that commits nothing and sees only committed results. */
    static Properties consumerProperties(DriftwatchConfig cfg) {
        Properties props = cfg.consumerProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, cfg.applicationId() + "-ctl");
        return props;
    }

    private void requireTopics() {
        try (Preflight preflight = Preflight.connect(cfg, Preflight.DEFAULT_TIMEOUT)) {
            List<String> missing = preflight.missing(List.of(cfg.controlTopic(), cfg.controlResultsTopic()));
            if (!missing.isEmpty()) {
                throw new PreflightException("topics " + missing + " (" + DriftwatchConfig.TOPIC_CONTROL_CONFIG + ", "
                        + DriftwatchConfig.TOPIC_CONTROL_RESULTS_CONFIG + ") do not exist on "
                        + cfg.requireBootstrapServers() + "; driftwatch run --create-topics creates them");
            }
        }
    }

    private void produce(ControlCommand command) {
        try (KafkaProducer<String, ControlCommand> producer = new KafkaProducer<>(
                ClientProducers.acknowledged(cfg, "ctl"), new StringSerializer(),
                cfg.topics().control().valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(cfg.controlTopic(), command.getCommandId(), command))
                    .get(Preflight.DEFAULT_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new PreflightException("command " + command.getCommandId() + " was not acknowledged on "
                    + cfg.controlTopic() + ": " + cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PreflightException("interrupted while writing command " + command.getCommandId());
        }
    }
}
