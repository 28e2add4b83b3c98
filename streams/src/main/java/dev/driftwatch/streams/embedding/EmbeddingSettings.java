package dev.driftwatch.streams.embedding;

import dev.driftwatch.detectors.ColumnKind;
import dev.driftwatch.detectors.DriftTest;
import dev.driftwatch.detectors.DriftTests;
import dev.driftwatch.detectors.embedding.EmbeddingReference;
import dev.driftwatch.streams.Signals;
import dev.driftwatch.streams.Validators;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Embedding drift: how windows are judged, and how references are fitted (by {@code driftwatch baseline
 * --embeddings}).
 *
 * @param enabled     whether embeddings carried by events are summarised and tested ({@code embedding.enabled})
 * @param alpha       a window drifts when the combined p-value of mean distance, component share and MMD (the
 *                    smallest of their p-values, against the same minimum over the bootstrap windows) is at most
 *                    this ({@code embedding.alpha}); CRITICAL at a tenth of it
 * @param minSamples  a window with fewer vectors is reported, not judged ({@code embedding.min.samples})
 * @param maxNames    embeddings per model version beyond this many names are counted, not summarised
 *                    ({@code embedding.max.names})
 * @param fit         how references are fitted ({@code embedding.components}, {@code embedding.features},
 *                    {@code embedding.bootstrap.rounds}, {@code embedding.bootstrap.window},
 *                    {@code embedding.component.test}, {@code embedding.component.alpha}, {@code embedding.seed})
 */
public record EmbeddingSettings(boolean enabled, double alpha, int minSamples, int maxNames,
                                EmbeddingReference.Options fit) implements Signals.Settings {
    public static final String ENABLED_CONFIG = "embedding.enabled";
    public static final String ALPHA_CONFIG = "embedding.alpha";
    public static final String MIN_SAMPLES_CONFIG = "embedding.min.samples";
    public static final String MAX_NAMES_CONFIG = "embedding.max.names";
    public static final String COMPONENTS_CONFIG = "embedding.components";
    public static final String FEATURES_CONFIG = "embedding.features";
    public static final String BOOTSTRAP_ROUNDS_CONFIG = "embedding.bootstrap.rounds";
    public static final String BOOTSTRAP_WINDOW_CONFIG = "embedding.bootstrap.window";
    public static final String COMPONENT_TEST_CONFIG = "embedding.component.test";
    public static final String COMPONENT_ALPHA_CONFIG = "embedding.component.alpha";
    public static final String SEED_CONFIG = "embedding.seed";
    public static final double DEFAULT_ALPHA = 0.01;
    public static final int DEFAULT_MIN_SAMPLES = 30;
    public static final int DEFAULT_MAX_NAMES = 8;
    public static final int DEFAULT_COMPONENTS = 10;
    public static final int DEFAULT_FEATURES = 256;
    public static final int DEFAULT_BOOTSTRAP_ROUNDS = 999;
    public static final int DEFAULT_BOOTSTRAP_WINDOW = 3200;
    public static final String DEFAULT_COMPONENT_TEST = "wasserstein";
    public static final double DEFAULT_COMPONENT_ALPHA = 0.01;
    public static final long DEFAULT_SEED = 42;
    /** Grid points per component (a fifth of the features' default: the component test needs no finer). */
    public static final int GRID_RESOLUTION = 100;
    private static final String GROUP = "Embeddings";

    public EmbeddingSettings {
        if (!(alpha > 0 && alpha < 1) || minSamples < 1 || maxNames < 1 || fit == null) {
            throw new IllegalArgumentException("embedding settings out of range: alpha=" + alpha + " (in (0, 1)),"
                    + " min samples=" + minSamples + " (>= 1), max names=" + maxNames + " (>= 1)");
        }
    }

    /** The settings of this signal among {@code signals}; the defaults (on) when none were set. */
    public static EmbeddingSettings of(Signals signals) {
        return signals.get(EmbeddingSettings.class, EmbeddingSettings::defaults);
    }

    /** On, with every default. */
    public static EmbeddingSettings defaults() {
        return new EmbeddingSettings(true, DEFAULT_ALPHA, DEFAULT_MIN_SAMPLES, DEFAULT_MAX_NAMES, defaultFit());
    }

    /** The default fitting options. */
    public static EmbeddingReference.Options defaultFit() {
        return new EmbeddingReference.Options(DEFAULT_COMPONENTS, DEFAULT_FEATURES, DEFAULT_SEED,
                DEFAULT_BOOTSTRAP_ROUNDS, DEFAULT_BOOTSTRAP_WINDOW, DriftTest.fromId(DEFAULT_COMPONENT_TEST),
                DEFAULT_COMPONENT_ALPHA, GRID_RESOLUTION);
    }

    /** Declares the settings in driftwatch's configuration. */
    public static void define(ConfigDef def) {
        int order = 0;
        def.define(ENABLED_CONFIG, ConfigDef.Type.BOOLEAN, true, Validators.bool(), ConfigDef.Importance.MEDIUM,
                "Whether the named embeddings that events carry are summarised per window and model version and"
                        + " tested against their baseline embedding.NAME.", GROUP, ++order, ConfigDef.Width.SHORT,
                ENABLED_CONFIG);
        def.define(ALPHA_CONFIG, ConfigDef.Type.DOUBLE, DEFAULT_ALPHA, ConfigDef.Range.between(1e-6, 0.5),
                ConfigDef.Importance.MEDIUM, "A window's embedding drifts when the combined bootstrap p-value of its"
                        + " mean distance, principal-component share and MMD (the smallest of the three, against the"
                        + " same minimum over the bootstrap windows) is at most this; CRITICAL at a tenth of it.", GROUP,
                ++order, ConfigDef.Width.SHORT, ALPHA_CONFIG);
        def.define(MIN_SAMPLES_CONFIG, ConfigDef.Type.INT, DEFAULT_MIN_SAMPLES, ConfigDef.Range.atLeast(1),
                ConfigDef.Importance.LOW, "Windows with fewer embedding vectors are reported but not judged.", GROUP,
                ++order, ConfigDef.Width.SHORT, MIN_SAMPLES_CONFIG);
        def.define(MAX_NAMES_CONFIG, ConfigDef.Type.INT, DEFAULT_MAX_NAMES, ConfigDef.Range.between(1, 64),
                ConfigDef.Importance.LOW, "Embedding names summarised per window and model version; vectors of"
                        + " further names are counted, not summarised (state stays bounded).", GROUP, ++order,
                ConfigDef.Width.SHORT, MAX_NAMES_CONFIG);
        def.define(COMPONENTS_CONFIG, ConfigDef.Type.INT, DEFAULT_COMPONENTS, ConfigDef.Range.between(1, 100),
                ConfigDef.Importance.LOW, "Principal components k of the reference that a baseline keeps (driftwatch"
                        + " baseline --embeddings).", GROUP, ++order, ConfigDef.Width.SHORT, COMPONENTS_CONFIG);
        def.define(FEATURES_CONFIG, ConfigDef.Type.INT, DEFAULT_FEATURES, ConfigDef.Range.between(16, 8192),
                ConfigDef.Importance.LOW, "Random Fourier features D of the MMD estimate (its standard error falls as"
                        + " 1/sqrt(D); a window keeps D sums).", GROUP, ++order, ConfigDef.Width.SHORT,
                FEATURES_CONFIG);
        def.define(BOOTSTRAP_ROUNDS_CONFIG, ConfigDef.Type.INT, DEFAULT_BOOTSTRAP_ROUNDS,
                ConfigDef.Range.between(99, 100_000), ConfigDef.Importance.LOW, "Bootstrap rounds (a pseudo-reference and"
                        + " a window drawn from the reference) that give each embedding statistic its null distribution"
                        + " (p-values down to 1/(B+1)).",
                GROUP, ++order, ConfigDef.Width.SHORT, BOOTSTRAP_ROUNDS_CONFIG);
        def.define(BOOTSTRAP_WINDOW_CONFIG, ConfigDef.Type.INT, DEFAULT_BOOTSTRAP_WINDOW, ConfigDef.Range.atLeast(2),
                ConfigDef.Importance.LOW, "The largest simulated window: null distributions are drawn at this"
                        + " size and its halvings down to 25 vectors; a window is judged on the largest size at most"
                        + " its own.", GROUP,
                ++order, ConfigDef.Width.SHORT, BOOTSTRAP_WINDOW_CONFIG);
        def.define(COMPONENT_TEST_CONFIG, ConfigDef.Type.STRING, DEFAULT_COMPONENT_TEST,
                ConfigDef.ValidString.in(DriftTests.forKind(ColumnKind.NUMERIC).stream().map(DriftTest::id)
                        .toArray(String[]::new)), ConfigDef.Importance.LOW,
                "The drift test (an id of the drift-test registry, for numeric subjects) applied to each principal"
                        + " component.", GROUP, ++order, ConfigDef.Width.SHORT, COMPONENT_TEST_CONFIG);
        def.define(COMPONENT_ALPHA_CONFIG, ConfigDef.Type.DOUBLE, DEFAULT_COMPONENT_ALPHA,
                ConfigDef.Range.between(1e-6, 0.5), ConfigDef.Importance.LOW, "A component drifts when its test's"
                        + " p-value is at most this (an effect size: when it reaches its default warning threshold).",
                GROUP, ++order, ConfigDef.Width.SHORT, COMPONENT_ALPHA_CONFIG);
        def.define(SEED_CONFIG, ConfigDef.Type.LONG, DEFAULT_SEED, ConfigDef.Range.atLeast(0), ConfigDef.Importance.LOW, "Seed of the random"
                        + " Fourier features and of the bootstrap (stored in the baseline).", GROUP, ++order,
                ConfigDef.Width.SHORT, SEED_CONFIG);
    }

    /** The settings from a parsed configuration that {@link #define} declared. */
    public static EmbeddingSettings from(AbstractConfig config) {
        String test = config.getString(COMPONENT_TEST_CONFIG);
        DriftTest componentTest;
        try {
            componentTest = DriftTest.fromId(test);
        } catch (IllegalArgumentException e) {
            throw new org.apache.kafka.common.config.ConfigException(COMPONENT_TEST_CONFIG, test,
                    "not a drift test id; use one of the numeric tests, e.g. ks or psi");
        }
        return new EmbeddingSettings(config.getBoolean(ENABLED_CONFIG), config.getDouble(ALPHA_CONFIG),
                config.getInt(MIN_SAMPLES_CONFIG), config.getInt(MAX_NAMES_CONFIG),
                new EmbeddingReference.Options(config.getInt(COMPONENTS_CONFIG), config.getInt(FEATURES_CONFIG),
                        config.getLong(SEED_CONFIG), config.getInt(BOOTSTRAP_ROUNDS_CONFIG),
                        config.getInt(BOOTSTRAP_WINDOW_CONFIG), componentTest, config.getDouble(COMPONENT_ALPHA_CONFIG),
                        GRID_RESOLUTION));
    }
}
