package dev.driftwatch.streams.drift;

import dev.driftwatch.detectors.summary.NumericSummary;
import dev.driftwatch.streams.internals.WindowBundle;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A numeric subject's summary in a new window starts with room for the cells the subject held in its model version's
 * last closed window, instead of growing to them by half at a time.
 */
class WindowCellRoomTest {
    private static final long MINUTE = 60_000;

    @Test
    void shouldStartANewWindowsSummaryWithRoomForTheCellsOfTheVersionsLastClosedWindow() {
        // three versions interleaved, 300 events a minute: a hundred values of n0 per version and window
        List<Record<byte[], byte[]>> records = HeldValuesTest.records(new Random(11), 600, 2 * MINUTE);
        HeldValuesTest.Harness h = new HeldValuesTest.Harness(new DriftSignal());
        Map<String, Integer> closedCells = new HashMap<>();
        // the first minute, then the first six events of the second: the first closes the first minute's windows
        for (int i = 0; i < 306; i++) {
            h.summarizer.process(records.get(i));
            h.context.forwarded().forEach(f -> {
                var partial = f.record().value().partial();
                if (partial != null && partial.bundle() != null) {
                    WindowBundle b = partial.bundle();
                    closedCells.put(b.modelVersion(), b.subject("n0").numericSummary().heldCells());
                }
            });
            h.context.resetForwards();
        }
        assertEquals(3, closedCells.size(), "the first minute's windows handed on");
        int checked = 0;
        for (WindowBundle b : h.windows.upTo("\uffff").values()) {
            NumericSummary n0 = b.subject("n0").numericSummary();
            int before = closedCells.get(b.modelVersion());
            assertTrue(before > 16, "a hundred values fill more cells than a summary starts with: " + before);
            if (!b.modelVersion().equals("1")) { // version 1's window opened before the first minute's closed
                assertTrue(n0.sparseRoom() >= before, "version " + b.modelVersion() + ": room for "
                        + n0.sparseRoom() + " cells, the window before held " + before);
                checked++;
            }
        }
        assertEquals(2, checked, "the second minute's windows opened after the first minute's closed");
    }
}
