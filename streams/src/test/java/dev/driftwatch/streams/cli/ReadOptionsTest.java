package dev.driftwatch.streams.cli;

import dev.driftwatch.streams.tail.OutputTopic;
import dev.driftwatch.streams.client.TopicReader;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadOptionsTest {
    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    @Test
    void shouldStartAtTheBeginningUnlessFollowingOrGivenATime() {
        ReadOptions o = new ReadOptions();
        assertEquals(TopicReader.Start.BEGINNING, o.request(OutputTopic.ALERTS, NOW).start());
        o.follow = true;
        assertEquals(TopicReader.Start.END, o.request(OutputTopic.ALERTS, NOW).start());
        o.fromBeginning = true;
        assertEquals(TopicReader.Start.BEGINNING, o.request(OutputTopic.ALERTS, NOW).start());
        o.fromBeginning = false;
        o.since = "2h";
        TopicReader.Request r = o.request(OutputTopic.ALERTS, NOW);
        assertEquals(TopicReader.Start.TIME, r.start());
        assertEquals(Instant.parse("2026-12-04T08:00:00Z"), r.since());
    }

    @Test
    void shouldRejectABadTimeoutOrTwoStartsWithTheOptionNamed() {
        ReadOptions o = new ReadOptions();
        o.timeout = "soon";
        assertTrue(assertThrows(IllegalArgumentException.class, () -> o.request(OutputTopic.ALERTS, NOW))
                .getMessage().startsWith("--timeout 'soon' is not a duration"));
        o.timeout = "90s";
        assertEquals(Duration.ofSeconds(90), o.request(OutputTopic.ALERTS, NOW).timeout());
        o.since = "1h";
        o.fromBeginning = true;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> o.request(OutputTopic.ALERTS, NOW))
                .getMessage().contains("--since and --from-beginning"));
    }

    @Test
    void shouldRefuseAFilterOnAFieldTheTopicLacks() {
        TopicReader.Filter f = new TopicReader.Filter(null, null, "income");
        f.check(OutputTopic.STATS, OutputTopic.STATS.schema());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> f.check(OutputTopic.BUSINESS, OutputTopic.BUSINESS.schema()));
        assertEquals("--subject does not apply to business: its BusinessMetrics records have no subject",
                e.getMessage());
    }
}
