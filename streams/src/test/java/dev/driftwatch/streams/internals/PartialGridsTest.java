package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.summary.CategoricalSummary;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.streams.Topics;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Partials leave out the grids of their subjects' current baselines (format 4), the merging stage finds them
 * by the baseline, and the merged windows are exactly those of partials with their grids (format 2, still read).
 */
class PartialGridsTest {
    private final Topics topics = Topics.defaults(Map.of("schema.registry.url", "mock://partial-grids-test"));

    /** One instance: its global store (holding {@code x}'s baseline unless empty) and its parsed baselines. */
    private final class Instance {
        final KeyValueStore<String, byte[]> store;
        final BaselineCache cache = new BaselineCache(64L << 20);
        final BaselineLookup lookup = new BaselineLookup(topics.baselines(), cache);
        final Serde<Partial> serde = Partial.serde(WindowParts.none(), new BaselineGrids(lookup, cache));

        Instance(NumericBaseline x) {
            store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(BaselineLookup.STORE), Serdes.String(),
                    Serdes.ByteArray()).withLoggingDisabled().build();
            MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
            lookup.init(context);
            if (x != null) {
                store.put(BaselineCodec.key("m", "v1", "x"), topics.baselines().valueSerde().serializer()
                        .serialize(topics.baselines().name(), BaselineCodec.toAvro("m", "v1", "x", x, null)));
            }
        }

        byte[] write(Partial p) {
            return serde.serializer().serialize("partials", p);
        }

        Partial read(byte[] bytes) {
            return serde.deserializer().deserialize("partials", bytes);
        }
    }

    private static NumericBaseline baseline(long seed, double shift) {
        Random r = new Random(seed);
        double[] reference = new double[5000];
        for (int i = 0; i < reference.length; i++) {
            reference[i] = shift + r.nextGaussian();
        }
        return NumericBaseline.fromSample(reference, 10, NumericGrid.DEFAULT_RESOLUTION, "test", null, null);
    }

    /**
     * A window of one input partition: {@code x} on the grid of the instance's current baseline of x (as
     * summarising takes it from the lookup), {@code y} on a grid no current baseline has (its baseline was
     * replaced), a categorical and a numeric subject without baseline.
     */
    private static WindowBundle window(Instance at, NumericBaseline replaced, long seed) {
        NumericBaseline x = at.lookup.find("m", "v1", "x").orElseThrow().numeric();
        Random r = new Random(seed);
        WindowBundle b = new WindowBundle("m", "v1", "*", 0, 60_000);
        SubjectSummary sx = SubjectSummary.numeric(x.id(), x.newWindow());
        SubjectSummary sy = SubjectSummary.numeric(replaced.id(), replaced.newWindow());
        SubjectSummary k = SubjectSummary.categorical(null, new CategoricalSummary());
        SubjectSummary z = SubjectSummary.numericWithoutBaseline();
        for (int i = 0; i < 300; i++) {
            b.countEvent();
            sx.add(i % 40 == 0 ? Double.NaN : 0.3 + r.nextGaussian());
            sy.add(r.nextGaussian() * 2);
            k.add(i % 3 == 0 ? "red" : "blue");
            z.add(r.nextDouble());
        }
        b.put("x", sx);
        b.put("y", sy);
        b.put("k", k);
        b.put("z", z);
        return b;
    }

    @Test
    void shouldLeaveOutTheBaselinesGridsAndMergeToExactlyTheSameWindow() {
        NumericBaseline x = baseline(11, 0);
        NumericBaseline replaced = baseline(12, 5);
        Instance instance = new Instance(x);
        WindowBundle p0 = window(instance, replaced, 1);
        WindowBundle p1 = window(instance, replaced, 2);
        Serde<Partial> old = Partial.serde(WindowParts.none());
        byte[] p0Bytes = p0.toBytes(); // before the merges below, which merge into p0's summaries

        byte[] lean = instance.write(Partial.bundle(0, 2, p0));
        byte[] whole = old.serializer().serialize("partials", Partial.bundle(0, 2, p0));
        // Only x's grid is left out: y's is no current baseline's, and travels with it.
        int gridBytes = SubjectSummary.gridToBytes(x.grid()).length;
        assertEquals(whole.length - (gridBytes - 8), lean.length);

        Partial back0 = instance.read(lean);
        Partial back1 = instance.read(instance.write(Partial.bundle(1, 2, p1)));
        assertEquals(0, back0.sourcePartition());
        assertArrayEquals(p0Bytes, back0.bundle().toBytes());
        byte[] merged = new WindowBundle("m", "v1", "*", 0, 60_000).merge(p0).merge(p1).toBytes();
        assertArrayEquals(merged, new WindowBundle("m", "v1", "*", 0, 60_000)
                .merge(back0.bundle()).merge(back1.bundle()).toBytes());
        // The partial form of the previous release (grids inline) is still read.
        assertArrayEquals(p0Bytes, instance.read(whole).bundle().toBytes());
    }

    /** The lean partial of a window on x's baseline, from an instance that is gone (and its objects with it). */
    private byte[] partialFromAnotherInstance(NumericBaseline x, byte[][] expected) {
        Instance sender = new Instance(x);
        WindowBundle w = window(sender, baseline(22, 5), 3);
        w.subjects().keySet().stream().filter(s -> !s.equals("x")).forEach(s -> w.put(s, SubjectSummary
                .numericWithoutBaseline()));
        expected[0] = w.toBytes();
        return sender.write(Partial.bundle(0, 1, w));
    }

    @Test
    void shouldFindALeftOutGridByTheReceiversBaselineAndSayWhenItHasNone() {
        long seed = 2026_12_04L;
        byte[][] expected = new byte[1][];
        byte[] lean = partialFromAnotherInstance(baseline(seed, 1), expected);
        long fingerprint = baseline(seed, 1).grid().fingerprint();
        for (int i = 0; i < 20 && Grids.known(fingerprint) != null; i++) {
            System.gc();
        }
        assumeTrue(Grids.known(fingerprint) == null, "the sender's grid is still reachable in this JVM");

        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> new Instance(null).read(lean));
        assertTrue(unknown.getMessage().contains("not the grid of the subject's baseline"), unknown.getMessage());

        Instance receiver = new Instance(baseline(seed, 1));
        assertArrayEquals(expected[0], receiver.read(lean).bundle().toBytes());
    }
}
