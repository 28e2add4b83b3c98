package dev.driftwatch.detectors.summary;

import dev.driftwatch.detectors.Missing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A mergeable summary of categorical values: exact counts per category, up to a fixed number of
 * distinct categories. Categories beyond that cap are counted together under {@link #OTHER}, so the
 * size is bounded whatever the traffic.
 */
public final class CategoricalSummary {
    /** The bucket for categories beyond the cap. */
    public static final String OTHER = "(other)";
    /** Default cap on distinct categories. */
    public static final int DEFAULT_MAX_CATEGORIES = 1000;
    private static final byte FORMAT_VERSION = 1;

    private final int maxCategories;
    /**
     * Count per category, each in a one-element array so that counting a value is one hash look-up and
     * no boxing (this runs for every categorical value of every event). Whatever depends on order
     * (serialised form, merging, {@link #counts()}) goes through the categories in sorted order. The second
     * element is 1 when the category's count changed since the last {@link #clearChanges()} (it is then in
     * {@link #changedCategories}).
     */
    private final HashMap<String, long[]> counts = new HashMap<>();
    private long missing;
    /** The categories whose counts changed since the last {@link #clearChanges()}, each once. */
    private final ArrayList<String> changedCategories = new ArrayList<>();
    private boolean changed;

    /**
     * @param maxCategories distinct categories kept apart, 1..100,000 (default 1000)
     */
    public CategoricalSummary(int maxCategories) {
        if (maxCategories < 1 || maxCategories > 100_000) {
            throw new IllegalArgumentException("maxCategories must be between 1 and 100000, got " + maxCategories);
        }
        this.maxCategories = maxCategories;
    }

    /** An empty summary with the default cap. */
    public CategoricalSummary() {
        this(DEFAULT_MAX_CATEGORIES);
    }

    /** Adds one value; null or blank is missing. */
    public void add(String value) {
        changed = true;
        if (Missing.isMissing(value)) {
            missing++;
        } else {
            add(value, 1);
        }
    }

    private void add(String category, long n) {
        long[] existing = counts.get(category);
        if (existing == null) {
            if (counts.size() < maxCategories || category.equals(OTHER)) {
                existing = new long[2];
                counts.put(category, existing);
            } else {
                category = OTHER;
                existing = counts.computeIfAbsent(OTHER, k -> new long[2]);
            }
        }
        existing[0] += n;
        if (existing[1] == 0) {
            existing[1] = 1;
            changedCategories.add(category);
        }
    }

    /** The categories in sorted order. */
    private String[] sortedCategories() {
        String[] categories = counts.keySet().toArray(new String[0]);
        Arrays.sort(categories);
        return categories;
    }

    /** Adds every value of an array. */
    public void addAll(String[] values) {
        for (String v : values) {
            add(v);
        }
    }

    /** Adds n values of one category (for summaries read back from storage). */
    public void addCount(String category, long n) {
        if (n < 0) {
            throw new IllegalArgumentException("count of '" + category + "' must be >= 0, got " + n);
        }
        changed = true;
        if (Missing.isMissing(category)) {
            missing += n;
        } else if (n > 0) {
            add(category, n);
        }
    }

    /** Merges another summary into this one. */
    public CategoricalSummary merge(CategoricalSummary other) {
        for (String category : other.sortedCategories()) {
            add(category, other.counts.get(category)[0]);
        }
        missing += other.missing;
        changed = true;
        return this;
    }

    /** A deep copy. */
    public CategoricalSummary copy() {
        return new CategoricalSummary(maxCategories).merge(this);
    }

    /** Counts per category, in category order (a snapshot). */
    public Map<String, Long> counts() {
        TreeMap<String, Long> sorted = new TreeMap<>();
        counts.forEach((category, n) -> sorted.put(category, n[0]));
        return Collections.unmodifiableMap(sorted);
    }

    /** The count of one category (0 when absent). */
    public long count(String category) {
        long[] n = counts.get(category);
        return n == null ? 0L : n[0];
    }

    /** Non-missing values. */
    public long count() {
        long n = 0;
        for (long[] c : counts.values()) {
            n += c[0];
        }
        return n;
    }

    /** Missing values. */
    public long missing() {
        return missing;
    }

    /** The cap on distinct categories. */
    public int maxCategories() {
        return maxCategories;
    }

    /** Whether anything changed since the summary was built, read back or last {@link #clearChanges() cleared}. */
    public boolean hasChanges() {
        return changed;
    }

    /** Forgets which categories changed (after they were written). */
    public void clearChanges() {
        for (String category : changedCategories) {
            counts.get(category)[1] = 0;
        }
        changedCategories.clear();
        changed = false;
    }

    /**
     * Writes what changed since the last {@link #clearChanges()}: missing, then the changed categories with
     * their ABSOLUTE counts (varint missing, varint n, n × (UTF-8 category, varint count)), in sorted order.
     * {@link #applyChanges} on the summary as it was at that clear gives this one exactly.
     */
    public void writeChanges(DataOutput out) throws IOException {
        Varint.write(out, missing);
        String[] categories = changedCategories.toArray(new String[0]);
        Arrays.sort(categories);
        Varint.write(out, categories.length);
        for (String category : categories) {
            out.writeUTF(category);
            Varint.write(out, counts.get(category)[0]);
        }
    }

    /** Sets what {@link #writeChanges} wrote (the cap does not apply: the categories are as written). */
    public void applyChanges(DataInput in) throws IOException {
        missing = Varint.read(in);
        long n = Varint.read(in);
        for (long i = 0; i < n; i++) {
            String category = in.readUTF();
            long count = Varint.read(in);
            long[] existing = counts.get(category);
            if (existing == null) {
                counts.put(category, new long[] {count, 0});
            } else {
                existing[0] = count;
            }
        }
    }

    /** Serialised form: version, cap, missing, then (UTF-8 category, varint count) pairs. */
    public byte[] toBytes() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeByte(FORMAT_VERSION);
            out.writeInt(maxCategories);
            Varint.write(out, missing);
            Varint.write(out, counts.size());
            for (String category : sortedCategories()) {
                out.writeUTF(category);
                Varint.write(out, counts.get(category)[0]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    /** Reads a summary written by {@link #toBytes()}. */
    public static CategoricalSummary fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("unknown categorical summary format version " + version);
            }
            CategoricalSummary s = new CategoricalSummary(in.readInt());
            s.missing = Varint.read(in);
            long n = Varint.read(in);
            for (long i = 0; i < n; i++) {
                s.counts.put(in.readUTF(), new long[] {Varint.read(in), 0});
            }
            return s;
        } catch (IOException e) {
            throw new IllegalArgumentException("categorical summary bytes are truncated or corrupt: " + e, e);
        }
    }
}
