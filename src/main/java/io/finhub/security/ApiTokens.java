package io.finhub.security;

import static java.util.Objects.requireNonNull;

import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * API tokens for BI tools and services ({@code security_api_token}): long random secrets, sent as a
 * bearer token or as the HTTP Basic password. Only their SHA-256 is stored; the secret is shown once.
 */
public final class ApiTokens {
    /** Every API token starts with this, so a bearer value is told from a JWT without guessing. */
    public static final String PREFIX = "fhk_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Store store;
    private final Clock clock;

    public ApiTokens(Store store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** A stored token's grants (never its secret). */
    public record ApiToken(String id, String name, Set<Scope> scopes, Set<Role> roles, Optional<List<String>> departments, Instant createdAt,
            Optional<Instant> revokedAt) {
        public ApiToken {
            requireNonNull(id, "id is null");
            requireNonNull(name, "name is null");
            scopes = Set.copyOf(scopes);
            roles = Set.copyOf(roles);
            requireNonNull(departments, "departments is null");
            requireNonNull(createdAt, "createdAt is null");
            requireNonNull(revokedAt, "revokedAt is null");
        }
    }

    /** A new token and its secret, which is not stored and cannot be shown again. */
    public record Created(ApiToken token, String secret) {}

    public Created create(String name, Set<Scope> scopes, Set<Role> roles, Optional<List<String>> departments) {
        if (name == null || name.isBlank()) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "an API token needs a name");
        }
        if (scopes.isEmpty()) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "an API token needs at least one scope");
        }
        String id = randomText(9);
        String secret = PREFIX + id + "_" + randomText(32);
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        store.jdbi().useHandle(handle -> handle.createUpdate("""
                        INSERT INTO security_api_token VALUES (:id, :name, :hash, CAST(:scopes AS VARCHAR[]), CAST(:roles AS VARCHAR[]),
                            CASE WHEN :restricted THEN CAST(:departments AS VARCHAR[]) END, :createdAt, NULL)""")
                .bind("id", id)
                .bind("name", name)
                .bind("hash", sha256(secret))
                .bind("scopes", scopes.stream().map(Scope::claim).sorted().toArray(String[]::new))
                .bind("roles", roles.stream().map(Role::claim).sorted().toArray(String[]::new))
                .bind("restricted", departments.isPresent())
                .bind("departments", departments.orElse(List.of()).toArray(String[]::new))
                .bind("createdAt", LocalDateTime.ofInstant(now, ZoneOffset.UTC))
                .execute());
        return new Created(new ApiToken(id, name, scopes, roles, departments, now, Optional.empty()), secret);
    }

    /** The active (not revoked) token with this secret. */
    public Optional<ApiToken> find(String secret) {
        return store.jdbi().withHandle(handle -> handle.createQuery("SELECT * FROM security_api_token WHERE secret_sha256 = :hash AND revoked_at IS NULL")
                .bind("hash", sha256(secret))
                .map((row, context) -> token(row))
                .findOne());
    }

    public List<ApiToken> list() {
        return store.jdbi().withHandle(handle -> handle.createQuery("SELECT * FROM security_api_token ORDER BY created_at, token_id")
                .map((row, context) -> token(row))
                .list());
    }

    public boolean anyActive() {
        return store.jdbi().withHandle(handle -> handle.createQuery("SELECT count(*) FROM security_api_token WHERE revoked_at IS NULL")
                .mapTo(Long.class).one()) > 0;
    }

    public void revoke(String id) {
        int changed = store.jdbi().withHandle(handle -> handle.createUpdate("UPDATE security_api_token SET revoked_at = :now WHERE token_id = :id AND revoked_at IS NULL")
                .bind("now", LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .bind("id", id)
                .execute());
        if (changed == 0) {
            throw new FinhubException(ErrorCode.NOT_FOUND, "no active API token with id '%s'".formatted(id));
        }
    }

    private static ApiToken token(ResultSet row) throws SQLException {
        Optional<Instant> revoked = Optional.ofNullable(row.getObject("revoked_at", LocalDateTime.class)).map(time -> time.toInstant(ZoneOffset.UTC));
        Array departments = row.getArray("departments");
        return new ApiToken(row.getString("token_id"), row.getString("name"),
                strings(row.getArray("scopes")).stream().map(Scope::parse).collect(Collectors.toSet()),
                strings(row.getArray("roles")).stream().map(Role::parse).collect(Collectors.toSet()),
                departments == null ? Optional.empty() : Optional.of(strings(departments)),
                row.getObject("created_at", LocalDateTime.class).toInstant(ZoneOffset.UTC), revoked);
    }

    private static List<String> strings(Array array) throws SQLException {
        return Arrays.stream((Object[]) array.getArray()).map(String::valueOf).toList();
    }

    private static String randomText(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random).replace('_', 'Z').replace('-', 'Y');
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
