package dev.driftwatch.streams.business;

import dev.driftwatch.schemas.avro.OutcomeEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutcomeFilesTest {
    @TempDir
    Path dir;

    /** Times (seconds) of the file's lines, with ties to keep in file order and a blank line. */
    private Path file(int... seconds) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < seconds.length; i++) {
            text.append(String.format("{\"request_id\":\"r%d\",\"type\":\"click\",\"event_time\":%d}%n", i,
                    1_793_500_000_000L + seconds[i] * 1000L));
            if (i == 2) {
                text.append("   \n");
            }
        }
        Path f = dir.resolve("outcomes.jsonl");
        Files.writeString(f, text);
        return f;
    }

    private static List<String> ids(OutcomeFiles.InTimeOrder in) {
        List<String> ids = new ArrayList<>();
        in.forEachRemaining(o -> ids.add(o.getRequestId()));
        return ids;
    }

    @Test
    void shouldGiveTheOutcomesAsAStableSortOfTheWholeFileGivesThem() throws IOException {
        Path f = file(5, 1, 3, 1, 9, 7, 3);
        List<OutcomeEvent> sorted = new ArrayList<>(OutcomeFiles.readJsonLines(f));
        sorted.sort(Comparator.comparing(OutcomeEvent::getEventTime));
        try (OutcomeFiles.InTimeOrder in = OutcomeFiles.inTimeOrder(f)) {
            assertEquals(sorted.stream().map(OutcomeEvent::getRequestId).toList(), ids(in));
            assertEquals(7, in.read());
        }
        assertEquals(List.of("r1", "r3", "r2", "r6", "r0", "r5", "r4"),
                sorted.stream().map(OutcomeEvent::getRequestId).toList());
    }

    @Test
    void shouldHoldNoMoreThanItsLimitAndHandOutAnOutcomeFurtherOutOfOrderLate() throws IOException {
        // r3 (second 0) is three lines after r0 (second 1): with two held, r0 and r1 have gone out before it is read
        Path f = file(1, 2, 3, 0, 4);
        try (OutcomeFiles.InTimeOrder in = new OutcomeFiles.InTimeOrder(f, 2)) {
            assertEquals(List.of("r0", "r1", "r3", "r2", "r4"), ids(in));
        }
    }

    @Test
    void shouldNameTheLineThatCannotBeReadWhenItsTurnComes() throws IOException {
        Path f = dir.resolve("bad.jsonl");
        Files.writeString(f, "{\"request_id\":\"r1\",\"type\":\"click\",\"event_time\":1}\n{\"request_id\":\"r2\"}\n");
        try (OutcomeFiles.InTimeOrder in = OutcomeFiles.inTimeOrder(f)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, in::hasNext);
            assertTrue(e.getMessage().startsWith("outcome file " + f + " line 2: type null is not impression"),
                    e.getMessage());
        }
    }

    @Test
    void shouldReadALabelWithItsTrueClassAndValue() throws IOException {
        Path f = dir.resolve("labels.jsonl");
        Files.writeString(f, "{\"request_id\":\"r1\",\"type\":\"label\",\"event_time\":1,\"label\":\"spam\","
                + "\"value\":2.5}\n");
        try (OutcomeFiles.InTimeOrder in = OutcomeFiles.inTimeOrder(f)) {
            OutcomeEvent first = in.next();
            assertEquals(dev.driftwatch.schemas.avro.OutcomeType.LABEL, first.getType());
            assertEquals("spam", first.getLabel());
            assertEquals(2.5, first.getValue(), 0.0);
        }
        Path bad = dir.resolve("bad-label.jsonl");
        Files.writeString(bad, "{\"request_id\":\"r2\",\"type\":\"label\",\"event_time\":2,\"label\":3}\n");
        try (OutcomeFiles.InTimeOrder in = OutcomeFiles.inTimeOrder(bad)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, in::hasNext);
            assertTrue(e.getMessage().contains("line 1: label 3 is not a string or null"), e.getMessage());
        }
    }
}
