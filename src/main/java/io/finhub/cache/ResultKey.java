package io.finhub.cache;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HexFormat;

/**
 * What makes two requests the same answer: the normalised document (its printed AST), the operation,
 * the variables (canonical JSON), the caller's scope, the data version, the day (reports default
 * {@code asOf} to today) and the server's configuration ({@link CacheSettings#configuration()}:
 * reporting currency, fiscal start month, build), which the disk tier outlives.
 */
record ResultKey(String document, String operationName, String variables, String scope, long dataVersion, LocalDate day, String configuration) {
    ResultKey {
        requireNonNull(document, "document is null");
        operationName = operationName == null ? "" : operationName;
        requireNonNull(variables, "variables is null");
        requireNonNull(scope, "scope is null");
        requireNonNull(day, "day is null");
        requireNonNull(configuration, "configuration is null");
    }

    /** Approximate bytes the key holds in memory, for the cache's weight. */
    int weight() {
        return 96 + 2 * (document.length() + operationName.length() + variables.length() + scope.length() + configuration.length());
    }

    /** A stable name of the key across restarts: {@code v<dataVersion>-<SHA-256 of every component>}. */
    String digest() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {document, operationName, variables, scope, day.toString(), configuration}) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                sha.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
                sha.update((byte) ':');
                sha.update(bytes);
            }
            return "v" + dataVersion + "-" + HexFormat.of().formatHex(sha.digest());
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The data version of a {@link #digest()}, or -1 when it is not one. */
    static long dataVersionOf(String digest) {
        int dash = digest.indexOf('-');
        if (!digest.startsWith("v") || dash < 2) {
            return -1;
        }
        try {
            return Long.parseLong(digest.substring(1, dash));
        }
        catch (NumberFormatException e) {
            return -1;
        }
    }
}
