package dev.driftwatch.streams.review;

import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ReviewRequest;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.internals.EventSummarizer;
import dev.driftwatch.streams.internals.Signal;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Human review (when {@code review.enabled}): every valid event whose confidence is low goes out as a
 * {@link ReviewRequest} ({@link ReviewCopies} decides which), keyed by its request id, at its event time.
 * It keeps no window state and evaluates nothing.
 */
public final class ReviewSignal implements Signal {
    private final PipelineSettings settings;

    public ReviewSignal(PipelineSettings settings) {
        this.settings = settings;
    }

    @Override
    public Observer observer(ObserverContext context) {
        ReviewSettings review = ReviewSettings.of(settings.signals());
        if (!review.enabled()) {
            return null;
        }
        ReviewCopies reviews = new ReviewCopies(review);
        ProcessorContext<String, EventSummarizer.Output> processor = context.processor();
        return new Observer() {
            @Override
            public void observed(InferenceEvent event, String segment, long streamTime) {
                ReviewRequest copy = reviews.requestFor(event);
                if (copy != null) {
                    settings.metrics().reviewCopied(event.getModelId(), event.getModelVersion());
                    processor.forward(new Record<>(event.getRequestId(), EventSummarizer.Output.review(copy),
                            event.getEventTime().toEpochMilli()));
                }
            }
        };
    }
}
