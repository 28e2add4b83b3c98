package dev.driftwatch.streams.internals;

import dev.driftwatch.schemas.avro.ControlCommand;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * What the per-partition stage sends to the merging stage: either a closed window's state from one
 * input partition, or a watermark saying that an input partition has closed every window ending at or
 * before a time (sent to every partition of the merging stage), or a hand-on mark saying that an input partition
 * has sent every closed window whose key is at most a given one (sent to every partition too: the partition hands its
 * closed windows on in steps, in the order of their keys), or an operator's control command for the
 * model versions of the partition it is sent to (or of every partition, see {@link PartialPartitioner}).
 *
 * @param sourcePartition  the input partition it comes from
 * @param sourcePartitions how many input partitions there are
 * @param bundle           the window state, or null for a watermark
 * @param closedUpTo       for a watermark: every window with end ≤ this has been sent
 * @param command          a control command, or null
 * @param namedGrids       of the bundle's grids, those sent by their names only (fingerprints): the sending task
 *                         sent them for the same model version in its partial of the window before
 * @param handedOnThrough  for a hand-on mark: the key ({@link WindowKeys#window}) of the last window the input
 *                         partition has sent; it sends no window with a key at or before it any more; else null
 */
public record Partial(int sourcePartition, int sourcePartitions, WindowBundle bundle, long closedUpTo,
                      ControlCommand command, Set<Long> namedGrids, String handedOnThrough) {
    private static final byte BUNDLE = 0;
    private static final byte WATERMARK = 1;
    private static final byte COMMAND = 2;
    private static final byte HANDED_ON = 3;
    /** What partials are written into (a buffer of the window's size hint, 200 KB for 50 subjects, was allocated). */
    private static final ByteStreams.Scratch SCRATCH = new ByteStreams.Scratch();

    public Partial(int sourcePartition, int sourcePartitions, WindowBundle bundle, long closedUpTo) {
        this(sourcePartition, sourcePartitions, bundle, closedUpTo, null, Set.of(), null);
    }

    /** A control command on its way to the evaluating stage. */
    public static Partial command(ControlCommand command) {
        return new Partial(-1, 0, null, Long.MIN_VALUE, command, Set.of(), null);
    }

    public boolean isCommand() {
        return command != null;
    }

    public static Partial bundle(int sourcePartition, int sourcePartitions, WindowBundle bundle) {
        return new Partial(sourcePartition, sourcePartitions, bundle, Long.MIN_VALUE);
    }

    /** A window's state whose grids of {@code namedGrids} (fingerprints) are sent as their names only. */
    static Partial bundle(int sourcePartition, int sourcePartitions, WindowBundle bundle, Set<Long> namedGrids) {
        return new Partial(sourcePartition, sourcePartitions, bundle, Long.MIN_VALUE, null, namedGrids, null);
    }

    public static Partial watermark(int sourcePartition, int sourcePartitions, long closedUpTo) {
        return new Partial(sourcePartition, sourcePartitions, null, closedUpTo);
    }

    public boolean isWatermark() {
        return bundle == null && command == null && handedOnThrough == null;
    }

    /**
     * A hand-on mark: the input partition has sent every window it closed whose key is at most {@code windowKey},
     * and sends none of those again (it hands closed windows on in the order of their keys, and a window it closed
     * takes no more events).
     */
    public static Partial handedOn(int sourcePartition, int sourcePartitions, String windowKey) {
        return new Partial(sourcePartition, sourcePartitions, null, Long.MIN_VALUE, null, Set.of(), windowKey);
    }

    public boolean isHandedOn() {
        return handedOnThrough != null;
    }

    /** The serde of the internal partials topic, for windows without parts. */
    public static Serde<Partial> serde() {
        return serde(WindowParts.none());
    }

    /**
     * The serde of the internal partials topic, whose windows' parts {@code parts} reads back (format version 7,
     * {@link WindowBundle#writePartial(java.io.DataOutput, Set)}): each grid once and compact, except the
     * {@linkplain #namedGrids named} ones, which are written as their fingerprints. A grid is named only when the
     * same task sent it for the same model version in its partial of the window before, to the same merging
     * partition (partials go by model version): the merging task holds it then ({@link WindowStateStore} keeps the
     * grids of the windows it closed for {@value WindowStateStore#GRID_KEPT_CLOSES} later window ends, in its
     * changelog too). A named grid the reading process does not hold leaves its subjects waiting
     * ({@link WindowBundle#hasUnresolvedGrids}) for the merging task to find the grid ({@link WindowEvaluator}).
     * Partials of versions 5 and 2 (every grid inline, written before an upgrade) are still read.
     */
    public static Serde<Partial> serde(WindowParts parts) {
        Serializer<Partial> serializer = (topic, p) -> {
            if (p == null) {
                return null;
            }
            return SCRATCH.write(out -> {
                out.writeByte(p.isCommand() ? COMMAND : p.isHandedOn() ? HANDED_ON : p.isWatermark() ? WATERMARK
                        : BUNDLE);
                out.writeInt(p.sourcePartition);
                out.writeInt(p.sourcePartitions);
                if (p.isCommand()) {
                    byte[] avro = ControlCommands.toBytes(p.command);
                    out.writeInt(avro.length);
                    out.write(avro);
                } else if (p.isHandedOn()) {
                    out.writeUTF(p.handedOnThrough);
                } else if (p.isWatermark()) {
                    out.writeLong(p.closedUpTo);
                } else {
                    p.bundle.writePartial(out, p.namedGrids);
                }
            });
        };
        Deserializer<Partial> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try (DataInputStream in = ByteStreams.input(bytes)) {
                byte type = in.readByte();
                int partition = in.readInt();
                int partitions = in.readInt();
                if (type == COMMAND) {
                    byte[] avro = new byte[in.readInt()];
                    in.readFully(avro);
                    return command(ControlCommands.fromBytes(avro));
                }
                if (type == HANDED_ON) {
                    return handedOn(partition, partitions, in.readUTF());
                }
                return type == WATERMARK
                        ? watermark(partition, partitions, in.readLong())
                        : bundle(partition, partitions, WindowBundle.read(in, parts));
            } catch (IOException e) {
                throw new IllegalArgumentException("partial bytes are corrupt: " + e, e);
            }
        };
        return org.apache.kafka.common.serialization.Serdes.serdeFrom(serializer, deserializer);
    }
}
