package dev.driftwatch.streams.replay;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RatePacerTest {
    @Test
    void shouldNotLetEventsOutFasterThanTheRate() {
        RatePacer pacer = new RatePacer(100);
        long start = System.nanoTime();
        for (int n = 1; n <= 21; n++) {
            pacer.await(n);
        }
        // the 21st event is due 200 ms after the first; only the lower bound is certain on a busy machine
        assertTrue(System.nanoTime() - start >= 195_000_000L);
    }

    @Test
    void shouldRefuseANegativeOrNonFiniteRate() {
        assertThrows(IllegalArgumentException.class, () -> new RatePacer(-1));
        assertThrows(IllegalArgumentException.class, () -> new RatePacer(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new RatePacer(Double.POSITIVE_INFINITY));
    }
}
