package dev.driftwatch.streams.ops;

import dev.driftwatch.schemas.avro.DeadLetterReason;
import dev.driftwatch.streams.PipelineMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * driftwatch's own metrics on a Micrometer registry. Names as Prometheus shows them:
 *
 * <ul>
 *   <li>{@value #EVENTS_IN} (counter): records read from the inference-events topic;</li>
 *   <li>{@value #INFERENCES} (counter, model, version): valid events; {@value #INFERENCE_ERRORS}
 *       those with an error code; {@value #LATENCY} (histogram, ms); {@value #TOKENS} (counter,
 *       direction in/out); {@value #COST} (counter);</li>
 *   <li>{@value #DEAD_LETTERS} (counter, reason): records sent to the dead-letter topic;</li>
 *   <li>{@value #LATE_EVENTS} (counter, model, version): events dropped after the grace period;</li>
 *   <li>{@value #REVIEW_COPIES} (counter, model, version): inferences copied to the review topic;
 *       {@value #ROLE_PAIRINGS} (counter, model, version, outcome): shadow/canary events paired with the primary, or why
 *       not; {@value #OUTCOMES} (counter, result): outcome events joined, duplicate, outside the join
 *       window, unmatched or late; {@value #INFERENCES_NOT_JOINED} (counter, reason): primary and canary
 *       inferences the business join could not take (key_not_request_id, shared_request,
 *       duplicate_inference);</li>
 *   <li>{@value #WINDOWS_EVALUATED} (counter, model, version);</li>
 *   <li>{@value #STATISTIC} (gauge, model, version, subject, test): the latest window's statistic,
 *       NaN when undefined; {@value #WINDOW_MEAN} (gauge, model, version, subject): the latest window
 *       mean of a numeric subject (output.score: the predicted CTR);</li>
 *   <li>{@value #ALERT_FIRING} (gauge, model, version, subject): 1 while the subject's alert fires,
 *       0 otherwise; {@value #ALERT_SEVERITY} (gauge): 0 not firing, 1 warning, 2 critical;
 *       {@value #ALERTS} (counter, model, version, state, severity): alerts written;</li>
 *   <li>{@value #SLO_BURN_RATE} (gauge, model, version, slo, window): the latest burn rate of an
 *       objective over a rule's window;</li>
 *   <li>{@value #SLO_HISTORY_DISCARDS} (counter, model, version, slo, reason): burn-rate history started
 *       again (advance_changed) or windows too old for it (window_too_old);</li>
 *   <li>{@value #SERIES_DROPPED} (counter): series dropped at the bound below.</li>
 * </ul>
 *
 * Tags with values from the data (model, version, subject) are bounded: once {@code maxSeries}
 * series exist, new ones are dropped and a warning is logged: at the first drop, then at most one line a
 * minute, with the drops since the last line.
 *
 * <p>The counters counted per event (events in; the inference events, errors, tokens and cost of a model version)
 * are {@link ThreadCells}: each thread adds to a cell of its own without an atomic operation, and the registry reads
 * the sum of the cells. A shared counter cost two stream threads a contended compare-and-swap on one cache line per
 * event and meter.
 */
public final class DriftwatchMetrics implements PipelineMetrics {
    public static final String EVENTS_IN = "driftwatch_events_in_total";
    public static final String INFERENCES = "driftwatch_inference_events_total";
    public static final String INFERENCE_ERRORS = "driftwatch_inference_errors_total";
    public static final String LATENCY = "driftwatch_inference_latency_ms";
    public static final String TOKENS = "driftwatch_inference_tokens_total";
    public static final String COST = "driftwatch_inference_cost_total";
    public static final String DEAD_LETTERS = "driftwatch_dead_letters_total";
    public static final String LATE_EVENTS = "driftwatch_late_events_total";
    public static final String PARTIAL_GRIDS_MISSING = "driftwatch_partial_grids_missing_total";
    public static final String VALUES_TRUNCATED = "driftwatch_values_truncated_total";
    public static final String REVIEW_COPIES = "driftwatch_review_copies_total";
    public static final String ROLE_PAIRINGS = "driftwatch_role_pairings_total";
    public static final String WINDOWS_EVALUATED = "driftwatch_windows_evaluated_total";
    public static final String STATISTIC = "driftwatch_drift_statistic";
    public static final String WINDOW_MEAN = "driftwatch_window_mean";
    public static final String ALERT_FIRING = "driftwatch_alert_firing";
    public static final String ALERT_SEVERITY = "driftwatch_alert_severity";
    public static final String ALERTS = "driftwatch_alerts_total";
    public static final String SLO_BURN_RATE = "driftwatch_slo_burn_rate";
    public static final String SLO_HISTORY_DISCARDS = "driftwatch_slo_history_discards_total";
    public static final String SERIES_DROPPED = "driftwatch_metric_series_dropped_total";
    public static final String OUTCOMES = "driftwatch_outcomes_total";
    public static final String INFERENCES_NOT_JOINED = "driftwatch_business_inferences_not_joined_total";

    /** Every metric name above, as Prometheus shows it (a histogram adds _bucket, _count, _sum, _max). */
    public static final List<String> NAMES = List.of(EVENTS_IN, INFERENCES, INFERENCE_ERRORS, LATENCY, TOKENS, COST,
            DEAD_LETTERS, LATE_EVENTS, REVIEW_COPIES, ROLE_PAIRINGS, WINDOWS_EVALUATED, STATISTIC, WINDOW_MEAN,
            ALERT_FIRING, ALERT_SEVERITY, ALERTS, SLO_BURN_RATE, SERIES_DROPPED, OUTCOMES, SLO_HISTORY_DISCARDS,
            INFERENCES_NOT_JOINED);

    private static final Logger LOG = LoggerFactory.getLogger(DriftwatchMetrics.class);
    /** At most one warning line about dropped series per this many nanoseconds (one minute). */
    static final long WARN_INTERVAL_NANOS = 60_000_000_000L;

    private final MeterRegistry registry;
    private final int maxSeries;
    private final ThreadCells eventsIn;
    private final Counter seriesDropped;
    private final Map<List<String>, Object> series = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    /** Drops not yet reported in a warning line. */
    private final AtomicLong droppedUnreported = new AtomicLong();
    /** When the last warning line about drops was logged (nanoTime), or Long.MIN_VALUE for never. */
    private final AtomicLong lastDropWarning = new AtomicLong(Long.MIN_VALUE);
    private final LongSupplier nanoClock;
    private final Consumer<String> warnings;
    /** Series registered at start-up, which the bound leaves out (no bound while they are registered). */
    private int startupSeries = Integer.MAX_VALUE;

    /**
     * @param registry  where the meters go
     * @param maxSeries most series with data-valued tags (model, version, subject, reason), &ge; 1;
     *                  typically 10,000
     */
    public DriftwatchMetrics(MeterRegistry registry, int maxSeries) {
        this(registry, maxSeries, System::nanoTime, LOG::warn);
    }

    /** As above, with the clock of the warnings' interval and where their lines go (for tests). */
    DriftwatchMetrics(MeterRegistry registry, int maxSeries, LongSupplier nanoClock, Consumer<String> warnings) {
        this.nanoClock = nanoClock;
        this.warnings = warnings;
        if (maxSeries < 1) {
            throw new IllegalArgumentException("maxSeries must be >= 1, got " + maxSeries);
        }
        this.registry = registry;
        this.maxSeries = maxSeries;
        this.eventsIn = new ThreadCells();
        eventsIn.register(registry, bare(EVENTS_IN), "Records read from the inference-events topic");
        this.seriesDropped = Counter.builder(bare(SERIES_DROPPED))
                .description("Metric series not created because metrics.max.series was reached").register(registry);
        registerStartupSeries();
    }

    /**
     * One series of every meter that deploy/ (dashboards, alert rules) queries, at 0 from the start, so that
     * a rule such as "events arrive but no window was evaluated" can fire before the first window, and the
     * panels show 0 rather than no data. Dead letters get a series per reason; meters whose tags come from
     * the data (model, version, subject, ...) get one with those tags empty, which Prometheus reads as absent.
     * They do not count against {@code maxSeries}.
     */
    private void registerStartupSeries() {
        VersionMeters none = new VersionMeters("", "");
        for (int kind = 0; kind < VersionMeters.KINDS; kind++) {
            none.cell(kind);
        }
        none.latency();
        lateEvents("", "");
        windowsEvaluated("", "");
        alerts("", "", "", "");
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLetters(reason.name());
        }
        alertState("", "", "", false, "NONE");
        statistic("", "", "", "", 0);
        windowMean("", "", "", 0);
        burnRate("", "", "", "", 0);
        startupSeries = series.size();
    }

    /** The registry the meters are on. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The cells of the events-in counter (for tests: one per live thread that counted). */
    int eventsInCells() {
        return eventsIn.cells();
    }

    /** Series dropped because {@code maxSeries} was reached. */
    public long droppedSeries() {
        return dropped.get();
    }

    @Override
    public void eventIn() {
        recentVersions.get().eventsIn.add(1);
    }

    @Override
    public void inference(String model, String version, Double latencyMs, boolean error, Long tokensIn,
                          Long tokensOut, Double cost) {
        VersionMeters m = recentVersions.get().find(model, version);
        m.add(VersionMeters.INFERENCE, 1);
        if (error) {
            m.add(VersionMeters.ERROR, 1);
        }
        if (latencyMs != null && Double.isFinite(latencyMs)) {
            DistributionSummary s = m.latency();
            if (s != null) {
                s.record(latencyMs);
            }
        }
        if (tokensIn != null) {
            m.add(VersionMeters.TOKENS_IN, tokensIn);
        }
        if (tokensOut != null) {
            m.add(VersionMeters.TOKENS_OUT, tokensOut);
        }
        if (cost != null && Double.isFinite(cost)) {
            m.add(VersionMeters.COST_SERIES, cost);
        }
    }

    /**
     * Per thread, its cell of the events-in counter and the meters of the model versions it saw (one look-up per
     * version, not per event; see {@link RecentVersions}).
     */
    private final ThreadLocal<RecentVersions> recentVersions = ThreadLocal.withInitial(RecentVersions::new);

    /**
     * A thread's cell of the events-in counter and the meters of the model versions it saw, by model and version, up
     * to {@link #MAX_VERSIONS} (then forgotten all at once and looked up again). With a thousand versions' events
     * interleaved, the last eight versions a thread kept were never the event's: every event looked its series up.
     */
    private final class RecentVersions {
        static final int MAX_VERSIONS = 4096;
        private final ThreadCells.Cell eventsIn = DriftwatchMetrics.this.eventsIn.cellOfThisThread();
        private final Map<String, Map<String, VersionMeters>> byModel = new HashMap<>();
        private int kept;
        /** The last version found, for a run of its events. */
        private VersionMeters last;

        VersionMeters find(String model, String version) {
            VersionMeters e = last;
            if (e != null && e.version.equals(version) && e.model.equals(model)) {
                return e;
            }
            Map<String, VersionMeters> versions = byModel.get(model);
            e = versions == null ? null : versions.get(version);
            if (e == null) {
                if (kept >= MAX_VERSIONS) {
                    byModel.clear();
                    kept = 0;
                }
                e = new VersionMeters(model, version);
                byModel.computeIfAbsent(model, m -> new HashMap<>()).put(version, e);
                kept++;
            }
            last = e;
            return e;
        }
    }

    /**
     * The inference meters of one model version, as one thread adds to them: each looked up on first use (so a
     * version without errors has no error series) and kept once it exists. A series dropped at the bound is counted
     * as dropped again on every event, as before, its key kept rather than built again: no series is ever removed, so
     * once the bound is reached only one another thread created in the same instant can come to exist, and the next
     * event finds it.
     */
    private final class VersionMeters {
        static final int INFERENCE = 0;
        static final int ERROR = 1;
        static final int TOKENS_IN = 2;
        static final int TOKENS_OUT = 3;
        static final int COST_SERIES = 4;
        static final int KINDS = 5;
        private final String model;
        private final String version;
        /** This thread's cells of the version's counters, by kind. */
        private final ThreadCells.Cell[] cells = new ThreadCells.Cell[KINDS];
        private DistributionSummary latency;
        /** The keys of the series found dropped, by kind (the latency's last), or null. */
        private List<String>[] droppedKeys;

        VersionMeters(String model, String version) {
            this.model = model;
            this.version = version;
        }

        void add(int kind, double amount) {
            ThreadCells.Cell c = cell(kind);
            if (c != null) {
                c.add(amount);
            }
        }

        DistributionSummary latency() {
            if (latency == null) {
                if (wasDropped(KINDS)) {
                    return null;
                }
                List<String> key = List.of(LATENCY, model, version);
                latency = (DistributionSummary) meter(key, k -> DistributionSummary
                        .builder(bare(LATENCY)).description("Latency of the inference events, milliseconds")
                        .baseUnit("ms").tags("model", model, "version", version).publishPercentileHistogram()
                        .minimumExpectedValue(1.0).maximumExpectedValue(120_000.0).register(registry));
                if (latency == null) {
                    noteDropped(KINDS, key);
                }
            }
            return latency;
        }

        /**
         * Whether the series of a kind was found dropped and still does not exist; if so, this drop is counted as
         * {@link #meter} counts it. A series another thread created in the instant this one found the bound reached
         * is found here, at the next event, as {@link #meter} would have found it.
         */
        private boolean wasDropped(int kind) {
            List<String> key = droppedKeys == null ? null : droppedKeys[kind];
            if (key == null) {
                return false;
            }
            if (series.containsKey(key)) {
                droppedKeys[kind] = null;
                return false;
            }
            dropped(key);
            return true;
        }

        @SuppressWarnings("unchecked")
        private void noteDropped(int kind, List<String> key) {
            if (droppedKeys == null) {
                droppedKeys = (List<String>[]) new List<?>[KINDS + 1];
            }
            droppedKeys[kind] = key;
        }

        /**
         * This thread's cell of a counter, or null when its series is dropped (counted as dropped again at every event,
         * its key remembered rather than built and looked up again).
         */
        ThreadCells.Cell cell(int kind) {
            ThreadCells.Cell c = cells[kind];
            if (c != null) {
                return c;
            }
            if (wasDropped(kind)) {
                return null;
            }
            ThreadCells counter = switch (kind) {
                case INFERENCE -> summed(kind, INFERENCES, "Valid inference events", "model", model, "version",
                        version);
                case ERROR -> summed(kind, INFERENCE_ERRORS, "Inference events with an error code", "model", model,
                        "version", version);
                case TOKENS_IN -> summed(kind, TOKENS, "Tokens of the inference events", "model", model, "version",
                        version, "direction", "in");
                case TOKENS_OUT -> summed(kind, TOKENS, "Tokens of the inference events", "model", model, "version",
                        version, "direction", "out");
                default -> summed(kind, COST, "Cost of the inference events", "model", model, "version", version);
            };
            if (counter == null) {
                return null;
            }
            c = counter.cellOfThisThread();
            cells[kind] = c;
            return c;
        }

        /**
         * A counter of cells per thread ({@link ThreadCells}) of a kind, created unless the bound is reached; null
         * when dropped, its key then noted for the kind.
         */
        private ThreadCells summed(int kind, String name, String description, String... tags) {
            List<String> key = key(name, tags);
            ThreadCells counter = (ThreadCells) meter(key, k -> {
                ThreadCells cells = new ThreadCells();
                cells.register(registry, bare(name), description, tags);
                return cells;
            });
            if (counter == null) {
                noteDropped(kind, key);
            }
            return counter;
        }
    }

    /**
     * A counter that each thread adds to in a cell of its own, with a plain (opaque) write; read as the sum of the
     * cells. A thread finds its cell once and keeps it; when a thread takes a new cell, the cells of threads that
     * ended (a stream thread replaced) are folded into one sum, so that they are neither lost nor kept.
     */
    static final class ThreadCells {
        private final List<Cell> cells = new CopyOnWriteArrayList<>();
        /** What the cells of ended threads held. */
        private double ended;

        /** The calling thread's cell: only that thread adds to it. */
        Cell cellOfThisThread() {
            Thread me = Thread.currentThread();
            for (Cell c : cells) {
                if (c.owner == me) {
                    return c;
                }
            }
            synchronized (this) {
                for (Cell c : cells) {
                    if (!c.owner.isAlive()) { // its last write happened before it ended, so it is read whole
                        ended += c.value();
                        cells.remove(c);
                    }
                }
                Cell c = new Cell(me);
                cells.add(c);
                return c;
            }
        }

        /**
         * Registers the counter. Micrometer holds a function counter's object weakly, so the object is the registry
         * (alive as long as the meter) and the function, which the meter holds, holds the cells.
         */
        void register(MeterRegistry registry, String name, String description, String... tags) {
            FunctionCounter.builder(name, registry, r -> sum()).description(description).tags(tags).register(registry);
        }

        synchronized double sum() {
            double sum = ended;
            for (Cell c : cells) {
                sum += c.value();
            }
            return sum;
        }

        /** The cells held (for tests). */
        int cells() {
            return cells.size();
        }

        static final class Cell {
            private static final VarHandle VALUE;

            static {
                try {
                    VALUE = MethodHandles.lookup().findVarHandle(Cell.class, "value", double.class);
                } catch (ReflectiveOperationException e) {
                    throw new ExceptionInInitializerError(e);
                }
            }

            private final Thread owner;
            private double value;

            Cell(Thread owner) {
                this.owner = owner;
            }

            /** By the owning thread only: no other thread writes the value, so a read and an opaque write suffice. */
            void add(double amount) {
                VALUE.setOpaque(this, value + amount);
            }

            double value() {
                return (double) VALUE.getOpaque(this);
            }
        }
    }

    @Override
    public void deadLetter(String reason) {
        deadLetters(reason).increment();
    }

    private Counter deadLetters(String reason) {
        return counter(DEAD_LETTERS, "Records sent to the dead-letter topic", "reason", reason);
    }

    @Override
    public void reviewCopied(String model, String version) {
        counter(REVIEW_COPIES, "Inference events copied to the review topic (confidence below the threshold)",
                "model", model, "version", version).increment();
    }

    @Override
    public void rolePairing(String model, String candidateVersion, String outcome) {
        counter(ROLE_PAIRINGS, "Shadow and canary events joined to their request's primary event, by outcome",
                "model", model, "version", candidateVersion, "outcome", outcome).increment();
    }

    @Override
    public void valueTruncated(String model, String version, String feature) {
        counter(VALUES_TRUNCATED, "Categorical values longer than max.value.length, truncated and kept", "model", model,
                "version", version, "feature", feature).increment();
    }

    @Override
    public void lateEvent(String model, String version) {
        lateEvents(model, version).increment();
    }

    private Counter lateEvents(String model, String version) {
        return counter(LATE_EVENTS, "Events dropped after their window's grace period", "model", model, "version",
                version);
    }

    @Override
    public void partialGridMissing(String model, String version, long subjects) {
        counter(PARTIAL_GRIDS_MISSING, "Subjects of partials whose named grid the merging task did not hold, left out"
                + " of their window", "model", model, "version", version).increment(subjects);
    }

    @Override
    public void windowEvaluated(String model, String version) {
        windowsEvaluated(model, version).increment();
    }

    private Counter windowsEvaluated(String model, String version) {
        return counter(WINDOWS_EVALUATED, "Windows evaluated against their baselines", "model", model, "version",
                version);
    }

    @Override
    public void statistic(String model, String version, String subject, String test, double value) {
        gauge(STATISTIC, "Latest window's drift statistic of a subject", value, "model", model, "version", version,
                "subject", subject, "test", test);
    }

    @Override
    public void windowMean(String model, String version, String subject, double mean) {
        gauge(WINDOW_MEAN, "Latest window's mean of a numeric subject", mean, "model", model, "version", version,
                "subject", subject);
    }

    @Override
    public void alertState(String model, String version, String subject, boolean firing, String severity) {
        gauge(ALERT_FIRING, "1 while the alert of a subject fires, else 0", firing ? 1 : 0, "model", model,
                "version", version, "subject", subject);
        gauge(ALERT_SEVERITY, "Severity of a subject's alert: 0 not firing, 1 warning, 2 critical",
                !firing ? 0 : "CRITICAL".equals(severity) ? 2 : 1, "model", model, "version", version,
                "subject", subject);
    }

    @Override
    public void burnRate(String model, String version, String objective, String window, double value) {
        gauge(SLO_BURN_RATE, "Latest error-budget burn rate of a service-level objective over a rule's window",
                value, "model", model, "version", version, "slo", objective, "window", window);
    }

    @Override
    public void budgetHistoryDiscard(String model, String version, String objective, String reason) {
        counter(SLO_HISTORY_DISCARDS, "Burn-rate histories started again (advance_changed) or windows too old for"
                + " them (window_too_old)", "model", model, "version", version, "slo", objective, "reason", reason)
                .increment();
    }

    @Override
    public void alert(String model, String version, String state, String severity) {
        alerts(model, version, state, severity).increment();
    }

    private Counter alerts(String model, String version, String state, String severity) {
        return counter(ALERTS, "Alerts written (state changes)", "model", model, "version", version, "state", state,
                "severity", severity);
    }

    @Override
    public void outcomes(String result, long count) {
        counter(OUTCOMES, "Outcome events of the business join: joined, duplicate, outside_window, unmatched, late",
                "result", result).increment(count);
    }

    @Override
    public void inferencesNotJoined(String reason, long count) {
        counter(INFERENCES_NOT_JOINED, "Primary and canary inferences the business join could not take, by reason",
                "reason", reason).increment(count);
    }

    private Counter counter(String name, String description, String... tags) {
        Object c = meter(key(name, tags), k -> Counter.builder(bare(name)).description(description).tags(tags)
                .register(registry));
        return c == null ? NO_COUNTER : (Counter) c;
    }

    private void gauge(String name, String description, double value, String... tags) {
        Object holder = meter(key(name, tags), k -> {
            GaugeValue v = new GaugeValue();
            // strongly referenced: a weakly held value reads NaN once collected (with the metrics object gone)
            Gauge.builder(name, v, GaugeValue::get).description(description).tags(Tags.of(tags)).strongReference(true)
                    .register(registry);
            return v;
        });
        if (holder != null) {
            ((GaugeValue) holder).value = value;
        }
    }

    /** The meter (or gauge holder) of a series, created unless the bound is reached; null when dropped. */
    private Object meter(List<String> key, Function<List<String>, Object> create) {
        Object existing = series.get(key);
        if (existing != null) {
            return existing;
        }
        if (series.size() - startupSeries >= maxSeries) {
            dropped(key);
            return null;
        }
        return series.computeIfAbsent(key, create);
    }

    /** Counts a series dropped at the bound, and warns when it is time. */
    private void dropped(List<String> key) {
        long n = dropped.incrementAndGet();
        droppedUnreported.incrementAndGet();
        seriesDropped.increment();
        warnDropped(n, key);
    }

    /**
     * Logs the first drop, then at most one line per {@link #WARN_INTERVAL_NANOS} with the drops since the last
     * line: at 50,000 subjects a window drops some 500,000 series, which every 10,000 drops was 50 lines.
     */
    private void warnDropped(long total, List<String> latest) {
        long now = nanoClock.getAsLong();
        long last = lastDropWarning.get();
        if (last != Long.MIN_VALUE && now - last < WARN_INTERVAL_NANOS || !lastDropWarning.compareAndSet(last, now)) {
            return;
        }
        long since = droppedUnreported.getAndSet(0);
        warnings.accept(maxSeries + " metric series exist, the most allowed (metrics.max.series): " + since
                + " new series dropped since the last warning, " + total + " in all, latest " + latest
                + " (their statistics are still written; the next warning in a minute at the earliest)");
    }

    private static List<String> key(String name, String... tags) {
        String[] k = new String[tags.length / 2 + 1];
        k[0] = name;
        for (int i = 1; i < tags.length; i += 2) {
            k[i / 2 + 1] = String.valueOf(tags[i]);
        }
        return List.of(k);
    }

    /** Micrometer adds {@code _total} to counters when it writes them for Prometheus. */
    private static String bare(String name) {
        return name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
    }

    private static final class GaugeValue {
        private volatile double value = Double.NaN;

        double get() {
            return value;
        }
    }

    private static final Counter NO_COUNTER = new Counter() {
        @Override
        public void increment(double amount) {
        }

        @Override
        public double count() {
            return 0;
        }

        @Override
        public Meter.Id getId() {
            return new Meter.Id("driftwatch.dropped", Tags.empty(), null, null, Meter.Type.COUNTER);
        }
    };

    // --- baselines without a usable record: kept for /health/ready and /status, not a meter ---
    private final BaselineProblems baselineProblems = new BaselineProblems();

    @Override
    public void baselineUnreadable(String key, String reason) {
        baselineProblems.unreadable(key, reason);
    }

    @Override
    public void baselineMissing(String key, String reason) {
        baselineProblems.missing(key, reason);
    }

    /** The model versions and subjects of this instance without a usable baseline. */
    public BaselineProblems baselineProblems() {
        return baselineProblems;
    }
}
