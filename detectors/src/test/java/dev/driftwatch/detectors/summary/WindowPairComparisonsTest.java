package dev.driftwatch.detectors.summary;

import dev.driftwatch.detectors.ColumnComparison;
import dev.driftwatch.detectors.DriftTest;
import dev.driftwatch.detectors.DriftTests;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two window summaries on a third sample's grid against numpy/scipy on the raw values, from the
 * fixtures that {@code src/test/resources/reference/paired_windows.py} wrote. PSI, KL and JS within
 * 1e-9; the KS D equal to the grid's D computed in Python on the same grid, within its stated error bound
 * of the exact D, and its p-value equal to scipy's exact p-value of the grid's D (1e-6 relative);
 * Wasserstein within its stated error bound.
 */
class WindowPairComparisonsTest {

    @TestFactory
    Stream<DynamicTest> shouldMatchScipyWithinTheStatedBounds() throws IOException, URISyntaxException {
        Path dir = Path.of(getClass().getResource("/reference/paired").toURI());
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".case")).sorted().toList();
        }
        assertEquals(6, files.size(), "expected the generated fixtures");
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
    }

    private static void check(Path file) throws IOException {
        Map<String, String[]> fields = new HashMap<>();
        Map<String, String> expect = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] tokens = line.split(" ");
            if (tokens[0].equals("expect")) {
                expect.put(tokens[1], tokens[2]);
            } else {
                fields.put(tokens[0], Arrays.copyOfRange(tokens, 1, tokens.length));
            }
        }
        String name = fields.get("name")[0];
        NumericBaseline baseline = NumericBaseline.fromSample(numbers(fields.get("baseline")),
                Integer.parseInt(fields.get("bins")[0]), NumericGrid.DEFAULT_RESOLUTION, "test", null, null);
        NumericSummary reference = baseline.newWindow();
        reference.addAll(numbers(fields.get("reference")));
        NumericSummary current = baseline.newWindow();
        current.addAll(numbers(fields.get("current")));

        ColumnComparison c = WindowPairComparisons.numeric(reference, current);
        assertEquals(Long.parseLong(expect.get("reference_count")), c.referenceCount(), name);
        assertEquals(Long.parseLong(expect.get("current_count")), c.currentCount(), name);
        for (DriftTest t : new DriftTest[] {DriftTests.PSI, DriftTests.KL, DriftTests.JS}) {
            assertEquals(Double.parseDouble(expect.get(t.id())), c.test(t).statistic(), 1e-9, name + " " + t.id());
        }
        double exactD = Double.parseDouble(expect.get("ks_statistic"));
        double gridD = c.test(DriftTests.KS).statistic();
        double ksBound = WindowPairComparisons.ksErrorBound(reference, current);
        assertTrue(gridD <= exactD + 1e-12 && exactD <= gridD + ksBound + 1e-12,
                name + ": grid D " + gridD + " and bound " + ksBound + " must bracket the exact D " + exactD);
        // The reported D is the grid's D (rebuilt in Python from the same grid), its p-value scipy's exact
        // p-value of that D with the true sample sizes.
        assertEquals(Double.parseDouble(expect.get("ks_grid_statistic")), gridD, 1e-9, name + " grid D");
        double p = Double.parseDouble(expect.get("ks_grid_p_value"));
        assertEquals(p, c.test(DriftTests.KS).pValue(), Math.max(1e-300, 1e-6 * p), name + " ks p of the grid's D");
        double w = Double.parseDouble(expect.get("wasserstein"));
        double wBound = WindowPairComparisons.wassersteinErrorBound(reference, current);
        assertEquals(w, c.test(DriftTests.WASSERSTEIN).statistic(), wBound + 1e-12,
                name + ": Wasserstein within its bound " + wBound);
    }

    private static double[] numbers(String[] tokens) {
        return Arrays.stream(tokens).mapToDouble(Double::parseDouble).toArray();
    }

    private static NumericBaseline uniformBaseline() {
        double[] values = new double[1001];
        for (int i = 0; i < values.length; i++) {
            values[i] = i / 1000.0;
        }
        return NumericBaseline.fromSample(values, 10, NumericGrid.DEFAULT_RESOLUTION, "test", null, null);
    }

    @Test
    void shouldGiveZeroForIdenticalSummariesAndTheMaximumForDisjointOnes() {
        NumericBaseline b = uniformBaseline();
        NumericSummary low = b.newWindow();
        NumericSummary high = b.newWindow();
        for (int i = 0; i < 100; i++) {
            low.add(0.001 * i);          // all in [0, 0.1)
            high.add(0.9 + 0.001 * i);   // all in [0.9, 1.0)
        }
        ColumnComparison same = WindowPairComparisons.numeric(low, low.copy());
        assertEquals(0.0, same.test(DriftTests.PSI).statistic(), 0.0);
        assertEquals(0.0, same.test(DriftTests.KS).statistic(), 0.0);
        assertEquals(1.0, same.test(DriftTests.KS).pValue(), 1e-12);
        ColumnComparison disjoint = WindowPairComparisons.numeric(low, high);
        assertEquals(1.0, disjoint.test(DriftTests.KS).statistic(), 0.0);
        assertEquals(0.0, WindowPairComparisons.ksErrorBound(low, high), 0.0, "no open cell holds both");
        // Bins 0 and 9 hold everything: PSI = 2 · (1 − ε)·ln(1/ε), ε = 1e-4.
        assertEquals(2 * (1 - 1e-4) * Math.log(1e4), disjoint.test(DriftTests.PSI).statistic(), 1e-9);
        assertEquals("exact", disjoint.test(DriftTests.KS).method());
    }

    @Test
    void shouldLeaveTheTestsUndefinedWhenASideIsEmptyAndRefuseOtherGrids() {
        NumericBaseline b = uniformBaseline();
        NumericSummary empty = b.newWindow();
        NumericSummary some = b.newWindow();
        some.add(0.5);
        ColumnComparison c = WindowPairComparisons.numeric(empty, some);
        assertFalse(c.test(DriftTests.PSI).isDefined());
        assertTrue(c.test(DriftTests.KS).undefinedReason().contains("reference"));
        NumericBaseline other = NumericBaseline.fromSample(new double[] {1, 2, 3, 4, 5}, 2, 4, "x", null, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WindowPairComparisons.numeric(some, other.newWindow()));
        assertTrue(e.getMessage().contains("different grids"), e.getMessage());
    }

    @Test
    void shouldCompareLabelsOnTheUnionOfCategories() {
        CategoricalSummary primary = new CategoricalSummary();
        CategoricalSummary shadow = new CategoricalSummary();
        for (int i = 0; i < 6; i++) {
            primary.add("yes");
        }
        for (int i = 0; i < 4; i++) {
            primary.add("no");
            shadow.add("yes");
        }
        for (int i = 0; i < 6; i++) {
            shadow.add("no");
        }
        // r = (no 0.4, yes 0.6), c = (no 0.6, yes 0.4): PSI = 0.2·ln(1.5) + (−0.2)·ln(2/3) = 0.4·ln 1.5.
        ColumnComparison c = WindowPairComparisons.categorical(primary, shadow);
        assertEquals(0.4 * Math.log(1.5), c.test(DriftTests.PSI).statistic(), 1e-12);
        // Chi-square: E = (4, 6), O = (6, 4): (2²/4) + (2²/6) = 1 + 2/3.
        assertEquals(1 + 2.0 / 3, c.test(DriftTests.CHI_SQUARE).statistic(), 1e-12);
    }
}
