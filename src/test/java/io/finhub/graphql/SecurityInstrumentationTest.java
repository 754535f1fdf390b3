package io.finhub.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.ExecutionResult;
import io.finhub.FinhubServer;
import io.finhub.TestStores;
import io.finhub.audit.AuditLog;
import io.finhub.security.Caller;
import io.finhub.security.DepartmentAccess;
import io.finhub.security.Role;
import io.finhub.security.Scope;
import io.finhub.store.Store;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scope of the operation is checked again on the field that runs, whatever an edge made of the
 * request: a read-only caller's mutation, however it reached the engine, changes nothing.
 */
class SecurityInstrumentationTest {
    private static Store store;
    private static GraphqlEngine engine;

    @BeforeAll
    static void open() {
        store = TestStores.withFixture("security_company");
        engine = FinhubServer.graphql(store, Clock.systemUTC());
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void a_field_runs_only_with_the_scope_of_its_operation() {
        Caller reader = new Caller("reader", Set.of(Scope.FINANCIAL_DATA_READ), Set.of(Role.ANALYST), DepartmentAccess.ALL, "reader");
        Caller watcher = new Caller("watcher", Set.of(Scope.ALERTS_SUBSCRIBE), Set.of(Role.ANALYST), DepartmentAccess.ALL, "watcher");
        try (Caller.Binding bound = Caller.bind(reader)) {
            ExecutionResult mutation = engine.execute(new GraphqlRequest("mutation { disableAlertRule(id: \"cac-target\") { id enabled } }", "", null, null));
            assertThat(mutation.getErrors()).singleElement().satisfies(error -> {
                assertThat(error.getExtensions()).containsEntry("code", "FORBIDDEN");
                assertThat(error.getMessage()).isEqualTo("mutation disableAlertRule needs the scope financial_data.write");
            });
            assertThat(engine.execute(new GraphqlRequest("{ dataVersion }", null, null, null)).getErrors()).isEmpty();
        }
        try (Caller.Binding bound = Caller.bind(watcher)) {
            ExecutionResult query = engine.execute(new GraphqlRequest("{ dataVersion }", null, null, null));
            assertThat(query.getErrors()).singleElement().satisfies(error -> assertThat(error.getMessage()).contains("financial_data.read"));
        }
        try (Caller.Binding bound = Caller.bind(Caller.SYSTEM)) {
            ExecutionResult rules = engine.execute(new GraphqlRequest("{ alertRules { id enabled } }", null, null, null));
            assertThat(rules.getErrors()).isEmpty();
            assertThat(rules.getData().toString()).contains("{id=cac-target, enabled=true}");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void a_webhook_secret_is_redacted_from_the_audit_entry_of_its_mutation_and_still_signs() {
        String secret = "my-webhook-secret-0123456789";
        try (Caller.Binding bound = Caller.bind(Caller.SYSTEM)) {
            long before = lastAuditSeq();
            ExecutionResult created = engine.execute(new GraphqlRequest("""
                    mutation { createAlertWebhook(input: {url: "http://127.0.0.1:18201/h", secret: "%s"}) { webhook { id } secret } }""".formatted(secret),
                    null, null, null));
            assertThat(created.getErrors()).isEmpty();
            ExecutionResult refused = engine.execute(new GraphqlRequest("""
                    mutation { createAlertWebhook(input: {url: "http://127.0.0.1:18201/h", secret: "short-secret-12"}) { webhook { id } } }""",
                    null, null, null));
            assertThat(refused.getErrors()).isNotEmpty();

            List<String> details = store.jdbi().withHandle(handle -> handle.createQuery("SELECT detail FROM audit_log WHERE seq > :before ORDER BY seq")
                    .bind("before", before).mapTo(String.class).list());
            // Both attempts are audited, the ok one and the refused one (its secret has 15 characters, under 16), each with its url and no secret.
            assertThat(details).hasSize(2);
            assertThat(details.get(0)).isEqualTo("{\"arguments\":{\"input\":{\"url\":\"http://127.0.0.1:18201/h\",\"secret\":\"<redacted>\"}},\"outcome\":\"ok\"}");
            assertThat(details.get(1)).startsWith("{\"arguments\":{\"input\":{\"url\":\"http://127.0.0.1:18201/h\",\"secret\":\"<redacted>\"}},\"outcome\":\"failed: ");
            assertThat(String.join("\n", details)).doesNotContain(secret).doesNotContain("short-secret-12");
            assertThat(new AuditLog(store, Clock.systemUTC()).verify().ok()).isTrue();

            // The mutation still got the secret: the webhook shows it once and the sender signs with the stored one.
            assertThat(created.getData().toString()).contains("secret=" + secret);
            String id = ((Map<String, Map<String, Map<String, String>>>) created.getData()).get("createAlertWebhook").get("webhook").get("id");
            String stored = store.jdbi().withHandle(handle -> handle.createQuery("SELECT secret FROM alert_webhook WHERE webhook_id = :id")
                    .bind("id", id).mapTo(String.class).one());
            assertThat(stored).isEqualTo(secret);
        }
    }

    private static long lastAuditSeq() {
        return store.jdbi().withHandle(handle -> handle.createQuery("SELECT coalesce(max(seq), 0) FROM audit_log").mapTo(Long.class).one());
    }
}
