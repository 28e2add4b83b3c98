package dev.driftwatch.streams.compare;

/** A CSV file that cannot be read as a table; the message names the file, the line and the fix. */
public final class CsvFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CsvFormatException(String message) {
        super(message);
    }
}
