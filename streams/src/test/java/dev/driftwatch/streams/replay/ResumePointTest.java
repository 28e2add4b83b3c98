package dev.driftwatch.streams.replay;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResumePointTest {
    /** Which of the events bound for the given partitions, in order, are skipped. */
    private static List<Boolean> skips(ResumePoint r, int... partitions) {
        List<Boolean> out = new ArrayList<>();
        for (int p : partitions) {
            out.add(r.skip(p));
        }
        return out;
    }

    @Test
    void shouldSkipTheFirstNEventsWhateverTheirPartition() {
        ResumePoint r = ResumePoint.parse("3");
        assertEquals(List.of(true, true, true, false, false), skips(r, 0, 1, 0, 1, 2));
        // 2 of the 2 sent acknowledged, nothing after a gap: the same form, further on
        assertEquals("5", r.next(2, 0, new long[] {0, 1, 1}));
    }

    @Test
    void shouldSkipTheFirstEventsOfEachPartitionAndGoOnPerPartitionAfterAGap() {
        ResumePoint r = ResumePoint.parse("0:2,2:1");
        assertFalse(r.isStart());
        assertEquals(List.of(true, false, true, true, false, false, false), skips(r, 0, 1, 0, 2, 0, 2, 1));
        // sent: partition 0 one event, 1 two, 2 one; acknowledged: 0 none, 1 both, 2 one (+ a closing event)
        assertEquals("0:2,1:2,2:2", r.next(0, 3, new long[] {0, 2, 2}));
    }

    @Test
    void shouldGoOnPerPartitionWhenALaterEventWasWrittenBeforeAnEarlierOne() {
        ResumePoint r = ResumePoint.parse("0");
        assertTrue(r.isStart());
        skips(r, 0, 1, 0, 1);
        // record 1 (partition 0) not acknowledged, records 2 and 4 (partition 1) were
        assertEquals("0:0,1:2", r.next(0, 2, new long[] {0, 2}));
    }

    @Test
    void shouldRefuseWhatIsNotAResumePointNamingTheForms() {
        for (String bad : List.of("-1", "x", "0:1,1", "0:-2", "a:1")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResumePoint.parse(bad));
            assertTrue(e.getMessage().startsWith("--skip '" + bad + "' is not a resume point"), e.getMessage());
        }
    }
}
