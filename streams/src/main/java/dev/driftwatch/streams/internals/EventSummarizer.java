package dev.driftwatch.streams.internals;

import dev.driftwatch.schemas.avro.DeadLetter;
import dev.driftwatch.schemas.avro.DeadLetterReason;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ReviewRequest;
import dev.driftwatch.schemas.serde.BadRecordException;
import dev.driftwatch.streams.PipelineSettings;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stage one, on every input partition: reads inference events, rejects what cannot be used to the
 * dead-letter output, and finds the open windows of each event's model version; the registered signals'
 * {@link Signal.Observer}s add the event to them (this class names no signal). When the partition's stream
 * time passes a window's end plus grace, the window's state is sent on to the merging stage, followed by a
 * watermark for the partition.
 *
 * <p>Closed windows are handed on in steps of about {@link #HANDOFF_SUBJECTS} subjects (whole windows, in the order of
 * their keys: by window end, then model version), each step followed by a commit and by a hand-on mark naming the last
 * window sent ({@link Partial#handedOn}), the watermark after the last step. Under exactly-once the merging stage reads
 * a step's partials once it is committed, and evaluates a model version's window once every input partition's mark or
 * watermark has passed its key: the first versions' alerts do not wait for the partials of a thousand others. While a
 * hand-on is under way its next step runs at a punctuation, after the commit of the one before; windows not yet handed
 * on stay in the store (a restart finds them there and goes on) and take no more events (they are closed).
 *
 * <p>Outputs: {@link Output#deadLetter} or {@link Output#partial}.
 */
public final class EventSummarizer implements Processor<byte[], byte[], String, EventSummarizer.Output> {
    /** The name of its window-state store. */
    public static final String STORE = "driftwatch-partition-windows";

    /** One output: a dead letter, a partial for the merging stage, or a review request. */
    public record Output(DeadLetter deadLetter, Partial partial, ReviewRequest review) {
        static Output deadLetter(DeadLetter d) {
            return new Output(d, null, null);
        }

        static Output partial(Partial p) {
            return new Output(null, p, null);
        }

        /** A copy of an event for human review. */
        public static Output review(ReviewRequest r) {
            return new Output(null, null, r);
        }
    }

    /** The most bytes of an original value a dead letter keeps (Kafka's default request limit is 1 MiB). */
    static final int MAX_DEAD_LETTER_VALUE = 512 * 1024;

    /**
     * Subjects (over whole windows) handed on in one step before a commit, in the application: some 3 MB of partials
     * at 1.6 KB a subject, one step of the merging stage's evaluation ({@link WindowEvaluator#CHUNK_SUBJECTS}).
     */
    public static final int HANDOFF_SUBJECTS = WindowEvaluator.CHUNK_SUBJECTS;

    private final PipelineSettings settings;
    /** Subjects handed on at most per step; MAX_VALUE hands every closed window on at once, unscheduled. */
    private final int handoffSubjects;
    /** The steps of a hand-on, running while one is under way; null before {@link #init}. */
    private CommitPacedSteps handingOn;
    /**
     * Reads the events as the topic's deserializer does, the usual ones without it (see {@link EventDecoder}); an
     * event's feature maps hold its values only while it is processed.
     */
    private final EventDecoder decoder;
    private final BaselineLookup baselines;
    private final List<Signal> signals;
    /**
     * For each of {@link Signal.Observer}'s calls, the observers of the signals that observe events here that do
     * something on it (that override its default, which does nothing), in the order of registration: most observers
     * take part in one or two of the six calls, which were some fifty interface calls per event, most of them to
     * nothing. Arrays (an iterator per loop and event was not always optimised away).
     */
    private Signal.Observer[] preparing = {};
    private Signal.Observer[] adding = {};
    private Signal.Observer[] afterAdding = {};
    private Signal.Observer[] observing = {};
    private Signal.Observer[] closing = {};
    private Signal.Observer[] closedOn = {};
    private ProcessorContext<String, Output> context;
    private WindowStateStore store;
    /**
     * By partial key (model/version/segment): the end of the last window this task sent a partial of, and the
     * fingerprints of the grids that partial carried (inline or named). The next window's partial names those grids
     * instead of sending them again (see {@link Partial#serde}). In memory only, and forgotten at {@link #init}: a
     * task started again (restart, rebalance, a transaction aborted) sends every grid inline in its first partials.
     * This needs a partial that could not be sent to fail the task (no production exception handler that goes on).
     */
    private final HashMap<String, SentGrids> sentGrids = new HashMap<>();

    /** What {@link #sentGrids} remembers of one partial. */
    private record SentGrids(long windowEnd, Set<Long> fingerprints) {
    }
    private long streamTime = Long.MIN_VALUE;
    /** The key of the record being summarised (the business join checks that it is the request id). */
    private byte[] recordKey;
    /** The features of the event being summarised, read once by {@link #validate}; the signals read them too. */
    private final EventFeatures features = new EventFeatures();
    /** The last few window keys built (one string per window, not one per event), round-robin. */
    private final long[] recentEnds = new long[8];
    private final String[][] recentNames = new String[8][];
    private final String[] recentKeys = new String[8];
    private int recentNext;
    /**
     * The open windows of the event being summarised and their keys, refilled for every event (the observers
     * use the list only while they are called).
     */
    private final List<String> eventKeys = new ArrayList<>();
    private final List<WindowBundle> eventWindows = new ArrayList<>();
    /** The last model id and version that passed {@link #validate}'s checks of their text (usually the same objects). */
    private String checkedModel;
    private String checkedVersion;
    /** The settings every event needs, read once: window size, advance and grace, the close delay, in ms. */
    private final long sizeMs;
    private final long advanceMs;
    private final long graceMs;
    private final long closeDelayMs;
    /** How far past max(stream time, wall clock) an event time may lie (see PipelineSettings#latestAcceptedTime). */
    private final long acceptedSkewMs;
    private final boolean operationalSubjects;
    /** The topic of the record being processed, asked of the context only when the deserializer needs it. */
    private final java.util.function.Supplier<String> topic = () ->
            context.recordMetadata().map(RecordMetadata::topic).orElse("inference-events");

    /**
     * A summarizer that lets the given signals observe every valid event, in their order, and hands every closed
     * window on at once (the offline analysis, whose context has no punctuation).
     */
    public EventSummarizer(PipelineSettings settings, Deserializer<InferenceEvent> deserializer,
                           BaselineLookup baselines, List<Signal> signals) {
        this(settings, deserializer, baselines, signals, Integer.MAX_VALUE);
    }

    /**
     * @param handoffSubjects subjects handed on at most per step (at least one window), each step followed by a
     *                        commit request; {@code Integer.MAX_VALUE} hands every closed window on at once and
     *                        schedules nothing
     */
    public EventSummarizer(PipelineSettings settings, Deserializer<InferenceEvent> deserializer,
                           BaselineLookup baselines, List<Signal> signals, int handoffSubjects) {
        if (handoffSubjects < 1) {
            throw new IllegalArgumentException("hand-off subjects must be >= 1, got " + handoffSubjects);
        }
        this.handoffSubjects = handoffSubjects;
        this.settings = settings;
        // Every event is done with (summarised, copied for review) before the next is read: its maps are reused.
        this.decoder = new EventDecoder(deserializer, true);
        this.baselines = baselines;
        this.signals = List.copyOf(signals);
        this.sizeMs = settings.windowSize().toMillis();
        this.advanceMs = settings.windowAdvance().toMillis();
        this.graceMs = settings.grace().toMillis();
        this.closeDelayMs = settings.signals().closeDelayMs();
        this.acceptedSkewMs = settings.latestAcceptedTime(0, 0);
        this.operationalSubjects = OperationalSubjects.of(settings.signals()).enabled();
    }

    @Override
    public void init(ProcessorContext<String, Output> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        this.baselines.init(context);
        this.streamTime = store.streamTime();
        sentGrids.clear();
        Signal.ObserverContext observerContext = new Signal.ObserverContext(settings, context, store, baselines,
                features);
        List<Signal.Observer> observers = new ArrayList<>();
        for (Signal signal : signals) {
            Signal.Observer observer = signal.observer(observerContext);
            if (observer != null) {
                observers.add(observer);
            }
        }
        preparing = overriding(observers, "prepare", InferenceEvent.class, List.class);
        adding = overriding(observers, "add", WindowBundle.class, InferenceEvent.class);
        afterAdding = overriding(observers, "added", byte[].class, InferenceEvent.class, String.class, List.class,
                long.class);
        observing = overriding(observers, "observed", InferenceEvent.class, String.class, long.class);
        closing = overriding(observers, "closing", long.class, long.class);
        closedOn = overriding(observers, "closed", WindowBundle.class);
        if (handingOn != null) {
            handingOn.stop(); // a processor initialised again without close() keeps no second punctuation
        }
        handingOn = new CommitPacedSteps(context, store::commitsPrepared, this::handOn);
        if (handoffSubjects != Integer.MAX_VALUE && streamTime != Long.MIN_VALUE) {
            // A hand-on a previous run left under way (it committed some steps, not all) goes on from the first step.
            handingOn.schedule();
        }
    }

    /** A suspended or revived task keeps this processor and inits it again: its punctuation must not survive. */
    @Override
    public void close() {
        if (handingOn != null) {
            handingOn.stop();
        }
    }

    /** The observers, in their order, whose class overrides the named method of {@link Signal.Observer}. */
    static Signal.Observer[] overriding(List<Signal.Observer> observers, String method, Class<?>... parameters) {
        List<Signal.Observer> doing = new ArrayList<>();
        for (Signal.Observer observer : observers) {
            try {
                if (observer.getClass().getMethod(method, parameters).getDeclaringClass() != Signal.Observer.class) {
                    doing.add(observer);
                }
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("Signal.Observer has no method " + method, e);
            }
        }
        return doing.toArray(new Signal.Observer[0]);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        InferenceEvent event;
        settings.metrics().eventIn();
        try {
            event = decoder.deserialize(topic, record.headers(), record.value());
            if (event == null) {
                throw new InvalidEventException("the record has no value (a tombstone)");
            }
            validate(event);
        } catch (BadRecordException e) {
            deadLetter(record, e, null);
            return;
        } catch (InvalidEventException e) {
            deadLetter(record, e, DeadLetterReason.INVALID_CONTENT);
            return;
        } catch (SerializationException e) {
            // Not the record's fault (the schema registry cannot be reached): fail without committing, so that
            // the record is read again, instead of sending a readable event to the dead letters.
            throw e;
        } catch (RuntimeException e) {
            deadLetter(record, e, DeadLetterReason.MALFORMED_BODY);
            return;
        }
        try {
            recordKey = record.key();
            summarize(event);
        } catch (SerializationException e) {
            throw e;
        } catch (RuntimeException e) {
            // A record that breaks summarising must not stop the pipeline (it would fail again on retry).
            deadLetter(record, e, DeadLetterReason.PROCESSING_ERROR);
            return;
        }
        String segment = segmentOf(event);
        for (Signal.Observer o : observing) {
            o.observed(event, segment, streamTime);
        }
        closeWindows();
    }

    /**
     * Adds an event to every open window that contains it, all or nothing: the signals prepare what the
     * windows need (such as baseline look-ups) before any window changes.
     */
    private void summarize(InferenceEvent event) {
        long time = event.getEventTime().toEpochMilli();
        long newStreamTime = Math.max(streamTime, time);
        long size = sizeMs;
        long advance = advanceMs;
        long grace = graceMs;
        String segment = segmentOf(event);
        long lastStart = time - Math.floorMod(time, advance);
        List<String> keys = eventKeys;
        List<WindowBundle> windows = eventWindows;
        keys.clear();
        windows.clear();
        boolean late = false;
        for (long start = lastStart; start > time - size; start -= advance) {
            long end = start + size;
            if (end + grace <= newStreamTime) {
                late = true;
                continue;
            }
            String key = recentBundleKey(end, event.getModelId(), event.getModelVersion(), segment);
            WindowBundle bundle = store.get(key);
            if (bundle == null) {
                bundle = new WindowBundle(event.getModelId(), event.getModelVersion(), segment, start, end);
            }
            keys.add(key);
            windows.add(bundle);
        }
        for (Signal.Observer o : preparing) {
            o.prepare(event, windows);
        }
        streamTime = newStreamTime;
        for (int i = 0; i < windows.size(); i++) {
            WindowBundle bundle = windows.get(i);
            add(bundle, event);
            store.put(keys.get(i), bundle);
        }
        if (late) {
            countLate(event, segment);
        }
        for (Signal.Observer o : afterAdding) {
            o.added(recordKey, event, segment, windows, streamTime);
        }
        store.streamTime(streamTime);
    }

    private void countLate(InferenceEvent event, String segment) {
        // A late event is dropped and counted on the newest open window of its model version.
        long start = streamTime - Math.floorMod(streamTime, advanceMs);
        long end = start + sizeMs;
        String key = WindowKeys.window(end, event.getModelId(), event.getModelVersion(), segment);
        WindowBundle bundle = store.get(key);
        if (bundle == null) {
            bundle = new WindowBundle(event.getModelId(), event.getModelVersion(), segment, start, end);
        }
        bundle.countLate(1);
        store.put(key, bundle);
        settings.metrics().lateEvent(event.getModelId(), event.getModelVersion());
    }

    private void add(WindowBundle bundle, InferenceEvent event) {
        bundle.countEvent();
        for (Signal.Observer o : adding) {
            o.add(bundle, event);
        }
    }

    private void closeWindows() {
        long closedUpTo = streamTime - graceMs - closeDelayMs;
        for (Signal.Observer o : closing) {
            o.closing(streamTime, closedUpTo);
        }
        if (closedUpTo <= store.watermark()) {
            return;
        }
        // Most events close nothing and pass no window boundary: known from the earliest open window's end,
        // without building the range's key.
        long boundary = closedUpTo - Math.floorMod(closedUpTo, advanceMs);
        WindowBundle earliest = store.earliest();
        if (boundary <= store.watermark() && (earliest == null || earliest.windowEnd() > closedUpTo)) {
            return;
        }
        if (handingOn.running()) {
            // A hand-on under way: its next step comes at a punctuation, after the commit of the one before, and its
            // last step sends the watermark. The windows up to the new boundary are closed now all the same: the
            // signals that change windows after their events read that from the store's watermark (OpenWindows).
            if (boundary > store.watermark()) {
                store.watermark(boundary);
            }
            return;
        }
        handOn();
    }

    /**
     * One step of handing closed windows on: the closed windows in the order of their keys until
     * {@link #handoffSubjects} subjects are sent (at least one window), then a hand-on mark, or, when none is left,
     * the watermark; a commit request after either. The store's watermark moves to a new boundary at once (here, or
     * in {@link #closeWindows} while a hand-on is under way): it says which windows are closed (they take no more
     * changes, see {@link OpenWindows}), and those of them still in the store are the hand-on under way; the merging
     * stage learns the boundary with the last step, which always hands a window on (a step ends only with windows
     * left).
     */
    private void handOn() {
        long closedUpTo = streamTime - graceMs - closeDelayMs;
        long boundary = closedUpTo - Math.floorMod(closedUpTo, advanceMs);
        long closedBefore = store.watermark();
        boolean newBoundary = boundary > closedBefore;
        if (newBoundary) {
            store.watermark(boundary);
        }
        // A punctuation has no record (no metadata, or partition -1): the task's partition is the input partition.
        int partition = context.recordMetadata().map(RecordMetadata::partition).filter(p -> p >= 0)
                .orElseGet(() -> context.taskId().partition());
        int partitions = settings.inputPartitions();
        // A copy: handing on deletes windows from the store's live view.
        List<Map.Entry<String, WindowBundle>> closed =
                new ArrayList<>(store.upTo(WindowKeys.sortableTime(closedUpTo) + "|\uffff").entrySet());
        boolean handedOn = false;
        int subjects = 0;
        String last = null;
        for (Map.Entry<String, WindowBundle> e : closed) {
            WindowBundle bundle = e.getValue();
            if (bundle.windowEnd() > closedUpTo) {
                continue;
            }
            if (subjects >= handoffSubjects) {
                // The rest after this step's commit: the merging stage evaluates what it has while this task goes on.
                context.forward(new Record<>("", Output.partial(Partial.handedOn(partition, partitions, last)),
                        Math.max(0, closedUpTo - 1)));
                handingOn.stepLeftWork();
                return;
            }
            subjects += Math.max(1, bundle.subjectCount());
            store.delete(e.getKey());
            for (Signal.Observer observer : closedOn) {
                observer.closed(bundle);
            }
            String key = bundle.modelId() + "/" + bundle.modelVersion() + "/" + bundle.segment();
            context.forward(new Record<>(key, Output.partial(Partial.bundle(partition, partitions, bundle,
                    namedGrids(key, bundle))), bundle.windowEnd() - 1));
            handedOn = true;
            last = e.getKey();
        }
        handingOn.stop();
        if (handedOn) {
            // What was sent before the window just before the first open one is named by no partial to come.
            sentGrids.values().removeIf(sent -> sent.windowEnd() <= closedUpTo - advanceMs);
        }
        // The watermark goes to every partition of the merging stage (see the partitioner), after the last step.
        if (newBoundary || handedOn) {
            // A task's first watermark closes nothing (its first event sets it); a later one may be what the
            // merging stage waits for to evaluate the windows other partitions handed on.
            handedOn |= closedBefore != Long.MIN_VALUE;
            long watermark = store.watermark();
            context.forward(new Record<>("", Output.partial(Partial.watermark(partition, partitions, watermark)),
                    Math.max(0, watermark - 1)));
        }
        if (handedOn) {
            // Under exactly-once the merging stage reads what this task handed on only once it is committed: a
            // commit now, not at the next commit interval (up to commit.interval.ms later).
            context.commit();
        }
    }

    /**
     * The grids of a window's partial to name rather than send: those this task sent under the same key in its
     * partial of the window just before (ending one advance earlier). The merging task of that key read that partial
     * before this one (same partition of the partials topic, written in order) and holds its grids until windows of
     * {@value WindowStateStore#GRID_KEPT_CLOSES} later ends close, which needs this task's watermark past this window.
     */
    private Set<Long> namedGrids(String key, WindowBundle bundle) {
        Set<Long> fingerprints = bundle.gridFingerprints();
        SentGrids before = sentGrids.put(key, new SentGrids(bundle.windowEnd(), fingerprints));
        if (before == null || before.windowEnd() != bundle.windowEnd() - advanceMs || fingerprints.isEmpty()) {
            return Set.of();
        }
        HashSet<Long> named = new HashSet<>(fingerprints);
        named.retainAll(before.fingerprints());
        return named;
    }

    /** {@link WindowKeys#window}, the same string object for the same window while it is among the last few used. */
    private String recentBundleKey(long windowEnd, String model, String version, String segment) {
        for (int i = 0; i < recentKeys.length; i++) {
            String[] names = recentNames[i];
            if (names != null && recentEnds[i] == windowEnd && names[0].equals(model) && names[1].equals(version)
                    && names[2].equals(segment)) {
                return recentKeys[i];
            }
        }
        String key = WindowKeys.window(windowEnd, model, version, segment);
        int i = recentNext;
        recentNext = (recentNext + 1) % recentKeys.length;
        recentEnds[i] = windowEnd;
        recentNames[i] = new String[] {model, version, segment};
        recentKeys[i] = key;
        return key;
    }

    private String segmentOf(InferenceEvent event) {
        if (settings.segmentAttribute() == null) {
            return "*";
        }
        String v = event.getSegment().get(settings.segmentAttribute());
        return v == null || v.isBlank() ? "(none)" : v;
    }

    private void validate(InferenceEvent e) {
        // The decoder hands out the same strings for a repeated model id and version: the last ones that passed
        // every check of their text are not read again.
        String model = e.getModelId();
        if (model == null || model != checkedModel && model.isBlank()) {
            throw new InvalidEventException("modelId is empty; every event must name its model");
        }
        String version = e.getModelVersion();
        if (version == null || version != checkedVersion && version.isBlank()) {
            throw new InvalidEventException("modelVersion is empty; every event must name its model version");
        }
        if (e.getRequestId() == null || e.getRequestId().isBlank()) {
            throw new InvalidEventException("requestId is empty or blank; every event must carry the id of its request"
                    + " (it pairs shadow and canary events with the primary's and joins outcomes)");
        }
        if (model != checkedModel || version != checkedVersion) {
            checkModelName(model);
            checkModelName(version);
            checkedModel = model;
            checkedVersion = version;
        }
        long time = e.getEventTime() == null ? 0 : e.getEventTime().toEpochMilli();
        if (time <= 0) {
            throw new InvalidEventException("eventTime " + time + " is not a positive epoch-millisecond time");
        }
        // A quiet period is no error: the guard is against the wall clock (see PipelineSettings.latestAcceptedTime).
        long now = context.currentSystemTimeMs();
        if (time > Math.max(streamTime, now) + acceptedSkewMs) {
            throw new InvalidEventException("eventTime " + e.getEventTime() + " is more than "
                    + settings.maxFutureSkew() + " ahead of stream time " + Instant.ofEpochMilli(streamTime)
                    + " and of the wall-clock time " + Instant.ofEpochMilli(now) + " (a clock error?)");
        }
        int featureCount = e.getNumericFeatures().size() + e.getCategoricalFeatures().size();
        if (featureCount > settings.maxFeatures()) {
            throw new InvalidEventException(featureCount + " features exceed the limit of " + settings.maxFeatures()
                    + " (setting max.features)");
        }
        features.read(e, settings.maxValueLength(), settings.metrics(), operationalSubjects);
        for (Map.Entry<String, String> a : e.getSegment().entrySet()) {
            if (a.getKey().length() > 256 || a.getValue() != null && a.getValue().length() > settings.maxValueLength()) {
                throw new InvalidEventException("segment attribute '" + DeadLetterRecords.abbreviate(a.getKey())
                        + "' has a name over 256 characters or a value over the limit of " + settings.maxValueLength());
            }
        }
        checkNonNegative("latencyMs", e.getLatencyMs());
        checkNonNegative("cost", e.getCost());
        if (e.getTokensIn() != null && e.getTokensIn() < 0 || e.getTokensOut() != null && e.getTokensOut() < 0) {
            throw new InvalidEventException("token counts must be >= 0");
        }
        if (e.getOutputs() != null && e.getOutputs().getLabel() != null
                && e.getOutputs().getLabel().length() > settings.maxValueLength()) {
            throw new InvalidEventException("output label is longer than " + settings.maxValueLength() + " characters");
        }
        // A valid event: its operational values go to the metrics here, where they have just been checked.
        settings.metrics().inference(e.getModelId(), e.getModelVersion(), e.getLatencyMs(), e.getErrorCode() != null,
                e.getTokensIn(), e.getTokensOut(), e.getCost());
    }

    private static void checkModelName(String s) {
        if (s.length() > 256 || s.contains("|") || s.contains("/")) {
            throw new InvalidEventException("model id or version '" + DeadLetterRecords.abbreviate(s)
                    + "' is longer than 256 characters or contains '|' or '/'");
        }
    }

    private static void checkNonNegative(String field, Double v) {
        if (v != null && !(Double.isFinite(v) && v >= 0)) {
            throw new InvalidEventException(field + " is " + v + "; it must be a finite number >= 0 or null");
        }
    }

    /** Sends a record this processor cannot use to the dead letters. */
    private void deadLetter(Record<byte[], byte[]> record, Exception failure, DeadLetterReason reason) {
        context.forward(record.withKey(DeadLetterRecords.key(record)).withHeaders(new RecordHeaders())
                .withValue(Output.deadLetter(DeadLetterRecords.of(context, record, failure, reason, settings))));
    }
}
