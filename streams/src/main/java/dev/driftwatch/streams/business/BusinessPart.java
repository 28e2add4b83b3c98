package dev.driftwatch.streams.business;

import dev.driftwatch.streams.internals.WindowBundle;
import dev.driftwatch.streams.internals.WindowPart;

import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The business outcomes of one window of one model version (and segment): counts over the requests
 * of the window whose join is final, and of the outcomes that could not be used as they were. Fixed
 * size whatever the traffic; merges by adding; outcome values are summed in micro-units (a long), so
 * that the sum is exact and the same in any merge order.
 *
 * <p>A request counts an impression when it had one, a click only when it had an impression too, a
 * conversion only when it had a click too. A click without an impression and a conversion without a
 * click are counted apart; so are duplicates (the same outcome type again for the same request),
 * clicks that arrived before their impression (used normally, counted for the operator), and outcomes
 * whose event time lies outside the join window of their inference (not used).
 *
 * <p>User feedback and task success are rates over the requests that had one of their two outcomes: a
 * request with FEEDBACK_NEGATIVE (and no FEEDBACK_POSITIVE) is negative feedback, one with SUCCESS (and no
 * FAILURE) a success; a request with both outcomes of a pair is counted apart ({@link #conflicting()}) and
 * left out of that rate. The value of a request is the sum of the values of its used outcomes; the window
 * keeps the count, mean and M₂ of the values of its valued requests, and likewise of its judge scores.
 */
public final class BusinessPart implements WindowPart {
    /** The part's name in a window's state. */
    public static final String NAME = "business";
    /** Version 3 adds feedback, success, value and judge-score state (versions 1 and 2 are read as without). */
    private static final byte FORMAT_VERSION = 3;
    private static final double MICROS = 1_000_000.0;

    private long requests;
    private long impressions;
    private long clicks;
    private long conversions;
    private long clicksWithoutImpression;
    private long conversionsWithoutClick;
    private long clicksBeforeImpression;
    private long duplicates;
    private long outsideJoinWindow;
    private long otherOutcomes;
    private long valuedOutcomes;
    private long valueMicros;
    private long unmatchedOutcomes;
    private long lateOutcomes;
    private long feedbackPositive;
    private long feedbackNegative;
    private long successes;
    private long failures;
    private long conflicting;
    private Moments values = new Moments();
    private Moments scores = new Moments();

    /** The business part of a window, created empty when the window has none yet. */
    public static BusinessPart of(WindowBundle bundle) {
        BusinessPart part = (BusinessPart) bundle.part(NAME);
        if (part == null) {
            part = new BusinessPart();
            bundle.putPart(part);
        }
        return part;
    }

    /** Adds one request whose join is final. */
    public void add(JoinedRequest r) {
        requests++;
        boolean impression = r.has(JoinedRequest.IMPRESSION);
        boolean click = r.has(JoinedRequest.CLICK);
        boolean conversion = r.has(JoinedRequest.CONVERSION);
        if (impression) {
            impressions++;
        }
        if (click) {
            if (impression) {
                clicks++;
            } else {
                clicksWithoutImpression++;
            }
        }
        if (conversion) {
            if (click && impression) {
                conversions++;
            } else {
                conversionsWithoutClick++;
            }
        }
        boolean positive = r.has(JoinedRequest.FEEDBACK_POSITIVE);
        boolean negative = r.has(JoinedRequest.FEEDBACK_NEGATIVE);
        if (positive && negative) {
            conflicting++;
        } else if (positive) {
            feedbackPositive++;
        } else if (negative) {
            feedbackNegative++;
        }
        boolean success = r.has(JoinedRequest.SUCCESS);
        boolean failure = r.has(JoinedRequest.FAILURE);
        if (success && failure) {
            conflicting++;
        } else if (success) {
            successes++;
        } else if (failure) {
            failures++;
        }
        if (r.valuedOutcomes() > 0) {
            values.add(r.valueMicros() / MICROS);
        }
        if (r.score() != null) {
            scores.add(r.score());
        }
        if (r.has(JoinedRequest.OTHER)) {
            otherOutcomes++;
        }
        if (r.clickBeforeImpression() && impression && click) {
            clicksBeforeImpression++;
        }
        duplicates += r.duplicates();
        outsideJoinWindow += r.outsideWindow();
        valuedOutcomes += r.valuedOutcomes();
        valueMicros += r.valueMicros();
    }

    /**
     * Counts outcomes that no model version's request took ({@link UnattributedOutcomes}): {@code unmatched}
     * or {@code late}.
     */
    public void unattributed(String result, long n) {
        if ("late".equals(result)) {
            lateOutcomes += n;
        } else {
            unmatchedOutcomes += n;
        }
    }

    /** Outcomes that no inference joined within their join window (the inference never came, was a shadow's, ...). */
    public long unmatchedOutcomes() {
        return unmatchedOutcomes;
    }

    /** Outcomes read when stream time had passed their own, or their request's, time + join window + grace. */
    public long lateOutcomes() {
        return lateOutcomes;
    }

    /** Requests (primary and canary inferences) whose outcomes were joined, with or without outcomes. */
    public long requests() {
        return requests;
    }

    /** Requests with an impression. */
    public long impressions() {
        return impressions;
    }

    /** Requests with an impression and a click. */
    public long clicks() {
        return clicks;
    }

    /** Click-through rate, clicks / impressions; null without impressions. */
    public Double ctr() {
        return impressions > 0 ? (double) clicks / impressions : null;
    }

    /** Requests with an impression, a click and a conversion. */
    public long conversions() {
        return conversions;
    }

    /** Requests with a click but no impression (not in the CTR). */
    public long clicksWithoutImpression() {
        return clicksWithoutImpression;
    }

    /** Requests with a conversion but no click or no impression (not in the conversion rate). */
    public long conversionsWithoutClick() {
        return conversionsWithoutClick;
    }

    /** Requests whose click arrived before their impression (both used). */
    public long clicksBeforeImpression() {
        return clicksBeforeImpression;
    }

    /** Outcomes that repeated an outcome type already seen for their request (not used). */
    public long duplicates() {
        return duplicates;
    }

    /** Outcomes whose event time was more than the join window away from their inference's (not used). */
    public long outsideJoinWindow() {
        return outsideJoinWindow;
    }

    /** Requests with an outcome of another type (OTHER). */
    public long otherOutcomes() {
        return otherOutcomes;
    }

    /** Outcomes used that carried a value. */
    public long valuedOutcomes() {
        return valuedOutcomes;
    }

    /** The sum of the values of the outcomes used, to the micro-unit. */
    public double valueSum() {
        return valueMicros / MICROS;
    }

    /** Requests with positive feedback only. */
    public long feedbackPositive() {
        return feedbackPositive;
    }

    /** Requests with negative feedback only. */
    public long feedbackNegative() {
        return feedbackNegative;
    }

    /** Requests with SUCCESS only. */
    public long successes() {
        return successes;
    }

    /** Requests with FAILURE only. */
    public long failures() {
        return failures;
    }

    /** Requests with both outcomes of a pair (feedback up and down, or success and failure), in neither rate. */
    public long conflicting() {
        return conflicting;
    }

    /** Requests with a value (the sum of their used outcomes' values). */
    public long valuedRequests() {
        return values.count();
    }

    /** Mean value per valued request; null without one. */
    public Double valueMean() {
        return values.mean();
    }

    /** Sample variance (ddof = 1) of the value per valued request; null with fewer than two. */
    public Double valueVariance() {
        return values.variance();
    }

    /** Requests with a finite judge score. */
    public long judgeScores() {
        return scores.count();
    }

    /** Mean judge score; null without one. */
    public Double judgeScoreMean() {
        return scores.mean();
    }

    /** Micro-units of a value, as summed here. */
    static long micros(double value) {
        return Math.round(value * MICROS);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public WindowPart merge(WindowPart other) {
        BusinessPart o = (BusinessPart) other;
        requests += o.requests;
        impressions += o.impressions;
        clicks += o.clicks;
        conversions += o.conversions;
        clicksWithoutImpression += o.clicksWithoutImpression;
        conversionsWithoutClick += o.conversionsWithoutClick;
        clicksBeforeImpression += o.clicksBeforeImpression;
        duplicates += o.duplicates;
        outsideJoinWindow += o.outsideJoinWindow;
        otherOutcomes += o.otherOutcomes;
        valuedOutcomes += o.valuedOutcomes;
        valueMicros += o.valueMicros;
        unmatchedOutcomes += o.unmatchedOutcomes;
        lateOutcomes += o.lateOutcomes;
        feedbackPositive += o.feedbackPositive;
        feedbackNegative += o.feedbackNegative;
        successes += o.successes;
        failures += o.failures;
        conflicting += o.conflicting;
        values.merge(o.values);
        scores.merge(o.scores);
        return this;
    }

    @Override
    public void write(DataOutput out) throws IOException {
        out.writeByte(FORMAT_VERSION);
        for (long v : new long[] {requests, impressions, clicks, conversions, clicksWithoutImpression,
            conversionsWithoutClick, clicksBeforeImpression, duplicates, outsideJoinWindow, otherOutcomes,
            valuedOutcomes, valueMicros, unmatchedOutcomes, lateOutcomes}) {
            out.writeLong(v);
        }
        for (long v : new long[] {feedbackPositive, feedbackNegative, successes, failures, conflicting}) {
            out.writeLong(v);
        }
        values.write(out);
        scores.write(out);
    }

    /** Reads a part that {@link #write} wrote. */
    public static BusinessPart read(DataInputStream in) throws IOException {
        byte version = in.readByte();
        if (version < 1 || version > FORMAT_VERSION) {
            throw new IOException("unknown business part format version " + version);
        }
        BusinessPart p = new BusinessPart();
        p.requests = in.readLong();
        p.impressions = in.readLong();
        p.clicks = in.readLong();
        p.conversions = in.readLong();
        p.clicksWithoutImpression = in.readLong();
        p.conversionsWithoutClick = in.readLong();
        p.clicksBeforeImpression = in.readLong();
        p.duplicates = in.readLong();
        p.outsideJoinWindow = in.readLong();
        p.otherOutcomes = in.readLong();
        p.valuedOutcomes = in.readLong();
        p.valueMicros = in.readLong();
        if (version >= 2) {
            p.unmatchedOutcomes = in.readLong();
            p.lateOutcomes = in.readLong();
        }
        if (version >= 3) {
            p.feedbackPositive = in.readLong();
            p.feedbackNegative = in.readLong();
            p.successes = in.readLong();
            p.failures = in.readLong();
            p.conflicting = in.readLong();
            p.values = Moments.read(in);
            p.scores = Moments.read(in);
        }
        return p;
    }
}
