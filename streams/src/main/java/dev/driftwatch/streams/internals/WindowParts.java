package dev.driftwatch.streams.internals;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the {@link WindowPart}s of a window's state back by name, with the readers of the registered signals. */
public final class WindowParts {
    private static final WindowParts NONE = new WindowParts(Map.of());

    private final Map<String, WindowPart.Reader> readers;

    private WindowParts(Map<String, WindowPart.Reader> readers) {
        this.readers = readers;
    }

    /** No parts: reads windows that have only subjects. */
    public static WindowParts none() {
        return NONE;
    }

    /**
     * The parts of the given signals.
     *
     * @throws IllegalArgumentException when two signals keep parts of the same name
     */
    public static WindowParts of(List<? extends Signal> signals) {
        Map<String, WindowPart.Reader> readers = new LinkedHashMap<>();
        for (Signal s : signals) {
            s.parts().forEach((name, reader) -> {
                if (readers.putIfAbsent(name, reader) != null) {
                    throw new IllegalArgumentException("two signals keep a window part named '" + name + "'");
                }
            });
        }
        return new WindowParts(Map.copyOf(readers));
    }

    /** The parts read by the given readers, by name (tests). */
    static WindowParts ofReaders(Map<String, WindowPart.Reader> readers) {
        return new WindowParts(Map.copyOf(readers));
    }

    /**
     * Reads the part written under {@code name}.
     *
     * @throws IOException for a name no registered signal keeps (the state was written by a newer version, or
     *     with a signal this one does not run)
     */
    public WindowPart read(String name, DataInputStream in) throws IOException {
        WindowPart.Reader reader = readers.get(name);
        if (reader == null) {
            throw new IOException("unknown window part '" + name + "'");
        }
        return reader.read(in);
    }
}
