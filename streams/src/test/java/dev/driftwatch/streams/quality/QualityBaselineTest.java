package dev.driftwatch.streams.quality;

import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.streams.baseline.CsvBaselines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What {@code driftwatch baseline} records from a training CSV for the data-quality checks. */
class QualityBaselineTest {
    @TempDir
    Path dir;

    @Test
    void shouldRecordTheRangeAndTheMissingCellsOfATrainingCsv() throws IOException {
        Path csv = dir.resolve("train.csv");
        Files.writeString(csv, "age,colour\n31,red\n,blue\n18,\nNaN,red\n64.5,blue\ninf,red\n");
        List<CsvBaselines.Entry> entries = CsvBaselines.fromCsv(csv, "m", "1", 10, Set.of());
        Baseline age = entries.stream().filter(e -> e.subject().equals("age")).findFirst().orElseThrow().baseline();
        assertEquals(18.0, age.getMinimum(), 0.0);
        assertEquals(64.5, age.getMaximum(), 0.0);
        assertEquals(3, age.getMissingCount(), "empty, NaN and inf cells");
        assertEquals(3, age.getTotalCount(), "the present values");
        QualityReference ref = QualityReference.of(age, null);
        assertEquals(6, ref.observations());
        assertEquals(0.5, ref.presentShare(), 0.0);
        Baseline colour = entries.stream().filter(e -> e.subject().equals("colour")).findFirst().orElseThrow().baseline();
        assertNull(colour.getMinimum());
        assertEquals(1, colour.getMissingCount());
        assertEquals(Set.of("red", "blue"), QualityReference.of(colour, null).categories());
        assertEquals(-1.0, QualityReference.of(age, new QualitySettings.Range(-1, 200)).low(), 0.0);
    }
}
