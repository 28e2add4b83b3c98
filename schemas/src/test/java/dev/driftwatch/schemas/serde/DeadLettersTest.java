package dev.driftwatch.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.driftwatch.schemas.avro.DeadLetter;
import dev.driftwatch.schemas.avro.DeadLetterReason;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DeadLettersTest {
    @Test
    void shouldKeepTheOriginalBytesCoordinatesAndReason() {
        byte[] value = {7, 1, 2};
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace", new byte[] {9});
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("inference-events", 3, 41L, 1_000L,
                TimestampType.CREATE_TIME, 1, 3, "k".getBytes(), value, headers, Optional.empty());
        BadRecordException failure = new BadRecordException(BadRecordException.Reason.WRONG_MAGIC_BYTE, null, "first byte is 0x07");

        DeadLetter letter = DeadLetters.of(record, failure, "driftwatch");

        assertEquals("inference-events", letter.getOriginalTopic());
        assertEquals(3, letter.getOriginalPartition());
        assertEquals(41L, letter.getOriginalOffset());
        assertEquals(ByteBuffer.wrap(value), letter.getOriginalValue());
        assertEquals(DeadLetterReason.WRONG_MAGIC_BYTE, letter.getReason());
        assertEquals("WRONG_MAGIC_BYTE: first byte is 0x07", letter.getDetail());
        assertEquals(Instant.ofEpochMilli(1_000L), letter.getFailedAt());
        assertEquals("trace", letter.getOriginalHeaders().get(0).getKey());
    }

    @Test
    void shouldCallOtherFailuresProcessingErrors() {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("t", 0, 0L, null, new byte[] {0});
        assertEquals(DeadLetterReason.PROCESSING_ERROR,
                DeadLetters.of(record, new IllegalStateException("boom"), null).getReason());
    }
}
