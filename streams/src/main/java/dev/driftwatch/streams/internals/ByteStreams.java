package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.summary.ByteSink;

import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Byte-array streams without the per-call locking of {@link java.io.ByteArrayInputStream} and
 * {@link java.io.ByteArrayOutputStream}. Window state is written at every commit and read at every
 * merge; through {@code DataInputStream.readInt} (four single-byte reads) the locks of the JDK's streams
 * cost more than the copying. Writing goes into a {@link ByteSink}. The bytes are the same. Not thread-safe; one
 * stream per call.
 */
final class ByteStreams {
    private ByteStreams() {
    }

    /** A data input over a whole array. */
    static DataInputStream input(byte[] bytes) {
        return new DataInputStream(new Input(bytes));
    }

    /** A growable output, starting with room for {@code capacity} bytes. */
    static ByteSink output(int capacity) {
        return new ByteSink(capacity);
    }

    /** What writes a record's bytes. */
    interface Writing {
        void write(DataOutput out) throws IOException;
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
        private final ThreadLocal<ByteSink> buffers = ThreadLocal.withInitial(() -> new ByteSink(FIRST));

        /** The bytes {@code writing} writes, in an array of their own. */
        byte[] write(Writing writing) {
            ByteSink buffer = buffers.get();
            buffer.reset();
            try {
                writing.write(buffer);
                return buffer.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                if (buffer.capacity() > MAX) {
                    buffers.remove();
                }
            }
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
}
