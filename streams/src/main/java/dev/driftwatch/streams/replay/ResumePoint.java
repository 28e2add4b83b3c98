package dev.driftwatch.streams.replay;

/**
 * Where a replay starts publishing (its {@code --skip N}: the first N events of the source, in its order, are
 * skipped), and where the next one must start when this one gives up: after the events of the last committed
 * transaction.
 */
public final class ResumePoint {
    private final long first;
    private long skipped;

    private ResumePoint(long first) {
        this.first = first;
    }

    /**
     * Parses {@code N}.
     *
     * @throws IllegalArgumentException naming the value and the accepted form
     */
    public static ResumePoint parse(String text) {
        try {
            long n = Long.parseLong(text.trim());
            if (n >= 0) {
                return new ResumePoint(n);
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException("--skip '" + text + "' is not a resume point; expected a number of"
                + " events >= 0 (e.g. 2168), as printed by a replay that gave up");
    }

    /** Whether this is {@code 0} (nothing skipped). */
    public boolean isStart() {
        return first == 0;
    }

    /** Decides for the next event whether it is skipped. Call once per event, in the order of the source. */
    public boolean skip() {
        if (skipped < first) {
            skipped++;
            return true;
        }
        return false;
    }

    /**
     * The {@code --skip} of the replay that goes on after this one gave up.
     *
     * @param committedEvents events of this replay committed from the first one sent on
     */
    public String next(long committedEvents) {
        return Long.toString(skipped + committedEvents);
    }
}
