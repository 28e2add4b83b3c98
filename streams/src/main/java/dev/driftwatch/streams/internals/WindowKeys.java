package dev.driftwatch.streams.internals;

import dev.driftwatch.schemas.avro.AlertState;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The keys the stages and the signals share: times that sort as text, the key of a window's state, the
 * key of a subject's alert state, the name a subject is shown under, and alert ids. Every store and
 * output keyed by one of them depends on its exact form (live state must read back after an upgrade).
 */
public final class WindowKeys {
    private WindowKeys() {
    }

    /**
     * A time as 20 zero-padded digits, so that keys sort as times do; negative times (never valid
     * event times) become 0. Shared by every store keyed by time; cheaper than String.format on the
     * per-event path.
     */
    public static String sortableTime(long t) {
        String digits = Long.toString(Math.max(0, t));
        return "0".repeat(20 - digits.length()) + digits;
    }

    /** The key of a window's state, sortable by window end: zero-padded window end, model, version, segment. */
    public static String window(long windowEnd, String model, String version, String segment) {
        return sortableTime(windowEnd) + "|" + model + "|" + version + "|" + segment;
    }

    /** The key of a subject's alert state in a window's model version and segment. */
    public static String alertState(WindowBundle b, String subject) {
        return b.modelId() + "|" + b.modelVersion() + "|" + b.segment() + "|" + subject;
    }

    /** The subject as alerts and metrics show it: with {@code @segment} when windows are segmented. */
    public static String shown(WindowBundle b, String subject) {
        return "*".equals(b.segment()) ? subject : subject + "@" + b.segment();
    }

    /** The record key of a model version's records of a window: model/version, with {@code @segment} when segmented. */
    public static String version(WindowBundle b) {
        return b.modelId() + "/" + b.modelVersion() + ("*".equals(b.segment()) ? "" : "@" + b.segment());
    }

    /** The record key of a subject's window statistics and alerts: model/version/subject as shown. */
    public static String output(WindowBundle b, String subject) {
        return b.modelId() + "/" + b.modelVersion() + "/" + shown(b, subject);
    }

    /** Deterministic: the same window, subject and state change give the same id, live or replayed. */
    public static String alertId(WindowBundle b, String subject, AlertState state) {
        String text = b.modelId() + "|" + b.modelVersion() + "|" + b.segment() + "|" + subject + "|"
                + b.windowStart() + "|" + b.windowEnd() + "|" + state;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "al-" + HexFormat.of().formatHex(digest, 0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
