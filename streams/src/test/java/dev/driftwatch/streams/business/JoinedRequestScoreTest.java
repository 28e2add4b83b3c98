package dev.driftwatch.streams.business;

import dev.driftwatch.schemas.avro.OutcomeType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The inference's score kept with its request for the performance signal, and requests stored before it. */
class JoinedRequestScoreTest {
    @Test
    void shouldKeepTheScoreAndReadRequestsStoredWithoutOne() {
        JoinedRequest r = new JoinedRequest();
        r.inference("m", "1", "", 1_000, 60_000);
        r.modelScore(0.25);
        r.outcome(OutcomeType.IMPRESSION, null);
        r.outcome(OutcomeType.CLICK, null);
        byte[] bytes = r.toBytes();
        JoinedRequest read = JoinedRequest.fromBytes(bytes);
        assertEquals(0.25, read.modelScore(), 0.0);
        assertTrue(read.impressed() && read.clicked());
        // format 3 as stored before the score: without the score and without format 4's three optional fields
        byte[] v3 = Arrays.copyOf(bytes, bytes.length - Double.BYTES - 3);
        v3[0] = 3;
        JoinedRequest old = JoinedRequest.fromBytes(v3);
        assertTrue(Double.isNaN(old.modelScore()), "a request stored before the score has none");
        assertTrue(old.impressed() && old.clicked());
        assertEquals(r.eventTime(), old.eventTime());
    }
}
