package dev.driftwatch.streams.replay;

import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A datum reader that hands out one {@link String} object for each short string that recurs from record to
 * record (feature names, categories, model ids and versions) instead of a new one per record: decoding an
 * event built 30-odd strings, most of them the same names again, and they were half of what reading a file
 * allocated. The strings are equal to what the wrapped reader reads; only their identity is shared.
 *
 * <p>Recent strings sit in a direct-mapped cache of {@value #SLOTS} slots (a new string takes its slot):
 * its memory is bounded whatever the file holds, and a unique string (an event id) costs what it cost before.
 * Strings longer than {@value #MAX_BYTES} bytes are not cached. One instance per reading thread.
 */
final class SharedStringsReader<D> implements DatumReader<D> {
    static final int SLOTS = 4096;
    static final int MAX_BYTES = 48;

    private final DatumReader<D> delegate;
    private final SharingDecoder decoder = new SharingDecoder();

    SharedStringsReader(DatumReader<D> delegate) {
        this.delegate = delegate;
    }

    @Override
    public void setSchema(Schema schema) {
        delegate.setSchema(schema);
    }

    @Override
    public D read(D reuse, Decoder in) throws IOException {
        decoder.in = in;
        try {
            return delegate.read(reuse, decoder);
        } finally {
            decoder.in = null;
        }
    }

    /** Reads through another decoder; {@link #readString()} answers from the cache. */
    private static final class SharingDecoder extends Decoder {
        private Decoder in;
        private Utf8 scratch = new Utf8();
        private final String[] strings = new String[SLOTS];
        private final byte[][] bytes = new byte[SLOTS][];

        @Override
        public String readString() throws IOException {
            Utf8 u = in.readString(scratch);
            scratch = u;
            int n = u.getByteLength();
            byte[] b = u.getBytes();
            if (n > MAX_BYTES) {
                return new String(b, 0, n, StandardCharsets.UTF_8);
            }
            int h = 1;
            for (int i = 0; i < n; i++) {
                h = 31 * h + b[i];
            }
            int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
            byte[] known = bytes[slot];
            if (known != null && Arrays.equals(known, 0, known.length, b, 0, n)) {
                return strings[slot];
            }
            String s = new String(b, 0, n, StandardCharsets.UTF_8);
            bytes[slot] = Arrays.copyOf(b, n);
            strings[slot] = s;
            return s;
        }

        @Override
        public Utf8 readString(Utf8 old) throws IOException {
            return in.readString(old);
        }

        @Override
        public void readNull() throws IOException {
            in.readNull();
        }

        @Override
        public boolean readBoolean() throws IOException {
            return in.readBoolean();
        }

        @Override
        public int readInt() throws IOException {
            return in.readInt();
        }

        @Override
        public long readLong() throws IOException {
            return in.readLong();
        }

        @Override
        public float readFloat() throws IOException {
            return in.readFloat();
        }

        @Override
        public double readDouble() throws IOException {
            return in.readDouble();
        }

        @Override
        public void skipString() throws IOException {
            in.skipString();
        }

        @Override
        public ByteBuffer readBytes(ByteBuffer old) throws IOException {
            return in.readBytes(old);
        }

        @Override
        public void skipBytes() throws IOException {
            in.skipBytes();
        }

        @Override
        public void readFixed(byte[] target, int start, int length) throws IOException {
            in.readFixed(target, start, length);
        }

        @Override
        public void skipFixed(int length) throws IOException {
            in.skipFixed(length);
        }

        @Override
        public int readEnum() throws IOException {
            return in.readEnum();
        }

        @Override
        public long readArrayStart() throws IOException {
            return in.readArrayStart();
        }

        @Override
        public long arrayNext() throws IOException {
            return in.arrayNext();
        }

        @Override
        public long skipArray() throws IOException {
            return in.skipArray();
        }

        @Override
        public long readMapStart() throws IOException {
            return in.readMapStart();
        }

        @Override
        public long mapNext() throws IOException {
            return in.mapNext();
        }

        @Override
        public long skipMap() throws IOException {
            return in.skipMap();
        }

        @Override
        public int readIndex() throws IOException {
            return in.readIndex();
        }
    }
}
