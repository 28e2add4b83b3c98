package dev.driftwatch.detectors.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.driftwatch.detectors.DriftTests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every embedding statistic against numpy, on the cases that
 * {@code src/test/resources/embedding/generate_embedding_fixtures.py} wrote.
 */
class EmbeddingFixturesTest {
    private static Map<String, double[][]> load(int n) throws IOException {
        Map<String, double[][]> values = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("src/test/resources/embedding/case-" + n + ".txt"))) {
            String[] t = line.split(" ");
            int rows = Integer.parseInt(t[1]);
            int cols = Integer.parseInt(t[2]);
            double[][] a = new double[rows][cols];
            for (int i = 0; i < rows * cols; i++) {
                a[i / cols][i % cols] = Double.parseDouble(t[3 + i]);
            }
            values.put(t[0], a);
        }
        return values;
    }

    private static double scalar(Map<String, double[][]> f, String name) {
        return f.get(name)[0][0];
    }

    @ParameterizedTest(name = "case {0}")
    @ValueSource(ints = {1, 2, 3, 4})
    void shouldCentreTheDoubleBootstrapNullOnNumpysPluginCovariance(int n) throws IOException {
        Map<String, double[][]> f = load(n);
        EmbeddingReference ref = EmbeddingReference.fit(f.get("x"),
                new EmbeddingReference.Options(3, 64, 11, 1999, 400, DriftTests.WASSERSTEIN, 0.01, 50));
        double trace = scalar(f, "plugin_trace");
        int[] sizes = ref.nullWindowSizes();
        for (int j = 0; j < sizes.length; j++) {
            double[] scaled = ref.nullDistribution(j, 0); // √n_eff·‖window mean − pseudo-reference mean‖
            double sum = 0;
            double sumSq = 0;
            for (double v : scaled) {
                sum += v * v;
                sumSq += v * v * v * v;
            }
            double mean = sum / scaled.length;
            double se = Math.sqrt((sumSq / scaled.length - mean * mean) / scaled.length);
            assertEquals(trace, mean, 4 * se, "window size " + sizes[j] + ": mean of n_eff·distance²");
        }
    }

    @ParameterizedTest(name = "case {0}")
    @ValueSource(ints = {1, 2, 3, 4})
    void shouldGiveNumpysMeanDistances(int n) throws IOException {
        Map<String, double[][]> f = load(n);
        double[] mx = EmbeddingMaths.mean(f.get("x"));
        double[] my = EmbeddingMaths.mean(f.get("y"));
        assertArrayClose(f.get("mean_x")[0], mx, 1e-12);
        assertEquals(scalar(f, "euclidean"), EmbeddingMaths.euclidean(mx, my), 1e-12);
        assertEquals(scalar(f, "cosine"), EmbeddingMaths.cosineDistance(mx, my), 1e-12);
    }

    @ParameterizedTest(name = "case {0}")
    @ValueSource(ints = {1, 2, 3, 4})
    void shouldGiveNumpysExactMmdAndBandwidth(int n) throws IOException {
        Map<String, double[][]> f = load(n);
        double sigma = EmbeddingMaths.medianDistance(f.get("x"), 1000);
        assertEquals(scalar(f, "sigma"), sigma, 1e-12);
        assertEquals(scalar(f, "exact_mmd2"), EmbeddingMaths.exactMmd2(f.get("x"), f.get("y"), sigma), 1e-12);
    }

    @ParameterizedTest(name = "case {0}")
    @ValueSource(ints = {1, 2, 3, 4})
    void shouldGiveNumpysRandomFeatureEstimateWithinItsStatedError(int n) throws IOException {
        Map<String, double[][]> f = load(n);
        RandomFourierFeatures rff = RandomFourierFeatures.of(f.get("w"), f.get("b")[0]);
        double[] mx = rff.meanMap(f.get("x"));
        double[] my = rff.meanMap(f.get("y"));
        double estimate = RandomFourierFeatures.mmd2(mx, my);
        double se = RandomFourierFeatures.standardError(mx, my);
        assertEquals(scalar(f, "rff_mmd2"), estimate, 1e-9);
        assertEquals(scalar(f, "rff_se"), se, 1e-9);
        double exact = scalar(f, "exact_mmd2");
        assertTrue(Math.abs(estimate - exact) <= 4 * se,
                "RFF " + estimate + " vs exact " + exact + ": more than 4 standard errors (" + se + ")");
        assertTrue(Math.abs(estimate - exact) <= RandomFourierFeatures.hoeffdingBound(rff.features(), 0.01));
    }

    @ParameterizedTest(name = "case {0}")
    @ValueSource(ints = {1, 2, 3, 4})
    void shouldGiveNumpysPrincipalComponents(int n) throws IOException {
        Map<String, double[][]> f = load(n);
        double[] expectedValues = f.get("eigenvalues")[0];
        PrincipalComponents pca = PrincipalComponents.fit(f.get("x"), expectedValues.length);
        assertArrayClose(expectedValues, pca.variances(), 1e-9);
        assertEquals(scalar(f, "total_variance"), pca.totalVariance(), 1e-9);
        for (int r = 0; r < expectedValues.length; r++) {
            double dot = 0;
            for (int j = 0; j < pca.mean().length; j++) {
                dot += pca.components()[r][j] * f.get("components")[r][j];
            }
            assertEquals(1.0, Math.abs(dot), 1e-7, "component " + r + " (up to its sign)");
        }
    }

    private static void assertArrayClose(double[] expected, double[] actual, double tolerance) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance * Math.max(1, Math.abs(expected[i])), "index " + i);
        }
    }
}
