package dev.driftwatch.streams.business;

import dev.driftwatch.schemas.avro.OutcomeType;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.internals.WindowBundle;
import dev.driftwatch.streams.internals.WindowParts;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The business part of a window: what a request adds, merging, and its bytes in the window state. */
class BusinessPartTest {
    /** Reads this signal's window parts back. */
    private static final WindowParts PARTS = WindowParts.of(List.of(new BusinessSignal(
            PipelineSettings.defaults(Duration.ofMinutes(1)))));

    private static JoinedRequest request(double value, OutcomeType... outcomes) {
        JoinedRequest r = new JoinedRequest();
        r.inference("m", "1", "*", 1_000, 60_000);
        for (OutcomeType t : outcomes) {
            r.outcome(t, t == OutcomeType.CONVERSION ? value : null);
        }
        return r;
    }

    @Test
    void shouldCountAClickOnlyWithAnImpressionAndAConversionOnlyWithAClick() {
        BusinessPart p = new BusinessPart();
        p.add(request(0, OutcomeType.IMPRESSION, OutcomeType.CLICK, OutcomeType.CONVERSION));
        p.add(request(0, OutcomeType.CLICK));
        p.add(request(0, OutcomeType.IMPRESSION, OutcomeType.CONVERSION));
        p.add(request(0, OutcomeType.CLICK, OutcomeType.IMPRESSION, OutcomeType.CLICK));
        p.add(request(0));
        assertEquals(5, p.requests());
        assertEquals(3, p.impressions());
        assertEquals(2, p.clicks());
        assertEquals(1, p.conversions());
        assertEquals(1, p.clicksWithoutImpression());
        assertEquals(1, p.conversionsWithoutClick());
        assertEquals(1, p.clicksBeforeImpression());
        assertEquals(1, p.duplicates());
    }

    @Test
    void shouldSumValuesExactlyInAnyMergeOrder() {
        BusinessPart a = new BusinessPart();
        BusinessPart b = new BusinessPart();
        BusinessPart c = new BusinessPart();
        a.add(request(0.1, OutcomeType.IMPRESSION, OutcomeType.CLICK, OutcomeType.CONVERSION));
        b.add(request(0.2, OutcomeType.IMPRESSION, OutcomeType.CLICK, OutcomeType.CONVERSION));
        c.add(request(1e9 + 0.3, OutcomeType.IMPRESSION, OutcomeType.CLICK, OutcomeType.CONVERSION));
        BusinessPart abc = (BusinessPart) ((BusinessPart) copy(a).merge(copy(b))).merge(copy(c));
        BusinessPart cba = (BusinessPart) ((BusinessPart) copy(c).merge(copy(b))).merge(copy(a));
        assertEquals(abc.valueSum(), cba.valueSum(), 0.0);
        assertEquals(1e9 + 0.6, abc.valueSum(), 1e-6);
        assertEquals(3, abc.valuedOutcomes());
    }

    @Test
    void shouldTravelInTheWindowStateAndMergeThere() {
        WindowBundle one = new WindowBundle("m", "1", "*", 0, 60_000);
        BusinessPart.of(one).add(request(2.5, OutcomeType.IMPRESSION, OutcomeType.CLICK, OutcomeType.CONVERSION));
        WindowBundle two = new WindowBundle("m", "1", "*", 0, 60_000);
        BusinessPart.of(two).add(request(0, OutcomeType.IMPRESSION, OutcomeType.IMPRESSION));
        byte[] bytes = one.toBytes();
        WindowBundle back = WindowBundle.fromBytes(bytes, PARTS);
        assertArrayEquals(bytes, back.toBytes(), "same state, same bytes");
        back.merge(WindowBundle.fromBytes(two.toBytes(), PARTS));
        BusinessPart p = (BusinessPart) back.part(BusinessPart.NAME);
        assertEquals(2, p.requests());
        assertEquals(2, p.impressions());
        assertEquals(1, p.clicks());
        assertEquals(1, p.duplicates());
        assertEquals(2.5, p.valueSum(), 0.0);
    }

    @Test
    void shouldKeepARequestThroughItsBytes() {
        JoinedRequest r = request(4.0, OutcomeType.CLICK, OutcomeType.IMPRESSION, OutcomeType.CONVERSION,
                OutcomeType.CONVERSION, OutcomeType.OTHER);
        r.deadline(11_000);
        r.outsideWindow(2);
        JoinedRequest back = JoinedRequest.fromBytes(r.toBytes());
        assertArrayEquals(r.toBytes(), back.toBytes());
        assertTrue(back.hasInference());
        assertEquals(11_000, back.deadline());
        assertEquals(4, back.outcomes());
        assertEquals(1, back.duplicates());
        assertEquals(2, back.outsideWindow());
        assertTrue(back.clickBeforeImpression());
        JoinedRequest waiting = new JoinedRequest();
        waiting.outcome(OutcomeType.IMPRESSION, null);
        assertFalse(JoinedRequest.fromBytes(waiting.toBytes()).hasInference());
    }

    @Test
    void shouldCountFeedbackSuccessValuesAndScoresPerRequestAndMergeTheirMoments() {
        BusinessPart a = new BusinessPart();
        a.add(request(10.0, OutcomeType.IMPRESSION, OutcomeType.CLICK, OutcomeType.CONVERSION,
                OutcomeType.FEEDBACK_NEGATIVE, OutcomeType.SUCCESS));
        a.add(request(0, OutcomeType.FEEDBACK_POSITIVE, OutcomeType.FEEDBACK_NEGATIVE, OutcomeType.FAILURE));
        BusinessPart b = new BusinessPart();
        b.add(request(30.0, OutcomeType.IMPRESSION, OutcomeType.CLICK, OutcomeType.CONVERSION,
                OutcomeType.FEEDBACK_POSITIVE, OutcomeType.SUCCESS, OutcomeType.FAILURE));
        JoinedRequest scored = request(0);
        scored.outcome(OutcomeType.JUDGE_SCORE, null, 4.5);
        scored.outcome(OutcomeType.JUDGE_SCORE, null, 1.0);
        b.add(scored);
        BusinessPart p = (BusinessPart) copy(a).merge(copy(b));
        assertEquals(1, p.feedbackNegative());
        assertEquals(1, p.feedbackPositive());
        assertEquals(1, p.successes());
        assertEquals(1, p.failures());
        assertEquals(2, p.conflicting(), "up and down; success and failure");
        assertEquals(2, p.valuedRequests());
        assertEquals(20.0, p.valueMean(), 1e-12);
        assertEquals(200.0, p.valueVariance(), 1e-12, "((10 - 20)² + (30 - 20)²) / 1");
        assertEquals(1, p.judgeScores());
        assertEquals(4.5, p.judgeScoreMean(), 0.0, "the second score is a duplicate");
        assertEquals(1, scored.duplicates());
    }

    @Test
    void shouldReadTheStateThePreviousVersionWrote() throws java.io.IOException {
        // A business part of format 2 (before feedback, success, values and scores): 14 counts.
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeByte(2);
            for (long v = 1; v <= 14; v++) {
                out.writeLong(v);
            }
        }
        BusinessPart old = BusinessPart.read(new java.io.DataInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(1, old.requests());
        assertEquals(14, old.lateOutcomes());
        assertEquals(0, old.feedbackNegative());
        assertEquals(0, old.valuedRequests());
        // A joined request of format 2: seen and waiting types as bytes, no scores; one impression waiting.
        bytes.reset();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeByte(2);
            out.writeBoolean(false);
            out.writeUTF("");
            out.writeUTF("");
            out.writeUTF("");
            out.writeLong(0);
            out.writeLong(0);
            out.writeLong(12_000);
            out.writeByte(0);
            out.writeBoolean(false);
            for (int i = 0; i < 3; i++) {
                out.writeInt(0); // duplicates, outside the window, valued outcomes
            }
            out.writeLong(0); // value micros
            out.writeInt(0);
            out.writeInt(0);
            out.writeInt(0);
            out.writeLong(0);
            out.writeByte(1);
            out.writeByte(JoinedRequest.IMPRESSION);
            out.writeLong(2_000);
            out.writeBoolean(true);
            out.writeDouble(3.5);
        }
        JoinedRequest r = JoinedRequest.fromBytes(bytes.toByteArray());
        assertEquals(12_000, r.deadline());
        assertEquals(1, r.waitingOutcomes());
        r.inference("m", "1", "*", 1_000, 60_000);
        r.joinWaiting(10_000);
        assertTrue(r.has(JoinedRequest.IMPRESSION));
        assertEquals(3_500_000, r.valueMicros());
    }

    private static BusinessPart copy(BusinessPart p) {
        WindowBundle w = new WindowBundle("m", "1", "*", 0, 60_000);
        w.putPart(p);
        return (BusinessPart) WindowBundle.fromBytes(w.toBytes(), PARTS).part(BusinessPart.NAME);
    }
}
