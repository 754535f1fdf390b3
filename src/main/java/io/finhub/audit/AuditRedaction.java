package io.finhub.audit;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Takes credentials out of what is audited. An audit entry can never be scrubbed later (its hash
 * chains every entry after it), so a value is replaced by {@link #REDACTED} before it is appended
 * whenever its name, at any depth, is one of {@link #SECRET_NAMES} or ends with one of them
 * ({@code webhookSecret}, {@code access_token}, {@code dbPassword}), compared without case,
 * {@code _} or {@code -}. A text value that is a URL keeps its address but not the credentials it
 * carries: the password of its user information (all of it when it is a token alone) and the values of
 * secret-named query parameters ({@code https://hooks.example/x?token=...}).
 */
public final class AuditRedaction {
    public static final String REDACTED = "<redacted>";
    /**
     * The names of credentials: webhook HMAC secrets ({@code createAlertWebhook}), passwords, API and
     * access tokens, keys and client secrets, and authorization values. Not {@code key} alone: an
     * {@code idempotencyKey} is no secret and is what an auditor looks for.
     */
    static final Set<String> SECRET_NAMES = Set.of("secret", "password", "passwd", "passphrase", "token", "apikey", "privatekey", "credential",
            "credentials", "authorization", "encryptionkey");

    private AuditRedaction() {}

    /** A copy of {@code value} (maps, lists and scalars, as JSON holds them) with every secret-named entry redacted. */
    public static Object redact(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((name, entry) -> copy.put(name, isSecret(String.valueOf(name)) && entry != null ? REDACTED : redact(entry)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(entry -> copy.add(redact(entry)));
            return copy;
        }
        if (value instanceof String text && text.contains("://")) {
            return redactUrl(text);
        }
        return value;
    }

    private static final java.util.regex.Pattern URL = java.util.regex.Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)(?:([^/?#@]*)@)?([^?#]*)(?:\\?([^#]*))?(#.*)?$",
            java.util.regex.Pattern.DOTALL);

    /**
     * {@code url} without its credentials: {@code https://alice:<redacted>@host/path?token=<redacted>}; a text that is
     * not a URL as it is.
     */
    public static String redactUrl(String url) {
        java.util.regex.Matcher matcher = URL.matcher(url);
        if (!matcher.matches()) {
            return url;
        }
        StringBuilder redacted = new StringBuilder(matcher.group(1));
        String userInfo = matcher.group(2);
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            redacted.append(colon < 0 ? REDACTED : userInfo.substring(0, colon + 1) + REDACTED).append('@');
        }
        redacted.append(matcher.group(3));
        if (matcher.group(4) != null) {
            redacted.append('?').append(redactQuery(matcher.group(4)));
        }
        if (matcher.group(5) != null) {
            redacted.append(matcher.group(5));
        }
        return redacted.toString();
    }

    /** A URL query string ({@code a=1&token=...}) with the values of secret-named parameters redacted. */
    public static String redactQuery(String query) {
        if (query == null || query.isEmpty()) {
            return "";
        }
        StringJoiner redacted = new StringJoiner("&");
        for (String parameter : query.split("&", -1)) {
            int equals = parameter.indexOf('=');
            String name = equals < 0 ? parameter : parameter.substring(0, equals);
            redacted.add(equals >= 0 && isSecret(decodedName(name)) ? name + "=" + REDACTED : parameter);
        }
        return redacted.toString();
    }

    static boolean isSecret(String name) {
        String normalized = name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
        return SECRET_NAMES.stream().anyMatch(normalized::endsWith);
    }

    private static String decodedName(String name) {
        try {
            return URLDecoder.decode(name, StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException e) {
            return name;
        }
    }
}
