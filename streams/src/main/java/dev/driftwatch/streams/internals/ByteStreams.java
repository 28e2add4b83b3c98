package dev.driftwatch.streams.internals;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Byte-array streams without the per-call locking of {@link java.io.ByteArrayInputStream} and
 * {@link java.io.ByteArrayOutputStream}. Window state is written at every commit and read at every
 * merge; through {@code DataInputStream.readInt} (four single-byte reads) the locks of the JDK's streams
 * cost more than the copying. The bytes are the same. Not thread-safe; one stream per call.
 */
final class ByteStreams {
    private ByteStreams() {
    }

    /** A data input over a whole array. */
    static DataInputStream input(byte[] bytes) {
        return new DataInputStream(new Input(bytes));
    }

    /** A growable output, starting with room for {@code capacity} bytes. */
    static Output output(int capacity) {
        return new Output(capacity);
    }

    /** What writes a record's bytes. */
    interface Writing {
        void write(DataOutputStream out) throws IOException;
    }

    /**
     * A buffer per thread that records are written into and copied out of, so that a record costs one array of
     * its own size: a buffer sized for the worst case, allocated per record, was a fifth of the stream threads'
     * allocations at 200 model versions of 50 features. A buffer grown beyond 8 MB is dropped after use. Each user
     * holds a scratch of its own, so that one record's bytes are never written while another's are.
     */
    static final class Scratch {
        private static final int FIRST = 64 * 1024;
        private static final int MAX = 8 * 1024 * 1024;
        private final ThreadLocal<Output> buffers = ThreadLocal.withInitial(() -> new Output(FIRST));

        /** The bytes {@code writing} writes, in an array of their own. */
        byte[] write(Writing writing) {
            Output buffer = buffers.get();
            buffer.reset();
            try (DataOutputStream out = buffer.data()) {
                writing.write(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            byte[] bytes = buffer.toByteArray();
            if (buffer.capacity() > MAX) {
                buffers.remove();
            }
            return bytes;
        }
    }

    /** Reads an array from its start. */
    static final class Input extends InputStream {
        private final byte[] bytes;
        private int position;

        Input(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (position >= bytes.length) {
                return -1;
            }
            int n = Math.min(len, bytes.length - position);
            System.arraycopy(bytes, position, b, off, n);
            position += n;
            return n;
        }

        @Override
        public long skip(long n) {
            long k = Math.max(0, Math.min(n, bytes.length - position));
            position += (int) k;
            return k;
        }

        @Override
        public int available() {
            return bytes.length - position;
        }
    }

    /** Collects bytes in a growing array; {@link #toByteArray()} copies them out once. */
    static final class Output extends OutputStream {
        private byte[] buffer;
        private int size;

        Output(int capacity) {
            buffer = new byte[Math.max(16, capacity)];
        }

        /** A data output writing into this. */
        DataOutputStream data() {
            return new DataOutputStream(this);
        }

        private void ensure(int more) {
            if (size + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
            }
        }

        @Override
        public void write(int b) {
            ensure(1);
            buffer[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, buffer, size, len);
            size += len;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buffer, size);
        }

        /** Forgets the bytes written, keeping the array: the next bytes are written from its start. */
        void reset() {
            size = 0;
        }

        /** The size of the array, which the output keeps however few bytes it holds. */
        int capacity() {
            return buffer.length;
        }
    }
}
