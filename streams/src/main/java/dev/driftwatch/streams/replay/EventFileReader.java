package dev.driftwatch.streams.replay;

import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.streams.compare.CsvFormatException;
import dev.driftwatch.streams.compare.CsvReader;
import dev.driftwatch.streams.compare.EmptyInputException;
import org.apache.avro.AvroRuntimeException;
import dev.driftwatch.streams.internals.BlockEventDecoder;
import org.apache.avro.file.DataFileConstants;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads an events file of any {@link EventFormat} in one pass, handing each good event to a consumer
 * and counting each bad record (with its line, or its position in an Avro file) in {@link BadRecords}.
 * Memory does not grow with the file.
 */
public final class EventFileReader {
    private final Path file;
    private final EventFormat format;
    private volatile CountingInputStream counting;
    private final long size;

    private EventFileReader(Path file, EventFormat format, long size) {
        this.file = file;
        this.format = format;
        this.size = size;
    }

    /**
     * A reader of {@code file}, its format detected from its content.
     *
     * @throws IllegalArgumentException when the file does not exist or cannot be read
     */
    public static EventFileReader open(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(file.toString());
            }
            return new EventFileReader(file, EventFormat.detect(file), Files.size(file));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("input file " + file + " does not exist or is not a file");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read input file " + file + ": " + e.getMessage());
        }
    }

    public EventFormat format() {
        return format;
    }

    /** Bytes read so far, for progress. */
    public long bytesRead() {
        CountingInputStream c = counting;
        return c == null ? 0 : c.count();
    }

    /** The file's size in bytes. */
    public long size() {
        return size;
    }

    /**
     * Reads the whole file.
     *
     * @return the number of good events
     * @throws IllegalArgumentException when the file as a whole cannot be read (unreadable, a CSV header
     *     with unknown columns, an Avro file of another record type), or holds no record at all
     *     ({@link EmptyInputException})
     */
    public long read(Consumer<InferenceEvent> events, BadRecords bad) {
        long badBefore = bad.count();
        try (CountingInputStream in = new CountingInputStream(Files.newInputStream(file))) {
            counting = in;
            long good = switch (format) {
                case AVRO -> readAvro(in, events, bad);
                case JSONL -> readJsonLines(in, events, bad);
                case CSV -> readCsv(in, events, bad);
            };
            EmptyInputException.check(file, good + bad.count() - badBefore);
            return good;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private long readAvro(InputStream in, Consumer<InferenceEvent> events, BadRecords bad) throws IOException {
        AvroContainerCheck.Damage damage = AvroContainerCheck.check(file);
        if (damage != null && damage.offset() == 0) {
            throw new IllegalArgumentException("Avro file " + file + " cannot be read: " + damage.describe());
        }
        DatumReader<InferenceEvent> reader = new SharedStringsReader<>(
                new SpecificDatumReader<>(InferenceEvent.class));
        try (DataFileStream<InferenceEvent> stream = new DataFileStream<>(in, reader)) {
            String name = stream.getSchema().getFullName();
            if (!name.equals(InferenceEvent.getClassSchema().getFullName())) {
                throw new IllegalArgumentException("Avro file " + file + " holds " + name + " records; expected "
                        + InferenceEvent.getClassSchema().getFullName());
            }
            BlockEventDecoder blocks = new BlockEventDecoder(stream.getSchema());
            AvroRecords records;
            long good;
            String codec = stream.getMetaString(DataFileConstants.CODEC);
            if (blocks.readable() && ContainerBlocks.reads(codec)) {
                // the blocks from the file's start again: Avro's stream has read ahead of its header
                try (CountingInputStream blockIn = new CountingInputStream(
                        new BufferedInputStream(Files.newInputStream(file), 1 << 16));
                     ContainerBlocks container = new ContainerBlocks(blockIn, codec)) {
                    counting = blockIn;
                    records = new AvroRecords(container, reader, blocks);
                    good = records.read(events);
                }
            } else {
                records = new AvroRecords(stream, blocks.readable() ? reader : null, blocks.readable() ? blocks : null);
                good = records.read(events);
            }
            if (records.failure != null) {
                bad.add(damage == null ? "record " + records.index : "byte offset " + damage.offset(),
                        (damage == null ? "unreadable Avro block" : damage.describe())
                                + ", the rest of the file is skipped: " + records.failure.getMessage());
            } else if (damage != null) {
                // DataFileStream ends quietly where a truncated block starts: the damage is reported here.
                bad.add("byte offset " + damage.offset(), damage.describe());
            }
            return good;
        } catch (IOException e) {
            throw new IllegalArgumentException("Avro file " + file + " cannot be read: " + e.getMessage());
        }
    }

    /**
     * The records of an Avro container file, read in order until the end or the first one that cannot be read
     * ({@link #failure}, at record {@link #index}), as {@link DataFileStream} reads them. With a
     * {@link BlockEventDecoder}, a block's records are read from its bytes by the decoder, as the pipeline reads
     * the topic's records; the ones it does not read, by Avro's reader, and it learns from those.
     */
    private static final class AvroRecords {
        private final DataFileStream<InferenceEvent> stream;
        private final ContainerBlocks container;
        private final DatumReader<InferenceEvent> reader;
        private final BlockEventDecoder blocks;
        private BinaryDecoder decoder;
        /** The data of the block being read. */
        private byte[] block;
        /** The number of the record read last, or being read when it failed (from 1). */
        long index;
        /** The events handed on. */
        long good;
        /** Why reading stopped before the end, as DataFileStream says it. */
        AvroRuntimeException failure;

        /** Records from Avro's {@code stream}, or its blocks' records read by {@code blocks} when not null. */
        AvroRecords(DataFileStream<InferenceEvent> stream, DatumReader<InferenceEvent> reader,
                    BlockEventDecoder blocks) {
            this.stream = stream;
            this.container = null;
            this.reader = reader;
            this.blocks = blocks;
        }

        /** The records of {@code container}'s blocks, read by {@code blocks}. */
        AvroRecords(ContainerBlocks container, DatumReader<InferenceEvent> reader, BlockEventDecoder blocks) {
            this.stream = null;
            this.container = container;
            this.reader = reader;
            this.blocks = blocks;
        }

        /** Hands each record's event to {@code events}; the number of events. */
        long read(Consumer<InferenceEvent> events) {
            try {
                if (blocks == null) {
                    readRecords(events);
                } else {
                    readBlocks(events);
                }
            } catch (AvroRuntimeException e) {
                failure = e;
            }
            return good;
        }

        private void readRecords(Consumer<InferenceEvent> events) {
            while (stream.hasNext()) {
                index++;
                events.accept(stream.next());
                good++;
            }
        }

        /** The next block's number of records (its data then in {@link #block}), 0 at the end. */
        private long nextBlock() {
            try {
                if (container != null) {
                    long count = container.next();
                    block = container.data();
                    return count;
                }
                if (!stream.hasNext()) {
                    return 0;
                }
                long count = stream.getBlockCount();
                ByteBuffer buffer = stream.nextBlock();
                block = Arrays.copyOfRange(buffer.array(), buffer.arrayOffset() + buffer.position(),
                        buffer.arrayOffset() + buffer.limit());
                return count;
            } catch (IOException e) {
                throw new AvroRuntimeException(e);
            }
        }

        private void readBlocks(Consumer<InferenceEvent> events) {
            while (true) {
                long count = nextBlock();
                if (count == 0) {
                    return;
                }
                int at = 0;
                for (long i = 0; i < count; i++) {
                    index++;
                    InferenceEvent event = blocks.read(block, at);
                    if (event != null) {
                        at = blocks.end();
                    } else {
                        decoder = DecoderFactory.get().binaryDecoder(block, at, block.length - at, decoder);
                        try {
                            event = reader.read(null, decoder);
                            int end = block.length - decoder.inputStream().available();
                            blocks.learn(block, at, event);
                            at = end;
                        } catch (IOException e) {
                            throw new AvroRuntimeException(e);
                        }
                    }
                    events.accept(event);
                    good++;
                }
                if (at != block.length) {
                    // as DataFileStream checks a block before the next one
                    throw new AvroRuntimeException(new IOException("Block read partially, the data may be corrupt"));
                }
            }
        }
    }

    private long readJsonLines(InputStream in, Consumer<InferenceEvent> events, BadRecords bad) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        long good = 0;
        long line = 0;
        for (String text; (text = reader.readLine()) != null; ) {
            line++;
            if (text.isBlank()) {
                continue;
            }
            InferenceEvent e;
            try {
                e = EventJson.parse(text);
            } catch (BadEventException ex) {
                bad.add("line " + line, ex.getMessage());
                continue;
            }
            events.accept(e);
            good++;
        }
        return good;
    }

    private long readCsv(InputStream in, Consumer<InferenceEvent> events, BadRecords bad) throws IOException {
        CsvReader reader = new CsvReader(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)),
                file.toString());
        List<String> header;
        try {
            header = reader.next();
        } catch (CsvFormatException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        if (header == null) {
            throw new IllegalArgumentException("CSV file " + file + " is empty; expected a header row");
        }
        EventCsv csv;
        try {
            csv = EventCsv.ofHeader(header);
        } catch (BadEventException e) {
            throw new IllegalArgumentException("CSV file " + file + ": " + e.getMessage());
        }
        long good = 0;
        while (true) {
            List<String> row;
            try {
                row = reader.next();
            } catch (CsvFormatException e) {
                bad.add("line " + (reader.recordLine() + 1), e.getMessage());
                break;
            }
            if (row == null) {
                break;
            }
            if (row.size() == 1 && row.get(0).isBlank()) {
                continue;
            }
            try {
                events.accept(csv.parse(row));
                good++;
            } catch (BadEventException e) {
                bad.add("line " + reader.recordLine(), e.getMessage());
            }
        }
        return good;
    }
}
