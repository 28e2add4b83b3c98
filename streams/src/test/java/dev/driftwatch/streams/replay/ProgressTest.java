package dev.driftwatch.streams.replay;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {
    @Test
    void shouldPrintWholeLinesWithCountShareAndRateWhenNotATerminal() {
        StringWriter text = new StringWriter();
        Progress p = new Progress(new PrintWriter(text), false, 0, () -> 0.5);
        p.update(1234);
        p.finish(1234);
        String out = text.toString();
        assertTrue(out.startsWith("replay: [###############               ]  50.0% 1,234 events  "), out);
        assertTrue(out.endsWith(" events/s" + System.lineSeparator()), out);
        assertEquals(1, out.lines().count(), "finish adds nothing when not drawn in place");
    }

    @Test
    void shouldRedrawInPlaceOnATerminalAndEndTheLine() {
        StringWriter text = new StringWriter();
        Progress p = new Progress(new PrintWriter(text), true, 5, () -> Double.NaN);
        p.finish(10);
        assertTrue(text.toString().startsWith("\r10 events  "), text.toString());
        assertTrue(text.toString().endsWith("\n"));
    }
}
