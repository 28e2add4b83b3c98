package dev.driftwatch.streams.replay;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The file formats of inference events that {@code replay}, {@code analyze} and {@code sample} read
 * and write.
 *
 * <ul>
 *   <li>{@link #AVRO}: an Avro object container file of {@code InferenceEvent} records (starts with
 *       the magic bytes {@code Obj\x01});</li>
 *   <li>{@link #JSONL}: one JSON object per line, either the flat form of {@link EventJson} or the Avro
 *       JSON encoding of {@code InferenceEvent} (recognised by its {@code eventId} member);</li>
 *   <li>{@link #CSV}: a header row and one event per row, columns as in {@link EventCsv}.</li>
 * </ul>
 */
public enum EventFormat {
    AVRO("avro"), JSONL("jsonl"), CSV("csv");

    private static final byte[] AVRO_MAGIC = {'O', 'b', 'j', 1};

    private final String id;

    EventFormat(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /**
     * The format named {@code name} ({@code avro}, {@code jsonl} or {@code json}, {@code csv}).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static EventFormat of(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "avro" -> AVRO;
            case "jsonl", "json", "ndjson" -> JSONL;
            case "csv" -> CSV;
            default -> throw new IllegalArgumentException("unknown format '" + name + "'; expected avro, jsonl or csv");
        };
    }

    /** The format a file name suggests ({@code .avro}, {@code .jsonl}/{@code .json}/{@code .ndjson}, {@code .csv}), or null. */
    public static EventFormat fromFileName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".avro")) {
            return AVRO;
        }
        if (name.endsWith(".jsonl") || name.endsWith(".json") || name.endsWith(".ndjson")) {
            return JSONL;
        }
        if (name.endsWith(".csv")) {
            return CSV;
        }
        return null;
    }

    /**
     * The format of an existing file: Avro when it starts with {@code Obj\x01}, JSON lines when its first
     * non-blank character is {@code {}, otherwise CSV.
     */
    public static EventFormat detect(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4096);
            if (head.length >= 4 && Arrays.equals(Arrays.copyOf(head, 4), AVRO_MAGIC)) {
                return AVRO;
            }
            for (byte b : head) {
                if (b == '{') {
                    return JSONL;
                }
                if (!Character.isWhitespace(b) && b != (byte) 0xEF && b != (byte) 0xBB && b != (byte) 0xBF) {
                    return CSV;
                }
            }
            return CSV;
        }
    }
}
