package dev.driftwatch.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The serializer's output array holds what a ByteArrayOutputStream would, whatever it is written in. */
class SerializerOutputTest {
    @Test
    void shouldHoldTheBytesOfEveryWriteInOrderAsItGrows() {
        Random r = new Random(4);
        for (int capacity : new int[] {0, 1, 128}) {
            AvroRecordSerializer.Output out = new AvroRecordSerializer.Output(capacity);
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            for (int i = 0; i < 500; i++) {
                if (r.nextBoolean()) {
                    int b = r.nextInt();
                    out.write(b);
                    expected.write(b);
                } else {
                    byte[] b = new byte[r.nextInt(300)];
                    r.nextBytes(b);
                    int off = b.length == 0 ? 0 : r.nextInt(b.length);
                    int len = r.nextInt(b.length - off + 1);
                    out.write(b, off, len);
                    expected.write(b, off, len);
                }
            }
            assertArrayEquals(expected.toByteArray(), out.toByteArray(), capacity + " bytes at first");
        }
    }

    @Test
    void shouldRefuseARangeOutsideTheArray() {
        AvroRecordSerializer.Output out = new AvroRecordSerializer.Output(8);
        assertThrows(IndexOutOfBoundsException.class, () -> out.write(new byte[4], 2, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> out.write(new byte[4], -1, 1));
        assertArrayEquals(new byte[0], out.toByteArray());
    }
}
