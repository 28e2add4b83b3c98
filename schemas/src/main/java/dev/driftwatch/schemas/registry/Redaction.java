package dev.driftwatch.schemas.registry;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.types.Password;

/**
 * Hides secrets in whatever driftwatch prints or logs: settings, URLs and messages that quote them.
 * The one place that decides what is a secret, used by the start-up settings log, {@code run --check},
 * every command's error line and the registry client's messages.
 *
 * <ul>
 *   <li>The value of a key whose name holds a secret marker ({@code password}, {@code secret},
 *       {@code sasl.jaas.config}, {@code user.info}, {@code token}, {@code private.key}, ...): shown as
 *       {@value #HIDDEN}.</li>
 *   <li>The user-info part of a URL, anywhere in any value or text
 *       ({@code http://user:pass@host} becomes {@code http://user:[hidden]@host}; a user-info without a
 *       colon, often a token, is hidden whole).</li>
 * </ul>
 */
public final class Redaction {
    /** How a hidden value is shown. */
    public static final String HIDDEN = "[hidden]";

    /** Parts of key names whose values are secrets. */
    private static final List<String> SECRET_MARKERS = List.of("password", "secret", "sasl.jaas.config", "user.info",
            "private.key", "keystore.key", "passphrase", "token", "api.key", "apikey");
    /** A URL's scheme and authority up to its last '@': the user-info is group 2. */
    private static final Pattern URL_USER_INFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)([^/?#\\s]*)@");

    private Redaction() {
    }

    /** Whether the value of {@code key} is a secret that is never printed (see the class comment). */
    public static boolean isSecretKey(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".url") || lower.endsWith(".urls")) {
            return false; // e.g. sasl.oauthbearer.token.endpoint.url: a URL, whose user-info text() hides
        }
        return SECRET_MARKERS.stream().anyMatch(lower::contains);
    }

    /**
     * {@code value} as it may be shown for {@code key}: {@value #HIDDEN} for a secret key or a Kafka
     * {@link Password}, otherwise its text with every URL's user-info hidden; null stays null.
     */
    public static Object value(String key, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Password || isSecretKey(key)) {
            return HIDDEN;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(v -> v == null ? null : text(String.valueOf(v))).toList();
        }
        return value instanceof String s ? text(s) : value;
    }

    /** {@code text} with the password (or whole user-info, when it has no colon) of every URL in it hidden. */
    public static String text(String text) {
        if (text == null || text.indexOf('@') < 0) {
            return text;
        }
        Matcher m = URL_USER_INFO.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String userInfo = m.group(2);
            int colon = userInfo.indexOf(':');
            String shown = colon < 0 ? HIDDEN : userInfo.substring(0, colon + 1) + HIDDEN;
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + shown + "@"));
        }
        m.appendTail(out);
        return out.toString();
    }
}
