package dev.driftwatch.streams.demo;

import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.OutcomeEvent;
import dev.driftwatch.schemas.avro.OutcomeType;
import dev.driftwatch.streams.business.OutcomeRate;
import dev.driftwatch.streams.business.RateBaseline;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The LLM scenario's user feedback: who gives it, when thumbs go down, and its baseline. */
class LlmFeedbackTest {

    @Test
    void shouldGiveMoreThumbsDownForRefusalsAndLongPrompts() {
        InferenceEvent plain = new LlmTraffic(1).event(0, false);
        plain.setTexts(java.util.Map.of("prompt", "how do I bake bread", "response", "like so"));
        plain.setErrorCode(null);
        assertEquals(0.1, LlmFeedback.negativeProbability(plain));
        plain.setTexts(java.util.Map.of("prompt", "word ".repeat(61).trim(), "response", "like so"));
        assertEquals(0.3, LlmFeedback.negativeProbability(plain));
        plain.setTexts(java.util.Map.of("prompt", "word ".repeat(60).trim(), "response", "like so"));
        assertEquals(0.1, LlmFeedback.negativeProbability(plain), "60 words is not long");
        plain.setErrorCode(LlmTraffic.REFUSAL);
        assertEquals(0.7, LlmFeedback.negativeProbability(plain));
    }

    @Test
    void shouldJoinByRequestIdAFewSecondsAfterTheCall() {
        LlmTraffic calls = new LlmTraffic(3);
        LlmFeedback feedback = new LlmFeedback(4);
        int given = 0;
        for (int i = 0; i < 2_000; i++) {
            InferenceEvent e = calls.event(60_000L * i, false);
            Optional<OutcomeEvent> f = feedback.of(e);
            if (f.isPresent()) {
                given++;
                assertEquals(e.getRequestId(), f.get().getRequestId());
                long delay = f.get().getEventTime().toEpochMilli() - e.getEventTime().toEpochMilli();
                assertTrue(delay >= 5_000 && delay <= 15_000, "delay " + delay);
                assertTrue(f.get().getType() == OutcomeType.FEEDBACK_POSITIVE
                        || f.get().getType() == OutcomeType.FEEDBACK_NEGATIVE);
            }
        }
        // 30 % of 2,000: 600, sd about 20.5
        assertTrue(given > 530 && given < 670, "given " + given);
    }

    @Test
    void shouldRaiseTheNegativeRateWithThePromptMixShift() {
        double before = negativeRate(false);
        double after = negativeRate(true);
        // expected about 0.12 before and 0.24 after (see the class comment); 6,000 trials give sd < 0.006
        assertTrue(before > 0.09 && before < 0.15, "before " + before);
        assertTrue(after > 0.2 && after < 0.28, "after " + after);
    }

    @Test
    void shouldPublishTheBaselineOfTheTrainingCallsFeedback() {
        Baseline b = LlmFeedback.baseline(42, 5_000);
        assertEquals(OutcomeRate.NEGATIVE_FEEDBACK.subject(), b.getFeature());
        assertEquals(LlmTraffic.MODEL, b.getModelId());
        RateBaseline r = RateBaseline.from(b, OutcomeRate.NEGATIVE_FEEDBACK).orElseThrow();
        assertTrue(r.trials() > 1_350 && r.trials() < 1_650, "trials " + r.trials());
        assertTrue(r.value() > 0.08 && r.value() < 0.16, "rate " + r.value());
        assertEquals(b, LlmFeedback.baseline(42, 5_000), "seeded");
    }

    private static double negativeRate(boolean drifted) {
        LlmTraffic calls = new LlmTraffic(7);
        LlmFeedback feedback = new LlmFeedback(8);
        long all = 0;
        long negative = 0;
        for (int i = 0; i < 20_000; i++) {
            Optional<OutcomeEvent> f = feedback.of(calls.event(0, drifted));
            if (f.isPresent()) {
                all++;
                negative += f.get().getType() == OutcomeType.FEEDBACK_NEGATIVE ? 1 : 0;
            }
        }
        return (double) negative / all;
    }
}
