package dev.driftwatch.streams.internals;

import dev.driftwatch.schemas.avro.InferenceEvent;
import org.apache.avro.Schema;

/**
 * Reads the records of an Avro container file of inference events as {@link EventDecoder} reads the topic's: a
 * block's records are the topic's binary form without the Confluent header, so the usual ones are read straight into
 * arrays, and the maps handed out iterate as Avro's would. A record it does not read (the first of each shape of
 * feature names, anything unusual) is for the caller to read with Avro's reader, and to hand its result to
 * {@link #learn} so that the next records of that shape are read here.
 *
 * <p>Not thread-safe: one per file.
 */
public final class BlockEventDecoder {
    private final EventDecoder decoder = new EventDecoder((topic, data) -> {
        throw new UnsupportedOperationException("unframed records only");
    });
    private final int fields;

    /** @param writer the file's schema */
    public BlockEventDecoder(Schema writer) {
        this.fields = EventDecoder.readableFields(writer);
    }

    /** Whether records of the file's schema are read here at all (else {@link #read} always says null). */
    public boolean readable() {
        return fields > 0;
    }

    /**
     * The event of the record that starts at {@code block[from]}, or null when it is for Avro's reader; after an
     * event, {@link #end()} is where the record ends.
     */
    public InferenceEvent read(byte[] block, int from) {
        return fields > 0 ? decoder.readRecord(block, from, fields) : null;
    }

    /** Where the record of the last event {@link #read} returned ends in its block. */
    public int end() {
        return decoder.position();
    }

    /** Learns the shapes of the record at {@code block[from]} from {@code event}, what Avro's reader made of it. */
    public void learn(byte[] block, int from, InferenceEvent event) {
        if (fields > 0 && event != null) {
            decoder.learnRecord(block, from, fields, event);
        }
    }
}
