package dev.driftwatch.streams.drift;

import dev.driftwatch.detectors.summary.CategoricalBaseline;
import dev.driftwatch.detectors.summary.CategoricalSummary;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericSummary;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.streams.internals.BaselineLookup;
import dev.driftwatch.streams.internals.EventFeatures;
import dev.driftwatch.streams.internals.Signal;
import dev.driftwatch.streams.internals.SubjectSummary;
import dev.driftwatch.streams.internals.Subjects;
import dev.driftwatch.streams.internals.WindowBundle;
import dev.driftwatch.streams.internals.WindowStateStore;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Drift's work in the summarizing stage of one task: adds every feature and output of an event to its
 * window's summary of that subject. A subject the window has not seen gets a summary on its baseline's frozen
 * grid (or one without a baseline); those are prepared, with their baseline look-ups, before any window of
 * the event changes, so that an event is added to all its windows or to none.
 */
final class DriftObserver implements Signal.Observer {
    private final EventFeatures features;
    private final BaselineLookup baselines;
    private final WindowStateStore store;
    /**
     * How many open windows may hold values back at once ({@link SubjectSlots#HELD} events' numeric values each,
     * some 10 KB for 20 features and at most 128 KB, see {@link SubjectSlots#MAX_HELD_FEATURES}: at most 8 MB per
     * task): enough for the open windows of a few dozen model versions; the windows of more add their values at once.
     */
    static final int MAX_HOLDING_WINDOWS = 64;
    /** How many subjects' cell counts {@link #cellHints} keeps at most before it starts again empty. */
    static final int MAX_CELL_HINTS = 1 << 18;
    /** Positions of the subjects of each open window (see {@link SubjectSlots}); dropped with the window. */
    private final IdentityHashMap<WindowBundle, SubjectSlots> slotsByWindow = new IdentityHashMap<>();
    /** How many of those may hold values back, and how many do. */
    private final int maxHolding;
    private int holding;
    /** While an event is added to a window: that window's positions, and the position of the next subject. */
    private SubjectSlots slots;
    private int slot;
    /** The shape of the event being summarised: its features' shape and which outputs it has. */
    private long eventShape;
    /** The new subjects of the event being summarised, by window; null when its windows have them all. */
    private Map<WindowBundle, Map<String, SubjectSummary>> created;
    /**
     * By model version and segment ({@link #versionKey}): how many cells each numeric subject held in its last closed
     * window, the room its summary in a new window starts with. A summary that starts small grows by half again and
     * again (copying its cells and building its table each time) to the hundred cells a hundred values fill, in
     * every subject of every window. Counted in {@link #hintedSubjects}, bounded by {@link #MAX_CELL_HINTS}.
     */
    private final Map<String, Map<String, Integer>> cellHints = new HashMap<>();
    private int hintedSubjects;

    /**
     * @param features   the features of the event being summarised, read once when it was checked
     * @param store      the partition's open windows
     * @param maxHolding how many open windows may hold values back at once (see {@link #MAX_HOLDING_WINDOWS})
     */
    DriftObserver(EventFeatures features, BaselineLookup baselines, WindowStateStore store, int maxHolding) {
        this.maxHolding = maxHolding;
        this.features = features;
        this.baselines = baselines;
        this.store = store;
    }

    /**
     * Prepares the subjects that the windows lack (nearly never: only an event with a subject a window has
     * not seen needs baselines looked up).
     */
    @Override
    public void prepare(InferenceEvent event, List<WindowBundle> windows) {
        eventShape = features.shapeWithOutputs(event);
        created = null;
        for (int w = 0; w < windows.size(); w++) {
            WindowBundle bundle = windows.get(w);
            if (!hasAllSubjects(bundle, event)) {
                if (created == null) {
                    created = new IdentityHashMap<>();
                }
                Map<String, SubjectSummary> subjects = new HashMap<>();
                Map<String, Integer> hints = cellHints.get(versionKey(bundle));
                for (Map.Entry<String, Boolean> subject : subjectsOf(event).entrySet()) {
                    if (bundle.subject(subject.getKey()) == null) {
                        subjects.put(subject.getKey(), newSubject(event.getModelId(),
                                event.getModelVersion(), subject.getKey(), subject.getValue(), hints));
                    }
                }
                created.put(bundle, subjects);
            }
        }
    }

    /**
     * Whether a window already has every subject of an event (nearly always: only an event with a
     * subject the window has not seen needs baselines looked up). Checks in the order {@link #add} adds.
     */
    private boolean hasAllSubjects(WindowBundle bundle, InferenceEvent event) {
        SubjectSlots positions = slotsOf(bundle);
        if (positions.fitsShape(eventShape)) {
            return true;
        }
        int position = 0;
        for (int i = 0; i < features.numericCount(); i++) {
            if (!hasSubject(positions, position++, features.numericName(i))) {
                return false;
            }
        }
        for (int i = 0; i < features.categoricalCount(); i++) {
            if (!hasSubject(positions, position++, features.categoricalName(i))) {
                return false;
            }
        }
        var outputs = event.getOutputs();
        if (outputs != null) {
            if (outputs.getScore() != null && !hasSubject(positions, position++, Subjects.SCORE)) {
                return false;
            }
            if (outputs.getConfidence() != null && !hasSubject(positions, position++, Subjects.CONFIDENCE)) {
                return false;
            }
            if (outputs.getLabel() != null && !hasSubject(positions, position, Subjects.LABEL)) {
                return false;
            }
        }
        positions.fitShape(eventShape);
        return true;
    }

    private static boolean hasSubject(SubjectSlots positions, int position, String name) {
        if (positions.get(position, name) != null) {
            return true;
        }
        SubjectSummary s = positions.bundle().subject(name);
        if (s != null) {
            positions.put(position, name, s);
        }
        return s != null;
    }

    private SubjectSlots slotsOf(WindowBundle bundle) {
        SubjectSlots positions = slotsByWindow.get(bundle);
        if (positions == null) {
            if (slotsByWindow.size() > 2 * store.openWindows() + 64) {
                // windows read back after an aborted transaction are new objects
                slotsByWindow.values().forEach(SubjectSlots::land);
                slotsByWindow.clear();
                holding = 0;
            }
            boolean holds = holding < maxHolding;
            holding += holds ? 1 : 0;
            positions = new SubjectSlots(bundle, holds);
            slotsByWindow.put(bundle, positions);
        }
        return positions;
    }

    /** The subjects an event feeds: name and whether it is numeric (its features as {@link #features} read them). */
    private Map<String, Boolean> subjectsOf(InferenceEvent event) {
        Map<String, Boolean> subjects = new LinkedHashMap<>();
        for (int i = 0; i < features.numericCount(); i++) {
            subjects.put(features.numericName(i), true);
        }
        for (int i = 0; i < features.categoricalCount(); i++) {
            subjects.put(features.categoricalName(i), false);
        }
        var outputs = event.getOutputs();
        if (outputs != null) {
            if (outputs.getScore() != null) {
                subjects.put(Subjects.SCORE, true);
            }
            if (outputs.getConfidence() != null) {
                subjects.put(Subjects.CONFIDENCE, true);
            }
            if (outputs.getLabel() != null) {
                subjects.put(Subjects.LABEL, false);
            }
        }
        return subjects;
    }

    @Override
    public void add(WindowBundle bundle, InferenceEvent event) {
        Map<String, SubjectSummary> prepared = created == null ? null : created.get(bundle);
        if (prepared != null) {
            prepared.forEach(bundle::put);
        }
        slots = slotsOf(bundle);
        slot = 0;
        if (slots != null && slots.bundle() == bundle && slots.fitsShape(eventShape)) {
            // Every subject at its position (checked by hasAllSubjects for this shape): no names to compare.
            slots.addNumerics(features);
            int position = features.numericCount();
            for (int i = 0; i < features.categoricalCount(); i++) {
                slots.at(position++).add(features.categoricalValue(i));
            }
            slot = position;
        } else {
            if (slots != null) {
                slots.land(); // values held back go first: each summary takes its values in order
            }
            for (int i = 0; i < features.numericCount(); i++) {
                subject(bundle, event, features.numericName(i), true).add(features.numericValue(i));
            }
            for (int i = 0; i < features.categoricalCount(); i++) {
                subject(bundle, event, features.categoricalName(i), false).add(features.categoricalValue(i));
            }
        }
        var outputs = event.getOutputs();
        if (outputs != null) {
            if (outputs.getScore() != null) {
                subject(bundle, event, Subjects.SCORE, true).add(outputs.getScore());
            }
            if (outputs.getConfidence() != null) {
                subject(bundle, event, Subjects.CONFIDENCE, true).add(outputs.getConfidence());
            }
            if (outputs.getLabel() != null) {
                subject(bundle, event, Subjects.LABEL, false).add(outputs.getLabel());
            }
        }
        slots = null;
    }

    private SubjectSummary subject(WindowBundle bundle, InferenceEvent event, String name, boolean numeric) {
        SubjectSlots positions = slots != null && slots.bundle() == bundle ? slots : null;
        SubjectSummary s = positions == null ? null : positions.get(slot, name);
        if (s == null) {
            s = bundle.subject(name);
            if (s == null) {
                s = newSubject(event.getModelId(), event.getModelVersion(), name, numeric,
                        cellHints.get(versionKey(bundle)));
                bundle.put(name, s);
            }
            if (positions != null) {
                positions.put(slot, name, s);
            }
        }
        if (positions != null) {
            slot++;
        }
        return s;
    }

    /**
     * A new window's summary of a subject, on its baseline's grid; a numeric one with room for the cells its subject
     * held in the version's last closed window and an eighth more ({@code hints}: those cells by subject, or null).
     */
    private SubjectSummary newSubject(String model, String version, String subject, boolean numeric,
                                      Map<String, Integer> hints) {
        Optional<BaselineLookup.Entry> entry = baselines.find(model, version, subject);
        if (entry.isPresent()) {
            if (entry.get().numeric() != null) {
                NumericBaseline b = entry.get().numeric();
                NumericSummary window = b.newWindow();
                Integer cells = hints == null ? null : hints.get(subject);
                if (cells != null) {
                    window.expectCells(cells + (cells >> 3));
                }
                return SubjectSummary.numeric(b.id(), window);
            }
            CategoricalBaseline b = entry.get().categorical();
            return SubjectSummary.categorical(b.id(), b.newWindow());
        }
        return numeric ? SubjectSummary.numericWithoutBaseline()
                : SubjectSummary.categorical(null, new CategoricalSummary());
    }

    @Override
    public void closed(WindowBundle bundle) {
        SubjectSlots positions = slotsByWindow.remove(bundle);
        if (positions != null) {
            positions.land();
            holding -= positions.holds() ? 1 : 0;
        }
        rememberCells(bundle);
    }

    /** Keeps how many cells each numeric subject of a closing window held, for the version's next window. */
    private void rememberCells(WindowBundle bundle) {
        Map<String, Integer> cells = new HashMap<>();
        for (String name : bundle.subjectNames()) {
            NumericSummary numeric = bundle.subject(name).numericSummary();
            if (numeric != null && numeric.heldCells() > 0) {
                cells.put(name, numeric.heldCells());
            }
        }
        Map<String, Integer> before = cells.isEmpty() ? cellHints.remove(versionKey(bundle))
                : cellHints.put(versionKey(bundle), cells);
        hintedSubjects += cells.size() - (before == null ? 0 : before.size());
        if (hintedSubjects > MAX_CELL_HINTS) {
            cellHints.clear();
            hintedSubjects = 0;
        }
    }

    /** A window's model version and segment, the key of {@link #cellHints}. */
    private static String versionKey(WindowBundle bundle) {
        return bundle.modelId() + "/" + bundle.modelVersion() + "/" + bundle.segment();
    }
}
