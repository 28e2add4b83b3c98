package dev.driftwatch.detectors;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry's shape: what the configuration, the alert state and the reports rely on. */
class DriftTestsTest {

    @Test
    void shouldKeepTheFirstTestsAtTheirStoredPositions() {
        // SubjectAlertState stores a test by its position: new tests are appended, never inserted.
        List<String> first = List.of("psi", "kl", "js", "ks", "wasserstein", "chisq");
        for (int i = 0; i < first.size(); i++) {
            DriftTest test = DriftTests.all().get(i);
            assertEquals(first.get(i), test.id());
            assertEquals(i, test.ordinal());
            assertSame(test, DriftTest.values()[i]);
        }
    }

    @Test
    void shouldExplainEveryTestForTheReports() {
        for (DriftTest test : DriftTests.all()) {
            assertNotNull(test.explanation(), test.id() + " has no explanation for the reports' glossary");
            assertTrue(test.explanation().length() > 40, test.id() + ": " + test.explanation());
        }
    }

    @Test
    void shouldGiveEveryTestOneIdAndOneName() {
        Set<String> ids = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (DriftTest test : DriftTests.all()) {
            assertTrue(ids.add(test.id()), "two tests with id " + test.id());
            assertTrue(names.add(test.name()), "two tests with name " + test.name());
            assertSame(test, DriftTest.fromId(" " + test.id().toUpperCase() + " "));
            assertSame(test, DriftTest.valueOf(test.name()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DriftTest.fromId("psy"));
        assertTrue(e.getMessage().contains("psi, kl, js, ks, wasserstein, chisq"), e.getMessage());
    }

    @Test
    void shouldGiveEffectSizesThresholdsAndSignificanceTestsNone() {
        for (DriftTest test : DriftTests.all()) {
            if (test.isEffectSize()) {
                DriftTest.Thresholds t = test.defaultThresholds();
                assertNotNull(t, test.id());
                assertTrue(t.warning() >= 0 && t.critical() >= t.warning(), test.id());
                assertEquals(List.of(test.reportColumns().get(0)), test.reportColumns(), test.id());
            } else {
                assertNull(test.defaultThresholds(), test.id());
                assertTrue(!test.decidesByDefault(), test.id());
                assertEquals(2, test.reportColumns().size(), test.id());
            }
        }
        assertEquals(List.of(DriftTests.PSI, DriftTests.KL, DriftTests.JS, DriftTests.WASSERSTEIN),
                DriftTests.effectSizes().subList(0, 4));
        assertEquals("psi, js, wasserstein", String.join(", ", DriftTests.all().stream()
                .filter(DriftTest::decidesByDefault).map(DriftTest::id).toList()));
    }

    @Test
    void shouldHaveExactlyOneSignificanceGatePerColumnKind() {
        for (ColumnKind kind : ColumnKind.values()) {
            List<DriftTest> gates = DriftTests.forKind(kind).stream().filter(DriftTest::isSignificanceGate).toList();
            assertEquals(1, gates.size(), kind + ": " + gates);
            assertTrue(gates.get(0).isSignificanceTest());
        }
        assertSame(DriftTests.KS, DriftTests.forKind(ColumnKind.NUMERIC).stream()
                .filter(DriftTest::isSignificanceGate).findFirst().orElseThrow());
        assertSame(DriftTests.CHI_SQUARE, DriftTests.forKind(ColumnKind.CATEGORICAL).stream()
                .filter(DriftTest::isSignificanceGate).findFirst().orElseThrow());
    }

    @Test
    void shouldRunExactlyTheRegisteredTestsOfAColumnsKind() {
        ColumnComparison numeric = Comparisons.numeric(new double[] {1, 2, 3, 4}, new double[] {2, 3, 4, 5}, 2);
        assertEquals(DriftTests.forKind(ColumnKind.NUMERIC), List.copyOf(numeric.tests().keySet()));
        assertEquals(List.of(DriftTests.PSI, DriftTests.KL, DriftTests.JS, DriftTests.KS, DriftTests.WASSERSTEIN),
                DriftTests.forKind(ColumnKind.NUMERIC).subList(0, 5));
        ColumnComparison categorical = Comparisons.categorical(new String[] {"a", "b"}, new String[] {"b", "b"});
        assertEquals(DriftTests.forKind(ColumnKind.CATEGORICAL), List.copyOf(categorical.tests().keySet()));
        assertEquals(List.of(DriftTests.PSI, DriftTests.KL, DriftTests.JS, DriftTests.CHI_SQUARE),
                DriftTests.forKind(ColumnKind.CATEGORICAL));
    }
}
