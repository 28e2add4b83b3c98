package dev.driftwatch.streams.compare;

import java.nio.file.Path;

/**
 * An input file without a single data row or record: a CSV with only its header, an empty JSON-lines
 * file, an Avro container without records. Every command that reads a file ({@code analyze},
 * {@code replay}, {@code compare}, {@code baseline}) refuses it the same way, through {@link #check}: an
 * input without data is most likely the wrong file, and "0 events" with exit 0 would hide that.
 */
public final class EmptyInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private EmptyInputException(String message) {
        super(message);
    }

    /**
     * Refuses a file that held no data.
     *
     * @param file    the file read
     * @param records how many data rows or records it held, good or bad
     * @throws EmptyInputException when {@code records} is 0, naming the file and what to check
     */
    public static void check(Path file, long records) {
        if (records == 0) {
            throw new EmptyInputException(file + " has no data rows or records (a header alone, or nothing):"
                    + " an input without data is most likely the wrong file; check the path, or that whatever"
                    + " wrote it wrote its rows");
        }
    }
}
