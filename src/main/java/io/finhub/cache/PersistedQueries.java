package io.finhub.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Automatic persisted queries, as Apollo clients speak them: a request names its document by
 * {@code extensions.persistedQuery.sha256Hash} (version 1). Without {@code query}, a known hash
 * stands for its document and an unknown one answers {@code PersistedQueryNotFound}, upon which the
 * client sends hash and document together once, and the hash is known from then on.
 */
public final class PersistedQueries {
    public static final String NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND";
    public static final String HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH";
    public static final String UNSUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED";

    private final Cache<String, String> documents;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong registered = new AtomicLong();

    public PersistedQueries(long maximumDocuments) {
        this.documents = Caffeine.newBuilder().maximumSize(maximumDocuments).build();
    }

    /** A refused persisted-query request: the error code, the message clients expect, the HTTP status. */
    public static final class PersistedQueryException extends RuntimeException {
        private final String code;
        private final int httpStatus;

        PersistedQueryException(String code, String message, int httpStatus) {
            super(message);
            this.code = code;
            this.httpStatus = httpStatus;
        }

        public String code() {
            return code;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    /**
     * The document a request runs: {@code query} itself (registered under its hash when the request
     * names one), or the document registered under the hash.
     *
     * @return the document, or null when the request has neither a query nor a persisted query
     * @throws PersistedQueryException for an unknown hash without a document (HTTP 200, as Apollo
     *         clients expect), a hash that is not the document's, or an unsupported version (400)
     */
    public String resolve(String query, Map<String, Object> extensions) {
        Object persisted = extensions == null ? null : extensions.get("persistedQuery");
        if (persisted == null) {
            return query;
        }
        if (!(persisted instanceof Map<?, ?> fields) || !(fields.get("sha256Hash") instanceof String hash)) {
            throw new PersistedQueryException("BAD_REQUEST", "extensions.persistedQuery needs a sha256Hash string", 400);
        }
        if (!Integer.valueOf(1).equals(fields.get("version")) && !"1".equals(String.valueOf(fields.get("version")))) {
            throw new PersistedQueryException(UNSUPPORTED, "Unsupported persisted query version " + fields.get("version") + "; only 1 is", 400);
        }
        String normalizedHash = hash.toLowerCase(Locale.ROOT);
        if (query == null) {
            String known = documents.getIfPresent(normalizedHash);
            if (known == null) {
                misses.incrementAndGet();
                throw new PersistedQueryException(NOT_FOUND, "PersistedQueryNotFound", 200);
            }
            hits.incrementAndGet();
            return known;
        }
        if (!sha256(query).equals(normalizedHash)) {
            throw new PersistedQueryException(HASH_MISMATCH, "provided sha does not match query", 400);
        }
        if (documents.asMap().putIfAbsent(normalizedHash, query) == null) {
            registered.incrementAndGet();
        }
        return query;
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    Map<String, Object> metrics() {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("documents", documents.estimatedSize());
        metrics.put("hits", hits.get());
        metrics.put("misses", misses.get());
        metrics.put("registered", registered.get());
        return metrics;
    }
}
