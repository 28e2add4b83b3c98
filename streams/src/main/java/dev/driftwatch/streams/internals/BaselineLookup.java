package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.summary.CategoricalBaseline;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.FeatureKind;
import dev.driftwatch.streams.Topic;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Finds the current baseline of a subject in the global baselines store (fed by the compacted
 * baselines topic, which {@link BaselineLoader} keeps as the records' bytes) and keeps the parsed form of
 * recently used subjects in a {@link BaselineCache}, which every task of the instance shares. A subject's
 * baseline is decoded and parsed again only when its stored bytes change: every new window asks for every
 * subject's baseline, and decoding a baseline (its grid and reference bins) each time was a measurable part
 * of summarising.
 */
public final class BaselineLookup {
    /** The global store of baselines, keyed {@code model/version/subject}, holding the records' bytes. */
    public static final String STORE = "driftwatch-baselines-store";
    private static final Logger LOG = LoggerFactory.getLogger(BaselineLookup.class);

    /**
     * A parsed baseline: exactly one of numeric or categorical is set, or neither for an EMBEDDING baseline. A
     * numeric baseline's record ({@code avro}) comes without its fine grid and bins, which {@code numeric} holds.
     */
    public record Entry(Baseline avro, NumericBaseline numeric, CategoricalBaseline categorical) {
        public String id() {
            return avro.getBaselineId();
        }
    }

    /** Counts the changes of any baselines store in this JVM (see {@link #changes}). */
    private static final AtomicLong CHANGES = new AtomicLong();

    private final String topic;
    private final Deserializer<Baseline> deserializer;
    private ReadOnlyKeyValueStore<String, byte[]> store;
    private final BaselineCache cache;
    /** {@link #subjects} of the model versions asked for (by key prefix), while {@link #changes} is subjectsAt. */
    private final Map<String, List<String>> subjectsByVersion = new HashMap<>();
    private long subjectsAt = Long.MIN_VALUE;

    /**
     * A number that changes after every change of a baselines store ({@link BaselineLoader} counts them), so that
     * what a signal derived from baselines can be kept until it changes instead of being looked up per event.
     * Shared by every store in the JVM: another application's change only makes a signal look up again.
     */
    public static long changes() {
        return CHANGES.get();
    }

    /** Counts a change of a baselines store, after it is made. */
    static void changed() {
        CHANGES.incrementAndGet();
    }

    /**
     * A lookup with a cache of its own (bounded by {@link BaselineCache#ofHeap()}), for a single task.
     *
     * @param baselines the baselines topic, whose records' bytes the store holds
     */
    public BaselineLookup(Topic<String, Baseline> baselines) {
        this(baselines, BaselineCache.ofHeap());
    }

    /**
     * @param baselines the baselines topic, whose records' bytes the store holds
     * @param cache     the parsed baselines, shared by every lookup of the application instance
     */
    public BaselineLookup(Topic<String, Baseline> baselines, BaselineCache cache) {
        this.topic = baselines.name();
        this.deserializer = baselines.valueSerde().deserializer();
        this.cache = cache;
    }

    void init(ProcessorContext<?, ?> context) {
        this.store = context.getStateStore(STORE);
    }

    /** The current baseline of a subject, or empty when there is none (or it cannot be parsed). */
    public Optional<Entry> find(String model, String version, String subject) {
        String key = BaselineCodec.key(model, version, subject);
        for (int attempt = 0; ; attempt++) {
            byte[] bytes = store.get(key);
            if (bytes == null) {
                return Optional.empty();
            }
            try {
                return cache.find(key, bytes, b -> parse(key, b));
            } catch (SharedReferences.PartGone e) {
                // The loader replaced the subject's baseline between the read and the parse: read it again.
                if (attempt >= 2) {
                    LOG.warn("baseline of {} cannot be used: {}", key, e.getMessage());
                    return Optional.empty();
                }
            }
        }
    }

    /**
     * The subjects of a model version that have a baseline, in key order, unmodifiable: a range scan of the store,
     * kept until a baselines store changes ({@link #changes}). The evaluating stage asks once per window and model
     * version, and at a thousand model versions the scans (each registering an open-iterator metric) were a
     * measurable part of evaluating a window.
     */
    public List<String> subjects(String model, String version) {
        long now = changes();
        if (now != subjectsAt) {
            subjectsByVersion.clear();
            subjectsAt = now;
        }
        String prefix = BaselineCodec.key(model, version, "");
        List<String> known = subjectsByVersion.get(prefix);
        if (known != null) {
            return known;
        }
        List<String> subjects = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.range(prefix, prefix + "\uffff")) {
            while (it.hasNext()) {
                String key = it.next().key;
                if (key.startsWith(prefix)) {
                    subjects.add(key.substring(prefix.length()));
                }
            }
        }
        known = List.copyOf(subjects);
        subjectsByVersion.put(prefix, known);
        return known;
    }

    /**
     * The record kept beside a numeric baseline's parsed form, without its fine grid and coarse bins: those are
     * in the parsed form already, and as the record holds them (boxed numbers, three per grid cell) they took
     * about 20 KB per subject, most of the heap of a cache of many subjects. A multivariate baseline keeps its
     * record whole: its model is parsed from the record when it is used. The record was decoded for this entry
     * alone, so it is changed in place.
     */
    static Baseline withoutGrid(Baseline avro) {
        if (avro.getMultivariate() == null) {
            avro.setFineGrid(null);
            avro.setBinEdges(List.of());
            avro.setBinCounts(List.of());
            avro.setBinProportions(List.of());
        }
        return avro;
    }

    private Optional<Entry> parse(String key, byte[] bytes) {
        try {
            if (SharedReferences.isShared(bytes)) {
                return Optional.of(cache.shared().parse(bytes));
            }
            Baseline avro = deserializer.deserialize(topic, bytes);
            if (avro.getKind() == FeatureKind.EMBEDDING) {
                return Optional.of(new Entry(avro, null, null)); // read by the embedding signal
            }
            if (avro.getKind() == FeatureKind.NUMERIC) {
                NumericBaseline numeric = BaselineCodec.numeric(avro);
                return Optional.of(new Entry(withoutGrid(avro), numeric, null));
            }
            return Optional.of(new Entry(avro, null, BaselineCodec.categorical(avro)));
        } catch (SharedReferences.PartGone e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("baseline of {} cannot be used: {}", key, e.getMessage());
            return Optional.empty();
        }
    }
}
