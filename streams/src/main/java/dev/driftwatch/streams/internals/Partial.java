package dev.driftwatch.streams.internals;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What the per-partition stage sends to the merging stage: either a closed window's state from one
 * input partition, or a watermark saying that an input partition has closed every window ending at or
 * before a time (sent to every partition of the merging stage).
 *
 * @param sourcePartition  the input partition it comes from
 * @param sourcePartitions how many input partitions there are
 * @param bundle           the window state, or null for a watermark
 * @param closedUpTo       for a watermark: every window with end ≤ this has been sent
 */
public record Partial(int sourcePartition, int sourcePartitions, WindowBundle bundle, long closedUpTo) {
    private static final byte BUNDLE = 0;
    private static final byte WATERMARK = 1;

    public static Partial bundle(int sourcePartition, int sourcePartitions, WindowBundle bundle) {
        return new Partial(sourcePartition, sourcePartitions, bundle, Long.MIN_VALUE);
    }

    public static Partial watermark(int sourcePartition, int sourcePartitions, long closedUpTo) {
        return new Partial(sourcePartition, sourcePartitions, null, closedUpTo);
    }

    public boolean isWatermark() {
        return bundle == null;
    }

    /** The serde of the internal partials topic. */
    public static Serde<Partial> serde() {
        Serializer<Partial> serializer = (topic, p) -> {
            if (p == null) {
                return null;
            }
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(buffer)) {
                out.writeByte(p.isWatermark() ? WATERMARK : BUNDLE);
                out.writeInt(p.sourcePartition);
                out.writeInt(p.sourcePartitions);
                if (p.isWatermark()) {
                    out.writeLong(p.closedUpTo);
                } else {
                    p.bundle.write(out);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return buffer.toByteArray();
        };
        Deserializer<Partial> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
                byte type = in.readByte();
                int partition = in.readInt();
                int partitions = in.readInt();
                return type == WATERMARK
                        ? watermark(partition, partitions, in.readLong())
                        : bundle(partition, partitions, WindowBundle.read(in));
            } catch (IOException e) {
                throw new IllegalArgumentException("partial bytes are corrupt: " + e, e);
            }
        };
        return org.apache.kafka.common.serialization.Serdes.serdeFrom(serializer, deserializer);
    }
}
