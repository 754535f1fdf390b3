package io.finhub.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finhub.FinhubServer;
import io.finhub.TestStores;
import io.finhub.cache.CacheSettings;
import io.finhub.error.FinhubException;
import io.finhub.security.SecuritySettings;
import io.finhub.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secured server with a certificate: a self-signed one made by the JDK's keytool at test time,
 * trusted by a real JDK HTTP client. HTTPS and WSS work; plain HTTP to the port does not.
 */
class HttpsEndToEndTest {
    private static final String PASSWORD = "keystore-password";
    private static final String DEV_TOKEN = "fhdev_https-test-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path directory;
    private static Path keystore;
    private static HttpClient trusting;

    @BeforeAll
    static void makeCertificate() throws Exception {
        keystore = directory.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias", "finhub",
                "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();
        trusting = HttpClient.newBuilder().sslContext(trustingOnly(certificate())).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void a_pkcs12_certificate_serves_https_and_wss_and_refuses_plain_http() throws Exception {
        try (FinhubServer server = start(TlsSettings.pkcs12(keystore, PASSWORD))) {
            assertThat(trusting.send(HttpRequest.newBuilder(uri("https", server, "/health")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);
            HttpResponse<String> answer = trusting.send(HttpRequest.newBuilder(uri("https", server, "/graphql?query=%7BdataVersion%7D"))
                    .header("Authorization", "Bearer " + DEV_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(JSON.readTree(answer.body()).at("/data/dataVersion").asLong()).isPositive();

            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(uri("http", server, "/health")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);

            assertThat(webSocketHandshake(server)).isEqualTo("connection_ack");
        }
    }

    @Test
    void a_client_that_does_not_trust_the_certificate_cannot_connect() throws Exception {
        try (FinhubServer server = start(TlsSettings.pkcs12(keystore, PASSWORD))) {
            HttpClient defaultTrust = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            assertThatThrownBy(() -> defaultTrust.send(HttpRequest.newBuilder(uri("https", server, "/health")).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        }
    }

    @Test
    void a_pem_certificate_and_pkcs8_key_serve_https() throws Exception {
        KeyStore store = load();
        Path certificate = Files.writeString(directory.resolve("server.crt"), pem("CERTIFICATE", store.getCertificate("finhub").getEncoded()));
        Path key = Files.writeString(directory.resolve("server.key"), pem("PRIVATE KEY", store.getKey("finhub", PASSWORD.toCharArray()).getEncoded()));
        try (FinhubServer server = start(TlsSettings.pem(certificate, key))) {
            assertThat(trusting.send(HttpRequest.newBuilder(uri("https", server, "/health")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void a_wrong_keystore_password_or_a_key_that_is_not_pkcs8_is_refused_naming_the_file() throws Exception {
        assertThatThrownBy(() -> TlsSettings.pkcs12(keystore, "not-the-password"))
                .isInstanceOf(FinhubException.class)
                .hasMessageContaining("server.p12")
                .hasMessageContaining("password");
        Path rsaKey = Files.writeString(directory.resolve("rsa.key"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        Path certificate = Files.writeString(directory.resolve("only.crt"), pem("CERTIFICATE", certificate().getEncoded()));
        assertThatThrownBy(() -> TlsSettings.pem(certificate, rsaKey))
                .isInstanceOf(FinhubException.class)
                .hasMessageContaining("rsa.key")
                .hasMessageContaining("PKCS#8");
    }

    private static FinhubServer start(TlsSettings tls) {
        Store store = TestStores.withFixture("security_company");
        return FinhubServer.startSecured(store, "127.0.0.1", 0, CacheSettings.defaults(store.config()), SecuritySettings.devOnly(DEV_TOKEN, 0),
                Optional.of(tls));
    }

    /** Opens wss://.../graphql, sends connection_init with the development token and returns the type of the first answer. */
    private static String webSocketHandshake(FinhubServer server) throws Exception {
        CompletableFuture<String> firstMessage = new CompletableFuture<>();
        WebSocket socket = trusting.newWebSocketBuilder().subprotocols("graphql-transport-ws")
                .buildAsync(uri("wss", server, "/graphql"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        firstMessage.complete(data.toString());
                        return null;
                    }
                }).get(20, TimeUnit.SECONDS);
        try {
            socket.sendText("{\"type\":\"connection_init\",\"payload\":{\"Authorization\":\"Bearer " + DEV_TOKEN + "\"}}", true).get(20, TimeUnit.SECONDS);
            JsonNode message = JSON.readTree(firstMessage.get(20, TimeUnit.SECONDS));
            return message.path("type").asText();
        }
        finally {
            socket.abort();
        }
    }

    private static URI uri(String scheme, FinhubServer server, String pathAndQuery) {
        return URI.create(scheme + "://127.0.0.1:" + server.port() + pathAndQuery);
    }

    private static KeyStore load() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static Certificate certificate() {
        try {
            return load().getCertificate("finhub");
        }
        catch (Exception e) {
            throw new IllegalStateException("cannot read the test keystore", e);
        }
    }

    private static SSLContext trustingOnly(Certificate certificate) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("finhub-test", certificate);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
