package io.finhub.cache;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.introspection.IntrospectionQuery;
import io.finhub.FinhubServer;
import io.finhub.TestStores;
import io.finhub.cache.CacheClient.Answer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Query depth and complexity limits answer a clear code and run nothing. */
class CacheLimitsTest {
    private static FinhubServer server;
    private static CacheClient client;

    @BeforeAll
    static void start() {
        server = FinhubServer.start(TestStores.withFixture("tiny_company"), "127.0.0.1", 0);
        client = new CacheClient(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void twenty_aliased_reports_are_too_complex_and_nineteen_are_not() {
        // A root field costs 50 and its one selected field 1: 20 x 51 = 1020 is over 1000, 19 x 51 = 969 is not.
        Answer tooComplex = client.post(aliasedReports(20));
        assertThat(tooComplex.status()).isEqualTo(400);
        assertThat(tooComplex.errorCode()).isEqualTo("TOO_COMPLEX");
        assertThat(tooComplex.json().at("/errors/0/message").asText()).contains("1020").contains("1000");
        assertThat(tooComplex.json().has("data")).isFalse();

        assertThat(client.post(aliasedReports(19)).status()).isEqualTo(200);
    }

    @Test
    void the_full_introspection_query_of_graphiql_is_within_both_limits() {
        Answer introspection = client.post(IntrospectionQuery.INTROSPECTION_QUERY);
        assertThat(introspection.status()).isEqualTo(200);
        assertThat(introspection.json().has("errors")).isFalse();
    }

    @Test
    void a_too_deep_document_answers_too_deep() {
        String ofTypes = "ofType { ".repeat(20) + "name" + " }".repeat(20);
        Answer tooDeep = client.post("{ __schema { types { fields { type { " + ofTypes + " } } } } }");
        assertThat(tooDeep.status()).isEqualTo(400);
        assertThat(tooDeep.errorCode()).isEqualTo("TOO_DEEP");
    }

    private static String aliasedReports(int count) {
        return IntStream.range(0, count)
                .mapToObj(index -> "r" + index + ": catalog { reportingCurrency }")
                .collect(Collectors.joining(" ", "{ ", " }"));
    }
}
