package dev.driftwatch.streams.business;

import dev.driftwatch.schemas.avro.DeploymentRole;
import dev.driftwatch.schemas.avro.OutcomeEvent;
import dev.driftwatch.streams.PipelineMetrics;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The stream-stream join of outcome events to inferences by request id, per input partition (both
 * topics are keyed by request id and have the same partition count, so a request's inference and
 * outcomes meet in the same task). Event time throughout: the partition's stream time is the one of
 * its inference events.
 *
 * <p>A primary or canary inference opens its request (a shadow did not answer the caller and gets no
 * outcomes). Outcomes join it when their event time is within the join window J of the inference's;
 * they are deduplicated per type. Outcomes that arrive before their inference wait for it, at most
 * until stream time passes their own time plus J. A request is <em>final</em> when stream time passes
 * its inference time plus J; it then goes to the windows of its inference ({@link BusinessPart}) and
 * leaves the store, so the store holds about (traffic × J) requests.
 *
 * <p>Nothing is dropped silently: duplicates and outcomes outside the join window are counted on their
 * request's windows. Outcomes that no inference joined within their join window ({@code unmatched}: the
 * inference never came, was a shadow's, or its request was already final) and outcomes whose own event
 * time is more than the join window behind the partition's stream time ({@code late}: they can join
 * nothing any more) have no model version and are counted in the metrics ({@link PipelineMetrics#outcomes}).
 *
 * <p>Store layout: {@code r|<request id>} holds a {@link JoinedRequest}; {@code t|<deadline>|<request id>}
 * indexes it by the stream time at which it is final.
 */
public final class OutcomeJoin {
    /** The store of open requests, shared by the summarising and the outcome-reading processors. */
    public static final String STORE = "driftwatch-business-requests";
    /** Requests become final in steps of at most this much stream time (fewer store scans). */
    static final long FINISH_STEP_MS = 1_000;

    private final long joinWindow;
    private final long step;
    private final PipelineMetrics metrics;
    private final KeyValueStore<String, byte[]> store;
    private long finishedUpTo = Long.MIN_VALUE;
    /**
     * The lowest deadline that may be in the index unfinished: scans start there, not at the first key,
     * because the store's deleted index entries (tombstones) would make every scan longer than the last.
     * 0 after a restart (one full scan).
     */
    private long scanFrom = 0;

    public OutcomeJoin(BusinessSettings settings, PipelineMetrics metrics, KeyValueStore<String, byte[]> store) {
        this.joinWindow = settings.joinWindow().toMillis();
        this.step = Math.max(1, Math.min(FINISH_STEP_MS, joinWindow / 10));
        this.metrics = metrics;
        this.store = store;
    }

    /**
     * An inference that at least one window took.
     *
     * @param firstWindowEnd the end of the earliest window that took it
     */
    public void inference(String requestId, DeploymentRole role, String model, String version, String segment,
                          long time, long firstWindowEnd) {
        if (role == DeploymentRole.SHADOW || requestId == null || requestId.isEmpty()) {
            return;
        }
        JoinedRequest r = get(requestId);
        if (r != null && r.hasInference()) {
            return; // the request's first primary or canary inference is the one its outcomes belong to
        }
        if (r != null && time > r.deadline()) {
            // The waiting outcomes are more than the join window older than the inference: unmatched.
            unmatched(r);
            store.delete(indexKey(r.deadline(), requestId));
            r = null;
        }
        if (r == null) {
            r = new JoinedRequest();
        } else {
            store.delete(indexKey(r.deadline(), requestId));
        }
        r.inference(model, version, segment, time, firstWindowEnd);
        r.deadline(time + joinWindow);
        store.put(requestKey(requestId), r.toBytes());
        index(r.deadline(), requestId);
    }

    /**
     * An outcome event, valid, at the partition's current stream time.
     *
     * @return what became of it: {@code joined} (kept with its request or waiting for its inference),
     *     {@code duplicate}, {@code outside_window} or {@code late}
     */
    public String outcome(OutcomeEvent o, long streamTime) {
        String requestId = o.getRequestId();
        long time = o.getEventTime().toEpochMilli();
        JoinedRequest r = get(requestId);
        String result;
        if (r == null) {
            if (streamTime != Long.MIN_VALUE && time + joinWindow <= streamTime) {
                // More than the join window behind stream time: it came too late to join anything. (This also
                // keeps every waiting outcome's deadline after stream time, so past the last finished scan of
                // the summarising processor's join, which shares the store but not this instance.)
                metrics.outcomes("late", 1);
                return "late";
            }
            r = new JoinedRequest();
            r.deadline(time + joinWindow);
            index(r.deadline(), requestId);
            r.outcome(o.getType(), o.getValue());
            result = "joined";
        } else if (r.hasInference() && Math.abs(time - r.eventTime()) > joinWindow) {
            r.outsideWindow(1);
            result = "outside_window";
        } else {
            result = r.outcome(o.getType(), o.getValue()) ? "joined" : "duplicate";
        }
        store.put(requestKey(requestId), r.toBytes());
        if (!result.equals("joined")) {
            metrics.outcomes(result, 1);
        }
        return result;
    }

    /**
     * Makes final the requests whose deadline has passed: every {@link #FINISH_STEP_MS} of stream time
     * (a tenth of the join window when that is shorter), or up to {@code streamTime} itself when
     * {@code exact} (windows are about to close). Final requests with an inference go to {@code sink};
     * outcomes that waited in vain for theirs are counted as unmatched.
     */
    public void finish(long streamTime, boolean exact, Consumer<JoinedRequest> sink) {
        if (streamTime == Long.MIN_VALUE) {
            return;
        }
        long upTo = exact ? streamTime : streamTime - Math.floorMod(streamTime, step);
        if (upTo <= finishedUpTo) {
            return;
        }
        finishedUpTo = upTo;
        List<String> due = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.range("t|" + sortable(scanFrom), "t|" + sortable(upTo + 1))) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                due.add(kv.key);
            }
        }
        scanFrom = upTo + 1;
        for (String index : due) {
            store.delete(index);
            String requestId = index.substring(index.indexOf('|', 2) + 1);
            JoinedRequest r = get(requestId);
            if (r == null || indexKey(r.deadline(), requestId).compareTo(index) != 0) {
                continue; // a stale index entry (the request moved to a later deadline)
            }
            store.delete(requestKey(requestId));
            if (r.hasInference()) {
                int used = r.outcomes();
                if (used > 0) {
                    metrics.outcomes("joined", used);
                }
                sink.accept(r);
            } else {
                unmatched(r);
            }
        }
    }

    private void index(long deadline, String requestId) {
        store.put(indexKey(deadline, requestId), new byte[0]);
        scanFrom = Math.min(scanFrom, deadline);
    }

    private void unmatched(JoinedRequest r) {
        metrics.outcomes("unmatched", r.outcomes());
    }

    private JoinedRequest get(String requestId) {
        byte[] b = store.get(requestKey(requestId));
        return b == null ? null : JoinedRequest.fromBytes(b);
    }

    private static String requestKey(String requestId) {
        return "r|" + requestId;
    }

    private static String indexKey(long deadline, String requestId) {
        return "t|" + sortable(deadline) + "|" + requestId;
    }

    /** 20 zero-padded digits, so that keys sort as times do (negative times become 0). */
    private static String sortable(long t) {
        String digits = Long.toString(Math.max(0, t));
        return "0".repeat(20 - digits.length()) + digits;
    }
}
