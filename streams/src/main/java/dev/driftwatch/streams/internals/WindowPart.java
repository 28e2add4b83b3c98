package dev.driftwatch.streams.internals;

import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A part of a window's state kept beside its subjects' summaries, for the signals that are not one
 * subject's distribution (outcome counts, service-level indicators, shadow agreement, ...). Like the
 * summaries it is bounded in size, and it merges with the same part from another input partition.
 * {@link WindowParts} reads a part back by its name.
 */
public interface WindowPart {
    /** The part's name, unique within a window; {@link WindowParts#read} dispatches on it. */
    String name();

    /** Merges the same part of another input partition's state of the window into this one. */
    WindowPart merge(WindowPart other);

    /** Writes the part (without its name); {@link WindowParts#read} reads it back. */
    void write(DataOutput out) throws IOException;

    /** Reads a part of one kind back from what {@link #write} wrote. */
    @FunctionalInterface
    interface Reader {
        WindowPart read(DataInputStream in) throws IOException;
    }
}
