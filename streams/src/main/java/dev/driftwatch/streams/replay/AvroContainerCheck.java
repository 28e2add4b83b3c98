package dev.driftwatch.streams.replay;

import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Walks the block structure of an Avro object container file without decoding its records: the header
 * (magic, metadata, 16-byte sync marker), then blocks of (record count, byte size, data, sync marker) up to
 * the end of the file. Avro's own {@code DataFileStream} takes an end of file inside a block for the end of
 * the data, so that a truncated file reads as a shorter, valid one; this check tells the two apart and
 * names the byte offset where the damage starts. It reads only the block headers and markers (it seeks over
 * the data), so it costs little beside the read itself.
 */
final class AvroContainerCheck {
    private static final int SYNC_SIZE = 16;
    /** A varint long is at most 10 bytes; a block header holds two. */
    private static final int BLOCK_HEADER_MAX = 20;

    /**
     * Where a container stops being valid.
     *
     * @param offset        byte offset of the first block that is not whole and valid (or of the header)
     * @param recordsBefore records in the whole blocks before it
     * @param reason        what is wrong there
     */
    record Damage(long offset, long recordsBefore, String reason) {
        String describe() {
            return "damaged Avro container at byte offset " + offset + ": " + reason + "; the " + recordsBefore
                    + " records before it are read, everything from that offset on is lost";
        }
    }

    private AvroContainerCheck() {
    }

    /** The damage of {@code file}, or null when its header and every block are whole. */
    static Damage check(Path file) throws IOException {
        long size = Files.size(file);
        byte[] sync;
        long dataStart;
        try (CountingInputStream in = new CountingInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            try {
                sync = readHeader(in);
            } catch (EOFException e) {
                return new Damage(0, 0, "the file ends inside its header (" + size + " bytes)");
            } catch (RuntimeException e) {
                return new Damage(0, 0, "its header cannot be read (" + e.getMessage() + ")");
            }
            dataStart = in.count();
        }
        long records = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long pos = dataStart;
            ByteBuffer head = ByteBuffer.allocate(BLOCK_HEADER_MAX);
            byte[] marker = new byte[SYNC_SIZE];
            while (pos < size) {
                head.clear();
                readAt(channel, head, pos);
                head.flip();
                long count;
                long bytes;
                try {
                    count = varLong(head);
                    bytes = varLong(head);
                } catch (EOFException e) {
                    return new Damage(pos, records, "the file ends inside a block header (" + (size - pos)
                            + " bytes left)");
                }
                if (count < 0 || bytes < 0) {
                    return new Damage(pos, records, "a block header with " + count + " records of " + bytes
                            + " bytes is not valid");
                }
                long markerAt = pos + head.position() + bytes;
                if (markerAt + SYNC_SIZE > size) {
                    return new Damage(pos, records, "a block of " + count + " records and " + bytes
                            + " bytes is cut short by the end of the file (" + (size - pos) + " bytes left)");
                }
                ByteBuffer m = ByteBuffer.wrap(marker);
                readAt(channel, m, markerAt);
                if (!Arrays.equals(marker, sync)) {
                    return new Damage(pos, records, "the block of " + count + " records is not followed by the"
                            + " file's sync marker");
                }
                records += count;
                pos = markerAt + SYNC_SIZE;
            }
        }
        return null;
    }

    /** Reads the header of the file {@code in} starts at (up to its first block): its sync marker. */
    static byte[] readHeader(InputStream in) throws IOException {
        BinaryDecoder d = DecoderFactory.get().directBinaryDecoder(in, null);
        byte[] magic = new byte[4];
        d.readFixed(magic);
        for (long n = d.readMapStart(); n != 0; n = d.mapNext()) {
            for (long i = 0; i < n; i++) {
                d.readString();
                d.readBytes(null);
            }
        }
        byte[] sync = new byte[SYNC_SIZE];
        d.readFixed(sync);
        return sync;
    }

    private static void readAt(FileChannel channel, ByteBuffer into, long pos) throws IOException {
        long at = pos;
        while (into.hasRemaining()) {
            int n = channel.read(into, at);
            if (n < 0) {
                return;
            }
            at += n;
        }
    }

    /** A zig-zag varint long, as Avro writes it. */
    private static long varLong(ByteBuffer b) throws EOFException {
        long raw = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (!b.hasRemaining()) {
                throw new EOFException();
            }
            int x = b.get() & 0xff;
            raw |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        return -1; // more than 10 bytes: not a valid varint, reported as an invalid header
    }
}
