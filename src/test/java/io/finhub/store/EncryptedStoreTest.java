package io.finhub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.finhub.FinhubServer;
import io.finhub.TestStores;
import io.finhub.error.FinhubException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store encrypted at rest. DuckDB 1.4 writes encrypted files only with its httpfs extension
 * (OpenSSL); where it is not installed (no access to DuckDB's extension repository) the round trips
 * are skipped and the test checks that opening says so clearly instead.
 */
class EncryptedStoreTest {
    private static final String MARKER = "PLAINTEXT-MARKER-7f3a9c";
    private static final DatabaseKey KEY = DatabaseKey.of("correct horse battery staple");
    private static boolean secureCrypto;

    @TempDir
    Path directory;

    @BeforeAll
    static void probeDuckdb() {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:")) {
            connection.createStatement().execute("LOAD httpfs");
            secureCrypto = true;
        }
        catch (SQLException e) {
            secureCrypto = false;
        }
    }

    @Test
    void without_duckdbs_secure_crypto_module_a_key_stops_the_open_naming_the_missing_extension() {
        assumeFalse(secureCrypto, "httpfs is installed: the round trips below run instead");
        Path file = directory.resolve("finhub.duckdb");

        assertThatThrownBy(() -> Store.open(StoreConfig.file(file).withKey(KEY)))
                .isInstanceOf(FinhubException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("httpfs")
                .hasMessageNotContaining(KEY.value());
    }

    @Test
    void the_key_never_shows_in_a_printed_configuration() {
        assertThat(StoreConfig.file(directory.resolve("x.duckdb")).withKey(KEY).toString()).doesNotContain(KEY.value()).contains("redacted");
        assertThatThrownBy(() -> StoreConfig.inMemory().withKey(KEY)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("file");
    }

    @Test
    void a_store_written_with_a_key_reopens_with_it_and_holds_its_data() {
        assumeTrue(secureCrypto, "DuckDB's httpfs extension is not installed: it cannot write encrypted files");
        Path file = directory.resolve("finhub.duckdb");
        writeMarker(StoreConfig.file(file).withKey(KEY));

        try (Store reopened = Store.open(StoreConfig.file(file).withKey(KEY))) {
            assertThat(markers(reopened)).containsExactly(MARKER);
            assertThat(reopened.dataVersion()).isPositive();
        }
    }

    @Test
    void the_encrypted_file_does_not_contain_text_the_plain_file_does() throws Exception {
        assumeTrue(secureCrypto, "DuckDB's httpfs extension is not installed: it cannot write encrypted files");
        Path plain = directory.resolve("plain.duckdb");
        Path encrypted = directory.resolve("encrypted.duckdb");
        writeMarker(StoreConfig.file(plain));
        writeMarker(StoreConfig.file(encrypted).withKey(KEY));

        assertThat(new String(Files.readAllBytes(plain), StandardCharsets.ISO_8859_1)).contains(MARKER);
        assertThat(new String(Files.readAllBytes(encrypted), StandardCharsets.ISO_8859_1)).doesNotContain(MARKER);
    }

    @Test
    void opening_without_the_key_or_with_a_wrong_one_fails_clearly() {
        assumeTrue(secureCrypto, "DuckDB's httpfs extension is not installed: it cannot write encrypted files");
        Path file = directory.resolve("finhub.duckdb");
        writeMarker(StoreConfig.file(file).withKey(KEY));

        assertThatThrownBy(() -> Store.open(StoreConfig.file(file)))
                .isInstanceOf(FinhubException.class)
                .hasMessageContaining("encrypted")
                .hasMessageContaining("FINHUB_DB_KEY");
        assertThatThrownBy(() -> Store.open(StoreConfig.file(file).withKey(DatabaseKey.of("not the key"))))
                .isInstanceOf(FinhubException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("key");
    }

    @Test
    void the_server_answers_graphql_over_an_encrypted_store() throws Exception {
        assumeTrue(secureCrypto, "DuckDB's httpfs extension is not installed: it cannot write encrypted files");
        Store store = TestStores.withFixture("tiny_company", StoreConfig.file(directory.resolve("finhub.duckdb")).withKey(KEY));
        try (FinhubServer server = FinhubServer.start(store, "127.0.0.1", 0)) {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/graphql?query=%7BdataVersion%7D")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(new ObjectMapper().readTree(answer.body()).at("/data/dataVersion").asLong()).isEqualTo(store.dataVersion());
        }
    }

    private static void writeMarker(StoreConfig config) {
        try (Store store = Store.open(config)) {
            store.write("test", List.of("dim_channel"), handle -> handle.createUpdate("INSERT INTO dim_channel VALUES (:id, :id, 'OWNED')")
                    .bind("id", MARKER)
                    .execute());
        }
    }

    private static List<String> markers(Store store) {
        return store.jdbi().withHandle(handle -> handle.createQuery("SELECT channel_id FROM dim_channel").mapTo(String.class).list());
    }
}
