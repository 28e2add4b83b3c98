package dev.driftwatch.streams.internals;

/**
 * A minimal streaming JSON writer: objects, arrays, strings, numbers (shortest round-trip form;
 * non-finite doubles become null), booleans and null. Commas are placed automatically.
 */
public final class JsonWriter {
    private final StringBuilder out = new StringBuilder();
    private boolean needComma;

    public JsonWriter beginObject() {
        separate();
        out.append('{');
        needComma = false;
        return this;
    }

    public JsonWriter endObject() {
        out.append('}');
        needComma = true;
        return this;
    }

    public JsonWriter beginArray() {
        separate();
        out.append('[');
        needComma = false;
        return this;
    }

    public JsonWriter endArray() {
        out.append(']');
        needComma = true;
        return this;
    }

    /** Writes a member name; the next value call writes its value. */
    public JsonWriter name(String name) {
        separate();
        quote(name);
        out.append(':');
        needComma = false;
        return this;
    }

    public JsonWriter value(String s) {
        separate();
        if (s == null) {
            out.append("null");
        } else {
            quote(s);
        }
        needComma = true;
        return this;
    }

    public JsonWriter value(Double d) {
        separate();
        out.append(d == null || !Double.isFinite(d) ? "null" : Double.toString(d));
        needComma = true;
        return this;
    }

    public JsonWriter value(long n) {
        separate();
        out.append(n);
        needComma = true;
        return this;
    }

    public JsonWriter value(boolean b) {
        separate();
        out.append(b);
        needComma = true;
        return this;
    }

    public JsonWriter nullValue() {
        separate();
        out.append("null");
        needComma = true;
        return this;
    }

    private void separate() {
        if (needComma) {
            out.append(',');
            needComma = false;
        }
    }

    private void quote(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
