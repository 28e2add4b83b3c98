package dev.driftwatch.streams.roles;

import dev.driftwatch.streams.config.DriftwatchConfig;
import dev.driftwatch.streams.config.Preflight;
import dev.driftwatch.streams.review.ReviewSettings;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoleSettingsTest {
    private static DriftwatchConfig config(String... keyValues) {
        Map<String, String> props = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return new DriftwatchConfig(props);
    }

    private static String rejected(String... keyValues) {
        return assertThrows(ConfigException.class, () -> config(keyValues).signals()).getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
        }
    }

    @Test
    void shouldBeOffByDefaultWithTheDocumentedDefaults() {
        RoleSettings s = RoleSettings.of(config().signals());
        assertFalse(s.enabled());
        assertEquals(RoleSettings.defaults(false), s);
        assertEquals(Duration.ofSeconds(30), s.joinWindow());
        assertEquals(0.05, s.scoreTolerance(), 0.0);
        assertFalse(ReviewSettings.of(config().signals()).enabled());
    }

    @Test
    void shouldMakeRunCheckOrCreateTheRoleAndReviewTopicsOnlyWhenEnabled() {
        // The broker scripts disable topic auto-creation: a topic run does not check or create is a crash later.
        Map<String, String> roles = Preflight.pipelineTopics(config(RoleSettings.ENABLED_CONFIG, "true",
                DriftwatchConfig.TOPIC_ROLE_COMPARISONS_CONFIG, "pairs"));
        assertEquals(DriftwatchConfig.TOPIC_ROLE_COMPARISONS_CONFIG, roles.get("pairs"));
        assertFalse(roles.containsKey("driftwatch-review"));
        Map<String, String> review = Preflight.pipelineTopics(config(ReviewSettings.ENABLED_CONFIG, "true",
                DriftwatchConfig.TOPIC_REVIEW_CONFIG, "to-review"));
        assertEquals(DriftwatchConfig.TOPIC_REVIEW_CONFIG, review.get("to-review"));
        assertFalse(review.containsKey("driftwatch-role-comparisons"));
        Map<String, String> off = Preflight.pipelineTopics(config());
        assertFalse(off.containsKey("driftwatch-role-comparisons"));
        assertFalse(off.containsKey("driftwatch-review"));
    }

    @Test
    void shouldReadEveryKey() {
        RoleSettings s = RoleSettings.of(config("roles.enabled", "true", "roles.join.window.ms", "5000",
                "roles.agreement.score.tolerance", "0.1", "roles.agreement.min", "0.9", "roles.psi.threshold", "0.25",
                "roles.ks.threshold", "0.2", "roles.min.paired.requests", "100").signals());
        assertEquals(new RoleSettings(true, Duration.ofSeconds(5), 0.1, 0.9, 0.25, 0.2, 100), s);
        assertEquals("same label when both carry one, else |score difference| <= 0.1", s.agreementRule());
    }

    @Test
    void shouldRefuseAJoinWindowLongerThanTheGraceNamingBothKeysAndTheFix() {
        assertMentions(rejected("roles.enabled", "true", "roles.join.window.ms", "120000"),
                "roles.join.window.ms=120000", "window.grace.ms=60000", "lower roles.join.window.ms or raise"
                        + " window.grace.ms");
        // Disabled, the join window is not used and not checked.
        assertFalse(RoleSettings.of(config("roles.join.window.ms", "120000").signals()).enabled());
        assertTrue(RoleSettings.of(config("roles.enabled", "true", "roles.join.window.ms", "120000",
                "window.grace.ms", "120000").signals()).enabled());
    }

    @Test
    void shouldRefuseBadValuesNamingTheKeyAndValue() {
        assertMentions(rejected("roles.agreement.score.tolerance", "-0.1"), "roles.agreement.score.tolerance", "-0.1");
        assertMentions(rejected("roles.agreement.min", "1.5"), "roles.agreement.min", "1.5");
        assertMentions(rejected("roles.psi.threshold", "0"), "roles.psi.threshold", "expected a finite number > 0");
        assertMentions(rejected("roles.ks.threshold", "0"), "roles.ks.threshold");
        assertMentions(rejected("roles.min.paired.requests", "0"), "roles.min.paired.requests");
        assertMentions(rejected("roles.join.window.ms", "-1"), "roles.join.window.ms");
        assertMentions(rejected("roles.enabled", "maybe"), "roles.enabled", "maybe");
    }

    @Test
    void shouldRefuseBadValuesBuiltInCode() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RoleSettings.defaults(true).withScoreTolerance(Double.NaN));
        assertMentions(e.getMessage(), "roles.agreement.score.tolerance", "NaN");
        e = assertThrows(IllegalArgumentException.class,
                () -> RoleSettings.defaults(true).withJoinWindow(Duration.ofMinutes(5)).checkAgainstGrace(
                        Duration.ofMinutes(1)));
        assertMentions(e.getMessage(), "roles.join.window.ms=300000", "window.grace.ms=60000");
    }
}
