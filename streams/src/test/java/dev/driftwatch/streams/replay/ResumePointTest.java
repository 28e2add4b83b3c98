package dev.driftwatch.streams.replay;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResumePointTest {
    @Test
    void shouldSkipTheFirstNEventsAndGoOnAfterTheCommittedOnes() {
        ResumePoint r = ResumePoint.parse("3");
        assertFalse(r.isStart());
        List<Boolean> skips = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            skips.add(r.skip());
        }
        assertEquals(List.of(true, true, true, false, false), skips);
        assertEquals("5", r.next(2));
        assertTrue(ResumePoint.parse(" 0 ").isStart());
    }

    @Test
    void shouldRefuseWhatIsNotAResumePointNamingTheForm() {
        for (String bad : List.of("-1", "x", "0:1,1:2", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResumePoint.parse(bad));
            assertTrue(e.getMessage().startsWith("--skip '" + bad + "' is not a resume point"), e.getMessage());
        }
    }
}
