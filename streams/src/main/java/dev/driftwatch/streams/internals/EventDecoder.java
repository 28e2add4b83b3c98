package dev.driftwatch.streams.internals;

import dev.driftwatch.schemas.avro.DeploymentRole;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ModelOutputs;
import dev.driftwatch.schemas.registry.SchemaRegistryClient;
import dev.driftwatch.schemas.serde.SpecificAvroDeserializer;
import dev.driftwatch.schemas.serde.WireFormat;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Reads inference events from their Confluent-framed Avro bytes, for the summarizing stage: the same events, field
 * for field and map entry for map entry in the same order, as the topic's deserializer gives, with far less work.
 *
 * <p>The deserializer builds a hash map per map field with a new string for every feature name and a boxed value,
 * and the summarizer then walks those maps. This decoder reads the binary form directly: feature names are
 * recognised by their bytes as the names of a known <em>shape</em> (the names of a map in wire order, as the last
 * few events had them) and taken from it, values are read into arrays, and repeated strings (model, version,
 * categorical values, error codes) are taken from small caches. The maps it hands out are read-only views over
 * those arrays ({@link NumericMap}, {@link CategoricalMap}) that iterate in exactly the order of the hash maps the
 * deserializer would have built (learnt from the deserializer's result for the first event of each shape), so
 * that everything downstream, down to the order of validation errors, is unchanged. A shape's names are matched
 * with their length prefixes as keys at fixed offsets (a numeric map's entries all have fixed sizes); a decoder
 * made to reuse its maps hands out one pair of maps per shape, refilled for every event of that shape.
 *
 * <p>Only what it knows is read here: a writer schema whose fields are the first fields of the reader's
 * {@link InferenceEvent} schema with the same types (the current schema, and older ones that lack the newest
 * fields: those get their defaults); single-block maps of known shapes; no segment, texts or embeddings. Any
 * other record, and any record whose bytes are not exactly one such event, goes to the deserializer, so that
 * its result (and a bad record's exception, its dead-letter reason and message) stays the deserializer's own.
 *
 * <p>Not thread-safe: one per task.
 */
final class EventDecoder {
    private static final Schema READER = InferenceEvent.getClassSchema();
    /** The fields up to and including eventTime have no defaults: a writer must have them all. */
    private static final int REQUIRED_FIELDS = 6;
    private static final int SHAPES = 8;
    private static final DeploymentRole[] ROLES = DeploymentRole.values();

    private final Deserializer<InferenceEvent> deserializer;
    /** By schema id: the number of the reader's fields the writer has, or 0 when this decoder cannot read it. */
    private final Map<Integer, Integer> writerFields = new HashMap<>();
    private int lastId = -1;
    private int lastFields;

    private final Shape[] numericShapes = new Shape[SHAPES];
    private final Shape[] categoricalShapes = new Shape[SHAPES];
    private int nextNumericShape;
    private int nextCategoricalShape;
    /** The shapes the last maps read had: tried first. */
    private int lastNumericShape;
    private int lastCategoricalShape;
    private final StringCache models = new StringCache(8);
    private final StringCache versions = new StringCache(16);
    private final StringCache errorCodes = new StringCache(16);
    private final StringCache labels = new StringCache(16);

    /** The position in the record being read. */
    private int pos;

    /**
     * Whether the feature maps handed out are reused: those of an event hold its values only until the next event of
     * their shape is read.
     */
    private final boolean reuseMaps;

    /**
     * A decoder whose events are the caller's to keep.
     *
     * @param deserializer the topic's deserializer: the reference for every record this decoder does not read
     */
    EventDecoder(Deserializer<InferenceEvent> deserializer) {
        this(deserializer, false);
    }

    /**
     * @param deserializer the topic's deserializer: the reference for every record this decoder does not read
     * @param reuseMaps    whether the feature maps of an event read here are valid only until the next event is read
     *                     (no arrays and maps per event: for a caller done with each event before it reads the next)
     */
    EventDecoder(Deserializer<InferenceEvent> deserializer, boolean reuseMaps) {
        this.deserializer = deserializer;
        this.reuseMaps = reuseMaps;
    }

    /** The event in {@code data}, as {@code deserializer} reads it (and failing as it fails). */
    InferenceEvent deserialize(String topic, Headers headers, byte[] data) {
        return deserialize(() -> topic, headers, data);
    }

    /**
     * As {@link #deserialize(String, Headers, byte[])}, with the topic asked for only when the deserializer reads
     * the record (the summarizer's processor context builds an Optional each time it is asked).
     */
    InferenceEvent deserialize(Supplier<String> topic, Headers headers, byte[] data) {
        int fields = fieldsOf(data);
        if (fields > 0) {
            InferenceEvent event;
            try {
                event = read(data, fields);
            } catch (RuntimeException e) {
                event = null; // not one event of the writer schema: the deserializer says why
            }
            if (event != null) {
                return event;
            }
        }
        InferenceEvent event = deserializer.deserialize(topic.get(), headers, data);
        if (fields > 0 && event != null) {
            try {
                learn(data, WireFormat.HEADER_SIZE, fields, event);
            } catch (RuntimeException e) {
                // a shape not learnt: its events keep going to the deserializer
            }
        }
        return event;
    }

    /** How many of the reader's fields the record's writer schema has, or 0 when this decoder does not read it. */
    private int fieldsOf(byte[] data) {
        if (data == null || data.length < WireFormat.HEADER_SIZE || data[0] != WireFormat.MAGIC_BYTE) {
            return 0;
        }
        int id = (data[1] & 0xff) << 24 | (data[2] & 0xff) << 16 | (data[3] & 0xff) << 8 | data[4] & 0xff;
        if (id == lastId) {
            return lastFields;
        }
        Integer fields = writerFields.get(id);
        if (fields == null) {
            fields = writerFieldsOf(id);
            if (fields == null) {
                return 0; // not cached: the deserializer fails on this id, or the registry did not answer
            }
            writerFields.put(id, fields);
        }
        lastId = id;
        lastFields = fields;
        return fields;
    }

    private Integer writerFieldsOf(int id) {
        if (!(deserializer instanceof SpecificAvroDeserializer<?> avro) || avro.registry() == null) {
            return 0;
        }
        Schema writer;
        try {
            writer = avro.registry().schemaById(id);
        } catch (Exception e) {
            return null;
        }
        return readableFields(writer);
    }

    /**
     * The number of the reader's fields that {@code writer} has, when they are its only fields, in the reader's
     * order, with the same binary form; else 0.
     */
    static int readableFields(Schema writer) {
        if (writer == null || writer.getType() != Schema.Type.RECORD || !writer.getFullName().equals(READER.getFullName())) {
            return 0;
        }
        List<Schema.Field> w = writer.getFields();
        List<Schema.Field> r = READER.getFields();
        if (w.size() < REQUIRED_FIELDS || w.size() > r.size()) {
            return 0;
        }
        for (int i = 0; i < w.size(); i++) {
            if (!w.get(i).name().equals(r.get(i).name()) || !SchemaNormalization.toParsingForm(w.get(i).schema())
                    .equals(SchemaNormalization.toParsingForm(r.get(i).schema()))) {
                return 0;
            }
        }
        return w.size();
    }

    /** The event, or null when this record is not one this decoder reads (see the class comment). */
    private InferenceEvent read(byte[] data, int fields) {
        InferenceEvent event = read(data, WireFormat.HEADER_SIZE, fields);
        return pos == data.length ? event : null;
    }

    /**
     * The event of an unframed record starting at {@code data[from]} (a record of an Avro container file's block:
     * the topic's binary form without the Confluent header) of a writer schema of which this decoder reads
     * {@code fields} fields ({@link #readableFields}), or null when it is not one this decoder reads (the caller
     * then decodes it otherwise, and may hand the result to {@link #learnRecord}). After an event,
     * {@link #position()} is where its record ends.
     */
    InferenceEvent readRecord(byte[] data, int from, int fields) {
        try {
            return read(data, from, fields);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Where the last record {@link #readRecord} read ends. */
    int position() {
        return pos;
    }

    /** Learns the shapes of the unframed record at {@code data[from]} from {@code event}, what Avro read of it. */
    void learnRecord(byte[] data, int from, int fields, InferenceEvent event) {
        try {
            learn(data, from, fields, event);
        } catch (RuntimeException e) {
            // a shape not learnt: its records keep going to Avro
        }
    }

    /** The event of the record at {@code data[from]}, or null (its end not checked: see {@link #read(byte[], int)}). */
    @SuppressWarnings("unchecked")
    private InferenceEvent read(byte[] data, int from, int fields) {
        pos = from;
        String eventId = newString(data);
        String requestId = newString(data);
        String modelId = models.get(data, stringLength(data), this);
        String modelVersion = versions.get(data, stringLength(data), this);
        int role = readInt(data);
        if (role < 0 || role >= ROLES.length) {
            return null;
        }
        long time = readLong(data);
        Map<String, Double> numeric = Collections.emptyMap();
        Map<String, String> categorical = Collections.emptyMap();
        ModelOutputs outputs = null;
        Double latency = null;
        Long tokensIn = null;
        Long tokensOut = null;
        Double cost = null;
        String errorCode = null;
        for (int field = REQUIRED_FIELDS; field < fields; field++) {
            switch (field) {
                case 6, 7 -> {
                    Map<String, ?> features = featureMap(data, field == 6);
                    if (features == null) {
                        return null;
                    }
                    if (field == 6) {
                        numeric = (Map<String, Double>) features;
                    } else {
                        categorical = (Map<String, String>) features;
                    }
                }
                case 8 -> {
                    Double score = optionalDouble(data);
                    String label = optionalString(data, labels);
                    Double confidence = optionalDouble(data);
                    outputs = new ModelOutputs(score, label, confidence);
                }
                case 9 -> latency = optionalDouble(data);
                case 10 -> tokensIn = optionalLong(data);
                case 11 -> tokensOut = optionalLong(data);
                case 12 -> cost = optionalDouble(data);
                case 13 -> errorCode = optionalString(data, errorCodes);
                default -> {
                    // segment, texts, textTokens, embeddings: only when empty
                    if (readLong(data) != 0) {
                        return null;
                    }
                }
            }
        }
        if (outputs == null) {
            outputs = new ModelOutputs(null, null, null);
        }
        return new InferenceEvent(eventId, requestId, modelId, modelVersion, ROLES[role], Instant.ofEpochMilli(time),
                numeric, categorical, outputs, latency, tokensIn, tokensOut, cost, errorCode, Collections.emptyMap(),
                Collections.emptyMap(), Collections.emptyMap(), Collections.emptyMap());
    }

    /**
     * One of the two feature maps, read at {@code pos} when its names are those of a known shape; else null.
     * Numeric values go to an array of doubles, categorical ones to an array of strings (new ones, or the shape's
     * own when the maps are reused).
     */
    private Map<String, ?> featureMap(byte[] data, boolean numeric) {
        int start = pos;
        long count = readLong(data);
        if (count == 0) {
            return Collections.emptyMap();
        }
        int counted = pos;
        Shape[] shapes = numeric ? numericShapes : categoricalShapes;
        int first = numeric ? lastNumericShape : lastCategoricalShape;
        for (int k = 0; k < SHAPES; k++) {
            int s = (first + k) % SHAPES;
            Shape shape = shapes[s];
            if (shape != null && shape.names.length == count) {
                pos = counted;
                Map<String, ?> map = numeric ? shape.readNumeric(data, this, reuseMaps) : readCategorical(data, shape);
                if (map != null) {
                    if (numeric) {
                        lastNumericShape = s;
                    } else {
                        lastCategoricalShape = s;
                    }
                    return map;
                }
            }
        }
        pos = start;
        return null;
    }

    /** The categorical map of {@code shape} at {@code pos} (after its count), or null when its names differ. */
    private Map<String, ?> readCategorical(byte[] data, Shape shape) {
        String[] strings = reuseMaps ? shape.strings() : new String[shape.names.length];
        for (int i = 0; i < shape.keys.length; i++) {
            if (!shape.keyAt(i, data, pos)) {
                return null;
            }
            pos += shape.keys[i].length;
            int slot = shape.slot[i];
            strings[slot] = shape.values[slot].get(data, stringLength(data), this);
        }
        if (readLong(data) != 0) {
            return null;
        }
        return reuseMaps ? shape.categorical : new CategoricalMap(shape.names, strings);
    }

    /**
     * Learns the shapes of an event's two feature maps from the deserializer's result: their names in wire order
     * and the order in which its maps iterate over them.
     */
    private void learn(byte[] data, int from, int fields, InferenceEvent event) {
        if (fields <= 6) {
            return;
        }
        pos = from;
        for (int i = 0; i < 4; i++) {
            stringLength(data);
        }
        readInt(data);
        readLong(data);
        Shape numeric = learnMap(data, event.getNumericFeatures(), true);
        Shape categorical = fields > 7 ? learnMap(data, event.getCategoricalFeatures(), false) : null;
        if (numeric != null && !known(numericShapes, numeric)) {
            numericShapes[nextNumericShape] = numeric;
            nextNumericShape = (nextNumericShape + 1) % SHAPES;
        }
        if (categorical != null && !known(categoricalShapes, categorical)) {
            categoricalShapes[nextCategoricalShape] = categorical;
            nextCategoricalShape = (nextCategoricalShape + 1) % SHAPES;
        }
    }

    private static boolean known(Shape[] shapes, Shape shape) {
        for (Shape s : shapes) {
            if (s != null && Arrays.equals(s.names, shape.names) && Arrays.equals(s.slot, shape.slot)) {
                return true;
            }
        }
        return false;
    }

    /** The shape of one map field read at {@code pos} (and read past), or null when it has none to learn. */
    private Shape learnMap(byte[] data, Map<String, ?> read, boolean numeric) {
        long count = readLong(data);
        if (count <= 0 || count > 10_000) {
            return null;
        }
        int n = (int) count;
        byte[][] wire = new byte[n][];
        for (int i = 0; i < n; i++) {
            int length = stringLength(data);
            wire[i] = Arrays.copyOfRange(data, pos - length, pos);
            if (numeric) {
                readFixedLong(data);
            } else {
                stringLength(data);
            }
        }
        if (readLong(data) != 0 || read.size() != n) {
            return null; // several blocks, or a name twice
        }
        String[] names = new String[n];
        int[] slot = new int[n];
        Map<String, Integer> wireIndex = new HashMap<>();
        for (int i = 0; i < n; i++) {
            wireIndex.put(new String(wire[i], StandardCharsets.UTF_8), i);
        }
        int j = 0;
        for (String name : read.keySet()) {
            Integer i = wireIndex.get(name);
            if (i == null) {
                return null;
            }
            names[j] = name;
            slot[i] = j++;
        }
        return new Shape(wire, names, slot, numeric);
    }

    // ---- the binary form (see the Avro specification): zig-zag varints, little-endian doubles, length-prefixed UTF-8

    private int readInt(byte[] data) {
        long v = readLong(data);
        if (v != (int) v) {
            throw new IllegalArgumentException("int out of range");
        }
        return (int) v;
    }

    private long readLong(byte[] data) {
        long raw = 0;
        int shift = 0;
        byte b;
        do {
            if (shift > 63) {
                throw new IllegalArgumentException("varint too long");
            }
            b = data[pos++];
            raw |= (long) (b & 0x7f) << shift;
            shift += 7;
        } while (b < 0);
        return raw >>> 1 ^ -(raw & 1);
    }

    private long readFixedLong(byte[] data) {
        int p = pos;
        if (p + 8 > data.length) {
            throw new IllegalArgumentException("truncated");
        }
        pos = p + 8;
        return (data[p] & 0xffL) | (data[p + 1] & 0xffL) << 8 | (data[p + 2] & 0xffL) << 16
                | (data[p + 3] & 0xffL) << 24 | (data[p + 4] & 0xffL) << 32 | (data[p + 5] & 0xffL) << 40
                | (data[p + 6] & 0xffL) << 48 | (data[p + 7] & 0xffL) << 56;
    }

    /** Reads a string's length and moves past its bytes: they are the {@code length} bytes before {@code pos}. */
    private int stringLength(byte[] data) {
        long length = readLong(data);
        if (length < 0 || length > data.length - pos) {
            throw new IllegalArgumentException("bad string length");
        }
        pos += (int) length;
        return (int) length;
    }

    private String newString(byte[] data) {
        int length = stringLength(data);
        return new String(data, pos - length, length, StandardCharsets.UTF_8);
    }

    private Double optionalDouble(byte[] data) {
        return switch (readInt(data)) {
            case 0 -> null;
            case 1 -> Double.longBitsToDouble(readFixedLong(data));
            default -> throw new IllegalArgumentException("bad union index");
        };
    }

    private Long optionalLong(byte[] data) {
        return switch (readInt(data)) {
            case 0 -> null;
            case 1 -> readLong(data);
            default -> throw new IllegalArgumentException("bad union index");
        };
    }

    private String optionalString(byte[] data, StringCache cache) {
        return switch (readInt(data)) {
            case 0 -> null;
            case 1 -> cache == null ? newString(data) : cache.get(data, stringLength(data), this);
            default -> throw new IllegalArgumentException("bad union index");
        };
    }

    /**
     * The names of one map field, in wire order, and where each goes in the order the deserializer's map iterates.
     * Each name is matched with its length prefix as one key, a short key (up to 8 bytes: the usual ones) in one
     * comparison of 8 bytes. In a numeric map every key and value lies at a fixed offset from the map's first
     * entry, so a map of a known shape is read without decoding a length.
     */
    private static final class Shape {
        private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
                ByteOrder.LITTLE_ENDIAN);
        /** The names in iteration order. */
        final String[] names;
        /** The iteration position of each wire position. */
        final int[] slot;
        /** Recent values of each name, by iteration position (categorical maps only). */
        final StringCache[] values;
        /** By wire position: the name's bytes after their length prefix, as a record holds them. */
        final byte[][] keys;
        /** By wire position, for a key of at most 8 bytes: its bytes as a little-endian long, and their mask. */
        final long[] shortKeys;
        final long[] masks;
        /** Numeric maps: by wire position, where each key starts after the first; and the bytes of all entries. */
        final int[] offsets;
        final int span;
        /** The maps reused for this shape, made on first use. */
        private NumericMap numeric;
        private CategoricalMap categorical;

        /** @param wire the names' bytes in wire order (kept as {@link #keys}, with their length prefixes) */
        Shape(byte[][] wire, String[] names, int[] slot, boolean numeric) {
            this.names = names;
            this.slot = slot;
            this.values = numeric ? null : new StringCache[names.length];
            if (!numeric) {
                Arrays.setAll(values, i -> new StringCache(16));
            }
            int n = wire.length;
            keys = new byte[n][];
            shortKeys = new long[n];
            masks = new long[n];
            offsets = new int[n];
            int at = 0;
            for (int i = 0; i < n; i++) {
                keys[i] = withPrefix(wire[i]);
                if (keys[i].length <= 8) {
                    shortKeys[i] = wordOf(keys[i], 0, keys[i].length);
                    masks[i] = keys[i].length == 8 ? -1L : (1L << 8 * keys[i].length) - 1;
                }
                offsets[i] = at;
                at += keys[i].length + 8;
            }
            span = at;
        }

        /** The zig-zag varint of a string's length, then its bytes. */
        private static byte[] withPrefix(byte[] name) {
            byte[] prefix = new byte[10];
            int p = 0;
            long v = (long) name.length << 1;
            while ((v & ~0x7fL) != 0) {
                prefix[p++] = (byte) (v & 0x7f | 0x80);
                v >>>= 7;
            }
            prefix[p++] = (byte) v;
            byte[] key = Arrays.copyOf(prefix, p + name.length);
            System.arraycopy(name, 0, key, p, name.length);
            return key;
        }

        /** Whether the i-th key (length prefix and name) is at {@code data[at]}. */
        boolean keyAt(int i, byte[] data, int at) {
            byte[] key = keys[i];
            if (key.length <= 8 && at + 8 <= data.length) {
                return ((long) LONGS.get(data, at) & masks[i]) == shortKeys[i];
            }
            return at + key.length <= data.length && sameBytes(data, at, key);
        }

        /**
         * The numeric map of this shape at {@code decoder.pos} (after its count), and moves past its end; or null
         * when its names differ.
         */
        NumericMap readNumeric(byte[] data, EventDecoder decoder, boolean reuse) {
            int from = decoder.pos;
            int end = from + span;
            if (end < from || end >= data.length || data[end] != 0) {
                return null;
            }
            double[] numbers = reuse ? numbers() : new double[names.length];
            for (int i = 0; i < keys.length; i++) {
                int at = from + offsets[i];
                if (!keyAt(i, data, at)) {
                    return null;
                }
                numbers[slot[i]] = Double.longBitsToDouble((long) LONGS.get(data, at + keys[i].length));
            }
            decoder.pos = end + 1;
            return reuse ? numeric : new NumericMap(names, numbers);
        }

        /** The values of the map reused for this shape (see {@link EventDecoder#reuseMaps}). */
        private double[] numbers() {
            if (numeric == null) {
                numeric = new NumericMap(names, new double[names.length]);
            }
            return numeric.values;
        }

        private String[] strings() {
            if (categorical == null) {
                categorical = new CategoricalMap(names, new String[names.length]);
            }
            return categorical.values;
        }
    }

    /**
     * Whether {@code data} holds the bytes of {@code b} from {@code from} on (the caller checked that they fit): a
     * plain loop for short ones, such as feature names and category values, where {@link Arrays#equals}' vectorised
     * comparison cost more in setting up than in comparing (it was a third of reading an event).
     */
    static boolean sameBytes(byte[] data, int from, byte[] b) {
        int n = b.length;
        if (n > 16) {
            return Arrays.equals(data, from, from + n, b, 0, n);
        }
        for (int i = 0; i < n; i++) {
            if (data[from + i] != b[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The last few distinct strings read at one place, so that a repeated value is not decoded again. A value of at
     * most 8 bytes (most categories, model versions) is found by one comparison of 8 bytes per entry, as
     * {@link Shape#keyAt} finds a name.
     */
    private static final class StringCache {
        private final byte[][] bytes;
        private final String[] strings;
        /** By entry, for a value of at most 8 bytes: its bytes as a little-endian long (the rest zeros); else 0. */
        private final long[] words;
        /** By entry: its length in bytes; -1 for an empty entry. */
        private final int[] lengths;
        private int next;

        StringCache(int size) {
            bytes = new byte[size][];
            strings = new String[size];
            words = new long[size];
            lengths = new int[size];
            Arrays.fill(lengths, -1);
        }

        /** The string of the {@code length} bytes before {@code decoder.pos}. */
        String get(byte[] data, int length, EventDecoder decoder) {
            int from = decoder.pos - length;
            if (length <= 8 && from + 8 <= data.length) {
                long word = wordOf(data, from, length);
                for (int i = 0; i < lengths.length; i++) {
                    if (lengths[i] == length && words[i] == word) {
                        return strings[i];
                    }
                }
            } else {
                for (int i = 0; i < bytes.length; i++) {
                    byte[] b = bytes[i];
                    if (b != null && b.length == length && sameBytes(data, from, b)) {
                        return strings[i];
                    }
                }
            }
            String s = new String(data, from, length, StandardCharsets.UTF_8);
            if (length <= 256) {
                bytes[next] = Arrays.copyOfRange(data, from, decoder.pos);
                strings[next] = s;
                lengths[next] = length;
                words[next] = length <= 8 ? wordOf(bytes[next], 0, length) : 0;
                next = (next + 1) % bytes.length;
            }
            return s;
        }

    }

    /**
     * The {@code length} (at most 8) bytes at {@code data[from]} as a little-endian long, the rest zeros: a short
     * name or value is then found by one comparison of 8 bytes ({@link Shape#keyAt}, {@link StringCache}).
     */
    private static long wordOf(byte[] data, int from, int length) {
        if (from + 8 <= data.length) {
            long all = (long) Shape.LONGS.get(data, from);
            return length == 8 ? all : all & (1L << 8 * length) - 1;
        }
        long word = 0;
        for (int b = 0; b < length; b++) {
            word |= (data[from + b] & 0xffL) << 8 * b;
        }
        return word;
    }

    /** A read-only map over names and values held in arrays, iterating in the arrays' order. */
    abstract static class ArrayMap<V> extends AbstractMap<String, V> {
        final String[] names;

        ArrayMap(String[] names) {
            this.names = names;
        }

        abstract V value(int i);

        @Override
        public int size() {
            return names.length;
        }

        private int indexOf(Object key) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(key)) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public boolean containsKey(Object key) {
            return indexOf(key) >= 0;
        }

        @Override
        public V get(Object key) {
            int i = indexOf(key);
            return i < 0 ? null : value(i);
        }

        @Override
        public void forEach(BiConsumer<? super String, ? super V> action) {
            for (int i = 0; i < names.length; i++) {
                action.accept(names[i], value(i));
            }
        }

        @Override
        public Set<Entry<String, V>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public int size() {
                    return names.length;
                }

                @Override
                public Iterator<Entry<String, V>> iterator() {
                    return new Iterator<>() {
                        private int i;

                        @Override
                        public boolean hasNext() {
                            return i < names.length;
                        }

                        @Override
                        public Entry<String, V> next() {
                            if (i >= names.length) {
                                throw new NoSuchElementException();
                            }
                            int at = i++;
                            return new SimpleImmutableEntry<>(names[at], value(at));
                        }
                    };
                }
            };
        }
    }

    /** The numeric features of one event. */
    static final class NumericMap extends ArrayMap<Double> {
        final double[] values;

        NumericMap(String[] names, double[] values) {
            super(names);
            this.values = values;
        }

        @Override
        Double value(int i) {
            return values[i];
        }
    }

    /** The categorical features of one event. */
    static final class CategoricalMap extends ArrayMap<String> {
        final String[] values;

        CategoricalMap(String[] names, String[] values) {
            super(names);
            this.values = values;
        }

        @Override
        String value(int i) {
            return values[i];
        }
    }
}
