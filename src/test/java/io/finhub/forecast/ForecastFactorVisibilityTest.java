package io.finhub.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.ExecutionResult;
import io.finhub.FinhubServer;
import io.finhub.TestStores;
import io.finhub.graphql.GraphqlEngine;
import io.finhub.graphql.GraphqlRequest;
import io.finhub.security.Caller;
import io.finhub.security.DepartmentAccess;
import io.finhub.security.Role;
import io.finhub.security.Scope;
import io.finhub.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A renewal line explains its probability factor by factor; the factors counted from customer-success activities are
 * shown only to a caller who sees every programme's department, as the activities themselves are (fixture
 * {@code forecast_history}, with an escalation programme of the cs department and a training programme of mkt).
 */
class ForecastFactorVisibilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Store store;
    private static GraphqlEngine engine;

    @BeforeAll
    static void open() {
        store = TestStores.withFixture("forecast_history");
        store.jdbi().useHandle(handle -> {
            handle.execute("INSERT INTO dim_cs_program VALUES ('P-ESC', 'Escalations', 'ESCALATION', 'cs'), ('P-TRN', 'Training', 'TRAINING', 'mkt')");
            // h0001's open renewal (O-h0001) is forecast as of 2025-12-31: two escalations and a training within the 180 days before.
            handle.execute("""
                    INSERT INTO fact_cs_activity VALUES ('A1', 'h0001', 'P-ESC', DATE '2025-10-01', 1, 100, 'USD'),
                                                        ('A2', 'h0001', 'P-ESC', DATE '2025-11-01', 1, 100, 'USD'),
                                                        ('A3', 'h0001', 'P-TRN', DATE '2025-09-01', 2, 200, 'USD')""");
        });
        engine = FinhubServer.graphql(store, Clock.fixed(Instant.parse("2026-01-15T00:00:00Z"), ZoneOffset.UTC));
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void a_caller_who_sees_every_programme_department_sees_the_activity_counts() {
        JsonNode factors = factors(DepartmentAccess.ALL);
        assertThat(factor(factors, "ESCALATIONS_180D").path("value").asDouble()).isEqualTo(2.0);
        assertThat(factor(factors, "SUCCESS_PROGRAMME_180D").path("value").asDouble()).isEqualTo(1.0);
        assertThat(factor(factors, "ESCALATIONS_180D").path("contribution").isNumber()).isTrue();

        JsonNode both = factors(DepartmentAccess.only(Set.of("cs", "mkt")));
        assertThat(factor(both, "ESCALATIONS_180D").path("value").asDouble()).isEqualTo(2.0);
    }

    @Test
    void a_caller_who_does_not_see_every_programme_department_sees_no_activity_count_but_the_other_factors() {
        JsonNode factors = factors(DepartmentAccess.only(Set.of("mkt")));
        for (String hidden : new String[] {"ESCALATIONS_180D", "SUCCESS_PROGRAMME_180D"}) {
            assertThat(factor(factors, hidden).path("value").isNull()).as(hidden).isTrue();
            assertThat(factor(factors, hidden).path("contribution").isNull()).as(hidden).isTrue();
            // The model's own weight is the same for every caller: it is learnt from every customer, not this one's activities.
            assertThat(factor(factors, hidden).path("coefficient").isNumber()).as(hidden).isTrue();
        }
        // h0001's health: 20 + 37 % 70 = 57, flat (the fixture).
        assertThat(factor(factors, "HEALTH_SCORE").path("value").asDouble()).isEqualTo(57.0);
    }

    private static JsonNode factors(DepartmentAccess departments) {
        Caller caller = new Caller("viewer", Set.of(Scope.FINANCIAL_DATA_READ), Set.of(Role.ANALYST), departments, "viewer");
        try (Caller.Binding bound = Caller.bind(caller)) {
            ExecutionResult result = engine.execute(new GraphqlRequest(
                    "{ forecast(customerId: \"h0001\") { renewals { contractId probabilitySource factors { factor value coefficient contribution } } } }",
                    null, null, null));
            assertThat(result.getErrors()).isEmpty();
            JsonNode renewals = JSON.valueToTree(result.getData()).at("/forecast/renewals");
            assertThat(renewals.size()).isEqualTo(1);
            assertThat(renewals.get(0).path("probabilitySource").asText()).isEqualTo("MODEL");
            return renewals.get(0).path("factors");
        }
    }

    private static JsonNode factor(JsonNode factors, String name) {
        for (JsonNode factor : factors) {
            if (factor.path("factor").asText().equals(name)) {
                return factor;
            }
        }
        throw new AssertionError("no factor " + name + " in " + factors);
    }
}
