package io.finhub.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.ExecutionResult;
import io.finhub.FinhubServer;
import io.finhub.TestStores;
import io.finhub.security.Caller;
import io.finhub.security.DepartmentAccess;
import io.finhub.security.Role;
import io.finhub.security.Scope;
import io.finhub.store.Store;
import java.time.Clock;
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
}
