package dev.driftwatch.detectors.slo;

import java.util.ArrayList;
import java.util.List;

/**
 * Error-budget burn rates and the multi-window, multi-burn-rate decision.
 *
 * <p>With an objective of target {@code t} (e.g. 0.99: 99 % of events good), the error budget is the
 * bad share {@code 1 − t}. Over a period with {@code bad} of {@code total} events bad, the burn rate is
 * {@code (bad / total) / (1 − t)}: 1 spends the budget exactly at the pace the SLO allows, 14.4 spends a
 * 30-day budget in about two days. It ranges from 0 to {@code 1 / (1 − t)}. A rule fires when both its
 * long and its short window burn faster (strictly) than its factor, and its long window holds at least a
 * minimum number of events: without it, one failed call on a quiet first window burns at 1 / (1 − t) and
 * pages.
 */
public final class BurnRates {
    private BurnRates() {
    }

    /**
     * The burn rate of a period.
     *
     * @param bad    bad events, 0 &le; bad &le; total
     * @param total  events judged
     * @param target the objective's target share of good events, in (0, 1)
     * @return {@code (bad / total) / (1 − target)}, or NaN when total is 0 (nothing to judge)
     */
    public static double burnRate(long bad, long total, double target) {
        checkTarget(target);
        if (bad < 0 || bad > total) {
            throw new IllegalArgumentException("need 0 <= bad <= total, got bad " + bad + " of " + total);
        }
        return total == 0 ? Double.NaN : ((double) bad / total) / (1 - target);
    }

    static void checkTarget(double target) {
        if (!(target > 0 && target < 1)) {
            throw new IllegalArgumentException("an objective's target must be in (0, 1), e.g. 0.99, got " + target);
        }
    }

    /** What an objective's events are, which decides how its minimum volume is read. */
    public enum Counting {
        /** Each event is a call (request-based objectives): the minimum is a number of calls. */
        REQUESTS,
        /**
         * Each event is a judged window (window-based objectives): a long window spans at most
         * {@code long / advance} of them, so the minimum is capped there; with the cap reached a rule waits
         * until every window of its long window has been judged.
         */
        WINDOWS
    }

    /**
     * One rule judged on a history.
     *
     * @param rule      the rule
     * @param longBad   bad events over the long window
     * @param longTotal events over the long window
     * @param longBurn  burn rate over the long window (NaN without events)
     * @param shortBurn burn rate over the short window (NaN without events)
     * @param minEvents events the long window needs before the rule may fire
     * @param fires     whether both burn rates exceed the rule's factor with at least {@code minEvents} events
     */
    public record RuleBurn(BurnRateRule rule, long longBad, long longTotal, double longBurn, double shortBurn,
                           long minEvents, boolean fires) {
        /** Whether the long window holds too few events for the rule to fire, whatever its burn rates. */
        public boolean tooFewEvents() {
            return longTotal < minEvents;
        }
    }

    /**
     * The decision of a set of rules.
     *
     * @param rules    every rule judged, in the given order
     * @param deciding the firing rule of highest severity (the first of them in order), or null when none fires
     */
    public record Decision(List<RuleBurn> rules, RuleBurn deciding) {
        /** Whether a rule fires. */
        public boolean fires() {
            return deciding != null;
        }
    }

    /**
     * Judges every rule on the newest windows of a history, without a minimum volume.
     *
     * @param history      good/total counts per window step
     * @param rules        the rules; each window must be a multiple of {@code stepMillis}
     * @param target       the objective's target, in (0, 1)
     * @param stepMillis   the windows' advance, in ms
     */
    public static Decision decide(BudgetHistory history, List<BurnRateRule> rules, double target, long stepMillis) {
        return decide(history, rules, target, stepMillis, 0, Counting.REQUESTS);
    }

    /**
     * Judges every rule on the newest windows of a history.
     *
     * @param history      good/total counts per window step
     * @param rules        the rules; each window must be a multiple of {@code stepMillis}
     * @param target       the objective's target, in (0, 1)
     * @param stepMillis   the windows' advance, in ms
     * @param minEvents    events a rule's long window must hold before the rule may fire, &ge; 0
     * @param counting     what the events are; for {@link Counting#WINDOWS} the minimum is capped at the
     *                     windows of the long window
     */
    public static Decision decide(BudgetHistory history, List<BurnRateRule> rules, double target, long stepMillis,
                                  long minEvents, Counting counting) {
        checkTarget(target);
        if (minEvents < 0) {
            throw new IllegalArgumentException("the minimum number of events must be >= 0, got " + minEvents);
        }
        List<RuleBurn> judged = new ArrayList<>();
        RuleBurn deciding = null;
        for (BurnRateRule rule : rules) {
            int longSteps = steps(rule.longWindowMillis(), stepMillis);
            int shortSteps = steps(rule.shortWindowMillis(), stepMillis);
            long longTotal = history.total(longSteps);
            long longBad = longTotal - history.good(longSteps);
            long shortTotal = history.total(shortSteps);
            long shortBad = shortTotal - history.good(shortSteps);
            double longBurn = burnRate(longBad, longTotal, target);
            double shortBurn = burnRate(shortBad, shortTotal, target);
            long min = counting == Counting.WINDOWS ? Math.min(minEvents, longSteps) : minEvents;
            boolean fires = longBurn > rule.factor() && shortBurn > rule.factor() && longTotal >= min;
            RuleBurn r = new RuleBurn(rule, longBad, longTotal, longBurn, shortBurn, min, fires);
            judged.add(r);
            if (fires && (deciding == null || rule.severity().compareTo(deciding.rule().severity()) > 0)) {
                deciding = r;
            }
        }
        return new Decision(List.copyOf(judged), deciding);
    }

    /**
     * The number of window steps in a duration.
     *
     * @throws IllegalArgumentException when the duration is not a positive multiple of the step
     */
    public static int steps(long millis, long stepMillis) {
        if (stepMillis <= 0 || millis <= 0 || millis % stepMillis != 0) {
            throw new IllegalArgumentException("burn-rate window of " + BurnRateRule.duration(millis)
                    + " is not a multiple of the window advance " + BurnRateRule.duration(stepMillis));
        }
        return Math.toIntExact(millis / stepMillis);
    }

    /** The ring capacity the rules need: the longest long window in steps. */
    public static int capacity(List<BurnRateRule> rules, long stepMillis) {
        int capacity = 1;
        for (BurnRateRule r : rules) {
            capacity = Math.max(capacity, steps(r.longWindowMillis(), stepMillis));
        }
        return capacity;
    }
}
