package dev.driftwatch.streams.demo;

import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.OutcomeEvent;
import dev.driftwatch.schemas.avro.OutcomeType;
import dev.driftwatch.streams.business.OutcomeRate;
import dev.driftwatch.streams.business.RateBaseline;
import dev.driftwatch.streams.internals.TextMeasures;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Deterministic user feedback for the LLM scenario's calls ({@link LlmTraffic}): {@value #SHARE} of the calls get a
 * thumbs up or down (a FEEDBACK_POSITIVE or FEEDBACK_NEGATIVE outcome 5 to 15 s after the call, joined by request
 * id). Users dislike refusals and answers to long prompts: a thumbs down has probability {@value #REFUSED} for a
 * refused call, {@value #LONG} for a prompt of more than {@value #LONG_PROMPT_WORDS} words and {@value #OTHER}
 * otherwise. The feedback does not know about the drift; it follows the calls, so when the prompt mix shifts towards
 * long, often refused prompts the negative-feedback rate rises (about 12 % before the shift, about 25 % after).
 */
public final class LlmFeedback {
    /** The alert subject of the negative-feedback rate. */
    public static final String SUBJECT = OutcomeRate.NEGATIVE_FEEDBACK.subject();
    static final double SHARE = 0.3;
    static final double REFUSED = 0.7;
    static final double LONG = 0.3;
    static final double OTHER = 0.1;
    static final int LONG_PROMPT_WORDS = 60;

    private final SplittableRandom random;

    public LlmFeedback(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The feedback of one call, or empty when its user gave none. */
    public Optional<OutcomeEvent> of(InferenceEvent e) {
        boolean given = random.nextDouble() < SHARE;
        double delay = 5_000 + 10_000 * random.nextDouble();
        boolean negative = random.nextDouble() < negativeProbability(e);
        if (!given) {
            return Optional.empty();
        }
        return Optional.of(OutcomeEvent.newBuilder().setRequestId(e.getRequestId())
                .setType(negative ? OutcomeType.FEEDBACK_NEGATIVE : OutcomeType.FEEDBACK_POSITIVE).setValue(null)
                .setEventTime(Instant.ofEpochMilli(e.getEventTime().toEpochMilli() + (long) delay))
                .setAttributes(Map.of()).build());
    }

    /** The probability of a thumbs down for a call: by its refusal and its prompt's length. */
    static double negativeProbability(InferenceEvent e) {
        if (LlmTraffic.REFUSAL.equals(e.getErrorCode())) {
            return REFUSED;
        }
        return TextMeasures.of(e.getTexts().get("prompt")).words() > LONG_PROMPT_WORDS ? LONG : OTHER;
    }

    /**
     * The negative-feedback baseline of the reference period: the feedback of {@code rows} undrifted calls (those
     * {@link LlmTraffic#baselines} are fitted on).
     */
    public static Baseline baseline(long seed, int rows) {
        LlmTraffic calls = new LlmTraffic(seed * 31 + 7);
        LlmFeedback feedback = new LlmFeedback(seed * 31 + 8);
        long trials = 0;
        long negative = 0;
        for (int i = 0; i < rows; i++) {
            Optional<OutcomeEvent> f = feedback.of(calls.event(0, false));
            if (f.isPresent()) {
                trials++;
                if (f.get().getType() == OutcomeType.FEEDBACK_NEGATIVE) {
                    negative++;
                }
            }
        }
        return RateBaseline.toAvro(OutcomeRate.NEGATIVE_FEEDBACK, LlmTraffic.MODEL, LlmTraffic.VERSION, trials,
                negative, "sample:training-" + LlmTraffic.VERSION, null, null, null);
    }
}
