package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.summary.CategoricalBaseline;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.FeatureKind;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the current baseline of a subject in the global baselines store (fed by the compacted
 * baselines topic) and keeps the parsed form of recently used baselines by id.
 */
public final class BaselineLookup {
    /** The global store of baselines, keyed {@code model/version/subject}. */
    public static final String STORE = "driftwatch-baselines-store";
    private static final Logger LOG = LoggerFactory.getLogger(BaselineLookup.class);

    /** A parsed baseline: exactly one of numeric or categorical is set. */
    public record Entry(Baseline avro, NumericBaseline numeric, CategoricalBaseline categorical) {
        public String id() {
            return avro.getBaselineId();
        }
    }

    private ReadOnlyKeyValueStore<String, Baseline> store;
    private final Map<String, Entry> parsed = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > 10_000;
        }
    };

    void init(ProcessorContext<?, ?> context) {
        this.store = context.getStateStore(STORE);
    }

    /** The current baseline of a subject, or empty when there is none (or it cannot be parsed). */
    public Optional<Entry> find(String model, String version, String subject) {
        Baseline avro = store.get(BaselineCodec.key(model, version, subject));
        if (avro == null) {
            return Optional.empty();
        }
        Entry entry = parsed.get(avro.getBaselineId());
        if (entry == null || !entry.avro.equals(avro)) {
            try {
                entry = avro.getKind() == FeatureKind.NUMERIC
                        ? new Entry(avro, BaselineCodec.numeric(avro), null)
                        : new Entry(avro, null, BaselineCodec.categorical(avro));
            } catch (RuntimeException e) {
                LOG.warn("baseline {} of {}/{}/{} cannot be used: {}", avro.getBaselineId(), model, version, subject,
                        e.getMessage());
                return Optional.empty();
            }
            parsed.put(avro.getBaselineId(), entry);
        }
        return Optional.of(entry);
    }
}
