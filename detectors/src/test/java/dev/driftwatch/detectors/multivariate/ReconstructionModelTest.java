package dev.driftwatch.detectors.multivariate;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PCA data reconstruction against numpy, on the rows and errors written by
 * {@code src/test/resources/multivariate/generate_reconstruction.py} (numeric and categorical columns, missing
 * values, a current sample whose correlation turned). Tolerances: errors and explained variance 1e-9
 * absolute; the window test's z and thresholds 1e-9 relative, its p-value 1e-12 absolute.
 */
class ReconstructionModelTest {
    private record Row(double x1, double x2, double x3, String c, double error) {
        Map<String, Double> numeric() {
            Map<String, Double> m = new HashMap<>();
            m.put("x1", x1);
            m.put("x2", x2);
            m.put("x3", x3);
            return m;
        }

        Map<String, String> categorical() {
            Map<String, String> m = new HashMap<>();
            m.put("c", c);
            return m;
        }
    }

    private final List<Row> reference = new ArrayList<>();
    private final List<Row> current = new ArrayList<>();
    private final List<String[]> tests = new ArrayList<>();
    private double share;
    private int chunk;
    private int components;
    private double[] explained;
    private String[] windows;

    private void load() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/multivariate/reconstruction.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] t = line.split(" ");
                switch (t[0]) {
                    case "share" -> share = Double.parseDouble(t[1]);
                    case "chunk" -> chunk = Integer.parseInt(t[1]);
                    case "components" -> components = Integer.parseInt(t[1]);
                    case "explained" -> {
                        explained = new double[t.length - 1];
                        for (int i = 1; i < t.length; i++) {
                            explained[i - 1] = Double.parseDouble(t[i]);
                        }
                    }
                    case "ref", "cur" -> (t[0].equals("ref") ? reference : current).add(new Row(
                            Double.parseDouble(t[1]), Double.parseDouble(t[2]), Double.parseDouble(t[3]),
                            t[4].equals("-") ? null : t[4], Double.parseDouble(t[5])));
                    case "windows" -> windows = t;
                    case "test" -> tests.add(t);
                    default -> throw new IllegalStateException("unknown line " + line);
                }
            }
        }
    }

    private ReconstructionModel fitReference() {
        Map<String, double[]> numeric = new LinkedHashMap<>();
        numeric.put("x1", reference.stream().mapToDouble(Row::x1).toArray());
        numeric.put("x2", reference.stream().mapToDouble(Row::x2).toArray());
        numeric.put("x3", reference.stream().mapToDouble(Row::x3).toArray());
        Map<String, String[]> categorical = Map.of("c", reference.stream().map(Row::c).toArray(String[]::new));
        return ReconstructionModel.fit(numeric, categorical, share);
    }

    @Test
    void shouldMatchNumpyOnTheReferenceAndOnTheTurnedCurrentRows() throws IOException {
        load();
        assertEquals(400, reference.size());
        ReconstructionModel model = fitReference();
        assertEquals(components, model.components().length);
        for (int i = 0; i < components; i++) {
            assertEquals(explained[i], model.explainedVariance()[i], 1e-9, "explained variance " + i);
        }
        for (Row r : reference) {
            assertEquals(r.error(), model.error(r.numeric(), r.categorical()), 1e-9, r.toString());
        }
        for (Row r : current) {
            assertEquals(r.error(), model.error(r.numeric(), r.categorical()), 1e-9, r.toString());
        }
    }

    @Test
    void shouldMatchNumpyOnTheReferenceWindowsAndTheWindowTest() throws IOException {
        load();
        ReconstructionModel model = fitReference();
        double[] errors = reference.stream().mapToDouble(r -> model.error(r.numeric(), r.categorical())).toArray();
        ReferenceWindows w = ReferenceWindows.of(errors, chunk);
        assertEquals(Integer.parseInt(windows[1]), w.chunks());
        assertEquals(Double.parseDouble(windows[2]), w.mean(), 1e-9);
        assertEquals(Double.parseDouble(windows[3]), w.chunkStdDev(), 1e-9);
        assertEquals(Double.parseDouble(windows[4]), w.rowMean(), 1e-9);
        assertEquals(Double.parseDouble(windows[5]), w.rowStdDev(), 1e-9);
        assertEquals(2, tests.size());
        for (String[] t : tests) {
            ReferenceWindows.Result r = w.test(Double.parseDouble(t[1]), Long.parseLong(t[2]), 3.0);
            assertEquals(Double.parseDouble(t[3]), r.z(), 1e-9 * Math.abs(r.z()));
            assertEquals(Double.parseDouble(t[4]), r.pValue(), 1e-12);
            assertEquals(Double.parseDouble(t[5]), r.lower(), 1e-9);
            assertEquals(Double.parseDouble(t[6]), r.upper(), 1e-9);
        }
        assertTrue(w.test(Double.parseDouble(tests.get(0)[1]), 120, 3.0).outside(), "the turned sample is outside");
        assertFalse(w.test(Double.parseDouble(tests.get(1)[1]), 100, 3.0).outside(), "reference rows are inside");
    }

    @Test
    void shouldSeeARotationThatLeavesEveryMarginalUnchanged() {
        // The butterfly: x and y standard normal, correlated +0.95 in the reference, -0.95 later.
        Random rnd = new Random(7);
        int n = 5_000;
        double[][] ref = butterfly(rnd, n, 0.95);
        ReconstructionModel model = ReconstructionModel.fit(Map.of("x", ref[0], "y", ref[1]), Map.of(), 0.9);
        assertEquals(1, model.components().length, "one component holds 97.5 % of the variance");
        double[] refErrors = new double[n];
        for (int i = 0; i < n; i++) {
            refErrors[i] = model.error(Map.of("x", ref[0][i], "y", ref[1][i]), Map.of());
        }
        ReferenceWindows windows = ReferenceWindows.of(refErrors, 250);
        double[][] turned = butterfly(rnd, 500, -0.95);
        double[][] same = butterfly(rnd, 500, 0.95);
        assertTrue(windows.test(meanError(model, turned), 500, 3).outside());
        assertTrue(meanError(model, turned) > 5 * windows.mean(), "the error grows about sixfold");
        assertFalse(windows.test(meanError(model, same), 500, 3).outside());
    }

    @Test
    void shouldRarelyPutAStationaryWindowOutsideTheBandAndNeverPastTheEffectSize() {
        // 500 stationary windows of 150 rows against a reference of 5,000 rows in chunks of 250: at 3 standard errors
        // about 0.3 % fall outside the band by chance (a few windows), and none moves the mean error by 10 %.
        Random rnd = new Random(42);
        double[][] ref = butterfly(rnd, 5_000, 0.9);
        ReconstructionModel model = ReconstructionModel.fit(Map.of("x", ref[0], "y", ref[1]), Map.of(), 0.9);
        double[] errors = new double[ref[0].length];
        for (int i = 0; i < errors.length; i++) {
            errors[i] = model.error(Map.of("x", ref[0][i], "y", ref[1][i]), Map.of());
        }
        ReferenceWindows windows = ReferenceWindows.of(errors, 250);
        int outside = 0;
        int drifted = 0;
        for (int w = 0; w < 500; w++) {
            ReferenceWindows.Result r = windows.test(meanError(model, butterfly(rnd, 150, 0.9)), 150, 3);
            outside += r.outside() ? 1 : 0;
            drifted += r.outside() && Math.abs(r.relativeChange()) >= 0.1 ? 1 : 0;
        }
        assertTrue(outside <= 10, outside + " of 500 stationary windows outside the band");
        assertEquals(0, drifted, "no stationary window changes the mean error by 10 %");
    }

    @Test
    void shouldRefuseWhatCannotBeFitted() {
        assertThrows(IllegalArgumentException.class,
                () -> ReconstructionModel.fit(Map.of("x", new double[]{1, 2}), Map.of(), 0.9));
        assertThrows(IllegalArgumentException.class,
                () -> ReconstructionModel.fit(Map.of("x", new double[]{1, 2}, "y", new double[]{1, 2}), Map.of(), 0));
        assertThrows(IllegalArgumentException.class, () -> ReconstructionModel.fit(
                Map.of("x", new double[]{1, 2}, "y", new double[]{Double.NaN, Double.NaN}), Map.of(), 0.9));
        assertThrows(IllegalArgumentException.class, () -> ReconstructionModel.fit(
                Map.of("x", new double[]{1, 2, 3}, "y", new double[]{1, 2}), Map.of(), 0.9));
    }

    @Test
    void shouldGiveTheSameErrorsAfterARestore() {
        Random rnd = new Random(3);
        double[][] ref = butterfly(rnd, 200, 0.5);
        ReconstructionModel model = ReconstructionModel.fit(Map.of("x", ref[0], "y", ref[1]),
                Map.of(), 0.6);
        ReconstructionModel copy = ReconstructionModel.restore(model.columns(), model.components(),
                model.explainedVariance(), model.varianceShare());
        Map<String, Double> row = Map.of("x", 1.5, "y", -0.5);
        assertEquals(model.error(row, Map.of()), copy.error(row, Map.of()), 0.0);
        assertEquals(0.0, model.error(Map.of("x", Double.NaN), Map.of()), 1e-9,
                "a row of imputed values sits on the reference mean, which every subspace holds");
    }

    private static double[][] butterfly(Random rnd, int n, double rho) {
        double[][] xy = new double[2][n];
        for (int i = 0; i < n; i++) {
            double a = rnd.nextGaussian();
            xy[0][i] = a;
            xy[1][i] = rho * a + Math.sqrt(1 - rho * rho) * rnd.nextGaussian();
        }
        return xy;
    }

    private static double meanError(ReconstructionModel model, double[][] xy) {
        double sum = 0;
        for (int i = 0; i < xy[0].length; i++) {
            sum += model.error(Map.of("x", xy[0][i], "y", xy[1][i]), Map.of());
        }
        return sum / xy[0].length;
    }
}
