package dev.driftwatch.streams.replay;

import dev.driftwatch.streams.config.Preflight.PreflightException;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The topic with the shortest retention decides, less an hour's margin; no deleting topic, no limit. */
class RetentionGuardTest {
    private static final long HOUR = 3_600_000L;
    private static final long NOW = 1_000_000 * HOUR;

    @Test
    void theShortestRetentionDecidesWithAMarginOfAnHour() {
        Map<String, Long> retention = new LinkedHashMap<>();
        retention.put("events", 48 * HOUR);
        retention.put("stats", 24 * HOUR);
        RetentionGuard guard = RetentionGuard.of(retention, NOW);
        assertDoesNotThrow(() -> guard.check(NOW - HOUR, 0));
        assertDoesNotThrow(() -> guard.check(NOW - 23 * HOUR, 0)); // the oldest allowed: 24 h less the hour
        PreflightException e = assertThrows(PreflightException.class, () -> guard.check(NOW - 23 * HOUR - 1, 7));
        assertTrue(e.getMessage().contains("topic stats keeps records (retention.ms=86400000, 24h")
                && e.getMessage().contains("7 events were published before it"), e.getMessage());
    }

    @Test
    void topicsThatDeleteNothingByAgeLetEverythingThrough() {
        RetentionGuard guard = RetentionGuard.of(Map.of(), NOW);
        assertDoesNotThrow(() -> guard.check(0, 0));
        assertDoesNotThrow(() -> RetentionGuard.NONE.check(Long.MIN_VALUE + 1, 0));
    }
}
