package dev.driftwatch.streams.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The configuration reference, docs/configuration.md, written from the {@link ConfigDef} of
 * {@link DriftwatchConfig}: every key with its type, default, accepted values, environment variable and
 * documentation, grouped as the definition groups them. The file is generated so that it cannot drift from
 * the code; {@code ConfigurationReferenceTest} fails when the committed file differs and says how to
 * write it again.
 */
public final class ConfigurationReference {
    /** Where the reference lives, relative to the repository root. */
    public static final String PATH = "docs/configuration.md";

    private ConfigurationReference() {
    }

    /** The reference of driftwatch's own keys, as Markdown. */
    public static String markdown() {
        return markdown(DriftwatchConfig.configDef());
    }

    /** The reference of the keys of {@code def}, groups in the order they were first defined. */
    static String markdown(ConfigDef def) {
        StringBuilder out = new StringBuilder();
        out.append("<!-- Generated from DriftwatchConfig's ConfigDef by ConfigurationReference: do not edit by hand."
                + " ConfigurationReferenceTest prints the command that writes it again. -->\n");
        out.append("# Configuration reference\n\n");
        out.append("Every key that driftwatch itself reads, with its type, default and accepted values. A key is set in"
                + " the `.properties`\nfile given with `--config`, or by its environment variable, which wins over"
                + " the file; a command's own flags\n(such as `--bootstrap-servers`) win over both. Kafka client and"
                + " Streams keys, and the schema registry's, pass\nthrough as [deployment.md](deployment.md#properties)"
                + " describes. A bad value stops the command with one line naming\nthe key, the value, what is"
                + " allowed and where it was set (exit status 2).\n");
        for (Map.Entry<String, List<ConfigKey>> group : groups(def).entrySet()) {
            out.append("\n## ").append(group.getKey()).append("\n");
            for (ConfigKey key : group.getValue()) {
                out.append("\n### `").append(key.name).append("`\n\n");
                out.append(markdownText(key.documentation.strip())).append("\n\n");
                out.append("- type: ").append(key.type.name().toLowerCase(Locale.ROOT))
                        .append("; default: ").append(defaultOf(key)).append("\n");
                if (key.validator != null) {
                    out.append("- accepts: ").append(markdownText(accepts(key.validator))).append("\n");
                }
                out.append("- environment: `").append(DriftwatchConfig.environmentVariableOf(key.name)).append("`\n");
            }
        }
        return out.toString();
    }

    private static Map<String, List<ConfigKey>> groups(ConfigDef def) {
        Map<String, List<ConfigKey>> groups = new LinkedHashMap<>();
        for (String group : def.groups()) {
            groups.put(group, new ArrayList<>());
        }
        for (ConfigKey key : def.configKeys().values()) {
            groups.computeIfAbsent(key.group == null ? "Other" : key.group, g -> new ArrayList<>()).add(key);
        }
        groups.values().forEach(keys -> keys.sort(Comparator.comparingInt((ConfigKey k) -> k.orderInGroup)
                .thenComparing(k -> k.name)));
        groups.values().removeIf(List::isEmpty);
        return groups;
    }

    /** What a validator accepts; Range.between(Double.MIN_VALUE, x) is how a ConfigDef says "above 0". */
    private static String accepts(ConfigDef.Validator validator) {
        return String.valueOf(validator).replace("[" + Double.MIN_VALUE + ",", "(0,");
    }

    /** Prose as Markdown shows it: {@code <name>} would otherwise be taken for an HTML tag and vanish. */
    private static String markdownText(String text) {
        return text.replace("<", "&lt;");
    }

    private static String defaultOf(ConfigKey key) {
        if (!key.hasDefault()) {
            return "(required)";
        }
        Object value = key.defaultValue;
        if (value == null) {
            return "(none)";
        }
        String shown = value instanceof List<?> list
                ? String.join(",", list.stream().map(String::valueOf).toList())
                : String.valueOf(value);
        return shown.isEmpty() ? "(empty)" : "`" + shown + "`";
    }
}
