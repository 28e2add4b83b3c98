package dev.driftwatch.streams.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnalyzeProgressTest {
    @Test
    void shouldDrawTheShareReadTheRateAndTheTimeLeftFromTheBytesRead() {
        // a quarter of the file in 10 s: three quarters are left, 30 s at the same pace
        assertEquals("[######                  ]  25.0%  2,500,000 events  250,000 events/s  ETA 0:30",
                AnalyzeProgress.bar(2_500_000, 250, 1000, 10.0));
    }

    @Test
    void shouldNotGuessTheTimeLeftBeforeAnyByteIsRead() {
        assertEquals("[                        ]   0.0%  0 events  0 events/s  ETA --:--",
                AnalyzeProgress.bar(0, 0, 1000, 0.0));
    }

    @Test
    void shouldFillTheBarWhenTheFileIsRead() {
        assertEquals("[########################] 100.0%  10,000,000 events  400,000 events/s  ETA 0:00",
                AnalyzeProgress.bar(10_000_000, 1000, 1000, 25.0));
    }

    @Test
    void shouldWriteHoursWhenTheTimeLeftPassesAnHour() {
        assertEquals("59:59", AnalyzeProgress.duration(3599));
        assertEquals("1:00:00", AnalyzeProgress.duration(3600));
        assertEquals("2:03:04", AnalyzeProgress.duration(2 * 3600 + 3 * 60 + 4));
    }

    @Test
    void shouldSumUpEventsWindowsAlertsSecondsAndRateOnOneLine() {
        assertEquals("analyze: 10,000,000 events, 500 windows, 4 alerts in 32.0 s (312,500 events/s)",
                AnalyzeProgress.summary(10_000_000, 500, 4, 32.0));
    }

    @Test
    void shouldWriteOnlyTheSummaryWhenStderrIsNotATerminal() {
        StringWriter text = new StringWriter();
        AnalyzeProgress p = new AnalyzeProgress(new PrintWriter(text), false, () -> 10, 10);
        for (long i = 1; i <= 5000; i++) {
            p.update(i);
        }
        p.finish(5000, 2, 1);
        String out = text.toString();
        assertFalse(out.contains("\r"), out);
        assertEquals(1, out.lines().count(), out);
        assertTrue(out.startsWith("analyze: 5,000 events, 2 windows, 1 alerts in "), out);
    }
}
