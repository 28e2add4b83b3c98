package dev.driftwatch.detectors;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every statistic against values computed independently with numpy/scipy by
 * {@code src/test/resources/reference/generate.py} (see the README there). Tolerances: statistics 1e-9
 * (absolute below 1, relative above), KS p-values 1e-6 relative when exact and 2% when asymptotic.
 */
class ReferenceFixturesTest {

    @TestFactory
    Stream<DynamicTest> shouldMatchScipyOnEveryReferenceCase() throws IOException, URISyntaxException {
        Path dir = Path.of(getClass().getResource("/reference/cases").toURI());
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".case")).sorted().toList();
        }
        assertTrue(files.size() >= 40, "expected the generated fixtures, found " + files.size());
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
    }

    private static void check(Path file) throws IOException {
        Map<String, String[]> fields = new HashMap<>();
        Map<String, String[]> expect = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] tokens = line.split(" ");
            if (tokens[0].equals("expect")) {
                expect.put(tokens[1], Arrays.copyOfRange(tokens, 2, tokens.length));
            } else {
                fields.put(tokens[0], Arrays.copyOfRange(tokens, 1, tokens.length));
            }
        }
        String name = fields.get("name")[0];
        boolean numeric = fields.get("type")[0].equals("numeric");
        ColumnComparison c;
        if (numeric) {
            int bins = Integer.parseInt(fields.get("bins")[0]);
            double[] ref = parseNumbers(fields.get("reference"));
            double[] cur = parseNumbers(fields.get("current"));
            c = Comparisons.numeric(ref, cur, bins);
            double[] edges = parseNumbers(expect.get("edges"));
            assertArrayEquals(edges, BinEdges.fromReference(Comparisons.sortedFinite(ref), bins).edges(), 0.0,
                    name + " edges");
        } else {
            c = Comparisons.categorical(categories(fields.get("reference")), categories(fields.get("current")));
        }
        assertEquals(Long.parseLong(expect.get("reference_count")[0]), c.referenceCount(), name);
        assertEquals(Long.parseLong(expect.get("current_count")[0]), c.currentCount(), name);
        assertEquals(Long.parseLong(expect.get("reference_missing")[0]), c.referenceMissing(), name);
        assertEquals(Long.parseLong(expect.get("current_missing")[0]), c.currentMissing(), name);
        close(name + " psi", expect.get("psi")[0], c.test(DriftTests.PSI).statistic());
        close(name + " kl", expect.get("kl")[0], c.test(DriftTests.KL).statistic());
        close(name + " js", expect.get("js")[0], c.test(DriftTests.JS).statistic());
        if (numeric) {
            close(name + " ks", expect.get("ks_statistic")[0], c.test(DriftTests.KS).statistic());
            double p = Double.parseDouble(expect.get("ks_p_value")[0]);
            boolean exact = expect.get("ks_method")[0].equals("exact");
            assertEquals(exact ? "exact" : "asymptotic", c.test(DriftTests.KS).method(),
                    name);
            double got = c.test(DriftTests.KS).pValue();
            double tolerance = (exact ? 1e-6 : 0.02) * p;
            assertEquals(p, got, Math.max(tolerance, 1e-300), name + " ks p-value");
            String w = expect.get("wasserstein")[0];
            if (w.equals("none")) {
                assertNull(c.test(DriftTests.WASSERSTEIN).statistic(), name);
                assertNotNull(c.test(DriftTests.WASSERSTEIN).undefinedReason(), name);
            } else {
                close(name + " wasserstein", w, c.test(DriftTests.WASSERSTEIN).statistic());
            }
        } else {
            TestResult chi = c.test(DriftTests.CHI_SQUARE);
            close(name + " chisq", expect.get("chisq_statistic")[0], chi.statistic());
            String p = expect.get("chisq_p_value")[0];
            if (p.equals("none")) {
                assertNull(chi.pValue(), name);
            } else {
                double expected = Double.parseDouble(p);
                assertEquals(expected, chi.pValue(), Math.max(1e-9 * expected, 1e-300), name + " chisq p-value");
            }
        }
        assertFalse(c.tests().isEmpty());
    }

    private static void close(String what, String expected, Double actual) {
        assertNotNull(actual, what + " is undefined");
        double e = Double.parseDouble(expected);
        assertEquals(e, actual, 1e-9 * Math.max(1.0, Math.abs(e)), what);
    }

    private static double[] parseNumbers(String[] tokens) {
        double[] out = new double[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            out[i] = switch (tokens[i]) {
                case "nan" -> Double.NaN;
                case "inf" -> Double.POSITIVE_INFINITY;
                case "-inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(tokens[i]);
            };
        }
        return out;
    }

    private static String[] categories(String[] tokens) {
        List<String> out = new ArrayList<>();
        for (String t : tokens) {
            out.add(t.equals("<MISSING>") ? "" : t);
        }
        return out.toArray(new String[0]);
    }
}
