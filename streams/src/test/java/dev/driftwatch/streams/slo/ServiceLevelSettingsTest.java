package dev.driftwatch.streams.slo;

import dev.driftwatch.detectors.policy.Severity;
import dev.driftwatch.detectors.slo.BurnRateRule;
import dev.driftwatch.streams.config.DriftwatchConfig;
import dev.driftwatch.streams.config.Preflight;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceLevelSettingsTest {
    private static ServiceLevelSettings settings(String... keyValues) {
        Map<String, String> props = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return ServiceLevelSettings.of(new DriftwatchConfig(props).signals());
    }

    private static String rejected(String... keyValues) {
        return assertThrows(ConfigException.class, () -> settings(keyValues)).getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "'" + p + "' not in: " + message);
        }
    }

    @Test
    void shouldBeOffByDefaultWithTheWorkbookRulesAndTwoObjectives() {
        ServiceLevelSettings s = settings();
        assertFalse(s.enabled());
        assertEquals(List.of(new BurnRateRule(3_600_000, 300_000, 14.4, Severity.CRITICAL),
                new BurnRateRule(21_600_000, 1_800_000, 6, Severity.WARNING)), s.rules());
        assertEquals(2, s.objectives().size());
        ServiceLevelObjective latency = s.objectives().get(0);
        assertEquals("latency", latency.name());
        assertEquals(0.99, latency.target(), 0.0);
        assertEquals("latency:latency.p95<=800@0.99", latency.text());
        ServiceLevelObjective errors = s.objectives().get(1);
        assertEquals(0.99, errors.target(), 1e-15, "error.rate<=0.01 means 99 % of calls good");
        assertEquals("errors:error.rate<=0.01", errors.text());
    }

    @Test
    void shouldReadObjectivesAndRules() {
        ServiceLevelSettings s = settings(ServiceLevelSettings.ENABLED_CONFIG, "true",
                ServiceLevelSettings.OBJECTIVES_CONFIG, "slow:latency.p99<=2000@0.95, conf:low.confidence.share<=0.2@0.9",
                ServiceLevelSettings.BURN_RULES_CONFIG, "1h/5m@9:CRITICAL");
        assertTrue(s.enabled());
        assertEquals("slow:latency.p99<=2000@0.95", s.objectives().get(0).text());
        assertEquals("conf:low.confidence.share<=0.2@0.9", s.objectives().get(1).text());
        assertEquals("1h/5m@9:CRITICAL", s.rulesText());
    }

    @Test
    void shouldRejectBadObjectivesNamingTheValueAndTheFix() {
        assertMentions(rejected(ServiceLevelSettings.OBJECTIVES_CONFIG, "latency:latency.p90<=800@0.99"),
                ServiceLevelSettings.OBJECTIVES_CONFIG, "unknown indicator 'latency.p90'", "latency.p95");
        assertMentions(rejected(ServiceLevelSettings.OBJECTIVES_CONFIG, "errors:error.rate<=0.01@0.99"),
                "request-based", "drop '@0.99'");
        assertMentions(rejected(ServiceLevelSettings.OBJECTIVES_CONFIG, "latency:latency.p95<=800"),
                "window-based", "e.g. @0.99");
        assertMentions(rejected(ServiceLevelSettings.OBJECTIVES_CONFIG, "latency:latency.p95>=800@0.99"),
                "upper bound", "latency.p95<=BOUND");
        assertMentions(rejected(ServiceLevelSettings.OBJECTIVES_CONFIG, "a:error.rate<=0.01,a:error.rate<=0.02"),
                "'a' is used twice");
        assertMentions(rejected(ServiceLevelSettings.OBJECTIVES_CONFIG, "p95 under 800"),
                "'p95 under 800'", "NAME:INDICATOR<=BOUND[@TARGET]");
        assertMentions(rejected(ServiceLevelSettings.OBJECTIVES_CONFIG, "l:latency.p95<=800@1.5"),
                "target 1.5", "(0, 1)");
    }

    @Test
    void shouldRejectRulesThatDoNotCoverWholeWindowsOnlyWhenEnabled() {
        // 7-minute windows: 1h and 5m are not multiples of 7m.
        assertFalse(settings(DriftwatchConfig.WINDOW_SIZE_MS_CONFIG, "420000").enabled());
        assertMentions(rejected(ServiceLevelSettings.ENABLED_CONFIG, "true",
                        DriftwatchConfig.WINDOW_SIZE_MS_CONFIG, "420000"),
                ServiceLevelSettings.BURN_RULES_CONFIG, "1h/5m@14.4:CRITICAL",
                "1h is not a multiple of the window advance 7m", "make both windows multiples of 7m");
        // 30 days of 1-second windows would be 2,592,000 counts per objective.
        assertMentions(rejected(ServiceLevelSettings.ENABLED_CONFIG, "true",
                        DriftwatchConfig.WINDOW_SIZE_MS_CONFIG, "1000",
                        ServiceLevelSettings.BURN_RULES_CONFIG, "30d/1h@2"),
                "30d/1h@2:WARNING spans 2592000 windows of 1s, more than the 100000", "lengthen the window advance");
        assertMentions(rejected(ServiceLevelSettings.BURN_RULES_CONFIG, "1h/5m@14.4:PAGE"),
                ServiceLevelSettings.BURN_RULES_CONFIG, "'PAGE'", "WARNING or CRITICAL");
        assertMentions(rejected(ServiceLevelSettings.BURN_RULES_CONFIG, "5m/1h@2"),
                "short window < long window");
    }

    @Test
    void shouldMakeRunCheckOrCreateTheServiceLevelsTopicOnlyWhenEnabled() {
        Map<String, String> on = Map.of(ServiceLevelSettings.ENABLED_CONFIG, "true",
                DriftwatchConfig.TOPIC_SERVICE_LEVELS_CONFIG, "slis");
        assertEquals(DriftwatchConfig.TOPIC_SERVICE_LEVELS_CONFIG,
                Preflight.pipelineTopics(new DriftwatchConfig(on)).get("slis"));
        assertFalse(Preflight.pipelineTopics(new DriftwatchConfig(Map.of())).containsKey("driftwatch-service-levels"));
    }

    @Test
    void shouldRejectARuleThatCanNeverFire() {
        // With a target of 0.9 the budget burns at most 1 / 0.1 = 10 times: a factor of 14.4 is out of reach.
        assertMentions(rejected(ServiceLevelSettings.ENABLED_CONFIG, "true",
                        ServiceLevelSettings.OBJECTIVES_CONFIG, "lat:latency.p95<=800@0.9"),
                "1h/5m@14.4:CRITICAL can never fire for objective lat", "at most 10", "lower the factor");
    }

    @Test
    void shouldReadTheMinimumVolumeWithADefaultOf100() {
        assertEquals(100, settings().minEvents());
        assertEquals(20, settings(ServiceLevelSettings.MIN_EVENTS_CONFIG, "20").minEvents());
        assertMentions(rejected(ServiceLevelSettings.MIN_EVENTS_CONFIG, "-1"), ServiceLevelSettings.MIN_EVENTS_CONFIG,
                "-1");
    }

    @Test
    void shouldRefuseHoppingWindowsNamingBothKeysAndTheFix() {
        String message = rejected(ServiceLevelSettings.ENABLED_CONFIG, "true",
                DriftwatchConfig.WINDOW_SIZE_MS_CONFIG, "600000", DriftwatchConfig.WINDOW_ADVANCE_MS_CONFIG, "300000");
        assertMentions(message, "window.advance.ms=300000", "window.size.ms=600000", "hopping", "count in 2 windows",
                "set window.advance.ms=0", "slo.enabled=false");
        // Tumbling, written either way, is accepted; hopping windows without service levels too.
        assertTrue(settings(ServiceLevelSettings.ENABLED_CONFIG, "true", DriftwatchConfig.WINDOW_SIZE_MS_CONFIG,
                "300000", DriftwatchConfig.WINDOW_ADVANCE_MS_CONFIG, "300000").enabled());
        assertTrue(settings(ServiceLevelSettings.ENABLED_CONFIG, "true", DriftwatchConfig.WINDOW_SIZE_MS_CONFIG,
                "300000", DriftwatchConfig.WINDOW_ADVANCE_MS_CONFIG, "0").enabled());
        assertFalse(settings(DriftwatchConfig.WINDOW_SIZE_MS_CONFIG, "600000",
                DriftwatchConfig.WINDOW_ADVANCE_MS_CONFIG, "300000").enabled());
    }

    @Test
    void shouldReadTheCtrObjectiveAndRefuseItWithoutBusinessOutcomes() {
        ServiceLevelSettings s = settings(ServiceLevelSettings.ENABLED_CONFIG, "true", "business.enabled", "true",
                ServiceLevelSettings.OBJECTIVES_CONFIG, "ctr:ctr.ratio>=0.95@0.99");
        ServiceLevelObjective ctr = s.objectives().get(0);
        assertEquals("ctr:ctr.ratio>=0.95@0.99", ctr.text());
        assertEquals(0.99, ctr.target(), 0.0);
        assertTrue(ctr.needsBusiness());
        assertMentions(rejected(ServiceLevelSettings.ENABLED_CONFIG, "true",
                        ServiceLevelSettings.OBJECTIVES_CONFIG, "ctr:ctr.ratio>=0.95@0.99"),
                "slo.objectives", "ctr:ctr.ratio>=0.95@0.99", "business.enabled=false", "set business.enabled=true");
        assertMentions(rejected(ServiceLevelSettings.OBJECTIVES_CONFIG, "ctr:ctr.ratio<=0.95@0.99"),
                "lower bound", "ctr.ratio>=BOUND");
        assertMentions(rejected(ServiceLevelSettings.OBJECTIVES_CONFIG, "ctr:ctr.ratio>=0.95"), "window-based",
                "@0.99");
    }
}
