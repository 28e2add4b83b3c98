package dev.driftwatch.streams.roles;

import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.schemas.avro.DeploymentRole;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ModelOutputs;
import dev.driftwatch.streams.PipelineMetrics;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.internals.BaselineLookup;
import dev.driftwatch.streams.internals.OpenWindows;
import dev.driftwatch.streams.internals.Subjects;
import dev.driftwatch.streams.internals.WindowKeys;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Joins, in the per-partition stage, each shadow or canary event with the primary event of the same model
 * and request (events of a request share its key, so they meet in one input partition), and counts the
 * pair in the candidate's windows ({@link RolePairs}).
 *
 * <p>A changelogged store keeps, per model and request, the first event of each role and version, from
 * the request's first event until stream time passes that event's time plus the join window
 * ({@code roles.join.window.ms}); then the request is forgotten and its candidates that never met a primary
 * are counted unpaired. Expiry runs before the windows close on the same event, and the join window is at
 * most the grace, so a candidate's window (which ends after the candidate's event time, and closes a grace
 * after that) is still there when its pair, or its lack of one, is known: closing a window need not wait.
 * Only a candidate whose event time is before its request's first event by more than the grace minus
 * the join window (far out of order) can find its windows sent on; that outcome is counted in the
 * {@code window_closed} metric instead, never in a window sent again.
 *
 * <p>Bounded: the store holds the requests of one join window, each with at most one primary and
 * {@link #MAX_CANDIDATES} candidate versions; a further candidate version, or a second event of the same
 * role and version, is counted in a metric ({@code overflow}, {@code duplicate}) and not joined.
 */
public final class RoleJoin {
    /** The name of its store. */
    public static final String STORE = "driftwatch-role-requests";
    /** Most candidate versions kept per request. */
    static final int MAX_CANDIDATES = 8;
    private static final String REQUEST = "r|";
    private static final String EXPIRY = "t|";
    private static final byte[] EMPTY = new byte[0];

    private final RoleSettings roles;
    private final KeyValueStore<String, byte[]> store;
    private final OpenWindows windows;
    private final BaselineLookup baselines;
    private final PipelineMetrics metrics;
    /** The earliest first-event time in the store, or MIN_VALUE when unknown (then the next expiry scans). */
    private long earliest = Long.MIN_VALUE;

    private RoleJoin(PipelineSettings settings, KeyValueStore<String, byte[]> store, OpenWindows windows,
                     BaselineLookup baselines) {
        this.roles = RoleSettings.of(settings.signals());
        this.store = store;
        this.windows = windows;
        this.baselines = baselines;
        this.metrics = settings.metrics();
    }

    /**
     * The join of a stage-one task, or null when {@code roles.enabled} is false.
     *
     * @throws IllegalArgumentException when the join window exceeds the grace
     */
    public static RoleJoin create(PipelineSettings settings, ProcessorContext<?, ?> context, OpenWindows windows,
                                  BaselineLookup baselines) {
        if (!RoleSettings.of(settings.signals()).enabled()) {
            return null;
        }
        RoleSettings.of(settings.signals()).checkAgainstGrace(settings.grace());
        return new RoleJoin(settings, context.getStateStore(STORE), windows, baselines);
    }

    /** The builder of its store (changelogged, uncached). */
    public static StoreBuilder<KeyValueStore<String, byte[]>> storeBuilder(KeyValueBytesStoreSupplier supplier) {
        return Stores.keyValueStoreBuilder(supplier, Serdes.String(), Serdes.ByteArray()).withCachingDisabled();
    }

    /**
     * Takes a valid event (already summarised) at the partition's stream time: first forgets the requests
     * whose join window has passed, counting their unpaired candidates, then joins the event.
     */
    public void observe(InferenceEvent event, String segment, long streamTime) {
        expire(streamTime);
        String model = event.getModelId();
        String key = REQUEST + model + "|" + event.getRequestId();
        byte[] stored = store.get(key);
        long time = event.getEventTime().toEpochMilli();
        Request request = stored == null ? new Request(time) : Request.fromBytes(stored);
        Side side = Side.of(event, segment);
        if (side.role.equals(DeploymentRole.PRIMARY.name())) {
            if (request.primary != null) {
                metrics.rolePairing(model, side.version, "duplicate");
                return;
            }
            request.primary = side;
            for (Side candidate : request.candidates) {
                if (!candidate.paired) {
                    pair(model, candidate, side);
                    candidate.paired = true;
                }
            }
        } else {
            for (Side candidate : request.candidates) {
                if (candidate.role.equals(side.role) && candidate.version.equals(side.version)) {
                    metrics.rolePairing(model, side.version, "duplicate");
                    return;
                }
            }
            if (request.candidates.size() >= MAX_CANDIDATES) {
                metrics.rolePairing(model, side.version, "overflow");
                return;
            }
            request.candidates.add(side);
            if (request.primary != null) {
                pair(model, side, request.primary);
                side.paired = true;
            }
        }
        store.put(key, request.toBytes());
        if (stored == null) {
            store.put(expiryKey(request.firstTime, model, event.getRequestId()), EMPTY);
            if (earliest != Long.MIN_VALUE) {
                earliest = Math.min(earliest, request.firstTime);
            }
        }
    }

    private void expire(long streamTime) {
        long cutoff = streamTime - roles.joinWindow().toMillis() - 1;
        if (cutoff < 0 || cutoff < earliest) {
            return; // nothing to expire: no range scan on the per-event path
        }
        List<String> expired = new ArrayList<>();
        earliest = Long.MAX_VALUE;
        try (KeyValueIterator<String, byte[]> it = store.range(EXPIRY, EXPIRY + "\uffff")) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                long time = Long.parseLong(kv.key.substring(EXPIRY.length(), EXPIRY.length() + 20));
                if (time > cutoff) {
                    earliest = time;
                    break;
                }
                expired.add(kv.key);
            }
        }
        for (String expiry : expired) {
            String modelAndRequest = expiry.substring(EXPIRY.length() + 21);
            String key = REQUEST + modelAndRequest;
            byte[] stored = store.get(key);
            if (stored != null) {
                String model = modelAndRequest.substring(0, modelAndRequest.indexOf('|'));
                for (Side candidate : Request.fromBytes(stored).candidates) {
                    if (!candidate.paired) {
                        unpaired(model, candidate);
                    }
                }
                store.delete(key);
            }
            store.delete(expiry);
        }
    }

    private void pair(String model, Side candidate, Side primary) {
        NumericBaseline scoreBaseline = baselines.find(model, primary.version, Subjects.SCORE)
                .map(BaselineLookup.Entry::numeric).orElse(null);
        boolean[] overflow = {false};
        int changed = windows.update(model, candidate.version, candidate.segment, candidate.time,
                bundle -> {
                    if (!RolePairs.of(bundle).addPair(candidate.role, primary.version, primary.score,
                            primary.label, candidate.score, candidate.label, scoreBaseline, roles.scoreTolerance())) {
                        overflow[0] = true;
                    }
                });
        metrics.rolePairing(model, candidate.version, changed == 0 ? "window_closed"
                : overflow[0] ? "overflow" : "paired");
    }

    private void unpaired(String model, Side candidate) {
        int changed = windows.update(model, candidate.version, candidate.segment, candidate.time,
                bundle -> RolePairs.of(bundle).addUnpaired(candidate.role));
        metrics.rolePairing(model, candidate.version, changed == 0 ? "window_closed" : "unpaired");
    }

    private static String expiryKey(long time, String model, String requestId) {
        return EXPIRY + WindowKeys.sortableTime(time) + "|" + model + "|" + requestId;
    }

    /** One event of a request: its role, version, time, segment and outputs. */
    private static final class Side {
        final String role;
        final String version;
        final long time;
        final String segment;
        final Double score;
        final String label;
        boolean paired;

        Side(String role, String version, long time, String segment, Double score, String label, boolean paired) {
            this.role = role;
            this.version = version;
            this.time = time;
            this.segment = segment;
            this.score = score;
            this.label = label;
            this.paired = paired;
        }

        static Side of(InferenceEvent e, String segment) {
            ModelOutputs o = e.getOutputs();
            String role = e.getRole() == null ? DeploymentRole.PRIMARY.name() : e.getRole().name();
            return new Side(role, e.getModelVersion(), e.getEventTime().toEpochMilli(), segment,
                    o == null ? null : o.getScore(), o == null ? null : o.getLabel(), false);
        }

        void write(DataOutput out) throws IOException {
            out.writeUTF(role);
            out.writeUTF(version);
            out.writeLong(time);
            out.writeUTF(segment);
            out.writeBoolean(score != null);
            if (score != null) {
                out.writeDouble(score);
            }
            out.writeBoolean(label != null);
            if (label != null) {
                out.writeUTF(label);
            }
            out.writeBoolean(paired);
        }

        static Side read(DataInputStream in) throws IOException {
            String role = in.readUTF();
            String version = in.readUTF();
            long time = in.readLong();
            String segment = in.readUTF();
            Double score = in.readBoolean() ? in.readDouble() : null;
            String label = in.readBoolean() ? in.readUTF() : null;
            return new Side(role, version, time, segment, score, label, in.readBoolean());
        }
    }

    /** What the store keeps of one request of one model. */
    private static final class Request {
        private static final byte FORMAT_VERSION = 1;
        final long firstTime;
        Side primary;
        final List<Side> candidates = new ArrayList<>();

        Request(long firstTime) {
            this.firstTime = firstTime;
        }

        byte[] toBytes() {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 + 64 * candidates.size());
            try (DataOutputStream out = new DataOutputStream(buffer)) {
                out.writeByte(FORMAT_VERSION);
                out.writeLong(firstTime);
                out.writeBoolean(primary != null);
                if (primary != null) {
                    primary.write(out);
                }
                out.writeByte(candidates.size());
                for (Side c : candidates) {
                    c.write(out);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return buffer.toByteArray();
        }

        static Request fromBytes(byte[] bytes) {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
                byte version = in.readByte();
                if (version != FORMAT_VERSION) {
                    throw new IOException("unknown role-request format version " + version);
                }
                Request r = new Request(in.readLong());
                if (in.readBoolean()) {
                    r.primary = Side.read(in);
                }
                int n = in.readUnsignedByte();
                for (int i = 0; i < n; i++) {
                    r.candidates.add(Side.read(in));
                }
                return r;
            } catch (IOException e) {
                throw new IllegalStateException("role-request state bytes are corrupt: " + e, e);
            }
        }
    }
}
