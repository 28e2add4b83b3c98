package dev.driftwatch.streams.internals;

import dev.driftwatch.schemas.avro.DeploymentRole;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ModelOutputs;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.Topics;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The summarizing stage calls each signal's observer on every call it overrides (only those: the others do
 * nothing), in the order the signals were registered, whether the override is the observer's own or inherited.
 */
class SummarizerObserversTest {
    private static final long MINUTE = 60_000;
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    private static final Topics TOPICS = Topics.defaults(Map.of("schema.registry.url", "mock://observers-test"));

    /**
     * The summarizer finds the observers of each call by its name and parameters: a call added to
     * {@link Signal.Observer} must be dispatched there too, or its overrides would never run.
     */
    @Test
    void shouldDispatchEveryCallOfTheObserverInterface() {
        Set<String> calls = new TreeSet<>();
        for (Method m : Signal.Observer.class.getDeclaredMethods()) {
            if (!Modifier.isStatic(m.getModifiers()) && !m.isSynthetic()) {
                calls.add(m.getName() + Arrays.toString(m.getParameterTypes()));
            }
        }
        assertEquals(new TreeSet<>(List.of(
                "prepare[class " + InferenceEvent.class.getName() + ", interface java.util.List]",
                "add[class " + WindowBundle.class.getName() + ", class " + InferenceEvent.class.getName() + "]",
                "added[class [B, class " + InferenceEvent.class.getName()
                        + ", class java.lang.String, interface java.util.List, long]",
                "observed[class " + InferenceEvent.class.getName() + ", class java.lang.String, long]",
                "closing[long, long]",
                "closed[class " + WindowBundle.class.getName() + "]")), calls,
                "EventSummarizer.init dispatches these six calls; a new one needs its own array there");
    }

    /** Overrides every call, logging it under its name. */
    private static class Everything implements Signal.Observer {
        final List<String> log;
        final String name;

        Everything(List<String> log, String name) {
            this.log = log;
            this.name = name;
        }

        @Override
        public void prepare(InferenceEvent event, List<WindowBundle> windows) {
            log.add(name + ".prepare");
        }

        @Override
        public void add(WindowBundle window, InferenceEvent event) {
            log.add(name + ".add");
        }

        @Override
        public void added(byte[] recordKey, InferenceEvent event, String segment, List<WindowBundle> windows,
                          long streamTime) {
            log.add(name + ".added");
        }

        @Override
        public void observed(InferenceEvent event, String segment, long streamTime) {
            log.add(name + ".observed");
        }

        @Override
        public void closing(long streamTime, long closedUpTo) {
            log.add(name + ".closing");
        }

        @Override
        public void closed(WindowBundle window) {
            log.add(name + ".closed");
        }
    }

    /** Every call through its superclass's overrides. */
    private static final class Inherited extends Everything {
        Inherited(List<String> log) {
            super(log, "inherited");
        }
    }

    @Test
    void shouldCallEveryObserverOnEachCallItOverridesInTheOrderOfRegistration() {
        List<String> log = new ArrayList<>();
        Signal.Observer onlyObserved = new Signal.Observer() {
            @Override
            public void observed(InferenceEvent event, String segment, long streamTime) {
                log.add("only.observed");
            }
        };
        Signal.Observer nothing = new Signal.Observer() {
        };
        List<Signal> signals = List.of(signal(new Everything(log, "first")), signal(nothing), signal(onlyObserved),
                signal(new Inherited(log)));
        MockProcessorContext<String, EventSummarizer.Output> context = new MockProcessorContext<>();
        TestBaselineLookups.store(context);
        WindowStateStore windows = WindowStateStore.unlogged(Stores.inMemoryKeyValueStore(EventSummarizer.STORE));
        windows.init(context.getStateStoreContext(), windows);
        context.addStateStore(windows);
        EventSummarizer summarizer = new EventSummarizer(PipelineSettings.defaults(Duration.ofMinutes(1)),
                TOPICS.events().valueSerde().deserializer(), new BaselineLookup(TOPICS.baselines()), signals);
        summarizer.init(context);
        context.setRecordMetadata(TOPICS.events().name(), 0, 0);
        context.setCurrentSystemTimeMs(T0 + 10 * MINUTE);

        summarizer.process(record(T0 + 1_000));
        assertEquals(List.of("first.prepare", "inherited.prepare", "first.add", "inherited.add", "first.added",
                "inherited.added", "first.observed", "only.observed", "inherited.observed", "first.closing",
                "inherited.closing"), log);
        log.clear();
        // an event minutes later closes the first window
        summarizer.process(record(T0 + 5 * MINUTE));
        assertEquals(List.of("first.prepare", "inherited.prepare", "first.add", "inherited.add", "first.added",
                "inherited.added", "first.observed", "only.observed", "inherited.observed", "first.closing",
                "inherited.closing", "first.closed", "inherited.closed"), log);
    }

    private static Signal signal(Signal.Observer observer) {
        return new Signal() {
            @Override
            public Signal.Observer observer(ObserverContext context) {
                return observer;
            }
        };
    }

    private static Record<byte[], byte[]> record(long time) {
        Serializer<InferenceEvent> serializer = TOPICS.events().valueSerde().serializer();
        InferenceEvent e = InferenceEvent.newBuilder()
                .setEventId("e" + time).setRequestId("r" + time).setModelId("m").setModelVersion("1")
                .setRole(DeploymentRole.PRIMARY).setEventTime(Instant.ofEpochMilli(time))
                .setNumericFeatures(Map.of("n", 1.0)).setCategoricalFeatures(Map.of())
                .setOutputs(ModelOutputs.newBuilder().setScore(0.5).setLabel(null).setConfidence(null).build())
                .build();
        return new Record<>(e.getRequestId().getBytes(StandardCharsets.UTF_8),
                serializer.serialize(TOPICS.events().name(), e), time);
    }
}
