package io.finhub.audit;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
            return redactUrls(text);
        }
        return value;
    }

    /** Where a URL starts: its scheme and {@code ://}. */
    private static final java.util.regex.Pattern URL_START = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://");

    /**
     * {@code text} with every URL in it (from its scheme to the next white space) without its credentials:
     * {@code https://alice:<redacted>@host/path?token=<redacted>}. The user information runs to the last {@code @}
     * before the query or fragment (a password may hold an unescaped {@code @} or {@code /}): redacted after its first
     * colon, or all of it when it is a token alone; an {@code @} after a {@code /} without any colon is a path's
     * ({@code https://example.com/@team}) and kept. Secret-named parameters of the query and of the fragment
     * ({@code #access_token=...}) are redacted, whether separated by {@code &} or {@code ;}.
     */
    public static String redactUrls(String text) {
        java.util.regex.Matcher start = URL_START.matcher(text);
        StringBuilder redacted = new StringBuilder();
        int copied = 0;
        while (start.find(copied)) {
            int end = start.end();
            while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
                end++;
            }
            redacted.append(text, copied, start.end()).append(redactAfterScheme(text.substring(start.end(), end)));
            copied = end;
        }
        return redacted.append(text.substring(copied)).toString();
    }

    /** A URL after its {@code scheme://}: user information, host and path, query, fragment. */
    private static String redactAfterScheme(String rest) {
        int fragment = rest.indexOf('#');
        String beforeFragment = fragment < 0 ? rest : rest.substring(0, fragment);
        int query = beforeFragment.indexOf('?');
        String authorityAndPath = query < 0 ? beforeFragment : beforeFragment.substring(0, query);
        StringBuilder redacted = new StringBuilder();
        int at = authorityAndPath.lastIndexOf('@');
        String userInfo = at < 0 ? "" : authorityAndPath.substring(0, at);
        int colon = userInfo.indexOf(':');
        if (at >= 0 && (colon >= 0 || userInfo.indexOf('/') < 0)) {
            redacted.append(colon < 0 ? REDACTED : userInfo.substring(0, colon + 1) + REDACTED).append(authorityAndPath.substring(at));
        }
        else {
            redacted.append(authorityAndPath);
        }
        if (query >= 0) {
            redacted.append('?').append(redactParameters(beforeFragment.substring(query + 1)));
        }
        if (fragment >= 0) {
            redacted.append('#').append(redactParameters(rest.substring(fragment + 1)));
        }
        return redacted.toString();
    }

    /** A URL query string ({@code a=1&token=...}) with the values of secret-named parameters redacted. */
    public static String redactQuery(String query) {
        return query == null ? "" : redactParameters(query);
    }

    /** {@code name=value} parameters separated by {@code &} or {@code ;}, with the values of secret-named ones redacted. */
    private static String redactParameters(String parameters) {
        StringBuilder redacted = new StringBuilder();
        // Each piece keeps the separator that ends it.
        for (String piece : parameters.split("(?<=[&;])", -1)) {
            boolean separated = piece.endsWith("&") || piece.endsWith(";");
            String parameter = separated ? piece.substring(0, piece.length() - 1) : piece;
            int equals = parameter.indexOf('=');
            String name = equals < 0 ? parameter : parameter.substring(0, equals);
            redacted.append(equals >= 0 && isSecret(decodedName(name)) ? name + "=" + REDACTED : parameter);
            if (separated) {
                redacted.append(piece.charAt(piece.length() - 1));
            }
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
