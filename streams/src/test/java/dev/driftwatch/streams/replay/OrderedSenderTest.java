package dev.driftwatch.streams.replay;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The acknowledged run from record 1 on, and when {@link OrderedSender} gives up. */
class OrderedSenderTest {
    private static MockProducer<byte[], byte[]> producer() {
        return new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static ProducerRecord<byte[], byte[]> record(int i) {
        return new ProducerRecord<>("t", i % 2, null, new byte[] {(byte) i}, new byte[] {(byte) i});
    }

    @Test
    void shouldGiveUpAtTheNextSendAfterAFailedRecordNamingTheAcknowledgedRun() {
        MockProducer<byte[], byte[]> producer = producer();
        OrderedSender sender = new OrderedSender(producer, Duration.ofMinutes(1), "1m");
        for (int i = 0; i < 5; i++) {
            sender.send(record(i));
        }
        assertTrue(producer.completeNext());
        assertTrue(producer.completeNext());
        assertTrue(producer.errorNext(new AuthorizationException("not allowed to write t")));
        OrderedSender.GaveUp g = assertThrows(OrderedSender.GaveUp.class, () -> sender.send(record(5)));
        assertEquals(2, g.acknowledged());
        assertEquals(0, g.acknowledgedAfterGap());
        assertEquals(List.of(1L, 1L), Arrays.stream(g.acknowledgedPerPartition()).boxed().toList());
        assertEquals("not allowed to write t", g.getMessage());
        assertTrue(producer.closed(), "closed at once, so that the records after the failed one are not sent");
        assertEquals(5, producer.history().size(), "the record after the failure was not handed to the producer");
    }

    @Test
    void shouldGiveUpWhenRecordsWaitedForTheTimeoutWithoutAnAcknowledgement() throws InterruptedException {
        MockProducer<byte[], byte[]> producer = producer();
        OrderedSender sender = new OrderedSender(producer, Duration.ofMillis(50), "50ms");
        sender.send(record(0));
        sender.send(record(1));
        assertTrue(producer.completeNext());
        Thread.sleep(120); // longer than the timeout under test
        OrderedSender.GaveUp g = assertThrows(OrderedSender.GaveUp.class, sender::finish);
        assertEquals(1, g.acknowledged());
        assertEquals("no acknowledgement for 50ms (--timeout)", g.getMessage());
    }

    @Test
    void shouldFinishWhenEveryRecordIsAcknowledged() {
        MockProducer<byte[], byte[]> producer = producer();
        OrderedSender sender = new OrderedSender(producer, Duration.ofMinutes(1), "1m");
        for (int i = 0; i < 3; i++) {
            sender.send(record(i));
        }
        producer.completeNext();
        assertEquals(1, sender.acknowledged());
        producer.completeNext();
        producer.completeNext();
        sender.finish();
        assertEquals(3, sender.acknowledged());
        sender.close();
    }
}
