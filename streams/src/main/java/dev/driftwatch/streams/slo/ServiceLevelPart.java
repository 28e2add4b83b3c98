package dev.driftwatch.streams.slo;

import dev.driftwatch.detectors.slo.LatencySummary;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.internals.WindowBundle;
import dev.driftwatch.streams.internals.WindowPart;

import dev.driftwatch.streams.review.ReviewSettings;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The operational counts of one window: calls, errors, a bounded latency summary, token and cost sums,
 * and how many outputs carried a confidence and how many of them were low. Fixed in size (the latency
 * summary has a fixed number of counters) and exact under merging: every count is an integer, and costs
 * are summed in units of 10⁻⁹ (nano-units of the currency), so the sum does not depend on the order in
 * which events or partitions arrive. Sums saturate at {@code Long.MAX_VALUE} instead of wrapping (9.2·10⁹
 * currency units or tokens in one window).
 */
public final class ServiceLevelPart implements WindowPart {
    /** The part's name in a window's state. */
    public static final String NAME = "service-levels";
    /** Cost units per currency unit. */
    static final double COST_SCALE = 1e9;
    /** Version 1 had no token distribution; version 2 appends the tokens-out summary. */
    private static final byte FORMAT_VERSION = 2;

    private long requests;
    private long errors;
    private final LatencySummary latency;
    /** The distribution of output tokens per call (a log-bucket summary, as latency's: within 1 %). */
    private LatencySummary tokensOutSummary = new LatencySummary();
    private long tokensIn;
    private long tokensOut;
    private long costNanos;
    private long costCount;
    private long confidenceCount;
    private long lowConfidenceCount;

    /** An empty part with the default latency relative error (1 %). */
    public ServiceLevelPart() {
        this(new LatencySummary());
    }

    private ServiceLevelPart(LatencySummary latency) {
        this.latency = latency;
    }

    /**
     * Adds a valid event to the window's part (created on first use) when service levels are enabled;
     * the summarizer calls it for every window the event falls in.
     */
    public static void add(WindowBundle bundle, InferenceEvent event, PipelineSettings settings) {
        if (!ServiceLevelSettings.of(settings.signals()).enabled()) {
            return;
        }
        ServiceLevelPart part = (ServiceLevelPart) bundle.part(NAME);
        if (part == null) {
            part = new ServiceLevelPart();
            bundle.putPart(part);
        }
        part.add(event, ReviewSettings.of(settings.signals()).confidenceThreshold());
    }

    /**
     * Adds one call.
     *
     * @param lowConfidenceThreshold a confidence strictly below it is low
     */
    public void add(InferenceEvent event, double lowConfidenceThreshold) {
        requests++;
        if (event.getErrorCode() != null) {
            errors++;
        }
        if (event.getLatencyMs() != null) {
            latency.add(event.getLatencyMs());
        }
        if (event.getTokensIn() != null) {
            tokensIn = saturatedAdd(tokensIn, event.getTokensIn());
        }
        if (event.getTokensOut() != null) {
            tokensOut = saturatedAdd(tokensOut, event.getTokensOut());
            tokensOutSummary.add(event.getTokensOut());
        }
        if (event.getCost() != null) {
            costNanos = saturatedAdd(costNanos, Math.round(event.getCost() * COST_SCALE));
            costCount++;
        }
        var outputs = event.getOutputs();
        Double confidence = outputs == null ? null : outputs.getConfidence();
        if (confidence != null && Double.isFinite(confidence)) {
            confidenceCount++;
            if (confidence < lowConfidenceThreshold) {
                lowConfidenceCount++;
            }
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public WindowPart merge(WindowPart other) {
        ServiceLevelPart o = (ServiceLevelPart) other;
        requests += o.requests;
        errors += o.errors;
        latency.merge(o.latency);
        tokensIn = saturatedAdd(tokensIn, o.tokensIn);
        tokensOut = saturatedAdd(tokensOut, o.tokensOut);
        tokensOutSummary.merge(o.tokensOutSummary);
        costNanos = saturatedAdd(costNanos, o.costNanos);
        costCount += o.costCount;
        confidenceCount += o.confidenceCount;
        lowConfidenceCount += o.lowConfidenceCount;
        return this;
    }

    @Override
    public void write(DataOutput out) throws IOException {
        out.writeByte(FORMAT_VERSION);
        out.writeLong(requests);
        out.writeLong(errors);
        latency.write(out);
        out.writeLong(tokensIn);
        out.writeLong(tokensOut);
        out.writeLong(costNanos);
        out.writeLong(costCount);
        out.writeLong(confidenceCount);
        out.writeLong(lowConfidenceCount);
        tokensOutSummary.write(out);
    }

    /** Reads a part written by {@link #write}. */
    public static ServiceLevelPart read(DataInputStream in) throws IOException {
        byte version = in.readByte();
        if (version != 1 && version != FORMAT_VERSION) {
            throw new IOException("unknown service-level part format version " + version);
        }
        long requests = in.readLong();
        long errors = in.readLong();
        ServiceLevelPart p = new ServiceLevelPart(LatencySummary.read(in));
        p.requests = requests;
        p.errors = errors;
        p.tokensIn = in.readLong();
        p.tokensOut = in.readLong();
        p.costNanos = in.readLong();
        p.costCount = in.readLong();
        p.confidenceCount = in.readLong();
        p.lowConfidenceCount = in.readLong();
        if (version >= 2) {
            p.tokensOutSummary = LatencySummary.read(in);
        }
        return p;
    }

    /** The distribution of output tokens per call (empty in windows written before version 2). */
    public LatencySummary tokensOutSummary() {
        return tokensOutSummary;
    }

    /** Calls (valid inference events) in the window. */
    public long requests() {
        return requests;
    }

    /** Calls with an error code. */
    public long errors() {
        return errors;
    }

    /** The latencies of the calls that reported one. */
    public LatencySummary latency() {
        return latency;
    }

    public long tokensIn() {
        return tokensIn;
    }

    public long tokensOut() {
        return tokensOut;
    }

    /** Sum of the reported costs, in currency units (exact to 10⁻⁹ per call). */
    public double cost() {
        return costNanos / COST_SCALE;
    }

    /** Calls that reported a cost. */
    public long costCount() {
        return costCount;
    }

    /** Calls whose outputs carried a (finite) confidence. */
    public long confidenceCount() {
        return confidenceCount;
    }

    /** Calls whose confidence was below the low-confidence threshold. */
    public long lowConfidenceCount() {
        return lowConfidenceCount;
    }
}
