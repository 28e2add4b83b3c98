package dev.driftwatch.streams.analyze;

import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A key-value store of live objects on the heap, for {@link OfflineTopology}: what Kafka Streams' in-memory
 * store is without serdes, metrics and changelog. Keys sort as the in-memory store sorts their serialised
 * bytes: strings by code point (their UTF-8 bytes' order), anything else by its natural order. Ranges are
 * inclusive at both ends and iterate over a copy taken when they are opened, so that a processor may change
 * the store after reading a range, as it may with Kafka's store.
 *
 * <p>Point reads go to a hash map beside the sorted one: the summarizing stage reads the baselines store for
 * each subject of each event, and walking the tree with the code-point order took a third of its time.
 */
final class HeapStore<K, V> implements KeyValueStore<K, V> {
    private final String name;
    private final TreeMap<K, V> map = new TreeMap<>(HeapStore::compare);
    /** The same entries, for point reads. */
    private final HashMap<K, V> byKey = new HashMap<>();
    private boolean open = true;

    HeapStore(String name) {
        this.name = name;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compare(Object a, Object b) {
        if (a instanceof String s && b instanceof String t) {
            return compareCodePoints(s, t);
        }
        return ((Comparable) a).compareTo(b);
    }

    /** The order of the strings' UTF-8 bytes: a supplementary character sorts after U+FFFF, as in bytes. */
    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    @Override
    public void put(K key, V value) {
        if (value == null) {
            map.remove(key);
            byKey.remove(key);
        } else {
            map.put(key, value);
            byKey.put(key, value);
        }
    }

    @Override
    public V putIfAbsent(K key, V value) {
        V existing = byKey.get(key);
        if (existing == null) {
            put(key, value);
        }
        return existing;
    }

    @Override
    public void putAll(List<KeyValue<K, V>> entries) {
        entries.forEach(kv -> put(kv.key, kv.value));
    }

    @Override
    public V delete(K key) {
        byKey.remove(key);
        return map.remove(key);
    }

    @Override
    public V get(K key) {
        return byKey.get(key);
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        if (from != null && to != null && compare(from, to) > 0) {
            return iterator(Map.of());
        }
        NavigableMap<K, V> view = map;
        if (from != null) {
            view = view.tailMap(from, true);
        }
        if (to != null) {
            view = view.headMap(to, true);
        }
        return iterator(view);
    }

    @Override
    public KeyValueIterator<K, V> reverseRange(K from, K to) {
        List<KeyValue<K, V>> entries = copy(range(from, to));
        java.util.Collections.reverse(entries);
        return iterator(entries);
    }

    @Override
    public KeyValueIterator<K, V> all() {
        return iterator(map);
    }

    @Override
    public KeyValueIterator<K, V> reverseAll() {
        return iterator(map.descendingMap());
    }

    @Override
    @SuppressWarnings("unchecked")
    public <PS extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(P prefix, PS serializer) {
        if (!(prefix instanceof String p)) {
            throw new UnsupportedOperationException("prefix scans of " + name + " take a string prefix");
        }
        List<KeyValue<K, V>> entries = new ArrayList<>();
        for (Map.Entry<K, V> e : map.tailMap((K) p, true).entrySet()) {
            if (!(e.getKey() instanceof String k) || !k.startsWith(p)) {
                break;
            }
            entries.add(KeyValue.pair(e.getKey(), e.getValue()));
        }
        return iterator(entries);
    }

    @Override
    public long approximateNumEntries() {
        return map.size();
    }

    private static <K, V> List<KeyValue<K, V>> copy(KeyValueIterator<K, V> it) {
        List<KeyValue<K, V>> entries = new ArrayList<>();
        it.forEachRemaining(entries::add);
        return entries;
    }

    private static <K, V> KeyValueIterator<K, V> iterator(Map<K, V> view) {
        List<KeyValue<K, V>> entries = new ArrayList<>(view.size());
        view.forEach((k, v) -> entries.add(KeyValue.pair(k, v)));
        return iterator(entries);
    }

    private static <K, V> KeyValueIterator<K, V> iterator(List<KeyValue<K, V>> entries) {
        Iterator<KeyValue<K, V>> it = entries.iterator();
        return new KeyValueIterator<>() {
            private KeyValue<K, V> next;

            @Override
            public boolean hasNext() {
                return next != null || it.hasNext();
            }

            @Override
            public KeyValue<K, V> next() {
                if (next != null) {
                    KeyValue<K, V> n = next;
                    next = null;
                    return n;
                }
                return it.next();
            }

            @Override
            public K peekNextKey() {
                if (next == null) {
                    next = it.next();
                }
                return next.key;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        open = true;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        open = false;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }
}
