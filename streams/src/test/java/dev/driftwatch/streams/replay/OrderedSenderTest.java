package dev.driftwatch.streams.replay;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@link OrderedSender} commits chunks, tries again after a failure, and gives up. */
class OrderedSenderTest {
    /** A mock producer whose commit and abort fail the given number of times, with the given errors. */
    private static final class Flaky extends MockProducer<byte[], byte[]> {
        private final List<RuntimeException> commitFailures = new ArrayList<>();
        private final List<RuntimeException> abortFailures = new ArrayList<>();
        private final List<RuntimeException> initFailures = new ArrayList<>();
        private int sends;
        private int aborts;

        Flaky() {
            super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public synchronized java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> send(
                ProducerRecord<byte[], byte[]> record) {
            sends++;
            return super.send(record);
        }

        @Override
        public void initTransactions() {
            if (!initFailures.isEmpty()) {
                throw initFailures.remove(0);
            }
            super.initTransactions();
        }

        @Override
        public void commitTransaction() {
            if (!commitFailures.isEmpty()) {
                throw commitFailures.remove(0);
            }
            super.commitTransaction();
        }

        @Override
        public void abortTransaction() {
            if (!abortFailures.isEmpty()) {
                throw abortFailures.remove(0);
            }
            aborts++;
            super.abortTransaction();
        }
    }

    private static ProducerRecord<byte[], byte[]> record(int i) {
        return new ProducerRecord<>("t", i % 2, null, new byte[] {(byte) i}, new byte[] {(byte) i});
    }

    private static List<Integer> values(MockProducer<byte[], byte[]> p) {
        return p.history().stream().map(r -> (int) r.value()[0]).toList();
    }

    private static OrderedSender sender(List<Flaky> made, Duration timeout, String text) {
        return new OrderedSender(() -> {
            Flaky p = new Flaky();
            made.add(p);
            return p;
        }, timeout, text, 3, Duration.ofMinutes(1));
    }

    private static void send(OrderedSender sender, int from, int to) {
        IntStream.range(from, to).forEach(i -> sender.send(record(i)));
    }

    @Test
    void shouldCommitEveryChunkInItsOwnTransaction() {
        List<Flaky> made = new ArrayList<>();
        OrderedSender sender = sender(made, Duration.ofMinutes(1), "1m");
        send(sender, 0, 7);
        assertEquals(List.of(0, 1, 2, 3, 4, 5), values(made.get(0)), "two chunks of 3 committed, the 7th open");
        assertEquals(6, sender.committed());
        sender.finish();
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), values(made.get(0)));
        assertEquals(7, sender.committed());
        sender.close();
        assertTrue(made.get(0).closed());
    }

    @Test
    void shouldCommitAgainWhenTheOutcomeOfACommitIsNotKnown() {
        List<Flaky> made = new ArrayList<>();
        OrderedSender sender = sender(made, Duration.ofMinutes(1), "1m");
        send(sender, 0, 1);
        made.get(0).commitFailures.add(new TimeoutException("commit timed out"));
        made.get(0).commitFailures.add(new TimeoutException("commit timed out"));
        send(sender, 1, 3);
        assertEquals(List.of(0, 1, 2), values(made.get(0)));
        assertEquals(3, made.get(0).sends, "nothing sent again");
    }

    @Test
    void shouldAbortAndSendTheChunkAgainFromItsFirstRecordWhenItsTransactionFailed() {
        List<Flaky> made = new ArrayList<>();
        OrderedSender sender = sender(made, Duration.ofMinutes(1), "1m");
        send(sender, 0, 3);
        made.get(0).commitFailures.add(new KafkaException("a record failed: NOT_LEADER_OR_FOLLOWER"));
        send(sender, 3, 7);
        sender.finish();
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), values(made.get(0)), "the aborted copy is not in the topic");
        assertEquals(10, made.get(0).sends, "the chunk 3..5 sent twice");
        assertEquals(1, made.get(0).aborts);
        assertEquals(1, made.size());
    }

    @Test
    void shouldSendTheChunkAgainWithANewProducerWhenTheOldOneCannotAbort() {
        List<Flaky> made = new ArrayList<>();
        OrderedSender sender = sender(made, Duration.ofMinutes(1), "1m");
        send(sender, 0, 4);
        made.get(0).commitFailures.add(new KafkaException("the producer is in a fatal state"));
        made.get(0).abortFailures.add(new KafkaException("the producer is in a fatal state"));
        send(sender, 4, 6);
        sender.finish();
        assertEquals(2, made.size());
        assertTrue(made.get(0).closed());
        assertEquals(List.of(0, 1, 2), values(made.get(0)));
        assertEquals(List.of(3, 4, 5), values(made.get(1)), "the whole chunk, from its first record, in order");
        assertTrue(made.get(1).transactionInitialized());
    }

    @Test
    void shouldKeepStartingANewProducerUntilOneRegistersTheTransactionalId() {
        List<Flaky> made = new ArrayList<>();
        OrderedSender sender = new OrderedSender(() -> {
            Flaky p = new Flaky();
            if (made.size() == 1) {
                p.initFailures.add(new TimeoutException("coordinator not available"));
            }
            made.add(p);
            return p;
        }, Duration.ofMinutes(1), "1m", 3, Duration.ofMinutes(1));
        send(sender, 0, 2);
        made.get(0).commitFailures.add(new KafkaException("fatal"));
        made.get(0).abortFailures.add(new KafkaException("fatal"));
        sender.finish();
        assertEquals(3, made.size(), "the second producer could not start; the third did");
        assertTrue(made.get(1).closed());
        assertEquals(List.of(0, 1), values(made.get(2)));
        assertEquals(2, sender.committed());
    }

    @Test
    void shouldGiveUpAtOnceWhenAnotherProducerTookTheTransactionalIdNamingTheCommittedRecords() {
        List<Flaky> made = new ArrayList<>();
        OrderedSender sender = sender(made, Duration.ofMinutes(1), "1m");
        send(sender, 0, 4);
        made.get(0).commitFailures.add(new ProducerFencedException("epoch 3 is older than 4"));
        OrderedSender.GaveUp g = assertThrows(OrderedSender.GaveUp.class, () -> send(sender, 4, 6));
        assertEquals(3, g.committed());
        assertTrue(g.getMessage().startsWith("another replay with the same transactional id took over"),
                g.getMessage());
        assertTrue(made.get(0).closed());
        assertEquals(1, made.size(), "no new producer");
    }

    @Test
    void shouldGiveUpWhenAChunkCouldNotBeCommittedForTheTimeout() {
        List<Flaky> made = new ArrayList<>();
        OrderedSender sender = sender(made, Duration.ofMillis(1200), "1200ms");
        send(sender, 0, 3);
        for (int i = 0; i < 10; i++) {
            made.get(0).commitFailures.add(new TimeoutException("coordinator not available"));
        }
        send(sender, 3, 5);
        long start = System.nanoTime();
        OrderedSender.GaveUp g = assertThrows(OrderedSender.GaveUp.class, sender::finish);
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(700).toNanos(), "waited before giving up");
        assertEquals(3, g.committed());
        assertEquals("nothing committed for 1200ms (--timeout): coordinator not available", g.getMessage());
        assertFalse(made.get(0).transactionCommitted() && values(made.get(0)).size() > 3);
        assertTrue(made.get(0).closed());
    }
}
