package io.finhub.security;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jwt.JWTClaimsSet;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.store.Store;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a request's credentials into a {@link Caller}: a bearer JWT, an API token (bearer, or the
 * password of HTTP Basic, as Tableau, Excel and Power BI send it) or the development token (from
 * loopback only). Roles and the {@code departments} claim decide the department rows the caller sees:
 * the claim, when present, is exactly those departments; otherwise executive, finance, analyst and
 * admin see all, a functional role the departments of its function, and a token with no role none.
 *
 * <p>JWT claims read: {@code sub}; {@code scope} (space-separated, OAuth2) or {@code scp} (list);
 * {@code roles} (list) or {@code role}; {@code departments} (list). Scopes and roles FinHub does not
 * know are ignored (a token may carry other APIs' scopes): they grant nothing here.
 */
public final class Authenticator {
    public static final String CHALLENGE = "Bearer realm=\"FinHub\", Basic realm=\"FinHub\", charset=\"UTF-8\"";

    private final Store store;
    private final JwtVerifier jwt;
    private final ApiTokens apiTokens;
    private final Optional<String> devToken;

    public Authenticator(Store store, SecuritySettings settings, ApiTokens apiTokens) {
        this.store = requireNonNull(store, "store is null");
        this.jwt = new JwtVerifier(requireNonNull(settings, "settings is null"));
        this.apiTokens = requireNonNull(apiTokens, "apiTokens is null");
        this.devToken = settings.devToken();
    }

    /**
     * The caller of a request with this {@code Authorization} header (null when absent) from
     * {@code remoteAddress}; UNAUTHENTICATED, with the reason, when there is none or it is not valid.
     */
    public Caller authenticate(String authorization, String remoteAddress) {
        if (authorization == null || authorization.isBlank()) {
            throw new FinhubException(ErrorCode.UNAUTHENTICATED, "send credentials: Authorization: Bearer <token>, or Basic with an API token as the password");
        }
        String[] parts = authorization.trim().split("\\s+", 2);
        if (parts.length != 2) {
            throw new FinhubException(ErrorCode.UNAUTHENTICATED, "the Authorization header is not '<scheme> <credentials>'");
        }
        String scheme = parts[0].toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "bearer" -> token(parts[1].trim(), remoteAddress, true);
            case "basic" -> token(basicPassword(parts[1].trim()), remoteAddress, false);
            default -> throw new FinhubException(ErrorCode.UNAUTHENTICATED, "unsupported authorization scheme '%s': use Bearer or Basic".formatted(parts[0]));
        };
    }

    private Caller token(String token, String remoteAddress, boolean bearer) {
        if (devToken.isPresent() && constantTimeEquals(devToken.get(), token)) {
            if (!isLoopback(remoteAddress)) {
                throw new FinhubException(ErrorCode.UNAUTHENTICATED, "the development token is accepted from this machine (loopback) only");
            }
            return new Caller("dev", EnumSet.allOf(Scope.class), Set.of(Role.ADMIN), DepartmentAccess.ALL, "dev");
        }
        if (token.startsWith(ApiTokens.PREFIX)) {
            ApiTokens.ApiToken stored = apiTokens.find(token)
                    .orElseThrow(() -> new FinhubException(ErrorCode.UNAUTHENTICATED, "unknown or revoked API token"));
            return new Caller("token:" + stored.name(), stored.scopes(), stored.roles(), departments(stored.roles(), stored.departments()),
                    "token:" + stored.id());
        }
        if (!bearer) {
            throw new FinhubException(ErrorCode.UNAUTHENTICATED, "the Basic password must be an API token (" + ApiTokens.PREFIX + "...)");
        }
        if (!jwt.configured()) {
            throw new FinhubException(ErrorCode.UNAUTHENTICATED, "this server accepts no JWTs (no secret, JWKS URL or public key configured); use an API token");
        }
        return caller(jwt.verify(token));
    }

    private Caller caller(JWTClaimsSet claims) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String name : scopeNames(claims)) {
            known(Scope.class, name).ifPresent(scopes::add);
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String name : list(claims, "roles", "role")) {
            known(Role.class, name).ifPresent(roles::add);
        }
        Optional<List<String>> departments = claims.getClaim("departments") == null ? Optional.empty() : Optional.of(list(claims, "departments", "departments"));
        String subject = Optional.ofNullable(claims.getIssuer()).map(issuer -> issuer + "#").orElse("") + claims.getSubject();
        return new Caller("jwt:" + claims.getSubject(), scopes, roles, departments(roles, departments), "jwt:" + subject);
    }

    private static List<String> scopeNames(JWTClaimsSet claims) {
        Object scope = claims.getClaim("scope");
        if (scope instanceof String text) {
            return List.of(text.trim().split("\\s+"));
        }
        return list(claims, "scp", "scope");
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(JWTClaimsSet claims, String listClaim, String singleClaim) {
        Object value = claims.getClaim(listClaim);
        if (value == null) {
            value = claims.getClaim(singleClaim);
        }
        if (value == null) {
            return List.of();
        }
        if (value instanceof String text) {
            return List.of(text);
        }
        if (value instanceof Collection<?> values) {
            return values.stream().map(String::valueOf).toList();
        }
        throw new FinhubException(ErrorCode.UNAUTHENTICATED, "the token's '%s' claim is neither a string nor a list".formatted(listClaim));
    }

    private static <E extends Enum<E>> Optional<E> known(Class<E> type, String name) {
        try {
            return Optional.of(type == Scope.class ? type.cast(Scope.parse(name)) : type.cast(Role.parse(name)));
        }
        catch (FinhubException unknown) {
            return Optional.empty();
        }
    }

    /** The departments a caller with these roles and this {@code departments} claim sees. */
    DepartmentAccess departments(Set<Role> roles, Optional<List<String>> claimed) {
        if (claimed.isPresent()) {
            return DepartmentAccess.only(claimed.get());
        }
        if (roles.stream().anyMatch(role -> role.functionArea().isEmpty())) {
            return DepartmentAccess.ALL;
        }
        Set<String> areas = new TreeSet<>();
        roles.forEach(role -> role.functionArea().ifPresent(areas::add));
        if (areas.isEmpty()) {
            return DepartmentAccess.NONE;
        }
        List<String> ids = store.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT department_id FROM dim_department WHERE function_area IN (SELECT unnest(CAST(:areas AS VARCHAR[])))")
                .bind("areas", areas.toArray(String[]::new))
                .mapTo(String.class)
                .list());
        return DepartmentAccess.only(new LinkedHashSet<>(ids));
    }

    private static String basicPassword(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException e) {
            throw new FinhubException(ErrorCode.UNAUTHENTICATED, "the Basic credentials are not base64");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw new FinhubException(ErrorCode.UNAUTHENTICATED, "the Basic credentials are not 'user:password'");
        }
        return decoded.substring(colon + 1);
    }

    private static boolean constantTimeEquals(String expected, String actual) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code address} (an IP literal, as the server saw the peer) is this machine. */
    public static boolean isLoopback(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        String literal = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        if (!literal.matches("[0-9a-fA-F:.%]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        }
        catch (UnknownHostException e) {
            return false;
        }
    }

}
