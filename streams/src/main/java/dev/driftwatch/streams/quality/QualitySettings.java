package dev.driftwatch.streams.quality;

import dev.driftwatch.streams.Signals;
import dev.driftwatch.streams.Validators;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data-quality checks' settings (the {@code quality.*} keys); see docs/signals.md for what each check
 * measures.
 *
 * @param enabled             whether the checks run ({@code quality.enabled})
 * @param minEvents           windows with fewer events are reported but their missing-share, range and unseen checks
 *                            neither fire nor resolve ({@code quality.min.events}); the absence and type checks
 *                            judge every window
 * @param alpha               significance of the missing-share test and of the absence check ({@code quality.alpha})
 * @param missingIncrease     rise of the missing share over the reference's that alerts, in (0, 1]
 *                            ({@code quality.missing.share.increase})
 * @param unseenShare         share of categorical values outside the reference's categories that alerts
 *                            ({@code quality.unseen.share.threshold})
 * @param unseenTop           how many of the most frequent unseen categories a window reports ({@code quality.unseen.top})
 * @param rangeShare          share of finite numeric values outside the range that alerts
 *                            ({@code quality.range.share.threshold})
 * @param typeShare           share of events sending a subject with the wrong type that alerts, at least one
 *                            ({@code quality.type.share.threshold})
 * @param bounds              configured ranges by subject, in place of the reference's [minimum, maximum]
 *                            ({@code quality.range.bounds})
 */
public record QualitySettings(boolean enabled, int minEvents, double alpha, double missingIncrease, double unseenShare,
                              int unseenTop, double rangeShare, double typeShare, Map<String, Range> bounds)
        implements Signals.Settings {
    public static final String ENABLED_CONFIG = "quality.enabled";
    public static final String MIN_EVENTS_CONFIG = "quality.min.events";
    public static final String ALPHA_CONFIG = "quality.alpha";
    public static final String MISSING_INCREASE_CONFIG = "quality.missing.share.increase";
    public static final String UNSEEN_SHARE_CONFIG = "quality.unseen.share.threshold";
    public static final String UNSEEN_TOP_CONFIG = "quality.unseen.top";
    public static final String RANGE_SHARE_CONFIG = "quality.range.share.threshold";
    public static final String TYPE_SHARE_CONFIG = "quality.type.share.threshold";
    public static final String BOUNDS_CONFIG = "quality.range.bounds";
    public static final boolean DEFAULT_ENABLED = true;
    public static final int DEFAULT_MIN_EVENTS = 100;
    public static final double DEFAULT_ALPHA = 0.01;
    public static final double DEFAULT_MISSING_INCREASE = 0.05;
    public static final double DEFAULT_UNSEEN_SHARE = 0.05;
    public static final int DEFAULT_UNSEEN_TOP = 5;
    public static final double DEFAULT_RANGE_SHARE = 0.05;
    public static final double DEFAULT_TYPE_SHARE = 0.0;
    private static final String GROUP = "Data quality";

    /** A configured range: values below {@code low} or above {@code high} are out of range. */
    public record Range(double low, double high) {
    }

    public QualitySettings {
        check(minEvents >= 1, MIN_EVENTS_CONFIG, minEvents, ">= 1");
        check(alpha > 0 && alpha < 1, ALPHA_CONFIG, alpha, "in (0, 1)");
        check(missingIncrease > 0 && missingIncrease <= 1, MISSING_INCREASE_CONFIG, missingIncrease, "in (0, 1]");
        check(unseenShare > 0 && unseenShare <= 1, UNSEEN_SHARE_CONFIG, unseenShare, "in (0, 1]");
        check(unseenTop >= 1 && unseenTop <= 100, UNSEEN_TOP_CONFIG, unseenTop, "in 1..100");
        check(rangeShare > 0 && rangeShare <= 1, RANGE_SHARE_CONFIG, rangeShare, "in (0, 1]");
        check(typeShare >= 0 && typeShare <= 1, TYPE_SHARE_CONFIG, typeShare, "in [0, 1]");
        bounds = Map.copyOf(bounds);
    }

    private static void check(boolean ok, String key, Object value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException(key + " is " + value + "; it must be " + expected);
        }
    }

    /** The settings of this signal among {@code signals}; disabled when none were set. */
    public static QualitySettings of(Signals signals) {
        return signals.get(QualitySettings.class, QualitySettings::disabled);
    }

    /** Off, with the default thresholds (what {@link Signals#none()} gives). */
    public static QualitySettings disabled() {
        return defaults().withEnabled(false);
    }

    /** On, with the default thresholds (as the configuration's default: {@link #DEFAULT_ENABLED}). */
    public static QualitySettings defaults() {
        return new QualitySettings(true, DEFAULT_MIN_EVENTS, DEFAULT_ALPHA, DEFAULT_MISSING_INCREASE,
                DEFAULT_UNSEEN_SHARE, DEFAULT_UNSEEN_TOP, DEFAULT_RANGE_SHARE, DEFAULT_TYPE_SHARE, Map.of());
    }

    public QualitySettings withEnabled(boolean on) {
        return new QualitySettings(on, minEvents, alpha, missingIncrease, unseenShare, unseenTop, rangeShare, typeShare,
                bounds);
    }

    public QualitySettings withMinEvents(int n) {
        return new QualitySettings(enabled, n, alpha, missingIncrease, unseenShare, unseenTop, rangeShare, typeShare,
                bounds);
    }

    public QualitySettings withBounds(Map<String, Range> b) {
        return new QualitySettings(enabled, minEvents, alpha, missingIncrease, unseenShare, unseenTop, rangeShare,
                typeShare, b);
    }

    /** Declares the settings in driftwatch's configuration. */
    public static void define(ConfigDef def) {
        int order = 0;
        def.define(ENABLED_CONFIG, ConfigDef.Type.BOOLEAN, DEFAULT_ENABLED, Validators.bool(),
                ConfigDef.Importance.MEDIUM, "Whether to check the data quality of every feature and output per window:"
                        + " missing share, absence, unseen categories, out-of-range values and type mismatches"
                        + " against the baseline (records of subject kind DATA_QUALITY, alerts of kind DATA_QUALITY).",
                GROUP, ++order, ConfigDef.Width.SHORT, ENABLED_CONFIG);
        def.define(MIN_EVENTS_CONFIG, ConfigDef.Type.INT, DEFAULT_MIN_EVENTS, ConfigDef.Range.atLeast(1),
                ConfigDef.Importance.LOW, "Windows with fewer events are reported, but their missing-share, range and"
                        + " unseen-category checks neither fire nor resolve an alert (absence and type mismatches are"
                        + " judged in every window).", GROUP, ++order, ConfigDef.Width.SHORT, MIN_EVENTS_CONFIG);
        def.define(ALPHA_CONFIG, ConfigDef.Type.DOUBLE, DEFAULT_ALPHA, ConfigDef.Range.between(1e-12, 0.5),
                ConfigDef.Importance.LOW, "Significance of the missing-share test (one-sided two-proportion test against"
                        + " the reference's missing share) and of the absence check (a subject absent from all n events"
                        + " alerts when its reference present share q gives (1 - q)^n <= alpha).",
                GROUP, ++order, ConfigDef.Width.SHORT, ALPHA_CONFIG);
        def.define(MISSING_INCREASE_CONFIG, ConfigDef.Type.DOUBLE, DEFAULT_MISSING_INCREASE,
                ConfigDef.Range.between(1e-9, 1), ConfigDef.Importance.MEDIUM, "How far the window's missing share"
                        + " (absent, null, empty, NaN, infinite) must rise above the reference's, in absolute terms, to"
                        + " alert (with the test significant at " + ALPHA_CONFIG + ").",
                GROUP, ++order, ConfigDef.Width.SHORT, MISSING_INCREASE_CONFIG);
        def.define(UNSEEN_SHARE_CONFIG, ConfigDef.Type.DOUBLE, DEFAULT_UNSEEN_SHARE, ConfigDef.Range.between(1e-9, 1),
                ConfigDef.Importance.MEDIUM, "Share of a categorical subject's values outside the reference's"
                        + " categories at or above which it alerts.", GROUP, ++order, ConfigDef.Width.SHORT,
                UNSEEN_SHARE_CONFIG);
        def.define(UNSEEN_TOP_CONFIG, ConfigDef.Type.INT, DEFAULT_UNSEEN_TOP, ConfigDef.Range.between(1, 100),
                ConfigDef.Importance.LOW, "How many of the most frequent unseen categories a window reports, with their"
                        + " counts.", GROUP, ++order, ConfigDef.Width.SHORT, UNSEEN_TOP_CONFIG);
        def.define(RANGE_SHARE_CONFIG, ConfigDef.Type.DOUBLE, DEFAULT_RANGE_SHARE, ConfigDef.Range.between(1e-9, 1),
                ConfigDef.Importance.MEDIUM, "Share of a numeric subject's finite values outside the reference's"
                        + " [minimum, maximum] (or " + BOUNDS_CONFIG + ") at or above which it alerts; infinities are"
                        + " counted apart, as missing.", GROUP, ++order, ConfigDef.Width.SHORT, RANGE_SHARE_CONFIG);
        def.define(TYPE_SHARE_CONFIG, ConfigDef.Type.DOUBLE, DEFAULT_TYPE_SHARE, ConfigDef.Range.between(0, 1),
                ConfigDef.Importance.LOW, "Share of events that send a subject with the other type than its baseline's"
                        + " (a numeric feature as a string, a categorical one as a number) at or above which it alerts;"
                        + " 0 alerts on any.", GROUP, ++order, ConfigDef.Width.SHORT, TYPE_SHARE_CONFIG);
        def.define(BOUNDS_CONFIG, ConfigDef.Type.LIST, "", BOUNDS_VALIDATOR, ConfigDef.Importance.LOW,
                "Ranges checked in place of the"
                        + " reference's [minimum, maximum], as SUBJECT:LOW:HIGH items (e.g. age:0:120); LOW or HIGH may"
                        + " be empty for no bound on that side.", GROUP, ++order, ConfigDef.Width.LONG, BOUNDS_CONFIG);
    }

    private static final ConfigDef.Validator BOUNDS_VALIDATOR = new ConfigDef.Validator() {
        @Override
        public void ensureValid(String name, Object value) {
            if (value instanceof List<?> items) {
                try {
                    parseBounds(items.stream().map(String::valueOf).toList());
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(e.getMessage());
                }
            }
        }

        @Override
        public String toString() {
            return "SUBJECT:LOW:HIGH items";
        }
    };

    /** The settings from a parsed configuration that {@link #define} declared. */
    public static QualitySettings from(AbstractConfig config) {
        try {
            return new QualitySettings(config.getBoolean(ENABLED_CONFIG), config.getInt(MIN_EVENTS_CONFIG),
                    config.getDouble(ALPHA_CONFIG), config.getDouble(MISSING_INCREASE_CONFIG),
                    config.getDouble(UNSEEN_SHARE_CONFIG), config.getInt(UNSEEN_TOP_CONFIG),
                    config.getDouble(RANGE_SHARE_CONFIG), config.getDouble(TYPE_SHARE_CONFIG),
                    parseBounds(config.getList(BOUNDS_CONFIG)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /**
     * Parses SUBJECT:LOW:HIGH items (the subject may contain ':'; the last two fields are the bounds).
     *
     * @throws IllegalArgumentException naming the bad item and the expected form
     */
    public static Map<String, Range> parseBounds(List<String> items) {
        Map<String, Range> bounds = new LinkedHashMap<>();
        for (String item : items) {
            String s = item.trim();
            if (s.isEmpty()) {
                continue;
            }
            int second = s.lastIndexOf(':');
            int first = second <= 0 ? -1 : s.lastIndexOf(':', second - 1);
            if (first <= 0) {
                throw new IllegalArgumentException(BOUNDS_CONFIG + " item '" + s + "' is not SUBJECT:LOW:HIGH"
                        + " (e.g. age:0:120)");
            }
            double low = bound(s, s.substring(first + 1, second), Double.NEGATIVE_INFINITY);
            double high = bound(s, s.substring(second + 1), Double.POSITIVE_INFINITY);
            if (!(low <= high)) {
                throw new IllegalArgumentException(BOUNDS_CONFIG + " item '" + s + "' has LOW above HIGH");
            }
            bounds.put(s.substring(0, first), new Range(low, high));
        }
        return bounds;
    }

    private static double bound(String item, String text, double open) {
        if (text.isBlank()) {
            return open;
        }
        try {
            double v = Double.parseDouble(text.trim());
            if (Double.isNaN(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(BOUNDS_CONFIG + " item '" + item + "' has the bound '" + text
                    + "', not a number (SUBJECT:LOW:HIGH, e.g. age:0:120)");
        }
    }
}
