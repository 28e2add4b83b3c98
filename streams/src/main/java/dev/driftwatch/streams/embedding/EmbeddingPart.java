package dev.driftwatch.streams.embedding;

import dev.driftwatch.detectors.embedding.EmbeddingWindow;
import dev.driftwatch.streams.internals.WindowPart;

import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The embeddings of one window and model version: per embedding name (at most {@code embedding.max.names}), an
 * {@link EmbeddingWindow} on the name's reference, or, without a reference, only the number of vectors seen. Its
 * size depends on the references' dimensions, components and features, never on the number of events.
 */
public final class EmbeddingPart implements WindowPart {
    /** The part's name in a window's state. */
    public static final String NAME = "embeddings";
    private static final byte FORMAT_VERSION = 1;

    /** One name's state: its summary (null without a reference) and the vectors not summarised. */
    static final class Named {
        EmbeddingWindow window;
        /** Vectors seen without a reference, or on a reference that changed during the window. */
        long unsummarised;

        Named(EmbeddingWindow window) {
            this.window = window;
        }
    }

    private final TreeMap<String, Named> names = new TreeMap<>();
    /** Vectors of names beyond the limit. */
    private long overflow;

    Map<String, Named> names() {
        return names;
    }

    long overflow() {
        return overflow;
    }

    void countOverflow() {
        overflow++;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public WindowPart merge(WindowPart other) {
        EmbeddingPart o = (EmbeddingPart) other;
        overflow += o.overflow;
        for (Map.Entry<String, Named> e : o.names.entrySet()) {
            Named mine = names.get(e.getKey());
            Named theirs = e.getValue();
            if (mine == null) {
                names.put(e.getKey(), theirs);
                continue;
            }
            mine.unsummarised += theirs.unsummarised;
            if (theirs.window == null) {
                continue;
            }
            if (mine.window == null) {
                mine.window = theirs.window;
            } else if (mine.window.fingerprint() == theirs.window.fingerprint()) {
                mine.window.merge(theirs.window);
            } else {
                // The reference changed during the window: the larger summary is kept, the other's vectors counted.
                boolean keepMine = mine.window.count() >= theirs.window.count();
                mine.unsummarised += keepMine ? theirs.window.count() : mine.window.count();
                if (!keepMine) {
                    mine.window = theirs.window;
                }
            }
        }
        return this;
    }

    @Override
    public void write(DataOutput out) throws IOException {
        out.writeByte(FORMAT_VERSION);
        out.writeLong(overflow);
        out.writeInt(names.size());
        for (Map.Entry<String, Named> e : names.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue().unsummarised);
            out.writeBoolean(e.getValue().window != null);
            if (e.getValue().window != null) {
                e.getValue().window.write(out);
            }
        }
    }

    /** Reads what {@link #write} wrote. */
    public static EmbeddingPart read(DataInputStream in) throws IOException {
        byte version = in.readByte();
        if (version != FORMAT_VERSION) {
            throw new IOException("unknown embedding part format version " + version);
        }
        EmbeddingPart part = new EmbeddingPart();
        part.overflow = in.readLong();
        int n = in.readInt();
        if (n < 0 || n > 1024) {
            throw new IOException("an embedding part of " + n + " names");
        }
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            long unsummarised = in.readLong();
            Named named = new Named(in.readBoolean() ? EmbeddingWindow.read(in) : null);
            named.unsummarised = unsummarised;
            part.names.put(name, named);
        }
        return part;
    }
}
