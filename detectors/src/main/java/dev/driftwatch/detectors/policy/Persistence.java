package dev.driftwatch.detectors.policy;

import java.util.Objects;

/**
 * The m-of-n persistence rule that turns per-window verdicts into alert state changes.
 *
 * <p>A window is <em>drifted</em> when its severity is not {@link Severity#NONE}. Let d be the
 * number of drifted windows among the last n, the current one included (windows before the first
 * observed count as not drifted, so an alert can fire before n windows have been seen). Then,
 * window by window:
 * <ul>
 *   <li>not firing and d ≥ m → {@link Transition#FIRING}, and the state is firing;</li>
 *   <li>firing and d ≤ r → {@link Transition#RESOLVED}, and the state is quiet;</li>
 *   <li>otherwise → {@link Transition#NONE}, the state keeps firing or quiet.</li>
 * </ul>
 * r is the resolve level: by default r = m − 1 ("resolve when fewer than m of the last n
 * drifted"), with {@link #withHysteresis(int, int, int)} any 0 ≤ r &lt; m, which holds the alert
 * while m > d > r and so stops an alert from flapping near the boundary.
 *
 * <p>For example, with 2 of 3 (r = 1) and windows D, N, D, N, N, N (D drifted, N not): window 3
 * fires (d = 2 over D, N, D), window 4 resolves (d = 1 over N, D, N), windows 5 and 6 give NONE.
 * With 2 of 3 and r = 0, window 3 fires, windows 4 and 5 hold (d = 1) and window 6 resolves
 * (d = 0 over N, N, N).
 *
 * <p>With the rule fixed, FIRING only happens on a drifted window and RESOLVED only on a
 * window that did not drift. Stateless and immutable; the state lives in {@link PersistenceState}.
 */
public final class Persistence {

    private final int required;
    private final int windows;
    private final int resolveAtMost;

    private Persistence(int required, int windows, int resolveAtMost) {
        this.required = required;
        this.windows = windows;
        this.resolveAtMost = resolveAtMost;
    }

    /**
     * The rule "fire when at least m of the last n windows drifted, resolve when fewer than m did".
     *
     * @param m the drifted windows needed to fire, 1 ≤ m ≤ n; typically 1–3
     * @param n the windows looked at, 1 ≤ n ≤ 64; typically 1–5. 1 of 1 alerts on every change.
     * @return the rule
     * @throws IllegalPolicyException if n is outside [1, 64] or m outside [1, n]
     */
    public static Persistence of(int m, int n) {
        checkMofN(m, n);
        return new Persistence(m, n, m - 1);
    }

    /**
     * The rule "fire when at least m of the last n windows drifted, resolve when at most r did".
     *
     * @param m the drifted windows needed to fire, 1 ≤ m ≤ n
     * @param n the windows looked at, 1 ≤ n ≤ 64
     * @param r the resolve level, 0 ≤ r &lt; m; r = m − 1 is {@link #of(int, int)}, r = 0 resolves
     *     only once none of the last n windows drifted
     * @return the rule
     * @throws IllegalPolicyException if n, m or r is outside its range
     */
    public static Persistence withHysteresis(int m, int n, int r) {
        checkMofN(m, n);
        if (r < 0 || r >= m) {
            throw new IllegalPolicyException("persistence resolve level " + r + " is not allowed for "
                    + m + " of " + n + "; expected 0 <= r < m, i.e. 0.." + (m - 1));
        }
        return new Persistence(m, n, r);
    }

    private static void checkMofN(int m, int n) {
        if (n < 1 || n > PersistenceState.MAX_WINDOWS) {
            throw new IllegalPolicyException("persistence window count n " + n + " is not allowed;"
                    + " expected 1 <= n <= " + PersistenceState.MAX_WINDOWS);
        }
        if (m < 1 || m > n) {
            throw new IllegalPolicyException("persistence drifted window count m " + m
                    + " is not allowed for n " + n + "; expected 1 <= m <= n");
        }
    }

    /**
     * Applies one window's verdict.
     *
     * @param state the subject's state before this window, not null
     * @param windowSeverity the window's severity; {@link Severity#NONE} means not drifted
     * @return the new state, the transition, and the window's severity and drifted count
     * @throws NullPointerException if an argument is null
     */
    public Step next(PersistenceState state, Severity windowSeverity) {
        Objects.requireNonNull(state, "state must not be null; use PersistenceState.initial()");
        Objects.requireNonNull(windowSeverity, "window severity must not be null; use Severity.NONE");
        boolean drifted = windowSeverity != Severity.NONE;
        int driftedWindows = state.observe(drifted, false).driftedInLast(windows);
        Transition transition = Transition.NONE;
        boolean firing = state.isFiring();
        if (!firing && driftedWindows >= required) {
            transition = Transition.FIRING;
            firing = true;
        } else if (firing && driftedWindows <= resolveAtMost) {
            transition = Transition.RESOLVED;
            firing = false;
        }
        return new Step(state.observe(drifted, firing), transition, windowSeverity, driftedWindows);
    }

    /**
     * Applies one window's feature verdict; the same as {@code next(state, verdict.severity())}.
     *
     * @param state the subject's state before this window
     * @param verdict the feature's verdict in this window
     * @return the step
     * @throws NullPointerException if an argument is null
     */
    public Step next(PersistenceState state, FeatureVerdict verdict) {
        Objects.requireNonNull(verdict, "verdict must not be null");
        return next(state, verdict.severity());
    }

    /**
     * Applies one window's dataset verdict; the same as {@code next(state, verdict.severity())}.
     *
     * @param state the dataset's state before this window
     * @param verdict the dataset verdict in this window
     * @return the step
     * @throws NullPointerException if an argument is null
     */
    public Step next(PersistenceState state, DatasetVerdict verdict) {
        Objects.requireNonNull(verdict, "verdict must not be null");
        return next(state, verdict.severity());
    }

    /**
     * m: the drifted windows among the last n needed to fire.
     *
     * @return a value in [1, n]
     */
    public int required() {
        return required;
    }

    /**
     * n: the number of recent windows looked at.
     *
     * @return a value in [1, 64]
     */
    public int windows() {
        return windows;
    }

    /**
     * r: a firing alert resolves when at most this many of the last n windows drifted.
     *
     * @return a value in [0, m − 1]; m − 1 unless made with {@link #withHysteresis(int, int, int)}
     */
    public int resolveAtMost() {
        return resolveAtMost;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Persistence)) {
            return false;
        }
        Persistence that = (Persistence) o;
        return required == that.required && windows == that.windows
                && resolveAtMost == that.resolveAtMost;
    }

    @Override
    public int hashCode() {
        return Objects.hash(required, windows, resolveAtMost);
    }

    @Override
    public String toString() {
        return "Persistence{" + required + " of " + windows + ", resolve at <= " + resolveAtMost + "}";
    }

    /** The result of applying one window: the new state and the alert transition. Immutable. */
    public static final class Step {

        private final PersistenceState state;
        private final Transition transition;
        private final Severity windowSeverity;
        private final int driftedWindows;

        private Step(PersistenceState state, Transition transition, Severity windowSeverity,
                int driftedWindows) {
            this.state = state;
            this.transition = transition;
            this.windowSeverity = windowSeverity;
            this.driftedWindows = driftedWindows;
        }

        /**
         * The subject's state after the window, to store for the next one.
         *
         * @return the new state
         */
        public PersistenceState state() {
            return state;
        }

        /**
         * The alert state change this window caused.
         *
         * @return {@link Transition#FIRING}, {@link Transition#RESOLVED}, or {@link Transition#NONE}
         */
        public Transition transition() {
            return transition;
        }

        /**
         * The severity of this window, as given; a FIRING alert carries it.
         *
         * @return the window's severity
         */
        public Severity windowSeverity() {
            return windowSeverity;
        }

        /**
         * The number of drifted windows among the last n, this one included.
         *
         * @return a count in [0, n]
         */
        public int driftedWindows() {
            return driftedWindows;
        }

        @Override
        public String toString() {
            return "Step{" + transition + ", severity=" + windowSeverity + ", drifted=" + driftedWindows
                    + ", " + state + "}";
        }
    }
}
