package dev.driftwatch.streams.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.driftwatch.streams.embedded.EmbeddedKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The in-process KRaft broker that the demo and the integration tests run on. */
@Timeout(180)
class EmbeddedKafkaBrokerIntegrationTest {

    @Test
    void shouldServeTransactionsAndConsumerGroupsThenDeleteItsLogOnClose() throws Exception {
        Path logDir;
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            logDir = kafka.logDir();
            assertTrue(kafka.bootstrapServers().startsWith("127.0.0.1:"), kafka.bootstrapServers());
            kafka.createTopics(List.of("tx-topic"), 2);
            kafka.createTopics(List.of("tx-topic"), 2); // idempotent

            Properties producerProps = new Properties();
            producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-broker-test");
            try (KafkaProducer<String, String> producer =
                         new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("tx-topic", "k" + i, "v" + i));
                }
                producer.commitTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("tx-topic", "aborted", "never seen"));
                producer.abortTransaction();
            }

            Properties consumerProps = new Properties();
            consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "embedded-broker-test");
            consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            List<String> values = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer =
                         new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("tx-topic"));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (values.size() < 10) {
                    if (System.nanoTime() > deadline) {
                        fail("read " + values.size() + " of 10 committed records within 60 s");
                    }
                    consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
                }
                // the aborted record sits after the committed ones: one more poll must not return it
                consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
            }
            assertEquals(10, values.size(), values.toString());
            assertFalse(values.contains("never seen"));
            assertTrue(Files.isDirectory(logDir));
        }
        assertFalse(Files.exists(logDir), "close() must delete " + logDir);
    }

    @Test
    void shouldRunTwoBrokersSideBySideOnTheirOwnPorts() {
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.start();
             EmbeddedKafkaBroker second = EmbeddedKafkaBroker.start()) {
            assertNotEquals(first.bootstrapServers(), second.bootstrapServers());
            assertNotEquals(first.clusterId(), second.clusterId());
            second.createTopics(List.of("only-on-second"), 1);
        }
    }
}
