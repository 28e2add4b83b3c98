package dev.driftwatch.streams.business;

import dev.driftwatch.schemas.avro.OutcomeType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ground truth (LABEL outcomes) and the predicted class kept with a request, and the stored format 4. */
class JoinedRequestLabelTest {
    @Test
    void shouldKeepTheFirstLabelAndItsValueApartFromTheBusinessValues() {
        JoinedRequest r = new JoinedRequest();
        r.inference("m", "1", "", 1_000, 60_000);
        r.predictedLabel("spam");
        r.modelScore(3.5);
        assertTrue(r.outcome(OutcomeType.LABEL, 4.0, null, "ham"));
        assertFalse(r.outcome(OutcomeType.LABEL, 9.0, null, "spam"), "a second label is a duplicate");
        assertEquals(1, r.duplicates());
        assertTrue(r.labelled());
        assertEquals("ham", r.trueLabel());
        assertEquals(4.0, r.trueValue(), 0.0);
        assertEquals(0, r.valuedOutcomes(), "a label's value is its target, not a business value");
        assertEquals(1, r.outcomes());

        JoinedRequest read = JoinedRequest.fromBytes(r.toBytes());
        assertEquals("spam", read.predictedLabel());
        assertEquals("ham", read.trueLabel());
        assertEquals(4.0, read.trueValue(), 0.0);
        assertEquals(3.5, read.modelScore(), 0.0);
        assertTrue(read.labelled());
    }

    @Test
    void shouldJoinAWaitingLabelWhenItsInferenceComesAfterARestart() {
        JoinedRequest r = new JoinedRequest();
        assertTrue(r.await(OutcomeType.IMPRESSION, 900, null, null, null));
        assertTrue(r.await(OutcomeType.LABEL, 950, null, null, "cat"));
        assertFalse(r.await(OutcomeType.LABEL, 960, null, null, "dog"));
        JoinedRequest stored = JoinedRequest.fromBytes(r.toBytes());
        stored.inference("m", "1", "", 1_000, 60_000);
        assertEquals(0, stored.joinWaiting(10_000));
        assertEquals("cat", stored.trueLabel());
        assertNull(stored.trueValue());
        assertTrue(stored.impressed());
    }

    @Test
    void shouldReadAVersion3RequestAsOneWithoutLabels() {
        JoinedRequest r = new JoinedRequest();
        r.inference("m", "1", "seg", 1_000, 60_000);
        r.modelScore(0.25);
        r.outcome(OutcomeType.IMPRESSION, 2.0);
        byte[] v4 = r.toBytes();
        // version 3: the same bytes up to and with the model score, without the three optional fields (all absent)
        byte[] v3 = Arrays.copyOf(v4, v4.length - 3);
        v3[0] = 3;
        JoinedRequest old = JoinedRequest.fromBytes(v3);
        assertEquals(0.25, old.modelScore(), 0.0);
        assertTrue(old.impressed());
        assertFalse(old.labelled());
        assertNull(old.predictedLabel());
        assertNull(old.trueLabel());
        assertEquals(1, old.valuedOutcomes());
        assertEquals("seg", old.segment());
    }
}
