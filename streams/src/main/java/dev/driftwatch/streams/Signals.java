package dev.driftwatch.streams;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The settings of what the pipeline watches besides feature and output drift (business outcomes, service
 * levels, shadow and canary versions, human review), one value per signal, by the type of its settings.
 *
 * <p>This class names no signal: each signal's settings type reads itself from here (e.g.
 * {@code BusinessSettings.of(signals)}), with its own default when it was not set, so that the settings the
 * whole pipeline shares do not depend on the signals' packages.
 */
public final class Signals {
    /** The settings of one signal. */
    public interface Settings {
        /** Whether the signal is on. */
        boolean enabled();

        /**
         * How much longer than its end plus grace a window stays open for this signal (e.g. for outcomes to
         * be joined to its requests), in milliseconds; zero when off.
         */
        default long closeDelayMs() {
            return 0;
        }
    }

    private static final Signals NONE = new Signals(Map.of());

    private final Map<Class<? extends Settings>, Settings> byType;

    private Signals(Map<Class<? extends Settings>, Settings> byType) {
        this.byType = byType;
    }

    /** Nothing set: every signal's default (off), only feature and output drift. */
    public static Signals none() {
        return NONE;
    }

    /** These settings with {@code settings} for its signal, in place of any the signal had. */
    public Signals with(Settings settings) {
        Objects.requireNonNull(settings, "settings");
        Map<Class<? extends Settings>, Settings> copy = new LinkedHashMap<>(byType);
        copy.put(settings.getClass(), settings);
        return new Signals(Map.copyOf(copy));
    }

    /** The settings of the given type, or {@code absent}'s when none were set. */
    public <T extends Settings> T get(Class<T> type, Supplier<T> absent) {
        Settings s = byType.get(type);
        return s == null ? absent.get() : type.cast(s);
    }

    /** How much longer than its end plus grace a window stays open: the longest delay a signal needs. */
    public long closeDelayMs() {
        long delay = 0;
        for (Settings s : byType.values()) {
            delay = Math.max(delay, s.closeDelayMs());
        }
        return delay;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Signals other && byType.equals(other.byType);
    }

    @Override
    public int hashCode() {
        return byType.hashCode();
    }

    @Override
    public String toString() {
        return "Signals" + byType.values();
    }
}
