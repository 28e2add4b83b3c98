package dev.driftwatch.streams.internals;

import java.io.DataInputStream;
import java.io.IOException;

/** Reads the {@link WindowPart}s of a window's state back by name. */
public final class WindowParts {
    private WindowParts() {
    }

    /**
     * Reads the part written under {@code name}.
     *
     * @throws IOException for a name this version does not know (the state was written by a newer one)
     */
    public static WindowPart read(String name, DataInputStream in) throws IOException {
        switch (name) {
            // One case per part: case SomePart.NAME: return SomePart.read(in);
            case dev.driftwatch.streams.business.BusinessPart.NAME:
                return dev.driftwatch.streams.business.BusinessPart.read(in);
            case dev.driftwatch.streams.roles.RolePairs.NAME:
                return dev.driftwatch.streams.roles.RolePairs.read(in);
            case dev.driftwatch.streams.slo.ServiceLevelPart.NAME:
                return dev.driftwatch.streams.slo.ServiceLevelPart.read(in);
            default:
                throw new IOException("unknown window part '" + name + "'");
        }
    }
}
