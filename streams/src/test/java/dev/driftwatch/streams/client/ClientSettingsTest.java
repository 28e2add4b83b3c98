package dev.driftwatch.streams.client;

import dev.driftwatch.streams.config.DriftwatchConfig;
import dev.driftwatch.streams.replay.RatePacer;
import dev.driftwatch.streams.replay.ResumePoint;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the clients ask of Kafka, checked without a broker. */
class ClientSettingsTest {

    private static DriftwatchConfig config(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>(Map.of("bootstrap.servers", "127.0.0.1:1",
                "application.id", "settings-test"));
        props.putAll(extra);
        return new DriftwatchConfig(props);
    }

    @Test
    void shouldPublishBaselinesIdempotentlyToEveryReplicaWithinTheSendTimeout() {
        Properties p = BaselinePublisher.producerProperties(config(Map.of()));
        assertEquals(true, p.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
        assertEquals("all", p.get(ProducerConfig.ACKS_CONFIG));
        assertEquals("settings-test-baseline", p.get(ProducerConfig.CLIENT_ID_CONFIG));
        assertTrue(((Integer) p.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG))
                < BaselinePublisher.SEND_TIMEOUT.toMillis(), "a send fails before the wait for it ends");
    }

    @Test
    void shouldKeepTheTimeoutsAndClientIdTheConfigurationSets() {
        Properties p = BaselinePublisher.producerProperties(config(Map.of("kafka.delivery.timeout.ms", "120000",
                "kafka.client.id", "mine")));
        assertEquals("mine", p.get(ProducerConfig.CLIENT_ID_CONFIG));
        assertEquals("120000", String.valueOf(p.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)));
        assertFalse(p.containsKey(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG), "left to the client's default");
    }

    @Test
    void shouldAwaitControlResultsReadCommittedWithoutCommittingOffsets() {
        Properties p = ControlClient.consumerProperties(config(Map.of()));
        assertEquals("read_committed", p.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG));
        assertEquals(false, p.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG));
        assertEquals("settings-test-ctl", p.get(ConsumerConfig.CLIENT_ID_CONFIG));
        assertFalse(p.containsKey(ConsumerConfig.GROUP_ID_CONFIG), "no consumer group: partitions are assigned");
    }

    @Test
    void shouldCopyATopicWithConsumerSettingsOnly() {
        Properties p = EventReplay.consumerProperties(config(Map.of()));
        assertEquals("127.0.0.1:1", p.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
        p.keySet().forEach(k -> assertTrue(ConsumerConfig.configNames().contains(String.valueOf(k)), k + " in " + p));
    }

    @Test
    void shouldRefuseToCopyATopicIntoItselfBeforeConnecting() {
        EventReplay replay = new EventReplay(config(Map.of()), new EventReplay.Plan("inference-events", null, null,
                new RatePacer(0), Duration.ofSeconds(1), "1s", ResumePoint.parse("0"), false, false, "x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> replay.fromTopic("inference-events", null, false, null));
        assertEquals("--from-topic inference-events is also the target topic; name another one with --topic",
                e.getMessage());
        assertTrue(Double.isNaN(replay.fraction()), "nothing read yet");
    }

    @Test
    void shouldCloseTheLastWindowPastItsGraceAndTheBusinessJoin() {
        Map<String, String> props = new HashMap<>(Map.of("window.size.ms", "60000", "window.grace.ms", "5000"));
        assertEquals(1_000 + 60_000 + 5_000 + 1, EventReplay.closingTime(config(props), 1_000));
        props.putAll(Map.of("business.enabled", "true", "business.join.window.ms", "600000",
                "business.join.grace.ms", "30000"));
        assertEquals(1_000 + 60_000 + 5_000 + 600_000 + 30_000 + 1, EventReplay.closingTime(config(props), 1_000));
    }
}
