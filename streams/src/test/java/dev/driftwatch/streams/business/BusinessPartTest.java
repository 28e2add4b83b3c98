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

    private static BusinessPart copy(BusinessPart p) {
        WindowBundle w = new WindowBundle("m", "1", "*", 0, 60_000);
        w.putPart(p);
        return (BusinessPart) WindowBundle.fromBytes(w.toBytes(), PARTS).part(BusinessPart.NAME);
    }
}
