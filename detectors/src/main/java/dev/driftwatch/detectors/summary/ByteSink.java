package dev.driftwatch.detectors.summary;

import java.io.DataOutput;
import java.io.UTFDataFormatException;
import java.util.Arrays;

/**
 * A {@link DataOutput} into a growing array, writing the same bytes as a {@code DataOutputStream} would.
 *
 * <p>Window state, partials and retained windows are written through this at every commit. Through a
 * {@code DataOutputStream} each byte of a varint was a call the compiler could not inline (the stream's target is
 * whatever other code in the process wrote through one too), and writing a window's changes cost about 6 ns a byte;
 * here the writes are plain stores into the array ({@link #writeVarint} checks the room once per number). Not
 * thread-safe.
 */
public final class ByteSink implements DataOutput {
    private byte[] buffer;
    private int size;

    /** An empty sink with room for {@code capacity} bytes before it grows. */
    public ByteSink(int capacity) {
        buffer = new byte[Math.max(16, capacity)];
    }

    private void ensure(int more) {
        if (more > buffer.length - size) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }

    @Override
    public void write(int b) {
        ensure(1);
        buffer[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b) {
        write(b, 0, b.length);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buffer, size, len);
        size += len;
    }

    @Override
    public void writeBoolean(boolean v) {
        write(v ? 1 : 0);
    }

    @Override
    public void writeByte(int v) {
        write(v);
    }

    @Override
    public void writeShort(int v) {
        ensure(2);
        buffer[size] = (byte) (v >>> 8);
        buffer[size + 1] = (byte) v;
        size += 2;
    }

    @Override
    public void writeChar(int v) {
        writeShort(v);
    }

    @Override
    public void writeInt(int v) {
        ensure(4);
        byte[] b = buffer;
        int p = size;
        b[p] = (byte) (v >>> 24);
        b[p + 1] = (byte) (v >>> 16);
        b[p + 2] = (byte) (v >>> 8);
        b[p + 3] = (byte) v;
        size = p + 4;
    }

    @Override
    public void writeLong(long v) {
        ensure(8);
        byte[] b = buffer;
        int p = size;
        for (int shift = 56; shift >= 0; shift -= 8) {
            b[p++] = (byte) (v >>> shift);
        }
        size = p;
    }

    @Override
    public void writeFloat(float v) {
        writeInt(Float.floatToIntBits(v));
    }

    @Override
    public void writeDouble(double v) {
        writeLong(Double.doubleToLongBits(v));
    }

    /** Each char's low byte, as {@link java.io.DataOutputStream#writeBytes} writes them. */
    @Override
    public void writeBytes(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buffer[size++] = (byte) s.charAt(i);
        }
    }

    @Override
    public void writeChars(String s) {
        int n = s.length();
        ensure(2 * n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            buffer[size++] = (byte) (c >>> 8);
            buffer[size++] = (byte) c;
        }
    }

    /**
     * The string in modified UTF-8 after its length in two bytes, as {@link DataOutput#writeUTF} specifies: a char
     * of 1 to 0x7F in one byte, 0 and up to 0x7FF in two, the rest (surrogates one by one) in three.
     *
     * @throws UTFDataFormatException when the encoded string takes more than 65,535 bytes (nothing is written)
     */
    @Override
    public void writeUTF(String s) throws UTFDataFormatException {
        int n = s.length();
        long encoded = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == 0 || c > 0x7F) {
                encoded += c > 0x7FF ? 2 : 1;
            }
        }
        if (encoded > 0xFFFF) {
            throw new UTFDataFormatException("a string of " + n + " chars takes " + encoded
                    + " bytes in modified UTF-8, more than the 65,535 a length of two bytes counts");
        }
        ensure(2 + (int) encoded);
        byte[] b = buffer;
        int p = size;
        b[p++] = (byte) (encoded >>> 8);
        b[p++] = (byte) encoded;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c != 0 && c <= 0x7F) {
                b[p++] = (byte) c;
            } else if (c <= 0x7FF) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        size = p;
    }

    /** {@link Varint#writeUnsigned}'s bytes, with one check of the room for all of them. */
    public void writeVarint(long value) {
        ensure(10);
        size = Varint.put(buffer, size, value);
    }

    /** How many bytes were written since the sink was made or {@link #reset}. */
    public int size() {
        return size;
    }

    /** The bytes written, in an array of their own. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    /** Forgets the bytes written, keeping the array: the next bytes are written from its start. */
    public void reset() {
        size = 0;
    }

    /** The size of the array, which the sink keeps however few bytes it holds. */
    public int capacity() {
        return buffer.length;
    }
}
