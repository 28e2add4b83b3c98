package dev.driftwatch.detectors.summary;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every write of the sink gives the bytes a {@code DataOutputStream} gives: window state depends on it. */
class ByteSinkTest {

    /** One random write of every kind, into both outputs alike. */
    private static void writeRandom(Random r, DataOutput out, String text) throws IOException {
        out.writeByte(r.nextInt());
        out.writeBoolean(r.nextBoolean());
        out.writeShort(r.nextInt());
        out.writeChar(r.nextInt());
        out.writeInt(r.nextInt());
        out.writeLong(r.nextLong());
        out.writeFloat(r.nextFloat() * 1e6f - 5e5f);
        out.writeDouble(r.nextGaussian() * 1e300);
        out.writeDouble(Double.NaN);
        out.writeDouble(Double.longBitsToDouble(0x7ff8000000000001L)); // a NaN of other bits: written as NaN
        out.writeFloat(Float.intBitsToFloat(0x7fc00001));
        out.writeUTF(text);
        out.writeBytes(text);
        out.writeChars(text);
        byte[] some = new byte[r.nextInt(40)];
        r.nextBytes(some);
        out.write(some);
        out.write(some, some.length / 3, some.length / 2);
        out.write(r.nextInt());
        long v = r.nextLong() >>> r.nextInt(64);
        Varint.writeUnsigned(out, v);
        Varint.write(out, v >>> 1);
        Varint.writeUnsigned(out, -1L - r.nextInt(3)); // ten bytes
    }

    /** A string of chars from every class modified UTF-8 tells apart: NUL, ASCII, two bytes, three, surrogates. */
    private static String text(Random r, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(6)) {
                case 0 -> b.append('\0');
                case 1, 2 -> b.append((char) (1 + r.nextInt(0x7F)));
                case 3 -> b.append((char) (0x80 + r.nextInt(0x780)));
                case 4 -> b.append((char) (0x800 + r.nextInt(0xF7FF)));
                default -> b.appendCodePoint(0x10000 + r.nextInt(0xFFFFF));
            }
        }
        return b.toString();
    }

    @Test
    void shouldWriteTheBytesOfADataOutputStream() throws IOException {
        Random r = new Random(42);
        for (int round = 0; round < 300; round++) {
            long seed = r.nextLong();
            String text = text(new Random(seed), r.nextInt(round < 290 ? 50 : 20_000));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream expected = new DataOutputStream(bytes);
            ByteSink sink = new ByteSink(1); // grows on the way
            for (int k = 0; k < 5; k++) {
                writeRandom(new Random(seed + k), expected, text);
                writeRandom(new Random(seed + k), sink, text);
            }
            expected.flush();
            assertArrayEquals(bytes.toByteArray(), sink.toByteArray(), "round " + round);
            assertEquals(bytes.size(), sink.size());
        }
    }

    @Test
    void shouldRefuseAStringLongerThanItsLengthCountsAndWriteNothing() throws IOException {
        String tooLong = "\u0800".repeat(21_846); // 65,538 bytes
        ByteSink sink = new ByteSink(16);
        sink.writeInt(7);
        assertThrows(UTFDataFormatException.class, () -> sink.writeUTF(tooLong));
        assertThrows(UTFDataFormatException.class,
                () -> new DataOutputStream(new ByteArrayOutputStream()).writeUTF(tooLong));
        assertEquals(4, sink.size());
        String longest = "\u0800".repeat(21_845); // 65,535 bytes: still written
        sink.writeUTF(longest);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream expected = new DataOutputStream(bytes);
        expected.writeInt(7);
        expected.writeUTF(longest);
        assertArrayEquals(bytes.toByteArray(), sink.toByteArray());
    }

    @Test
    void shouldStartAgainAfterAResetKeepingItsRoom() {
        ByteSink sink = new ByteSink(16);
        for (int i = 0; i < 100; i++) {
            sink.writeLong(i);
        }
        int room = sink.capacity();
        sink.reset();
        sink.writeVarint(300);
        assertArrayEquals(new byte[] {(byte) 0xAC, 0x02}, sink.toByteArray());
        assertEquals(room, sink.capacity());
    }
}
