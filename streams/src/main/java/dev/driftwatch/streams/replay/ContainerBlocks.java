package dev.driftwatch.streams.replay;

import org.apache.avro.file.DataFileConstants;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * The blocks of an Avro object container file, read after its header as Avro's {@code DataFileStream} reads them
 * (the same end at the end of the file or inside a block, the same errors), each block's data decompressed into a
 * byte array of its exact length. A deflated block is inflated by one {@link Inflater} and into one buffer kept for
 * the whole file, in one pass: Avro's codec inflates each block through a stream of 512-byte steps into an output
 * buffer that starts at 8 KB and is copied each time it grows.
 *
 * <p>Not thread-safe: one per file.
 */
final class ContainerBlocks implements Closeable {
    private static final int SYNC_SIZE = 16;

    private final InputStream in;
    private final byte[] sync;
    private final String codec;
    private final byte[] marker = new byte[SYNC_SIZE];
    private Inflater inflater;
    private byte[] raw = new byte[64 * 1024];
    private byte[] out = new byte[128 * 1024];
    private byte[] data;

    /**
     * @param in    the file from its first byte: its header is read here
     * @param codec the file's codec ({@code avro.codec} of its header; null for none)
     */
    ContainerBlocks(InputStream in, String codec) throws IOException {
        this.in = in;
        this.sync = AvroContainerCheck.readHeader(in);
        this.codec = codec == null ? DataFileConstants.NULL_CODEC : codec;
        if (!reads(this.codec)) {
            throw new IllegalArgumentException("codec " + codec + " is read by Avro's DataFileStream");
        }
    }

    /** Whether files of {@code codec} are read here (no codec, or deflate); else by Avro's {@code DataFileStream}. */
    static boolean reads(String codec) {
        return codec == null || codec.equals(DataFileConstants.NULL_CODEC)
                || codec.equals(DataFileConstants.DEFLATE_CODEC);
    }

    /**
     * Reads the next block: its number of records, its data then in {@link #data()}; 0 at the end of the file, where
     * the file ends inside a block, or at a block of no records (where Avro's reader stops too).
     *
     * @throws IOException a block size out of range, a block not followed by the file's sync marker, data the codec
     *                     cannot decompress
     */
    long next() throws IOException {
        int first = in.read();
        if (first < 0) {
            return 0;
        }
        long count;
        long size;
        try {
            count = varLong(first);
            size = varLong(in.read());
        } catch (EOFException e) {
            return 0;
        }
        if (size > Integer.MAX_VALUE || size < 0) {
            throw new IOException("Block size invalid or too large for this implementation: " + size);
        }
        int n = (int) size;
        if (raw.length < n) {
            raw = new byte[Math.max(n, raw.length * 2)];
        }
        if (!readFully(raw, n) || !readFully(marker, SYNC_SIZE)) {
            return 0;
        }
        if (!Arrays.equals(marker, sync)) {
            throw new IOException("Invalid sync!");
        }
        if (count == 0) {
            return 0;
        }
        data = decompress(n);
        return count;
    }

    /** The data of the block {@link #next} read last, decompressed. */
    byte[] data() {
        return data;
    }

    private byte[] decompress(int n) throws IOException {
        if (codec.equals(DataFileConstants.DEFLATE_CODEC)) {
            return inflate(n);
        }
        return Arrays.copyOf(raw, n);
    }

    /** As Avro's deflate codec inflates (raw deflate data; what follows its end ignored; a cut stream ends it). */
    private byte[] inflate(int n) throws IOException {
        if (inflater == null) {
            inflater = new Inflater(true);
        } else {
            inflater.reset();
        }
        inflater.setInput(raw, 0, n);
        int length = 0;
        try {
            while (true) {
                if (length == out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                int k = inflater.inflate(out, length, out.length - length);
                length += k;
                if (k == 0) {
                    // the buffer had room: the data ended, its input ran out, or it needs a dictionary
                    if (inflater.needsDictionary()) {
                        throw new ZipException("ZLIB dictionary missing");
                    }
                    break;
                }
            }
        } catch (DataFormatException e) {
            throw new ZipException(e.getMessage() == null ? "Invalid ZLIB data format" : e.getMessage());
        }
        return Arrays.copyOf(out, length);
    }

    private boolean readFully(byte[] into, int n) throws IOException {
        int at = 0;
        while (at < n) {
            int k = in.read(into, at, n - at);
            if (k < 0) {
                return false;
            }
            at += k;
        }
        return true;
    }

    /** A zig-zag varint long whose first byte is {@code first}, as Avro reads it. */
    private long varLong(int first) throws IOException {
        long raw = 0;
        int b = first;
        for (int shift = 0; ; shift += 7) {
            if (b < 0) {
                throw new EOFException();
            }
            raw |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
            if (shift >= 63) {
                throw new IOException("Invalid long encoding");
            }
            b = in.read();
        }
    }

    @Override
    public void close() {
        if (inflater != null) {
            inflater.end();
        }
    }
}
