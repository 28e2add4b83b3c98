package dev.driftwatch.detectors;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One drift test between a reference (baseline) distribution and a current window: what it measures,
 * how it is computed exactly from raw samples and approximately from bounded window summaries, and how
 * the alert policy uses it. Every test is one subclass, listed once in {@link DriftTests}; the
 * comparisons, the configuration keys, the control-topic policy keys, the window statistics and the
 * {@code compare} report all iterate that list, so a new test is a new subclass and its line there.
 *
 * <p>Tests fall in two kinds ({@link Kind}): <em>effect sizes</em>, whose statistic says how far apart
 * the distributions are and is compared with a threshold, and <em>significance tests</em>, which also
 * give a p-value that says how surprising the difference is under "no drift". The registry's order is
 * the canonical order in which tests are listed (for example in an alert's {@code drifted_by}).
 *
 * <p>Instances are singletons held by {@link DriftTests}: compare them with {@code ==}.
 */
public abstract class DriftTest implements Comparable<DriftTest> {

    /** Whether a test measures how far apart two distributions are or how surprising their difference is. */
    public enum Kind {
        /** A distance or divergence, compared with warning and critical thresholds. */
        EFFECT_SIZE,
        /** A statistic with a p-value under "no drift". */
        SIGNIFICANCE
    }

    /**
     * The default warning and critical thresholds of an effect size: a statistic at or above
     * {@code warning} is a warning, at or above {@code critical} critical.
     */
    public record Thresholds(double warning, double critical) {
    }

    private final String id;
    private final String name;
    private final Kind kind;
    private final Set<ColumnKind> columns;

    /**
     * @param id      the stable lower-case identifier used in configuration keys, topics and reports
     * @param name    the upper-case symbol of the test in the Avro {@code DriftTest} enum
     * @param kind    effect size or significance test
     * @param columns the kinds of column the test applies to
     */
    protected DriftTest(String id, String name, Kind kind, Set<ColumnKind> columns) {
        this.id = Objects.requireNonNull(id, "id");
        this.name = Objects.requireNonNull(name, "name");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.columns = Set.copyOf(EnumSet.copyOf(columns));
    }

    /**
     * The exact form: the test's result on two raw samples (or, for a categorical column, their exact
     * counts), as {@code driftwatch compare} prints it and against which the streaming form is checked.
     *
     * @param input the two samples; {@code input.kind()} is one this test {@link #appliesTo}
     * @return the result, never null; undefined with a reason when the data do not allow the test
     */
    public abstract TestResult exact(ExactInput input);

    /**
     * The streaming form: the test's result on two bounded window summaries, as the pipeline computes
     * it. Within {@link #errorBound} of {@link #exact} on the values the summaries were built from.
     *
     * @param input the two summaries; {@code input.kind()} is one this test {@link #appliesTo}
     * @return the result, never null
     */
    public abstract TestResult streaming(StreamingInput input);

    /**
     * How far the statistic of {@link #streaming} may be from the exact statistic on the values the
     * summaries hold, in the statistic's own units. 0 for tests computed from exact counts.
     *
     * @param input the two summaries
     * @return a bound ≥ 0, or NaN when the statistic is undefined or the form has no bound
     */
    public double errorBound(StreamingInput input) {
        return 0.0;
    }

    /**
     * The default thresholds of an effect size, or null for a significance test (which gates through
     * the policy's alpha instead).
     *
     * @return the defaults, or null
     */
    public Thresholds defaultThresholds() {
        return null;
    }

    /**
     * Whether the policy decides drift on this effect size unless configured otherwise.
     *
     * @return true for a default deciding test
     */
    public boolean decidesByDefault() {
        return false;
    }

    /**
     * Whether this is the significance test whose p-value enters the policy's Benjamini-Hochberg
     * correction for the column kinds it applies to. At most one gate per column kind; other
     * significance tests are reported only.
     *
     * @return true for the gate
     */
    public boolean isSignificanceGate() {
        return false;
    }

    /**
     * The test explained to a reader of a report in a few sentences, without formulas: what it measures,
     * its range and how to read it (the HTML reports' glossary shows it). Every registered test has one.
     *
     * @return the explanation, or null for a test that has none yet
     */
    public String explanation() {
        return null;
    }

    /**
     * The lowest value the statistic can take: 0 for the distances and divergences; lower for a
     * standardised statistic that is negative when the samples agree better than chance would have it.
     *
     * @return the lower end of the statistic's range
     */
    public double lowestStatistic() {
        return 0.0;
    }

    /**
     * Whether a defined statistic of this test always comes with a p-value.
     *
     * @return true when a defined result without a p-value is an error
     */
    public boolean alwaysHasPValue() {
        return isSignificanceTest();
    }

    /**
     * The headers of this test's columns in the {@code compare} table: the statistic's, then the
     * p-value's for a significance test.
     *
     * @return one or two short headers
     */
    public List<String> reportColumns() {
        return isSignificanceTest() ? List.of(id, id + "_p") : List.of(id);
    }

    /**
     * The stable lower-case identifier of this test, used in configuration, topics and reports, such
     * as "psi" or "chisq".
     *
     * @return the identifier, never null
     */
    public final String id() {
        return id;
    }

    /**
     * The upper-case symbol of this test, as in the Avro {@code DriftTest} enum, such as "CHI_SQUARE".
     *
     * @return the symbol, never null
     */
    public final String name() {
        return name;
    }

    /** @return effect size or significance test */
    public final Kind kind() {
        return kind;
    }

    /** @return whether this test is an effect size, whose statistic is compared with a threshold */
    public final boolean isEffectSize() {
        return kind == Kind.EFFECT_SIZE;
    }

    /** @return whether this test gives a p-value */
    public final boolean isSignificanceTest() {
        return kind == Kind.SIGNIFICANCE;
    }

    /**
     * @param column a kind of column
     * @return whether this test applies to such columns
     */
    public final boolean appliesTo(ColumnKind column) {
        return columns.contains(column);
    }

    /**
     * The position of this test in {@link DriftTests#all()}. Stored in alert state: tests are only ever
     * appended to the registry.
     *
     * @return the position, from 0
     */
    public final int ordinal() {
        return DriftTests.all().indexOf(this);
    }

    @Override
    public final int compareTo(DriftTest other) {
        return Integer.compare(ordinal(), other.ordinal());
    }

    @Override
    public final String toString() {
        return name;
    }

    /**
     * Every test, in canonical order; as {@link DriftTests#all()}.
     *
     * @return a new array
     */
    public static DriftTest[] values() {
        return DriftTests.all().toArray(new DriftTest[0]);
    }

    /**
     * Looks a test up by its {@link #name()}, exactly.
     *
     * @param name an upper-case symbol such as "PSI"
     * @return the test
     * @throws IllegalArgumentException if no test has that symbol
     */
    public static DriftTest valueOf(String name) {
        for (DriftTest test : DriftTests.all()) {
            if (test.name.equals(name)) {
                return test;
            }
        }
        throw new IllegalArgumentException("unknown drift test name '" + name + "'");
    }

    /**
     * Looks a test up by its {@link #id()}, ignoring case and surrounding blanks.
     *
     * @param id an identifier such as "psi" or "chisq"
     * @return the test with that identifier
     * @throws IllegalArgumentException if {@code id} is null or names no test; the message lists
     *     the known identifiers
     */
    public static DriftTest fromId(String id) {
        if (id != null) {
            String wanted = id.strip().toLowerCase(Locale.ROOT);
            for (DriftTest test : DriftTests.all()) {
                if (test.id.equals(wanted)) {
                    return test;
                }
            }
        }
        StringBuilder known = new StringBuilder();
        for (DriftTest test : DriftTests.all()) {
            known.append(known.length() == 0 ? "" : ", ").append(test.id);
        }
        throw new IllegalArgumentException(
                "unknown drift test id '" + id + "'; expected one of: " + known);
    }
}
