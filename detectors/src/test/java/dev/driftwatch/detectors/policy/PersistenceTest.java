package dev.driftwatch.detectors.policy;

import dev.driftwatch.detectors.TestResult;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PersistenceTest {

    /**
     * Runs windows written as letters: N = not drifted, W = warning, C = critical; returns one
     * letter per transition: '.' none, 'F' firing, 'R' resolved.
     */
    private static String run(Persistence rule, String windows) {
        PersistenceState state = PersistenceState.initial();
        StringBuilder out = new StringBuilder();
        for (char c : windows.toCharArray()) {
            Severity severity = c == 'C' ? Severity.CRITICAL : c == 'W' ? Severity.WARNING : Severity.NONE;
            Persistence.Step step = rule.next(state, severity);
            state = step.state();
            out.append(step.transition() == Transition.FIRING ? 'F'
                    : step.transition() == Transition.RESOLVED ? 'R' : '.');
        }
        return out.toString();
    }

    @Test
    void shouldFireOnThirdAndResolveOnFourthForTwoOfThree() {
        // D,N,D: d = 1, 1, 2 → fires on window 3. Then N: last three N,D,N → d = 1 < 2 → resolves.
        // Then N: d = 1 (D,N,N), already resolved → nothing.
        assertEquals("..FR.", run(Persistence.of(2, 3), "WNWNN"));
    }

    @Test
    void shouldHoldUntilNoDriftWithFullHysteresis() {
        // 2 of 3, resolve at d ≤ 0: D,N,D fires; N,D,N → d 1, D,N,N → d 1 hold; N,N,N → d 0 resolves.
        assertEquals("..F..R", run(Persistence.withHysteresis(2, 3, 0), "WNWNNN"));
    }

    @Test
    void shouldFireAndResolveOnceEach() {
        assertEquals("F....R..", run(Persistence.of(1, 1), "WCWCWNNN"));
        assertEquals(".F.....R", run(Persistence.of(2, 2), "CWWCCWCN"));
    }

    @Test
    void shouldFireBeforeNWindowsWereSeen() {
        assertEquals(".F", run(Persistence.of(2, 5), "WW"));
    }

    @Test
    void shouldNotFireOnScatteredDrift() {
        // 3 of 4: never three drifted windows among four consecutive ones.
        assertEquals("..........", run(Persistence.of(3, 4), "WNNWNNWNNW"));
    }

    @Test
    void shouldReportWindowSeverityAndCount() {
        Persistence rule = Persistence.of(2, 3);
        Persistence.Step first = rule.next(PersistenceState.initial(), Severity.WARNING);
        Persistence.Step second = rule.next(first.state(), Severity.CRITICAL);
        assertEquals(Transition.FIRING, second.transition());
        assertEquals(Severity.CRITICAL, second.windowSeverity());
        assertEquals(2, second.driftedWindows());
        assertTrue(second.state().isFiring());
        assertEquals(0b11L, second.state().history());
    }

    @Test
    void shouldAcceptVerdictsAsInput() {
        FeatureVerdict drifted = AlertPolicy.defaults().evaluate(
                FeatureStatistics.of("f", TestResult.of(dev.driftwatch.detectors.DriftTests.PSI, 0.5)));
        Persistence.Step step = Persistence.of(1, 1).next(PersistenceState.initial(), drifted);
        assertEquals(Transition.FIRING, step.transition());
        assertEquals(Severity.CRITICAL, step.windowSeverity());
    }

    @Test
    void shouldUseTheWholeSixtyFourWindowHistory() {
        Persistence rule = Persistence.of(64, 64);
        PersistenceState state = PersistenceState.initial();
        for (int i = 0; i < 63; i++) {
            Persistence.Step step = rule.next(state, Severity.WARNING);
            assertEquals(Transition.NONE, step.transition());
            state = step.state();
        }
        Persistence.Step last = rule.next(state, Severity.WARNING);
        assertEquals(Transition.FIRING, last.transition());
        assertEquals(64, last.state().windowsObserved());
        assertEquals(-1L, last.state().history());
        Persistence.Step after = rule.next(last.state(), Severity.NONE);
        assertEquals(Transition.RESOLVED, after.transition());
        assertEquals(64, after.state().windowsObserved());
    }

    @Test
    void shouldAgreeWithAListBasedModelOnSeededSequences() {
        Random random = new Random(42L);
        for (int round = 0; round < 300; round++) {
            int n = 1 + random.nextInt(8);
            int m = 1 + random.nextInt(n);
            int r = random.nextInt(m);
            Persistence rule = Persistence.withHysteresis(m, n, r);
            double driftRate = random.nextDouble();
            PersistenceState state = PersistenceState.initial();
            List<Boolean> seen = new ArrayList<>();
            boolean firing = false;
            int firings = 0;
            int resolutions = 0;
            for (int w = 0; w < 100; w++) {
                boolean drifted = random.nextDouble() < driftRate;
                seen.add(drifted);
                int d = 0;
                for (int k = Math.max(0, seen.size() - n); k < seen.size(); k++) {
                    d += seen.get(k) ? 1 : 0;
                }
                Transition expected = Transition.NONE;
                if (!firing && d >= m) {
                    expected = Transition.FIRING;
                    firing = true;
                } else if (firing && d <= r) {
                    expected = Transition.RESOLVED;
                    firing = false;
                }
                Persistence.Step step = rule.next(state, drifted ? Severity.WARNING : Severity.NONE);
                assertEquals(expected, step.transition(), "round " + round + " window " + w);
                assertEquals(d, step.driftedWindows());
                state = step.state();
                firings += step.transition() == Transition.FIRING ? 1 : 0;
                resolutions += step.transition() == Transition.RESOLVED ? 1 : 0;
                assertTrue(firings - resolutions == (state.isFiring() ? 1 : 0), "alternates strictly");
            }
        }
    }

    @Test
    void shouldRoundTripStateBytes() {
        Persistence rule = Persistence.of(2, 3);
        PersistenceState state = PersistenceState.initial();
        assertEquals(state, PersistenceState.fromBytes(state.toBytes()));
        Random random = new Random(3L);
        for (int w = 0; w < 80; w++) {
            state = rule.next(state, random.nextBoolean() ? Severity.WARNING : Severity.NONE).state();
            byte[] bytes = state.toBytes();
            assertEquals(PersistenceState.SERIALIZED_SIZE, bytes.length);
            PersistenceState back = PersistenceState.fromBytes(bytes);
            assertEquals(state, back);
            assertEquals(state.isFiring(), back.isFiring());
            assertEquals(state.history(), back.history());
            assertEquals(state.windowsObserved(), back.windowsObserved());
        }
    }

    @Test
    void shouldWriteTheDocumentedLayout() {
        Persistence rule = Persistence.of(1, 2);
        PersistenceState state = rule.next(PersistenceState.initial(), Severity.WARNING).state();
        state = rule.next(state, Severity.NONE).state();
        // windows D, N: firing (1 of the last 2 drifted), 2 observed, history 0b10.
        assertArrayEquals(new byte[] {1, 1, 2, 0, 0, 0, 0, 0, 0, 0, 2}, state.toBytes());
    }

    @Test
    void shouldRejectMalformedStateBytes() {
        assertThrows(IllegalArgumentException.class, () -> PersistenceState.fromBytes(null));
        IllegalArgumentException version = assertThrows(IllegalArgumentException.class,
                () -> PersistenceState.fromBytes(new byte[] {9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
        assertTrue(version.getMessage().contains("9"), version.getMessage());
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> PersistenceState.fromBytes(new byte[] {1, 0, 0}));
        assertTrue(length.getMessage().contains("3"), length.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> PersistenceState.fromBytes(new byte[] {1, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
        assertThrows(IllegalArgumentException.class,
                () -> PersistenceState.fromBytes(new byte[] {1, 0, 65, 0, 0, 0, 0, 0, 0, 0, 0}));
        assertThrows(IllegalArgumentException.class,
                () -> PersistenceState.fromBytes(new byte[] {1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2}));
        assertThrows(IllegalArgumentException.class, () -> PersistenceState.fromBytes(new byte[0]));
    }

    @Test
    void shouldRejectInvalidRulesNamingTheValue() {
        IllegalPolicyException zeroN = assertThrows(IllegalPolicyException.class, () -> Persistence.of(1, 0));
        assertTrue(zeroN.getMessage().contains("n 0"), zeroN.getMessage());
        IllegalPolicyException bigN = assertThrows(IllegalPolicyException.class, () -> Persistence.of(1, 65));
        assertTrue(bigN.getMessage().contains("65"), bigN.getMessage());
        IllegalPolicyException bigM = assertThrows(IllegalPolicyException.class, () -> Persistence.of(4, 3));
        assertTrue(bigM.getMessage().contains("m 4"), bigM.getMessage());
        IllegalPolicyException zeroM = assertThrows(IllegalPolicyException.class, () -> Persistence.of(0, 3));
        assertTrue(zeroM.getMessage().contains("m 0"), zeroM.getMessage());
        IllegalPolicyException r = assertThrows(IllegalPolicyException.class, () -> Persistence.withHysteresis(2, 3, 2));
        assertTrue(r.getMessage().contains("resolve level 2"), r.getMessage());
        assertThrows(IllegalPolicyException.class, () -> Persistence.withHysteresis(2, 3, -1));
        assertThrows(IllegalArgumentException.class, () -> PersistenceState.initial().driftedInLast(0));
    }

    @Test
    void shouldRejectNullInputs() {
        Persistence rule = Persistence.of(1, 1);
        assertThrows(NullPointerException.class, () -> rule.next(null, Severity.NONE));
        assertThrows(NullPointerException.class, () -> rule.next(PersistenceState.initial(), (Severity) null));
        assertFalse(PersistenceState.initial().isFiring());
    }
}
