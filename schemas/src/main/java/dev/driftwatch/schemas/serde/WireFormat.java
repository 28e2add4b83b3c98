package dev.driftwatch.schemas.serde;

import java.nio.ByteBuffer;

/**
 * The Confluent wire format: byte 0 is the magic byte {@code 0}, bytes 1..4 the schema id as a
 * big-endian signed int, and the rest the Avro binary encoding of the record with that schema.
 * Confluent's serializers (Java, Python, Go, .NET) and ours write and read the same bytes.
 */
public final class WireFormat {
    /** The only magic byte defined. */
    public static final byte MAGIC_BYTE = 0;
    /** Magic byte plus schema id. */
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /** Writes the 5-byte header into a new buffer with room for {@code bodySize} more bytes. */
    public static ByteBuffer header(int schemaId, int bodySize) {
        ByteBuffer buffer = ByteBuffer.allocate(HEADER_SIZE + bodySize);
        buffer.put(MAGIC_BYTE).putInt(schemaId);
        return buffer;
    }

    /** The whole framed record. */
    public static byte[] frame(int schemaId, byte[] avroBody) {
        return header(schemaId, avroBody.length).put(avroBody).array();
    }

    /**
     * The schema id of framed bytes.
     *
     * @throws BadRecordException TRUNCATED with fewer than 5 bytes, WRONG_MAGIC_BYTE when byte 0 is not 0
     */
    public static int schemaId(byte[] data) {
        if (data.length == 0) {
            throw new BadRecordException(BadRecordException.Reason.TRUNCATED, null,
                    "record is empty; a Confluent-framed record has at least " + HEADER_SIZE + " bytes");
        }
        if (data[0] != MAGIC_BYTE) {
            throw new BadRecordException(BadRecordException.Reason.WRONG_MAGIC_BYTE, null,
                    String.format("first byte is 0x%02x; the Confluent wire format starts with magic byte 0x00 "
                            + "(was this record written without a schema registry serializer?)", data[0]));
        }
        if (data.length < HEADER_SIZE) {
            throw new BadRecordException(BadRecordException.Reason.TRUNCATED, null,
                    "record has " + data.length + " bytes; the header alone needs " + HEADER_SIZE);
        }
        return ByteBuffer.wrap(data, 1, 4).getInt();
    }
}
