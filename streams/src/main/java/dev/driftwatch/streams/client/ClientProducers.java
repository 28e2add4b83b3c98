package dev.driftwatch.streams.client;

import dev.driftwatch.streams.config.DriftwatchConfig;
import dev.driftwatch.streams.config.Preflight;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.util.Properties;

/** Producer settings that the clients share. */
final class ClientProducers {
    private ClientProducers() {
    }

    /**
     * An idempotent producer that waits for every in-sync replica ({@code acks=all}), named
     * {@code <application.id>-<role>} unless the configuration names it, and that gives up on an unreachable
     * broker after {@link Preflight#DEFAULT_TIMEOUT} instead of the client's minute.
     */
    static Properties acknowledged(DriftwatchConfig cfg, String role) {
        Properties props = cfg.producerProperties();
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, cfg.applicationId() + "-" + role);
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) Preflight.DEFAULT_TIMEOUT.toMillis());
        return props;
    }
}
