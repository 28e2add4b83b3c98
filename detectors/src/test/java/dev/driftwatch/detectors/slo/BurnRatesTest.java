package dev.driftwatch.detectors.slo;

import dev.driftwatch.detectors.policy.Severity;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Burn rates, the ring of window counts and the multi-window decision on hand-computed cases. */
class BurnRatesTest {
    private static final long FIVE_MINUTES = 300_000;
    private static final List<BurnRateRule> RULES = BurnRateRule.parseAll("1h/5m@14.4:CRITICAL,6h/30m@6:WARNING");

    @Test
    void shouldDivideTheBadShareByTheBudget() {
        assertEquals(5.0, BurnRates.burnRate(5, 100, 0.99), 1e-12, "0.05 / 0.01");
        assertEquals(100.0, BurnRates.burnRate(10, 10, 0.99), 1e-9, "all bad: 1 / (1 - 0.99)");
        assertEquals(0.0, BurnRates.burnRate(0, 10, 0.999), 0.0);
        assertTrue(Double.isNaN(BurnRates.burnRate(0, 0, 0.99)));
        assertThrows(IllegalArgumentException.class, () -> BurnRates.burnRate(1, 1, 1.0));
        assertThrows(IllegalArgumentException.class, () -> BurnRates.burnRate(2, 1, 0.9));
    }

    @Test
    void shouldReadTheRulesOfTheWorkbook() {
        assertEquals(new BurnRateRule(3_600_000, 300_000, 14.4, Severity.CRITICAL), RULES.get(0));
        assertEquals(new BurnRateRule(21_600_000, 1_800_000, 6, Severity.WARNING), RULES.get(1));
        assertEquals("1h/5m@14.4:CRITICAL", RULES.get(0).text());
        assertEquals("6h/30m@6:WARNING", RULES.get(1).text());
        assertEquals(Severity.WARNING, BurnRateRule.parse("3d/6h@1").severity());
        assertEquals(72, BurnRates.capacity(RULES, FIVE_MINUTES));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BurnRateRule.parse("1h-5m@2"));
        assertTrue(e.getMessage().contains("'1h-5m@2'") && e.getMessage().contains("LONG/SHORT@FACTOR"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BurnRateRule.parse("5m/1h@2"));
        assertTrue(e.getMessage().contains("short window < long window"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BurnRateRule.parse("1h/5m@2:PAGE"));
        assertTrue(e.getMessage().contains("'PAGE'") && e.getMessage().contains("WARNING or CRITICAL"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BurnRates.steps(3_600_000, 420_000));
        assertTrue(e.getMessage().contains("1h is not a multiple of the window advance 7m"), e.getMessage());
    }

    private static BudgetHistory history(long[][] windows) {
        BudgetHistory h = new BudgetHistory(72, FIVE_MINUTES);
        for (int i = 0; i < windows.length; i++) {
            h.record(100 + i, windows[i][0], windows[i][1]);
        }
        return h;
    }

    @Test
    void shouldNotFireOnABlipThatOnlyTripsTheShortWindow() {
        // Eleven clean windows of 1000 requests, then one with 200 errors, target 0.99.
        long[][] w = new long[12][];
        for (int i = 0; i < 11; i++) {
            w[i] = new long[] {1000, 1000};
        }
        w[11] = new long[] {800, 1000};
        BurnRates.Decision d = BurnRates.decide(history(w), RULES, 0.99, FIVE_MINUTES);
        BurnRates.RuleBurn fast = d.rules().get(0);
        assertEquals(200.0 / 12000 / 0.01, fast.longBurn(), 1e-9, "1h: 200 of 12000 = 1.67 %");
        assertEquals(20.0, fast.shortBurn(), 1e-9, "5m: 200 of 1000 = 20 %");
        assertFalse(fast.fires());
        BurnRates.RuleBurn slow = d.rules().get(1);
        assertEquals(200.0 / 12000 / 0.01, slow.longBurn(), 1e-9, "6h holds the same 12 windows");
        assertEquals(200.0 / 6000 / 0.01, slow.shortBurn(), 1e-9, "30m: 200 of 6000");
        assertFalse(slow.fires());
        assertNull(d.deciding());
    }

    @Test
    void shouldFireTheMostSevereRuleWhenBothWindowsBurn() {
        // Ten clean windows, then two with every request failing.
        long[][] w = new long[12][];
        for (int i = 0; i < 10; i++) {
            w[i] = new long[] {1000, 1000};
        }
        w[10] = new long[] {0, 1000};
        w[11] = new long[] {0, 1000};
        BurnRates.Decision d = BurnRates.decide(history(w), RULES, 0.99, FIVE_MINUTES);
        assertTrue(d.fires());
        assertEquals(Severity.CRITICAL, d.deciding().rule().severity());
        assertEquals(2000.0 / 12000 / 0.01, d.deciding().longBurn(), 1e-9, "16.67 > 14.4");
        assertEquals(100.0, d.deciding().shortBurn(), 1e-9);
        assertEquals(2000, d.deciding().longBad());
        assertEquals(12000, d.deciding().longTotal());
        assertTrue(d.rules().get(1).fires(), "6h: 16.67 > 6, 30m: 2000 of 6000 -> 33.3 > 6");
    }

    @Test
    void shouldForgetWindowsThatLeftTheRingAndCountGapsAsEmpty() throws IOException {
        BudgetHistory h = new BudgetHistory(3, 60_000);
        for (long step = 1; step <= 5; step++) {
            assertTrue(h.record(step, step, 10));
        }
        assertEquals(3 + 4 + 5, h.good(3));
        assertEquals(30, h.total(99), "more steps than kept: all kept");
        assertEquals(5, h.good(1));
        assertTrue(h.record(4, 1, 1), "an older step still in the ring is added to");
        assertEquals(11 + 10, h.total(2));
        assertFalse(h.record(2, 1, 1), "older than the ring");
        h.record(7, 0, 4);
        assertEquals(4, h.total(2), "step 6 had no window");
        assertEquals(5 + 0 + 0, h.good(3), "steps 5, 6, 7");
        BudgetHistory bigger = h.resized(5);
        assertEquals(5, bigger.capacity());
        assertEquals(5, bigger.good(3));
        assertEquals(10 + 0 + 4, bigger.total(5), "only steps 5..7 were kept");
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        h.write(new DataOutputStream(buffer));
        BudgetHistory back = BudgetHistory.read(new DataInputStream(new ByteArrayInputStream(buffer.toByteArray())));
        assertEquals(7, back.newest());
        assertEquals(h.total(3), back.total(3));
        assertEquals(h.good(3), back.good(3));
        h.record(100, 1, 2);
        assertEquals(2, h.total(3), "a jump beyond the ring clears it");
    }

    @Test
    void shouldNotFireBelowTheMinimumVolumeOfTheLongWindow() {
        // One window, 1 failing call of 1: burn 100 over 1h and 5m, but 1 < 100 calls.
        BurnRates.Decision d = BurnRates.decide(history(new long[][] {{0, 1}}), RULES, 0.99, FIVE_MINUTES, 100,
                BurnRates.Counting.REQUESTS);
        assertEquals(100.0, d.rules().get(0).longBurn(), 1e-9);
        assertTrue(d.rules().get(0).tooFewEvents());
        assertFalse(d.fires());
        // 100 calls over 1h, 20 bad: burn 20 on both, and the minimum is met.
        d = BurnRates.decide(history(new long[][] {{50, 50}, {30, 50}}), RULES, 0.99, FIVE_MINUTES, 100,
                BurnRates.Counting.REQUESTS);
        assertEquals(Severity.CRITICAL, d.deciding().rule().severity());
        assertEquals(100, d.deciding().minEvents());
        // Window-based: 1h spans 12 windows of 5 minutes, 6h 72, so a minimum of 100 is 12 and 72 windows.
        long[][] w = new long[12][];
        for (int i = 0; i < 12; i++) {
            w[i] = new long[] {i < 10 ? 1 : 0, 1};
        }
        d = BurnRates.decide(history(w), RULES, 0.99, FIVE_MINUTES, 100, BurnRates.Counting.WINDOWS);
        assertEquals(12, d.rules().get(0).minEvents());
        assertEquals(72, d.rules().get(1).minEvents());
        assertEquals(Severity.CRITICAL, d.deciding().rule().severity(), "2 of 12 windows bad: 16.67 > 14.4");
        assertFalse(d.rules().get(1).fires(), "6h holds 12 of the 72 windows it needs");
        d = BurnRates.decide(history(java.util.Arrays.copyOf(w, 11)), RULES, 0.99, FIVE_MINUTES, 100,
                BurnRates.Counting.WINDOWS);
        assertFalse(d.fires(), "11 windows of the 12 that 1h needs");
    }

    @Test
    void shouldKeepTheStepSizeOfAHistory() throws IOException {
        BudgetHistory h = new BudgetHistory(3, FIVE_MINUTES);
        h.record(10, 4, 5);
        assertTrue(h.matches(FIVE_MINUTES));
        assertFalse(h.matches(60_000));
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        h.write(new DataOutputStream(buffer));
        BudgetHistory back = BudgetHistory.read(new DataInputStream(new ByteArrayInputStream(buffer.toByteArray())));
        assertEquals(FIVE_MINUTES, back.stepMillis());
        assertEquals(5, back.total(1));
        assertEquals(FIVE_MINUTES, h.resized(5).stepMillis());
        // The first format (version 1: capacity, newest, counts) has no step: it matches no advance.
        ByteArrayOutputStream old = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(old);
        out.writeByte(1);
        out.writeInt(1);
        out.writeLong(10);
        out.writeByte(4);
        out.writeByte(5);
        BudgetHistory first = BudgetHistory.read(new DataInputStream(new ByteArrayInputStream(old.toByteArray())));
        assertEquals(BudgetHistory.UNKNOWN_STEP, first.stepMillis());
        assertFalse(first.matches(FIVE_MINUTES));
        assertEquals(5, first.total(1));
    }
}
