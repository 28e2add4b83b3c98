package dev.driftwatch.streams.roles;

import dev.driftwatch.detectors.BinEdges;
import dev.driftwatch.detectors.summary.CategoricalSummary;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.detectors.summary.NumericSummary;
import dev.driftwatch.streams.internals.WindowBundle;
import dev.driftwatch.streams.internals.WindowPart;

import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The part of a shadow's or canary's window that counts its requests paired with the primary's: per
 * primary version, the paired, agreeing and incomparable requests, and the two versions' outputs on the
 * paired requests (scores on the primary's {@code output.score} baseline grid, labels by category), plus
 * the candidate's events that found no primary within the join window.
 *
 * <p>Bounded: at most {@link #MAX_PRIMARY_VERSIONS} primary versions per window and input partition, each
 * with two numeric summaries of a fixed size for its grid and two label summaries of at most
 * {@link CategoricalSummary#DEFAULT_MAX_CATEGORIES} categories.
 */
public final class RolePairs implements WindowPart {
    /** The part's name in a window's state. */
    public static final String NAME = "roles.pairs";
    /** Most primary versions one candidate window keeps pairs of (per input partition). */
    public static final int MAX_PRIMARY_VERSIONS = 4;
    private static final byte FORMAT_VERSION = 1;
    /** Slack on the score tolerance for the rounding of decimal scores (0.55 − 0.5 is 0.0500000000000000444). */
    static final double ROUNDING = 1e-12;

    private String candidateRole;
    private long unpaired;
    private final TreeMap<String, Pairs> byPrimary = new TreeMap<>();

    /** The requests of one candidate window paired with one primary version. */
    public static final class Pairs {
        private long paired;
        private long agreeing;
        private long incomparable;
        private long scorePairs;
        private boolean mixedBaselines;
        private String baselineId;
        private NumericSummary primaryScores;
        private NumericSummary candidateScores;
        private CategoricalSummary primaryLabels = new CategoricalSummary();
        private CategoricalSummary candidateLabels = new CategoricalSummary();

        /** Requests paired. */
        public long paired() {
            return paired;
        }

        /** Paired requests on which the two outputs agreed. */
        public long agreeing() {
            return agreeing;
        }

        /** Paired requests with neither two labels nor two finite scores. */
        public long incomparable() {
            return incomparable;
        }

        /** Paired requests with two finite scores (summarised or not). */
        public long scorePairs() {
            return scorePairs;
        }

        /** Paired requests whose scores were summarised on the baseline grid. */
        public long scoredPairs() {
            return primaryScores == null ? 0 : primaryScores.count();
        }

        /** Whether the primary's score baseline changed during the window (the score tests are then undefined). */
        public boolean mixedBaselines() {
            return mixedBaselines;
        }

        /** The primary's output.score baseline of the score summaries, or null. */
        public String baselineId() {
            return baselineId;
        }

        /** The primary's scores on the paired requests, or null without a baseline grid. */
        public NumericSummary primaryScores() {
            return primaryScores;
        }

        /** The candidate's scores on the paired requests, or null without a baseline grid. */
        public NumericSummary candidateScores() {
            return candidateScores;
        }

        public CategoricalSummary primaryLabels() {
            return primaryLabels;
        }

        public CategoricalSummary candidateLabels() {
            return candidateLabels;
        }

        void add(Double primaryScore, String primaryLabel, Double candidateScore, String candidateLabel,
                 NumericBaseline scoreBaseline, double tolerance) {
            paired++;
            boolean scores = primaryScore != null && candidateScore != null && Double.isFinite(primaryScore)
                    && Double.isFinite(candidateScore);
            if (primaryLabel != null && candidateLabel != null) {
                if (primaryLabel.equals(candidateLabel)) {
                    agreeing++;
                }
                primaryLabels.add(primaryLabel);
                candidateLabels.add(candidateLabel);
            } else if (scores) {
                if (Math.abs(primaryScore - candidateScore) <= tolerance + ROUNDING) {
                    agreeing++;
                }
            } else {
                incomparable++;
            }
            if (!scores) {
                return;
            }
            scorePairs++;
            if (mixedBaselines || scoreBaseline == null) {
                return;
            }
            if (baselineId == null) {
                baselineId = scoreBaseline.id();
                primaryScores = scoreBaseline.newWindow();
                candidateScores = scoreBaseline.newWindow();
            } else if (!baselineId.equals(scoreBaseline.id())) {
                dropScores();
                return;
            }
            primaryScores.add(primaryScore);
            candidateScores.add(candidateScore);
        }

        private void dropScores() {
            mixedBaselines = true;
            primaryScores = null;
            candidateScores = null;
        }

        void merge(Pairs other) {
            paired += other.paired;
            agreeing += other.agreeing;
            incomparable += other.incomparable;
            scorePairs += other.scorePairs;
            primaryLabels.merge(other.primaryLabels);
            candidateLabels.merge(other.candidateLabels);
            if (mixedBaselines || other.mixedBaselines
                    || baselineId != null && other.baselineId != null && !baselineId.equals(other.baselineId)) {
                dropScores();
            } else if (baselineId == null) {
                baselineId = other.baselineId;
                primaryScores = other.primaryScores == null ? null : other.primaryScores.copy();
                candidateScores = other.candidateScores == null ? null : other.candidateScores.copy();
            } else if (other.baselineId != null) {
                primaryScores.merge(other.primaryScores);
                candidateScores.merge(other.candidateScores);
            }
        }

        void write(DataOutput out) throws IOException {
            out.writeLong(paired);
            out.writeLong(agreeing);
            out.writeLong(incomparable);
            out.writeLong(scorePairs);
            out.writeBoolean(mixedBaselines);
            out.writeUTF(baselineId == null ? "" : baselineId);
            out.writeBoolean(primaryScores != null);
            if (primaryScores != null) {
                writeGrid(out, primaryScores.grid());
                writeBytes(out, primaryScores.toBytes());
                writeBytes(out, candidateScores.toBytes());
            }
            writeBytes(out, primaryLabels.toBytes());
            writeBytes(out, candidateLabels.toBytes());
        }

        static Pairs read(DataInputStream in) throws IOException {
            Pairs p = new Pairs();
            p.paired = in.readLong();
            p.agreeing = in.readLong();
            p.incomparable = in.readLong();
            p.scorePairs = in.readLong();
            p.mixedBaselines = in.readBoolean();
            String id = in.readUTF();
            p.baselineId = id.isEmpty() ? null : id;
            if (in.readBoolean()) {
                NumericGrid grid = readGrid(in);
                p.primaryScores = NumericSummary.fromBytes(grid, readBytes(in));
                p.candidateScores = NumericSummary.fromBytes(grid, readBytes(in));
            }
            p.primaryLabels = CategoricalSummary.fromBytes(readBytes(in));
            p.candidateLabels = CategoricalSummary.fromBytes(readBytes(in));
            return p;
        }
    }

    /** The part of a window, created (and put into the window) when it has none yet. */
    public static RolePairs of(WindowBundle bundle) {
        WindowPart part = bundle.part(NAME);
        if (part instanceof RolePairs pairs) {
            return pairs;
        }
        RolePairs pairs = new RolePairs();
        bundle.putPart(pairs);
        return pairs;
    }

    /**
     * Counts one request paired with a primary version.
     *
     * @param scoreBaseline the primary version's output.score baseline, or null when it has none
     * @param tolerance     the agreement tolerance of two scores
     * @return false when the window already holds {@link #MAX_PRIMARY_VERSIONS} other primary versions
     *         (the pair is then not counted)
     */
    public boolean addPair(String role, String primaryVersion, Double primaryScore, String primaryLabel,
                           Double candidateScore, String candidateLabel, NumericBaseline scoreBaseline,
                           double tolerance) {
        Pairs pairs = byPrimary.get(primaryVersion);
        if (pairs == null) {
            if (byPrimary.size() >= MAX_PRIMARY_VERSIONS) {
                return false;
            }
            pairs = new Pairs();
            byPrimary.put(primaryVersion, pairs);
        }
        role(role);
        pairs.add(primaryScore, primaryLabel, candidateScore, candidateLabel, scoreBaseline, tolerance);
        return true;
    }

    /** Counts one candidate event of the window that found no primary within the join window. */
    public void addUnpaired(String role) {
        role(role);
        unpaired++;
    }

    private void role(String role) {
        // A version seen in two roles keeps the first in name order, so that merging is deterministic.
        if (candidateRole == null || role.compareTo(candidateRole) < 0) {
            candidateRole = role;
        }
    }

    /** SHADOW or CANARY; null for an empty part. */
    public String candidateRole() {
        return candidateRole;
    }

    /** Candidate events of the window without a primary. */
    public long unpaired() {
        return unpaired;
    }

    /** The pairs by primary version, in version order. */
    public Map<String, Pairs> byPrimary() {
        return java.util.Collections.unmodifiableMap(byPrimary);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public WindowPart merge(WindowPart other) {
        RolePairs o = (RolePairs) other;
        if (o.candidateRole != null) {
            role(o.candidateRole);
        }
        unpaired += o.unpaired;
        for (Map.Entry<String, Pairs> e : o.byPrimary.entrySet()) {
            Pairs mine = byPrimary.get(e.getKey());
            if (mine == null) {
                Pairs copy = new Pairs();
                copy.merge(e.getValue());
                byPrimary.put(e.getKey(), copy);
            } else {
                mine.merge(e.getValue());
            }
        }
        return this;
    }

    @Override
    public void write(DataOutput out) throws IOException {
        out.writeByte(FORMAT_VERSION);
        out.writeUTF(candidateRole == null ? "" : candidateRole);
        out.writeLong(unpaired);
        out.writeInt(byPrimary.size());
        for (Map.Entry<String, Pairs> e : byPrimary.entrySet()) {
            out.writeUTF(e.getKey());
            e.getValue().write(out);
        }
    }

    /** Reads a part written by {@link #write}. */
    public static RolePairs read(DataInputStream in) throws IOException {
        byte version = in.readByte();
        if (version != FORMAT_VERSION) {
            throw new IOException("unknown role-pairs format version " + version);
        }
        RolePairs p = new RolePairs();
        String role = in.readUTF();
        p.candidateRole = role.isEmpty() ? null : role;
        p.unpaired = in.readLong();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            p.byPrimary.put(in.readUTF(), Pairs.read(in));
        }
        return p;
    }

    private static void writeBytes(DataOutput out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 64 * 1024 * 1024) {
            throw new IOException("role-pairs field of " + n + " bytes is corrupt");
        }
        byte[] bytes = new byte[n];
        in.readFully(bytes);
        return bytes;
    }

    private static void writeGrid(DataOutput out, NumericGrid grid) throws IOException {
        out.writeLong(grid.fingerprint());
        double[] points = grid.points();
        out.writeInt(points.length);
        for (double p : points) {
            out.writeDouble(p);
        }
        double[] edges = grid.bins().edges();
        out.writeInt(edges.length);
        for (double e : edges) {
            out.writeDouble(e);
        }
    }

    private static NumericGrid readGrid(DataInputStream in) throws IOException {
        long fingerprint = in.readLong();
        double[] points = new double[in.readInt()];
        for (int i = 0; i < points.length; i++) {
            points[i] = in.readDouble();
        }
        double[] edges = new double[in.readInt()];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = in.readDouble();
        }
        NumericGrid grid = NumericGrid.of(points, BinEdges.of(edges));
        if (grid.fingerprint() != fingerprint) {
            throw new IOException("role-pairs grid fingerprint mismatch: stored " + Long.toHexString(fingerprint)
                    + ", computed " + Long.toHexString(grid.fingerprint()));
        }
        return grid;
    }
}
