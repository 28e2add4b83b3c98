package dev.driftwatch.streams.internals;

import java.util.function.Function;

/** For tests outside this package: the retained-windows store's values. */
public final class RetainedValues {
    private RetainedValues() {
    }

    /** Whether a store key is a grid's. */
    public static boolean isGrid(String key) {
        return key.contains("~grid/");
    }

    /**
     * A window's value as releases before the grids were kept apart wrote it (self-contained, format 2);
     * {@code store} gives the values of the store's keys.
     */
    public static byte[] selfContained(String windowKey, byte[] value, Function<String, byte[]> store) {
        String prefix = windowKey.substring(0, windowKey.lastIndexOf('|') + 1);
        return RetainedWindows.fromBytes(value, WindowParts.none(), fingerprint -> {
            String key = RetainedWindows.gridKey(prefix, fingerprint);
            return RetainedWindows.gridFromBytes(key, store.apply(key));
        }).toBytes();
    }
}
