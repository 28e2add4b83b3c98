package dev.driftwatch.detectors.summary;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Unsigned LEB128 variable-length longs (small counts take one byte). */
public final class Varint {
    private Varint() {
    }

    public static void write(DataOutput out, long value) throws IOException {
        if (value < 0) {
            throw new IllegalArgumentException("varint must be ≥ 0, got " + value);
        }
        writeUnsigned(out, value);
    }

    /** Writes {@code value} taken as unsigned (a zigzag code may use the top bit): 1 to 10 bytes. */
    public static void writeUnsigned(DataOutput out, long value) throws IOException {
        if (out instanceof ByteSink sink) {
            sink.writeVarint(value);
            return;
        }
        while ((value & ~0x7FL) != 0) {
            out.writeByte((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.writeByte((int) value);
    }

    /** Puts {@code value} (taken as unsigned) into {@code out} at {@code at}, giving where it ends: 1 to 10 bytes. */
    public static int put(byte[] out, int at, long value) {
        while ((value & ~0x7FL) != 0) {
            out[at++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[at++] = (byte) value;
        return at;
    }

    public static long read(DataInput in) throws IOException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("varint longer than 10 bytes");
    }
}
