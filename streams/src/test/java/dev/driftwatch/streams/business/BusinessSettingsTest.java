package dev.driftwatch.streams.business;

import dev.driftwatch.streams.config.DriftwatchConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The business settings as read from driftwatch's configuration, and their errors. */
class BusinessSettingsTest {

    private static DriftwatchConfig config(String... keyValues) {
        Map<String, String> props = new HashMap<>();
        props.put("bootstrap.servers", "localhost:9092");
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return new DriftwatchConfig(props);
    }

    @Test
    void shouldBeOffByDefaultWithItsDocumentedDefaults() {
        BusinessSettings s = BusinessSettings.of(config().signals());
        assertFalse(s.enabled());
        assertEquals(Duration.ofMinutes(5), s.joinWindow());
        assertEquals(Duration.ofSeconds(30), s.joinGrace(), "an allowance for outcomes delivered late");
        assertEquals(200, s.minImpressions());
        assertEquals(0.1, s.dropWarning());
        assertEquals(0.25, s.dropCritical());
        assertEquals(0.01, s.alpha());
        assertEquals(0, s.closeDelayMs(), "windows close as before when business is off");
        assertFalse(config().streamsProperties().containsKey(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG));
    }

    @Test
    void shouldReadEveryKey() {
        DriftwatchConfig c = config("business.enabled", "true", "business.join.window.ms", "60000",
                "business.join.grace.ms", "5000", "business.ctr.min.impressions", "500", "business.ctr.drop.warning", "0.05",
                "business.ctr.drop.critical", "0.5", "business.ctr.alpha", "0.001");
        BusinessSettings s = BusinessSettings.of(c.signals());
        assertTrue(s.enabled());
        assertEquals(Duration.ofMinutes(1), s.joinWindow());
        assertEquals(Duration.ofSeconds(5), s.joinGrace());
        assertEquals(65_000, s.closeDelayMs(), "windows close the join window plus its grace later");
        assertEquals(500, s.minImpressions());
        assertEquals(0.05, s.dropWarning());
        assertEquals(0.5, s.dropCritical());
        assertEquals(0.001, s.alpha());
        assertEquals(BusinessSettings.DEFAULT_MAX_TASK_IDLE_MS,
                c.streamsProperties().get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG));
    }

    @Test
    void shouldNameTheKeyAndTheBadValue() {
        String join = assertThrows(ConfigException.class, () -> config("business.join.window.ms", "0")).getMessage();
        assertTrue(join.contains("business.join.window.ms") && join.contains("0"), join);
        String grace = assertThrows(ConfigException.class, () -> config("business.join.grace.ms", "-1")).getMessage();
        assertTrue(grace.contains("business.join.grace.ms") && grace.contains("-1"), grace);
        String alpha = assertThrows(ConfigException.class, () -> config("business.ctr.alpha", "1.5")).getMessage();
        assertTrue(alpha.contains("business.ctr.alpha") && alpha.contains("1.5"), alpha);
        String flag = assertThrows(ConfigException.class, () -> config("business.enabled", "yes")).getMessage();
        assertTrue(flag.contains("business.enabled"), flag);
        String order = assertThrows(ConfigException.class, () -> config("business.ctr.drop.warning", "0.3",
                "business.ctr.drop.critical", "0.2").signals()).getMessage();
        assertTrue(order.contains("business.ctr.drop.critical") && order.contains("0.2")
                && order.contains("business.ctr.drop.warning=0.3"), order);
    }
}
