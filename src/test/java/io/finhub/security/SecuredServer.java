package io.finhub.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.finhub.FinhubServer;
import io.finhub.TestStores;
import io.finhub.cache.CacheSettings;
import io.finhub.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The server {@code finhub serve} runs (security on), over a fixture, on a free loopback port, with
 * an HS256 secret to mint test JWTs, a development token, and real HTTP calls.
 */
public final class SecuredServer implements AutoCloseable {
    public static final String SECRET = "test-secret-that-is-at-least-32-bytes-long!";
    public static final String DEV_TOKEN = "fhdev_test-development-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FinhubServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    private SecuredServer(FinhubServer server) {
        this.server = server;
    }

    public static SecuredServer start(String fixture, long requestsPerMinute) {
        return start(fixture, requestsPerMinute, cache -> cache);
    }

    /** As above, with the default cache settings changed by {@code cache}. */
    public static SecuredServer start(String fixture, long requestsPerMinute, java.util.function.UnaryOperator<CacheSettings> cache) {
        Store store = TestStores.withFixture(fixture);
        SecuritySettings settings = SecuritySettings.devOnly(DEV_TOKEN, requestsPerMinute).withHs256Secret(SECRET);
        return new SecuredServer(FinhubServer.startSecured(store, "127.0.0.1", 0, cache.apply(CacheSettings.defaults(store.config())), settings));
    }

    public FinhubServer server() {
        return server;
    }

    public HttpClient client() {
        return client;
    }

    /** An HS256 JWT for {@code subject} with these scopes and roles, and a departments claim when given. */
    public static String jwt(String subject, List<String> scopes, List<String> roles, Optional<List<String>> departments) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(subject).claim("scope", String.join(" ", scopes)).claim("roles", roles)
                .expirationTime(Date.from(Instant.now().plusSeconds(600)));
        departments.ifPresent(ids -> claims.claim("departments", ids));
        return sign(claims.build(), SECRET);
    }

    static String sign(JWTClaimsSet claims, String secret) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        }
        catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every scope, role admin: sees every department. */
    public static String admin() {
        return jwt("alice-admin", List.of("financial_data.read", "financial_data.write", "alerts.subscribe", "admin"), List.of("admin"), Optional.empty());
    }

    /** A marketing manager: read and subscribe, role marketing, so the departments whose function is MARKETING (mkt). */
    public static String marketing() {
        return jwt("mia-marketing", List.of("financial_data.read", "alerts.subscribe"), List.of("marketing"), Optional.empty());
    }

    public ApiTokens.Created apiToken(String name, Set<Scope> scopes, Set<Role> roles, Optional<List<String>> departments) {
        return new ApiTokens(server.store(), Clock.systemUTC()).create(name, scopes, roles, departments);
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    public HttpResponse<String> get(String pathAndQuery, Optional<String> authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathAndQuery)).GET();
        authorization.ifPresent(value -> request.header("Authorization", value));
        return send(request.build());
    }

    public HttpResponse<String> post(String path, String contentType, String body, Optional<String> authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        authorization.ifPresent(value -> request.header("Authorization", value));
        return send(request.build());
    }

    /** POST /graphql with a bearer token; the response body parsed. */
    public HttpResponse<String> graphql(String token, String query, Map<String, Object> variables) {
        try {
            String body = JSON.writeValueAsString(Map.of("query", query, "variables", variables));
            return post("/graphql", "application/json", body, Optional.of("Bearer " + token));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode graphqlJson(String token, String query) {
        return json(graphql(token, query, Map.of()).body());
    }

    public static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public static Optional<String> bearer(String token) {
        return Optional.of("Bearer " + token);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
