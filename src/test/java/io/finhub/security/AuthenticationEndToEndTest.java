package io.finhub.security;

import static io.finhub.security.SecuredServer.bearer;
import static io.finhub.security.SecuredServer.encode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.finhub.FinhubServer;
import io.finhub.TestStores;
import io.finhub.cache.CacheSettings;
import io.finhub.error.FinhubException;
import io.finhub.store.Store;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Authentication and scopes of the secured server, over real HTTP. */
class AuthenticationEndToEndTest {
    private static final String QUERY = "{ dataVersion }";
    private static final String MUTATION = "mutation { disableAlertRule(id: \"no-such-rule\") { id } }";
    private static SecuredServer server;

    @BeforeAll
    static void start() {
        server = SecuredServer.start("security_company", 0);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void every_route_but_health_and_the_graphiql_page_answers_401_with_a_challenge_without_credentials() {
        List<HttpResponse<String>> denied = List.of(
                server.get("/graphql?query=" + encode(QUERY), Optional.empty()),
                server.post("/graphql", "application/json", "{\"query\":\"{ dataVersion }\"}", Optional.empty()),
                server.get("/odata", Optional.empty()),
                server.get("/odata/$metadata", Optional.empty()),
                server.get("/odata/SpendLines.csv", Optional.empty()),
                server.get("/metrics", Optional.empty()),
                server.post("/import/spend", "text/csv", "spend_id\n", Optional.empty()),
                server.get("/api/v1/cs-finance/backtest", Optional.empty()),
                server.get("/no/such/route", Optional.empty()));
        for (HttpResponse<String> response : denied) {
            assertThat(response.statusCode()).as(response.uri().toString()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).as(response.uri().toString())
                    .hasValueSatisfying(challenge -> assertThat(challenge).contains("Bearer").contains("Basic"));
            assertThat(SecuredServer.json(response.body()).at("/error/code").asText()).isEqualTo("UNAUTHENTICATED");
        }
        assertThat(server.get("/health", Optional.empty()).statusCode()).isEqualTo(200);
        assertThat(server.get("/health/live", Optional.empty()).statusCode()).isEqualTo(200);
        assertThat(server.get("/graphiql", Optional.empty()).statusCode()).isEqualTo(200);
    }

    @Test
    void a_request_that_only_names_a_websocket_upgrade_is_authenticated_like_any_other() throws Exception {
        String body = "{\"query\":\"{ me { subject } }\"}";
        // An HTTP/1.0 POST with the header alone once ran as the server itself (every scope, every department).
        String post = raw("POST /graphql HTTP/1.0\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body);
        assertThat(post).startsWith("HTTP/1.1 401").doesNotContain("system");
        String importing = raw("POST /import/dim_channel HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade, close\r\n"
                + "Content-Type: text/csv\r\nContent-Length: 44\r\n\r\nchannel_id,channel_name,channel_group\nx,X,PAID");
        assertThat(importing).startsWith("HTTP/1.1 401");
        // A handshake-looking GET that Jetty does not upgrade (no Sec-WebSocket-Version) is answered as nobody: no data.
        String handshake = raw("GET /graphql?query=" + encode("{ me { subject } }") + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
        assertThat(handshake).doesNotStartWith("HTTP/1.1 200").doesNotContain("system").doesNotContain("\"data\"");
        assertThat(server.graphqlJson(SecuredServer.admin(), "{ dataVersion }").at("/data/dataVersion").asLong()).isEqualTo(1);
    }

    @Test
    void an_empty_operation_name_does_not_let_a_mutation_pass_as_a_query() {
        String readOnly = SecuredServer.jwt("reader", List.of("financial_data.read"), List.of("analyst"), Optional.empty());
        String mutation = "mutation { disableAlertRule(id: \\\"cac-target\\\") { id enabled } }";
        HttpResponse<String> posted = server.post("/graphql", "application/json", "{\"query\":\"" + mutation + "\",\"operationName\":\"\"}", bearer(readOnly));
        assertThat(posted.statusCode()).isEqualTo(403);
        assertThat(posted.body()).doesNotContain("\"enabled\"");
        HttpResponse<String> viaGet = server.get("/graphql?query=" + encode("mutation { enableAlertRule(id: \"cac-target\") { id } }") + "&operationName=",
                bearer(readOnly));
        assertThat(viaGet.statusCode()).isIn(403, 405);
        JsonNode rule = server.graphqlJson(SecuredServer.admin(), "{ alertRules { id enabled } }").at("/data/alertRules");
        assertThat(rule.findValues("id").stream().map(JsonNode::asText)).contains("cac-target");
        for (JsonNode each : rule) {
            if (each.get("id").asText().equals("cac-target")) {
                assertThat(each.get("enabled").asBoolean()).isTrue();
            }
        }
    }

    /** Sends {@code request} as written on a fresh connection and returns the whole response as text. */
    private static String raw(String request) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket(server.uri("/").getHost(), server.uri("/").getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void invalid_credentials_are_401() {
        String otherSecret = SecuredServer.sign(new JWTClaimsSet.Builder().subject("mallory").claim("scope", "admin")
                .expirationTime(Date.from(Instant.now().plusSeconds(60))).build(), "another-secret-that-is-at-least-32-bytes!!");
        String expired = SecuredServer.sign(new JWTClaimsSet.Builder().subject("bob").claim("scope", "financial_data.read")
                .expirationTime(Date.from(Instant.now().minusSeconds(3600))).build(), SecuredServer.SECRET);
        String unsigned = "eyJhbGciOiJub25lIn0." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"sub\":\"eve\",\"scope\":\"admin\",\"exp\":9999999999}".getBytes(StandardCharsets.UTF_8)) + ".";
        for (String token : List.of(otherSecret, expired, unsigned, "fhk_unknown_token", "garbage")) {
            assertThat(server.get("/graphql?query=" + encode(QUERY), bearer(token)).statusCode()).as(token).isEqualTo(401);
        }
        assertThat(server.get("/odata", Optional.of("Basic " + base64("powerbi:wrong-password"))).statusCode()).isEqualTo(401);
    }

    @Test
    void a_token_without_the_route_or_operation_scope_is_403() {
        String readOnly = SecuredServer.jwt("reader", List.of("financial_data.read"), List.of("analyst"), Optional.empty());
        String subscribeOnly = SecuredServer.jwt("watcher", List.of("alerts.subscribe"), List.of("analyst"), Optional.empty());
        String writeOnly = SecuredServer.jwt("loader", List.of("financial_data.write"), List.of("finance"), Optional.empty());

        assertThat(server.graphql(readOnly, QUERY, Map.of()).statusCode()).isEqualTo(200);
        HttpResponse<String> mutation = server.graphql(readOnly, MUTATION, Map.of());
        assertThat(mutation.statusCode()).isEqualTo(403);
        assertThat(SecuredServer.json(mutation.body()).at("/error/code").asText()).isEqualTo("FORBIDDEN");
        assertThat(server.graphql(writeOnly, QUERY, Map.of()).statusCode()).isEqualTo(403);
        assertThat(server.graphql(subscribeOnly, QUERY, Map.of()).statusCode()).isEqualTo(403);
        assertThat(server.get("/odata/SpendLines", bearer(subscribeOnly)).statusCode()).isEqualTo(403);
        assertThat(server.get("/metrics", bearer(subscribeOnly)).statusCode()).isEqualTo(403);
        assertThat(server.get("/metrics", bearer(readOnly)).statusCode()).isEqualTo(200);
        assertThat(server.post("/import/spend", "text/csv", "spend_id\n", bearer(readOnly)).statusCode()).isEqualTo(403);
        assertThat(server.graphql(SecuredServer.admin(), "{ auditVerification { ok } }", Map.of()).statusCode()).isEqualTo(200);
        assertThat(SecuredServer.json(server.graphql(readOnly, "{ auditVerification { ok } }", Map.of()).body()).at("/errors/0/extensions/code").asText())
                .isEqualTo("FORBIDDEN");
    }

    @Test
    void an_api_token_works_as_bearer_and_as_the_basic_password_until_it_is_revoked() {
        ApiTokens.Created token = server.apiToken("tableau", Set.of(Scope.FINANCIAL_DATA_READ), Set.of(Role.FINANCE), Optional.empty());
        assertThat(server.get("/odata/SpendLines?$count=true", Optional.of("Basic " + base64("anyone:" + token.secret()))).statusCode()).isEqualTo(200);
        assertThat(server.get("/graphql?query=" + encode(QUERY), bearer(token.secret())).statusCode()).isEqualTo(200);
        new ApiTokens(server.server().store(), Clock.systemUTC()).revoke(token.token().id());
        assertThat(server.get("/graphql?query=" + encode(QUERY), bearer(token.secret())).statusCode()).isEqualTo(401);
    }

    @Test
    void the_development_token_works_from_loopback_and_the_graphiql_page_gets_it_only_by_a_loopback_name() throws Exception {
        assertThat(server.get("/graphql?query=" + encode(QUERY), bearer(SecuredServer.DEV_TOKEN)).statusCode()).isEqualTo(200);
        HttpResponse<String> local = server.get("/graphiql/dev-token", Optional.empty());
        assertThat(SecuredServer.json(local.body()).path("token").asText()).isEqualTo(SecuredServer.DEV_TOKEN);
        // A DNS-rebinding page reaches the same socket under its own name: no token for it.
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.server().port())) {
            socket.getOutputStream().write("GET /graphiql/dev-token HTTP/1.1\r\nHost: evil.example:8080\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String rebound = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(rebound).startsWith("HTTP/1.1 404").doesNotContain(SecuredServer.DEV_TOKEN);
        }
        assertThat(server.get("/graphiql", Optional.empty()).body()).contains("/graphiql/dev-token");
    }

    @Test
    void the_development_token_is_refused_from_another_address() {
        Authenticator authenticator = new Authenticator(server.server().store(), SecuritySettings.devOnly(SecuredServer.DEV_TOKEN, 0),
                new ApiTokens(server.server().store(), Clock.systemUTC()));
        assertThat(authenticator.authenticate("Bearer " + SecuredServer.DEV_TOKEN, "127.0.0.1").subject()).isEqualTo("dev");
        assertThat(authenticator.authenticate("Bearer " + SecuredServer.DEV_TOKEN, "::1").subject()).isEqualTo("dev");
        assertThatThrownBy(() -> authenticator.authenticate("Bearer " + SecuredServer.DEV_TOKEN, "192.168.1.20"))
                .isInstanceOf(FinhubException.class).hasMessageContaining("loopback");
    }

    @Test
    void an_rs256_token_verifies_against_the_configured_pem_public_key() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        Store store = TestStores.withFixture("security_company");
        SecuritySettings settings = SecuritySettings.devOnly("unused-dev-token", 0).withRsaPublicKeyPem(pem);
        try (FinhubServer rsa = FinhubServer.startSecured(store, "127.0.0.1", 0, CacheSettings.defaults(store.config()), settings)) {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder().subject("bi-service")
                    .claim("scope", "financial_data.read").claim("roles", List.of("finance")).expirationTime(Date.from(Instant.now().plusSeconds(60))).build());
            jwt.sign(new RSASSASigner((RSAPrivateKey) keys.getPrivate()));
            java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
            HttpResponse<String> accepted = client.send(HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + rsa.port() + "/graphql?query="
                    + encode("{ me { subject allDepartments } }"))).header("Authorization", "Bearer " + jwt.serialize()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(accepted.statusCode()).isEqualTo(200);
            assertThat(SecuredServer.json(accepted.body()).at("/data/me/subject").asText()).isEqualTo("jwt:bi-service");
            // An HS256 token is not accepted where only RS256 is configured.
            HttpResponse<String> hs256 = client.send(HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + rsa.port() + "/graphql?query=" + encode(QUERY)))
                    .header("Authorization", "Bearer " + SecuredServer.admin()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(hs256.statusCode()).isEqualTo(401);
        }
    }

    @Test
    void a_token_over_its_rate_limit_gets_429_with_retry_after() {
        try (SecuredServer limited = SecuredServer.start("security_company", 3)) {
            String token = SecuredServer.admin();
            for (int request = 0; request < 3; request++) {
                assertThat(limited.get("/graphql?query=" + encode(QUERY), bearer(token)).statusCode()).isEqualTo(200);
            }
            HttpResponse<String> limitedResponse = limited.get("/graphql?query=" + encode(QUERY), bearer(token));
            assertThat(limitedResponse.statusCode()).isEqualTo(429);
            assertThat(limitedResponse.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(seconds -> assertThat(seconds).isBetween(1L, 60L));
            // Another token has its own allowance.
            assertThat(limited.get("/graphql?query=" + encode(QUERY), bearer(SecuredServer.marketing())).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void servers_refuse_to_listen_beyond_loopback_without_a_way_to_authenticate() {
        assertThatThrownBy(() -> FinhubServer.start(TestStores.withFixture("security_company"), "0.0.0.0", 0))
                .isInstanceOf(FinhubException.class).hasMessageContaining("without authentication");
        Store store = TestStores.withFixture("security_company");
        assertThatThrownBy(() -> FinhubServer.startSecured(store, "0.0.0.0", 0, CacheSettings.defaults(store.config()),
                SecuritySettings.devOnly("dev", 0))).isInstanceOf(FinhubException.class).hasMessageContaining("unauthenticated");
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
