package dev.driftwatch.streams.replay;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Field-by-field comparison of Avro records, doubles within a relative tolerance. */
public final class AvroRecords {
    private AvroRecords() {
    }

    /** The differences between two records ("path: expected ≠ actual"), empty when equal. */
    public static List<String> differences(Object expected, Object actual, double relativeTolerance) {
        List<String> out = new ArrayList<>();
        compare("", expected, actual, relativeTolerance, out);
        return out;
    }

    private static void compare(String path, Object e, Object a, double tol, List<String> out) {
        if (e instanceof SpecificRecord er && a instanceof SpecificRecord ar) {
            if (!er.getSchema().equals(ar.getSchema())) {
                out.add(path + ": schema " + er.getSchema().getName() + " ≠ " + ar.getSchema().getName());
                return;
            }
            for (Schema.Field f : er.getSchema().getFields()) {
                compare(path + "." + f.name(), er.get(f.pos()), ar.get(f.pos()), tol, out);
            }
        } else if (e instanceof List<?> el && a instanceof List<?> al) {
            if (el.size() != al.size()) {
                out.add(path + ": " + el.size() + " elements ≠ " + al.size());
                return;
            }
            for (int i = 0; i < el.size(); i++) {
                compare(path + "[" + i + "]", el.get(i), al.get(i), tol, out);
            }
        } else if (e instanceof Map<?, ?> em && a instanceof Map<?, ?> am) {
            if (!em.keySet().equals(am.keySet())) {
                out.add(path + ": keys " + em.keySet() + " ≠ " + am.keySet());
                return;
            }
            for (Object k : em.keySet()) {
                compare(path + "{" + k + "}", em.get(k), am.get(k), tol, out);
            }
        } else if (e instanceof Double ed && a instanceof Double ad) {
            boolean same = ed.equals(ad) || Math.abs(ed - ad) <= tol * Math.max(Math.abs(ed), Math.abs(ad));
            if (!same) {
                out.add(path + ": " + ed + " ≠ " + ad);
            }
        } else if (!Objects.equals(e, a)) {
            out.add(path + ": " + e + " ≠ " + a);
        }
    }
}
