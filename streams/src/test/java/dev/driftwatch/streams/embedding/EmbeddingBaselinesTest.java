package dev.driftwatch.streams.embedding;

import dev.driftwatch.detectors.embedding.EmbeddingReference;
import dev.driftwatch.schemas.avro.Baseline;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddingBaselinesTest {

    @Test
    void shouldSayWhyAReferenceOfAnOlderFormatIsNotUsedAndHowToFitItAgain() {
        Random random = new Random(3);
        double[][] rows = new double[60][8];
        for (double[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                row[j] = random.nextGaussian();
            }
        }
        EmbeddingReference ref = EmbeddingReference.fit(rows, EmbeddingSettings.defaultFit());
        Baseline current = EmbeddingBaselines.toAvro("m", "1", "prompt", ref, 0, "test", "c1");
        assertNotNull(EmbeddingBaselines.reference(current));

        byte[] old = ref.toBytes();
        old[0] = 1; // the format version the calibration fix retired
        Baseline refused = Baseline.newBuilder(current).setEmbeddingReference(ByteBuffer.wrap(old)).build();
        String logged = capturingStandardError(() -> assertNull(EmbeddingBaselines.reference(refused)));
        assertTrue(logged.contains("m/1/embedding.prompt") && logged.contains("driftwatch baseline --embeddings"),
                "the log should name the baseline and the fix: " + logged);
    }

    /** What slf4j-simple (which writes to System.err) logs while {@code action} runs. */
    private static String capturingStandardError(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
