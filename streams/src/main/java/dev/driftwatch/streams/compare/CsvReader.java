package dev.driftwatch.streams.compare;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A small RFC 4180 reader: comma-separated fields, optional double quotes around a field, a doubled
 * quote for a literal quote inside quotes, and line breaks inside quoted fields. Records end with
 * LF or CRLF. Reports the line on which a malformed record starts.
 */
public final class CsvReader implements Closeable {
    private final BufferedReader in;
    private final String name;
    private int line;
    private int recordLine;

    public CsvReader(BufferedReader in, String name) {
        this.in = in;
        this.name = name;
    }

    /** The line number on which the last record returned started (1-based). */
    public int recordLine() {
        return recordLine;
    }

    /** The next record's fields, or null at the end of the input. */
    public List<String> next() throws IOException {
        String text = in.readLine();
        if (text == null) {
            return null;
        }
        line++;
        recordLine = line;
        if (line == 1 && !text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1); // byte-order mark
        }
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        boolean quoted = false;
        boolean wasQuoted = false;
        while (true) {
            if (i == text.length()) {
                if (quoted) {
                    String more = in.readLine();
                    if (more == null) {
                        throw new CsvFormatException(name + " line " + recordLine
                                + ": a quoted field is never closed; close it with a double quote (\")");
                    }
                    line++;
                    field.append('\n');
                    text = more;
                    i = 0;
                    continue;
                }
                fields.add(field.toString());
                return fields;
            }
            char c = text.charAt(i++);
            if (quoted) {
                if (c == '"') {
                    if (i < text.length() && text.charAt(i) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '"' && field.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == '\r' && i == text.length()) {
                // CR of a CRLF line ending
            } else {
                field.append(c);
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
