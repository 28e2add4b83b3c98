package dev.driftwatch.streams.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {
    @Test
    void shouldDrawTheShareDoneTheRateAndTheTimeLeft() {
        // a quarter in 10 s: three quarters are left, 30 s at the same pace
        assertEquals("[######                  ]  25.0%  2,500,000 events  250,000 events/s  ETA 0:30",
                Progress.bar(2_500_000, 0.25, 10.0));
    }

    @Test
    void shouldNotGuessTheTimeLeftBeforeAnythingIsDone() {
        assertEquals("[                        ]   0.0%  0 events  0 events/s  ETA --:--", Progress.bar(0, 0, 0.0));
    }

    @Test
    void shouldFillTheBarAtTheEnd() {
        assertEquals("[########################] 100.0%  10,000,000 events  400,000 events/s  ETA 0:00",
                Progress.bar(10_000_000, 1.0, 25.0));
    }

    @Test
    void shouldShowOnlyEventsAndRateWhenTheShareDoneIsUnknown() {
        assertEquals("1,000 events  500 events/s", Progress.bar(1000, Double.NaN, 2.0));
    }

    @Test
    void shouldWriteHoursWhenTheTimeLeftPassesAnHour() {
        assertEquals("59:59", Progress.duration(3599));
        assertEquals("1:00:00", Progress.duration(3600));
        assertEquals("2:03:04", Progress.duration(2 * 3600 + 3 * 60 + 4));
    }

    @Test
    void shouldSumUpOnOneLine() {
        assertEquals("analyze: 10,000,000 events, 500 windows, 4 alerts in 32.0 s (312,500 events/s)",
                Progress.summary("analyze", 10_000_000, ", 500 windows, 4 alerts", 32.0));
        assertEquals("replay: 3,200 events in 2.0 s (1,600 events/s)", Progress.summary("replay", 3200, "", 2.0));
    }

    @Test
    void shouldWriteOnlyTheFinalLineWhenStderrIsNotATerminal() {
        StringWriter text = new StringWriter();
        Progress p = new Progress(new PrintWriter(text), false, "replay", () -> 0.5);
        for (long i = 1; i <= 5000; i++) {
            p.update(i);
        }
        p.finish(5000);
        String out = text.toString();
        assertFalse(out.contains("\r"), out);
        assertEquals(1, out.lines().count(), out);
        assertTrue(out.startsWith("replay: 5,000 events in "), out);
    }

    @Test
    void shouldEndTheBarDrawnInPlaceOnATerminalBeforeTheFinalLine() throws InterruptedException {
        StringWriter text = new StringWriter();
        Progress p = new Progress(new PrintWriter(text), true, "analyze", () -> 0.5);
        Thread.sleep(250); // the bar is redrawn at most every 200 ms
        p.update(2048);
        p.finish(4096, ", 1 windows, 0 alerts");
        String[] lines = text.toString().split("\n");
        assertEquals(2, lines.length, text.toString());
        assertTrue(lines[0].startsWith("\r[############            ]  50.0%  2,048 events  "), lines[0]);
        assertTrue(lines[0].contains("\r[########################] 100.0%  4,096 events  "), lines[0]);
        assertTrue(lines[1].startsWith("analyze: 4,096 events, 1 windows, 0 alerts in "), lines[1]);
    }
}
