package io.finhub.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.finhub.FinhubServer;
import io.finhub.TestStores;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that send {@code Accept-Encoding: gzip} (every browser and BI connector) get cached answers
 * gzipped once and kept, byte for byte the same JSON as a client without it gets; over a real server
 * and a real HTTP client that does not decompress by itself.
 */
class CacheCompressionTest {
    /** Every measure of the catalog, described: several KB of JSON, well over the size worth compressing. */
    private static final String LARGE = "{ catalog { measures { name description unit derived facts dimensions } } }";
    private static final String SMALL = "{ metrics(measures: [\"spend\"]) { totalCount } }";

    private FinhubServer server;
    private CacheClient client;

    @BeforeEach
    void start() {
        server = FinhubServer.start(TestStores.withFixture("tiny_company"), "127.0.0.1", 0);
        client = new CacheClient(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private record Raw(byte[] body, Optional<String> encoding, String cache, java.util.List<String> vary) {
        String json() {
            if (encoding.isEmpty()) {
                return new String(body, StandardCharsets.UTF_8);
            }
            assertThat(encoding).contains("gzip");
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private Raw post(String query, String acceptEncoding) {
        HttpResponse<byte[]> response = client.postRaw(Map.of("query", query), acceptEncoding == null ? Map.of() : Map.of("Accept-Encoding", acceptEncoding));
        assertThat(response.statusCode()).isEqualTo(200);
        return new Raw(response.body(), response.headers().firstValue("Content-Encoding"), response.headers().firstValue("X-Finhub-Cache").orElse(""),
                response.headers().allValues("Vary"));
    }

    @Test
    void a_cached_answer_is_gzipped_once_for_clients_that_take_gzip_and_plain_for_the_others() {
        Raw plain = post(LARGE, null);
        assertThat(plain.cache()).isEqualTo("MISS");
        assertThat(plain.encoding()).isEmpty();
        assertThat(plain.vary()).containsExactly("Accept-Encoding");
        assertThat(plain.body().length).isGreaterThan(GraphqlResponses.MIN_GZIP_BYTES);
        assertThat(plain.json()).contains("\"data\"").doesNotContain("\"errors\"");
        long weightBefore = client.metrics().at("/resultCache/weightBytes").asLong();

        Raw gzipped = post(LARGE, "gzip, deflate, br");
        assertThat(gzipped.cache()).isEqualTo("HIT");
        assertThat(gzipped.encoding()).contains("gzip");
        assertThat(gzipped.vary()).containsExactly("Accept-Encoding");
        assertThat(gzipped.json()).isEqualTo(plain.json());
        assertThat(gzipped.body().length).isLessThan(plain.body().length / 3);
        // Kept, and counted in the cache's weight (it is bounded by bytes).
        assertThat(client.metrics().at("/resultCache/weightBytes").asLong()).isEqualTo(weightBefore + gzipped.body().length);
        Raw again = post(LARGE, "gzip");
        assertThat(again.cache()).isEqualTo("HIT");
        assertThat(again.body()).isEqualTo(gzipped.body());
        assertThat(client.metrics().at("/resultCache/weightBytes").asLong()).isEqualTo(weightBefore + gzipped.body().length);

        // The plain form stays as it was for clients without gzip.
        Raw plainAgain = post(LARGE, "identity");
        assertThat(plainAgain.cache()).isEqualTo("HIT");
        assertThat(plainAgain.encoding()).isEmpty();
        assertThat(plainAgain.body()).isEqualTo(plain.body());
    }

    @Test
    void an_answer_computed_for_a_gzip_client_is_compressed_as_it_is_sent() {
        Raw first = post(LARGE, "gzip");
        assertThat(first.cache()).isEqualTo("MISS");
        assertThat(first.encoding()).contains("gzip");
        assertThat(first.vary()).containsExactly("Accept-Encoding");
        assertThat(first.json()).isEqualTo(post(LARGE, null).json());
    }

    @Test
    void gzip_refused_by_quality_zero_or_not_named_is_not_sent() {
        // Computed (the gzip handler decides) and cached (the cache decides): the same reading of Accept-Encoding.
        assertThat(post(LARGE, "gzip;q=0, identity").encoding()).isEmpty();
        for (String refused : new String[] {"gzip;q=0, identity", "*, gzip;q=0", "br", "*"}) {
            Raw hit = post(LARGE, refused);
            assertThat(hit.cache()).isEqualTo("HIT");
            assertThat(hit.encoding()).as(refused).isEmpty();
        }
        Raw weighted = post(LARGE, "br;q=1.0, gzip;q=0.5");
        assertThat(weighted.encoding()).contains("gzip");
        assertThat(weighted.json()).isEqualTo(post(LARGE, null).json());
    }

    @Test
    void a_small_answer_is_sent_plain() {
        post(SMALL, "gzip");
        Raw hit = post(SMALL, "gzip");
        assertThat(hit.cache()).isEqualTo("HIT");
        assertThat(hit.body().length).isLessThan(GraphqlResponses.MIN_GZIP_BYTES);
        assertThat(hit.encoding()).isEmpty();
        assertThat(hit.json()).contains("totalCount");
    }
}
