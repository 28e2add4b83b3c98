package dev.driftwatch.streams.business;

import dev.driftwatch.schemas.avro.DeploymentRole;
import dev.driftwatch.schemas.avro.OutcomeEvent;
import dev.driftwatch.streams.PipelineMetrics;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The stream-stream join of outcome events to inferences by request id, per input partition (both
 * topics are keyed by request id and have the same partition count, so a request's inference and
 * outcomes meet in the same task). Event time throughout: the partition's stream time is the one of
 * its inference events. Let J be the join window and G the join grace (an allowance for outcomes that
 * reach the broker after later inferences, see {@link BusinessSettings}).
 *
 * <p>A primary or canary inference opens its request (a shadow did not answer the caller and gets no
 * outcomes). Outcomes join it when their event time is within J of the inference's; they are
 * deduplicated per type. Outcomes that arrive before their inference wait for it, each with its own
 * event time, until stream time reaches the latest of them plus J + G; when the inference comes, each
 * joins or is counted as outside the join window on its own. A request is <em>final</em> when stream
 * time reaches its inference time plus J + G; it then goes to the windows of its inference
 * ({@link BusinessPart}) and leaves the store, so the store holds about traffic × (J + G) requests.
 *
 * <p>Finality depends on stream time only: an outcome read when stream time has reached its request's
 * deadline is late even if the request is still in the store (requests leave it in steps), so the
 * result does not depend on when the store was last scanned or on a restart.
 *
 * <p>Nothing is dropped silently: duplicates and outcomes outside the join window are counted on their
 * request's windows. Outcomes that no inference joined within their join window ({@code unmatched}: the
 * inference never came, was a shadow's, or came too late) and outcomes read when stream time has reached
 * their own time, or their request's inference time, plus J + G ({@code late}: they can join nothing
 * any more) have no model version: they are counted in the metrics ({@link PipelineMetrics#outcomes}) and,
 * per window, in the window state of the partition ({@link UnattributedOutcomes}).
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
    /** Join window plus join grace: how long after an event time its request or outcome stays open. */
    private final long finalDelay;
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

    /** Where the outcomes that no request took are counted per window: result, count, event time. */
    @FunctionalInterface
    public interface Unattributed {
        void count(String result, long n, long time);
    }

    private final Unattributed unattributed;

    /** A join whose unmatched and late outcomes are counted in the metrics only (tests of the join alone). */
    public OutcomeJoin(BusinessSettings settings, PipelineMetrics metrics, KeyValueStore<String, byte[]> store) {
        this(settings, metrics, store, (result, n, time) -> { });
    }

    /**
     * @param unattributed counts unmatched and late outcomes in the window state too (see
     *                     {@link UnattributedOutcomes}), besides the metrics
     */
    public OutcomeJoin(BusinessSettings settings, PipelineMetrics metrics, KeyValueStore<String, byte[]> store,
                       Unattributed unattributed) {
        this.unattributed = unattributed;
        this.joinWindow = settings.joinWindow().toMillis();
        this.finalDelay = settings.finalDelayMs();
        this.step = Math.max(1, Math.min(FINISH_STEP_MS, joinWindow / 10));
        this.metrics = metrics;
        this.store = store;
    }

    /**
     * An inference that at least one window took. A primary or canary inference whose record key is not
     * its request id opens no request: its outcomes, keyed by request id, may be on another partition and
     * would never meet it. It is counted ({@link PipelineMetrics#inferencesNotJoined}, reason
     * {@code key_not_request_id}) instead. When several primary or canary inferences share a request id
     * (several models answered one request), the first one read owns the request and its outcomes; the
     * others are counted ({@code shared_request}, or {@code duplicate_inference} for the same model version).
     *
     * @param key            the inference record's key
     * @param firstWindowEnd the end of the earliest window that took it
     * @param streamTime     the partition's stream time, this inference included
     */
    public void inference(byte[] key, String requestId, DeploymentRole role, String model, String version,
                          String segment, long time, long firstWindowEnd, long streamTime) {
        inference(key, requestId, role, model, version, segment, time, firstWindowEnd, streamTime, Double.NaN);
    }

    /** {@link #inference} with the inference's output.score (NaN when none), kept with its request. */
    public void inference(byte[] key, String requestId, DeploymentRole role, String model, String version,
                          String segment, long time, long firstWindowEnd, long streamTime, double score) {
        inference(key, requestId, role, model, version, segment, time, firstWindowEnd, streamTime, score, null);
    }

    /**
     * {@link #inference} with the inference's output.score (NaN when none) and outputs.label (the predicted class,
     * null when none), kept with its request.
     */
    public void inference(byte[] key, String requestId, DeploymentRole role, String model, String version,
                          String segment, long time, long firstWindowEnd, long streamTime, double score,
                          String predictedLabel) {
        if (role == DeploymentRole.SHADOW || requestId == null || requestId.isEmpty()) {
            return;
        }
        if (key == null || !requestId.equals(new String(key, StandardCharsets.UTF_8))) {
            metrics.inferencesNotJoined("key_not_request_id", 1);
            return;
        }
        JoinedRequest r = get(requestId);
        if (r != null && r.hasInference()) {
            // The request's first primary or canary inference owns its outcomes; a later one of another model
            // or version shares the request id and gets none (counted), a repeat of the same one is a duplicate.
            boolean same = r.modelId().equals(model) && r.modelVersion().equals(version);
            metrics.inferencesNotJoined(same ? "duplicate_inference" : "shared_request", 1);
            return;
        }
        if (r != null && r.deadline() <= streamTime) {
            // Every waiting outcome's deadline has passed: they are final, unmatched, whether or not a scan
            // has taken them out of the store yet.
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
        r.modelScore(score);
        r.predictedLabel(predictedLabel);
        int outside = r.joinWaiting(joinWindow);
        if (outside > 0) {
            metrics.outcomes("outside_window", outside);
        }
        r.deadline(time + finalDelay);
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
        boolean started = streamTime != Long.MIN_VALUE;
        JoinedRequest r = get(requestId);
        if (r != null && started && r.deadline() <= streamTime) {
            if (r.hasInference()) {
                // The request is final (it leaves the store at the next scan): too late to join it.
                late(time);
                return "late";
            }
            // The outcomes waiting here are final and unmatched; this one may still wait on its own.
            unmatched(r);
            store.delete(indexKey(r.deadline(), requestId));
            store.delete(requestKey(requestId));
            r = null;
        }
        String result;
        if (r == null) {
            if (started && time + finalDelay <= streamTime) {
                // Its own deadline has passed: it came too late to join anything. (This also keeps every
                // waiting outcome's deadline after stream time, so past the last finished scan of the
                // summarising processor's join, which shares the store but not this instance.)
                late(time);
                return "late";
            }
            r = new JoinedRequest();
            r.await(o.getType(), time, o.getValue(), o.getScore(), o.getLabel());
            r.deadline(time + finalDelay);
            index(r.deadline(), requestId);
            result = "joined";
        } else if (!r.hasInference()) {
            result = r.await(o.getType(), time, o.getValue(), o.getScore(), o.getLabel()) ? "joined" : "duplicate";
            long deadline = r.latestWaiting() + finalDelay;
            if (deadline > r.deadline()) {
                store.delete(indexKey(r.deadline(), requestId));
                r.deadline(deadline);
                index(deadline, requestId);
            }
        } else if (Math.abs(time - r.eventTime()) > joinWindow) {
            r.outsideWindow(1);
            result = "outside_window";
        } else {
            result = r.outcome(o.getType(), o.getValue(), o.getScore(), o.getLabel()) ? "joined" : "duplicate";
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
        if (r.waitingOutcomes() > 0) {
            metrics.outcomes("unmatched", r.waitingOutcomes());
            unattributed.count("unmatched", r.waitingOutcomes(), r.latestWaiting());
        }
    }

    private void late(long time) {
        metrics.outcomes("late", 1);
        unattributed.count("late", 1, time);
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
