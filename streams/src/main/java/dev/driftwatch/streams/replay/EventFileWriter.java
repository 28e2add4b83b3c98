package dev.driftwatch.streams.replay;

import dev.driftwatch.schemas.avro.InferenceEvent;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes inference events to a file in one {@link EventFormat}; {@link EventFileReader} reads it back unchanged. */
public final class EventFileWriter implements AutoCloseable {
    private final EventFormat format;
    private final DataFileWriter<InferenceEvent> avro;
    private final BufferedWriter text;
    private List<String> csvHeader;
    private long written;

    private EventFileWriter(EventFormat format, DataFileWriter<InferenceEvent> avro, BufferedWriter text) {
        this.format = format;
        this.avro = avro;
        this.text = text;
    }

    /** Creates (or truncates) {@code file}. @throws UncheckedIOException when it cannot be written */
    public static EventFileWriter create(Path file, EventFormat format) {
        try {
            if (format == EventFormat.AVRO) {
                DataFileWriter<InferenceEvent> w = new DataFileWriter<>(new SpecificDatumWriter<>(InferenceEvent.class));
                w.setCodec(CodecFactory.deflateCodec(3));
                w.create(InferenceEvent.getClassSchema(), file.toFile());
                return new EventFileWriter(format, w, null);
            }
            return new EventFileWriter(format, null, Files.newBufferedWriter(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public void write(InferenceEvent e) {
        try {
            switch (format) {
                case AVRO -> avro.append(e);
                case JSONL -> {
                    text.write(EventJson.write(e));
                    text.write('\n');
                }
                case CSV -> {
                    if (csvHeader == null) {
                        csvHeader = EventCsv.header(e);
                        text.write(String.join(",", csvHeader));
                        text.write('\n');
                    }
                    text.write(EventCsv.row(csvHeader, e));
                    text.write('\n');
                }
            }
            written++;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public long written() {
        return written;
    }

    @Override
    public void close() {
        try {
            if (avro != null) {
                avro.close();
            }
            if (text != null) {
                text.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
