package dev.driftwatch.streams.quality;

import dev.driftwatch.streams.internals.WindowPart;

import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The data-quality counts of one window, per subject: values present, missing (null, empty, NaN), infinite,
 * outside the range, outside the reference's categories (with the most frequent of them), and sent with the
 * wrong type. Events that did not carry a subject are not counted here: they are the window's events less the
 * subject's counts ({@link Counts#absent}).
 *
 * <p>Bounded: at most {@value #MAX_SUBJECTS} subjects (later ones are left out and counted in
 * {@link #overflow()}), and per subject at most {@value #MAX_UNSEEN_KEPT} distinct unseen categories with their
 * counts (every unseen value is counted in {@link Counts#unseen} all the same). Counts merge exactly; the kept
 * unseen categories merge by keeping the most frequent (ties by name), so their counts are exact while fewer
 * than {@value #MAX_UNSEEN_KEPT} distinct unseen values were seen and lower bounds after.
 */
public final class QualityPart implements WindowPart {
    /** The part's name in a window's state. */
    public static final String NAME = "data-quality";
    static final int MAX_SUBJECTS = 4096;
    static final int MAX_UNSEEN_KEPT = 32;
    private static final byte FORMAT_VERSION = 1;

    private final TreeMap<String, Counts> subjects = new TreeMap<>();
    private long overflow;
    /**
     * The counts of the subjects of the last event shape added, by position (see {@link #subjectAt}); not part of
     * the state: a part read back or merged starts without them.
     */
    private long positionsShape = -1;
    private Counts[] positions = new Counts[0];
    /**
     * The data-quality observer's references of the window's model version, so that the window's events find them
     * without a look-up among every version's; not part of the state (a part read back or merged starts without).
     */
    QualitySignal.QualityObserver.VersionReferences versionReferences;

    /** One subject's counts in the window. */
    public static final class Counts {
        long present;
        long missing;
        long infinite;
        long outOfRange;
        long unseen;
        long typeMismatch;
        String typeExample;
        final TreeMap<String, Long> unseenValues = new TreeMap<>();

        /** Values of the subject's type that were neither missing nor infinite. */
        public long present() {
            return present;
        }

        /** Values that were null, empty or blank, or NaN. */
        public long missing() {
            return missing;
        }

        /** Values that were +/-Infinity. */
        public long infinite() {
            return infinite;
        }

        /** Finite numeric values outside the range (a subset of {@link #present}). */
        public long outOfRange() {
            return outOfRange;
        }

        /** Categorical values outside the reference's categories (a subset of {@link #present}). */
        public long unseen() {
            return unseen;
        }

        /** Values sent with the other type than the baseline's (not in {@link #present}). */
        public long typeMismatch() {
            return typeMismatch;
        }

        /** The smallest mismatched value as sent, in text order, or null. */
        public String typeExample() {
            return typeExample;
        }

        /** Events of the window (its {@code events}) that did not carry the subject at all. */
        public long absent(long events) {
            return Math.max(0, events - present - missing - infinite - typeMismatch);
        }

        /** The {@code n} most frequent unseen categories kept, most frequent first (ties by name). */
        public List<Map.Entry<String, Long>> topUnseen(int n) {
            List<Map.Entry<String, Long>> all = new ArrayList<>(unseenValues.entrySet());
            all.sort(BY_COUNT);
            return all.subList(0, Math.min(n, all.size()));
        }

        void countUnseen(String value, long n) {
            unseen += n;
            keepUnseen(value, n);
        }

        private void keepUnseen(String value, long n) {
            Long known = unseenValues.get(value);
            if (known != null || unseenValues.size() < MAX_UNSEEN_KEPT) {
                unseenValues.put(value, (known == null ? 0 : known) + n);
            }
        }

        void countMismatch(String value) {
            typeMismatch++;
            String shown = value.length() > 256 ? value.substring(0, 256) : value;
            if (typeExample == null || shown.compareTo(typeExample) < 0) {
                typeExample = shown;
            }
        }

        void merge(Counts o) {
            present += o.present;
            missing += o.missing;
            infinite += o.infinite;
            outOfRange += o.outOfRange;
            unseen += o.unseen;
            typeMismatch += o.typeMismatch;
            if (o.typeExample != null && (typeExample == null || o.typeExample.compareTo(typeExample) < 0)) {
                typeExample = o.typeExample;
            }
            TreeMap<String, Long> all = new TreeMap<>(unseenValues);
            o.unseenValues.forEach((k, v) -> all.merge(k, v, Long::sum));
            List<Map.Entry<String, Long>> sorted = new ArrayList<>(all.entrySet());
            sorted.sort(BY_COUNT);
            unseenValues.clear();
            for (Map.Entry<String, Long> e : sorted.subList(0, Math.min(MAX_UNSEEN_KEPT, sorted.size()))) {
                unseenValues.put(e.getKey(), e.getValue());
            }
        }
    }

    private static final Comparator<Map.Entry<String, Long>> BY_COUNT =
            Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey());

    /** The counts of a subject, created on first use; null when the part holds its maximum of subjects. */
    Counts subject(String name) {
        Counts c = subjects.get(name);
        if (c == null) {
            if (subjects.size() >= MAX_SUBJECTS) {
                overflow++;
                return null;
            }
            c = new Counts();
            subjects.put(name, c);
        }
        return c;
    }

    /**
     * {@link #subject}, remembered by the subject's position among those of events of one shape ({@code shape} &ge; 0:
     * the same names in the same order for the same shape, as the summarizing stage numbers them), so that the next
     * events of that shape find their counts without a look-up by name. A position without counts (the part held
     * its maximum) asks {@link #subject} again, which counts the overflow as before.
     */
    Counts subjectAt(int position, String name, long shape) {
        if (shape < 0) {
            return subject(name);
        }
        if (shape != positionsShape) {
            positionsShape = shape;
            Arrays.fill(positions, null);
        }
        if (position < positions.length && positions[position] != null) {
            return positions[position];
        }
        Counts c = subject(name);
        if (c != null) {
            if (position >= positions.length) {
                positions = Arrays.copyOf(positions, Math.max(position + 1, 2 * positions.length));
            }
            positions[position] = c;
        }
        return c;
    }

    /** The subjects' counts, by name in name order. */
    public Map<String, Counts> subjects() {
        return subjects;
    }

    /** Values left out because the part held its maximum of subjects. */
    public long overflow() {
        return overflow;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public WindowPart merge(WindowPart other) {
        QualityPart o = (QualityPart) other;
        overflow += o.overflow;
        for (Map.Entry<String, Counts> e : o.subjects.entrySet()) {
            Counts mine = subjects.get(e.getKey());
            if (mine != null) {
                mine.merge(e.getValue());
            } else if (subjects.size() < MAX_SUBJECTS) {
                subjects.put(e.getKey(), e.getValue());
            } else {
                overflow++;
            }
        }
        return this;
    }

    @Override
    public void write(DataOutput out) throws IOException {
        out.writeByte(FORMAT_VERSION);
        out.writeLong(overflow);
        out.writeInt(subjects.size());
        for (Map.Entry<String, Counts> e : subjects.entrySet()) {
            Counts c = e.getValue();
            out.writeUTF(e.getKey());
            out.writeLong(c.present);
            out.writeLong(c.missing);
            out.writeLong(c.infinite);
            out.writeLong(c.outOfRange);
            out.writeLong(c.unseen);
            out.writeLong(c.typeMismatch);
            out.writeBoolean(c.typeExample != null);
            if (c.typeExample != null) {
                out.writeUTF(c.typeExample);
            }
            out.writeInt(c.unseenValues.size());
            for (Map.Entry<String, Long> u : c.unseenValues.entrySet()) {
                out.writeUTF(u.getKey());
                out.writeLong(u.getValue());
            }
        }
    }

    /** Reads a part written by {@link #write}. */
    public static QualityPart read(DataInputStream in) throws IOException {
        byte version = in.readByte();
        if (version != FORMAT_VERSION) {
            throw new IOException("unknown data-quality part format version " + version);
        }
        QualityPart p = new QualityPart();
        p.overflow = in.readLong();
        int n = in.readInt();
        if (n < 0 || n > MAX_SUBJECTS) {
            throw new IOException("data-quality part with " + n + " subjects");
        }
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            Counts c = new Counts();
            c.present = in.readLong();
            c.missing = in.readLong();
            c.infinite = in.readLong();
            c.outOfRange = in.readLong();
            c.unseen = in.readLong();
            c.typeMismatch = in.readLong();
            c.typeExample = in.readBoolean() ? in.readUTF() : null;
            int u = in.readInt();
            if (u < 0 || u > MAX_UNSEEN_KEPT) {
                throw new IOException("data-quality part with " + u + " unseen categories kept");
            }
            for (int j = 0; j < u; j++) {
                c.unseenValues.put(in.readUTF(), in.readLong());
            }
            p.subjects.put(name, c);
        }
        return p;
    }
}
