package dev.driftwatch.detectors.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.driftwatch.detectors.DriftTests;
import java.io.IOException;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The state of one embedding subject per window at 384 dimensions with the default settings (k = 10 components,
 * D = 256 features, 100 grid points a component), measured serialised; BENCHMARKS.md quotes the printed line.
 */
class EmbeddingStateSizeTest {
    @Test
    void shouldKeepAWindowOf384DimensionsInAFixedFewTensOfKilobytes() throws IOException {
        Random random = new Random(384);
        double[][] reference = new double[1000][384];
        for (double[] row : reference) {
            for (int j = 0; j < row.length; j++) {
                row[j] = random.nextGaussian() * (j < 20 ? 3 : 1);
            }
        }
        EmbeddingReference ref = EmbeddingReference.fit(reference,
                new EmbeddingReference.Options(10, 256, 42, 99, 200, DriftTests.WASSERSTEIN, 0.01, 100));
        int[] sizes = new int[3];
        int[] counts = {1, 1_000, 20_000};
        for (int c = 0; c < counts.length; c++) {
            EmbeddingWindow w = ref.newWindow();
            for (int i = 0; i < counts[c]; i++) {
                ref.add(w, reference[i % reference.length]);
            }
            sizes[c] = EmbeddingReferenceTest.write(w).length;
        }
        System.out.printf(Locale.ROOT, "embedding window state, d=384 k=10 D=256 grid=100: %d bytes after 1, %d after"
                + " 1,000, %d after 20,000 vectors; reference %d bytes%n", sizes[0], sizes[1], sizes[2],
                ref.toBytes().length);
        assertEquals(sizes[0], sizes[1]);
        assertEquals(sizes[0], sizes[2]);
        assertTrue(sizes[0] < 64 * 1024, sizes[0] + " bytes");
    }
}
