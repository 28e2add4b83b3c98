package dev.driftwatch.streams.tail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;

/**
 * An Avro record as plain JSON for {@code jq}: unions unwrapped (a value or null), enums as their
 * symbol, {@code timestamp-millis} as an ISO-8601 instant, bytes as base64, NaN and infinities as strings.
 * (Avro's own JSON encoding wraps every union value in an object named by its type, which is hard to query.)
 */
public final class AvroJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AvroJson() {
    }

    /** The record as a JSON object, its fields in schema order. */
    public static ObjectNode of(IndexedRecord record) {
        ObjectNode node = NODES.objectNode();
        for (Schema.Field f : record.getSchema().getFields()) {
            node.set(f.name(), value(f.schema(), record.get(f.pos())));
        }
        return node;
    }

    private static JsonNode value(Schema schema, Object v) {
        if (v == null) {
            return NODES.nullNode();
        }
        return switch (schema.getType()) {
            case UNION -> value(branch(schema, v), v);
            case RECORD -> of((IndexedRecord) v);
            case ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                for (Object item : (Collection<?>) v) {
                    a.add(value(schema.getElementType(), item));
                }
                yield a;
            }
            case MAP -> {
                ObjectNode m = NODES.objectNode();
                ((Map<?, ?>) v).forEach((k, item) -> m.set(String.valueOf(k), value(schema.getValueType(), item)));
                yield m;
            }
            case LONG -> v instanceof Instant t ? NODES.textNode(t.toString())
                    : schema.getLogicalType() instanceof LogicalTypes.TimestampMillis
                    ? NODES.textNode(Instant.ofEpochMilli((Long) v).toString()) : NODES.numberNode((Long) v);
            case INT -> NODES.numberNode((Integer) v);
            case DOUBLE, FLOAT -> {
                double d = ((Number) v).doubleValue();
                yield Double.isFinite(d) ? NODES.numberNode(d) : NODES.textNode(Double.toString(d));
            }
            case BOOLEAN -> NODES.booleanNode((Boolean) v);
            case BYTES -> {
                ByteBuffer b = ((ByteBuffer) v).duplicate();
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                yield NODES.textNode(Base64.getEncoder().encodeToString(bytes));
            }
            case FIXED -> NODES.textNode(Base64.getEncoder().encodeToString(((GenericFixed) v).bytes()));
            default -> NODES.textNode(v.toString()); // STRING, ENUM
        };
    }

    /** The branch of a union that a non-null value takes: the first that is not null and fits. */
    private static Schema branch(Schema union, Object v) {
        for (Schema s : union.getTypes()) {
            if (s.getType() != Schema.Type.NULL && fits(s, v)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no branch of " + union + " holds a " + v.getClass().getSimpleName());
    }

    private static boolean fits(Schema s, Object v) {
        return switch (s.getType()) {
            case RECORD -> v instanceof GenericContainer c && c.getSchema().getFullName().equals(s.getFullName());
            case STRING, ENUM -> v instanceof CharSequence || v instanceof Enum<?> || v instanceof GenericContainer;
            case LONG -> v instanceof Long || v instanceof Instant;
            case INT -> v instanceof Integer;
            case DOUBLE, FLOAT -> v instanceof Double || v instanceof Float;
            case BOOLEAN -> v instanceof Boolean;
            case BYTES -> v instanceof ByteBuffer;
            case ARRAY -> v instanceof Collection<?>;
            case MAP -> v instanceof Map<?, ?>;
            default -> true;
        };
    }
}
