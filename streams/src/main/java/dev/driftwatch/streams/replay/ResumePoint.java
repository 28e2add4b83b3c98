package dev.driftwatch.streams.replay;

import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Where a replay starts publishing (its {@code --skip}), and where the next one must start when this one gives
 * up. Two forms: {@code N}, the first N events (in the order of the source) are skipped; or
 * {@code p:n,p:n,...}, the first n events bound for each partition p of the target topic are skipped. The
 * second form is exact whatever order the partitions' leaders acknowledged in (each partition's records are
 * acknowledged in order); the first is printed when it says the same.
 */
public final class ResumePoint {
    private final long first;
    private final long[] perPartition;
    private long skipped;
    private long[] skippedPer = new long[0];
    private long[] sentPer = new long[0];

    private ResumePoint(long first, long[] perPartition) {
        this.first = first;
        this.perPartition = perPartition;
    }

    /**
     * Parses {@code N} or {@code p:n,p:n,...}.
     *
     * @throws IllegalArgumentException naming the value and the accepted forms
     */
    public static ResumePoint parse(String text) {
        String t = text.trim();
        try {
            if (!t.contains(":")) {
                long n = Long.parseLong(t);
                if (n < 0) {
                    throw new NumberFormatException();
                }
                return new ResumePoint(n, null);
            }
            long[] per = new long[0];
            for (String part : t.split(",")) {
                String[] pn = part.trim().split(":");
                if (pn.length != 2) {
                    throw new NumberFormatException();
                }
                int p = Integer.parseInt(pn[0].trim());
                long n = Long.parseLong(pn[1].trim());
                if (p < 0 || p > 100_000 || n < 0) {
                    throw new NumberFormatException();
                }
                per = Arrays.copyOf(per, Math.max(per.length, p + 1));
                per[p] = n;
            }
            return new ResumePoint(0, per);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--skip '" + text + "' is not a resume point; expected a number of"
                    + " events >= 0 (e.g. 2168) or events per partition (e.g. 0:721,1:720,2:727), as printed by a"
                    + " replay that gave up");
        }
    }

    /** Whether this is {@code 0} (nothing skipped). */
    public boolean isStart() {
        return first == 0 && (perPartition == null || Arrays.stream(perPartition).allMatch(n -> n == 0));
    }

    /**
     * Decides for the next event, bound for {@code partition}, whether it is skipped; counts it either way. Call
     * once per event, in the order of the source.
     */
    public boolean skip(int partition) {
        grow(partition);
        boolean skip = perPartition == null ? skipped < first
                : partition < perPartition.length && skippedPer[partition] < perPartition[partition];
        if (skip) {
            skipped++;
            skippedPer[partition]++;
        } else {
            sentPer[partition]++;
        }
        return skip;
    }

    /**
     * The resume point after a replay that gave up, in the form {@code --skip} takes.
     *
     * @param acknowledgedEvents   events acknowledged from the first one sent on, without a gap
     * @param acknowledgedAfterGap records acknowledged after the first unacknowledged one
     * @param acknowledgedPer      records acknowledged per partition (closing events included: they come last)
     */
    public String next(long acknowledgedEvents, long acknowledgedAfterGap, long[] acknowledgedPer) {
        if (acknowledgedAfterGap == 0 && perPartition == null) {
            return Long.toString(skipped + acknowledgedEvents);
        }
        int partitions = Math.max(Math.max(skippedPer.length, acknowledgedPer.length),
                perPartition == null ? 0 : perPartition.length);
        grow(partitions - 1);
        return IntStream.range(0, partitions).mapToObj(p -> {
            long acked = Math.min(p < acknowledgedPer.length ? acknowledgedPer[p] : 0, sentPer[p]);
            long skippedHere = perPartition != null && p < perPartition.length
                    ? Math.max(perPartition[p], skippedPer[p]) : skippedPer[p];
            return p + ":" + (skippedHere + acked);
        }).collect(Collectors.joining(","));
    }

    private void grow(int partition) {
        if (partition >= skippedPer.length) {
            skippedPer = Arrays.copyOf(skippedPer, partition + 1);
            sentPer = Arrays.copyOf(sentPer, partition + 1);
        }
    }
}
