package dev.driftwatch.schemas;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/** Seeded random generic data for any schema, to exercise every branch of a schema (unions both ways, empty and full collections). */
public final class RandomRecords {
    private final Random random;

    public RandomRecords(long seed) {
        this.random = new Random(seed);
    }

    public Object next(Schema schema) {
        switch (schema.getType()) {
            case RECORD: {
                GenericData.Record record = new GenericData.Record(schema);
                for (Schema.Field field : schema.getFields()) {
                    record.put(field.pos(), next(field.schema()));
                }
                return record;
            }
            case ENUM: {
                List<String> symbols = schema.getEnumSymbols();
                return new GenericData.EnumSymbol(schema, symbols.get(random.nextInt(symbols.size())));
            }
            case ARRAY: {
                int n = random.nextInt(4);
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(next(schema.getElementType()));
                }
                return new GenericData.Array<>(schema, items);
            }
            case MAP: {
                int n = random.nextInt(4);
                Map<String, Object> map = new HashMap<>();
                for (int i = 0; i < n; i++) {
                    map.put("k" + random.nextInt(1000), next(schema.getValueType()));
                }
                return map;
            }
            case UNION: {
                List<Schema> branches = schema.getTypes();
                return next(branches.get(random.nextInt(branches.size())));
            }
            case STRING:
                return "s" + Long.toHexString(random.nextLong());
            case BYTES: {
                byte[] bytes = new byte[random.nextInt(8)];
                random.nextBytes(bytes);
                return ByteBuffer.wrap(bytes);
            }
            case FIXED: {
                byte[] bytes = new byte[schema.getFixedSize()];
                random.nextBytes(bytes);
                return new GenericData.Fixed(schema, bytes);
            }
            case INT:
                return random.nextInt(1_000_000);
            case LONG:
                return 1_700_000_000_000L + random.nextInt(1_000_000_000);
            case FLOAT:
                return random.nextFloat();
            case DOUBLE:
                return random.nextGaussian() * 100;
            case BOOLEAN:
                return random.nextBoolean();
            case NULL:
                return null;
            default:
                throw new IllegalArgumentException("unsupported type " + schema.getType());
        }
    }
}
