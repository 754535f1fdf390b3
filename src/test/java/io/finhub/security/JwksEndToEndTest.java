package io.finhub.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.finhub.FinhubServer;
import io.finhub.TestStores;
import io.finhub.cache.CacheSettings;
import io.finhub.store.Store;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RS256 JWTs verified against a JWKS URL: a real HTTP server in the test publishes the public half of
 * an RSA key made here with Nimbus, and the secured server fetches it as it would an identity provider's.
 */
class JwksEndToEndTest {
    private static final String ISSUER = "https://idp.test";
    private static RSAKey signingKey;
    private static HttpServer identityProvider;
    private static final AtomicInteger jwksFetches = new AtomicInteger();
    private static FinhubServer server;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        signingKey = new RSAKeyGenerator(2048).keyID("idp-key-1").generate();
        byte[] jwks = new JWKSet(signingKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        identityProvider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        identityProvider.createContext("/.well-known/jwks.json", exchange -> {
            jwksFetches.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        identityProvider.start();
        URI jwksUrl = URI.create("http://127.0.0.1:" + identityProvider.getAddress().getPort() + "/.well-known/jwks.json");
        SecuritySettings settings = new SecuritySettings(Optional.empty(), Optional.of(jwksUrl), Optional.empty(), Optional.of(ISSUER), Optional.empty(),
                Optional.empty(), 0);
        Store store = TestStores.withFixture("security_company");
        server = FinhubServer.startSecured(store, "127.0.0.1", 0, CacheSettings.defaults(store.config()), settings);
    }

    @AfterAll
    static void stop() {
        server.close();
        identityProvider.stop(0);
    }

    @Test
    void a_token_signed_by_the_published_key_is_accepted() throws Exception {
        HttpResponse<String> answer = query(sign(signingKey, "idp-key-1", ISSUER));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("dataVersion");
        assertThat(jwksFetches.get()).isPositive();
    }

    @Test
    void a_token_signed_by_another_key_under_the_same_key_id_or_from_another_issuer_is_401() throws Exception {
        RSAKey impostor = new RSAKeyGenerator(2048).keyID("idp-key-1").generate();

        assertThat(query(sign(impostor, "idp-key-1", ISSUER)).statusCode()).isEqualTo(401);
        assertThat(query(sign(signingKey, "idp-key-1", "https://someone-else.test")).statusCode()).isEqualTo(401);
    }

    private static HttpResponse<String> query(String token) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/graphql?query=%7BdataVersion%7D"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sign(RSAKey key, String keyId, String issuer) throws JOSEException {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("idp-user").issuer(issuer).claim("scope", "financial_data.read")
                .claim("roles", java.util.List.of("analyst")).expirationTime(Date.from(Instant.now().plusSeconds(600))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
