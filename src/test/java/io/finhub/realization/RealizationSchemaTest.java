package io.finhub.realization;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.ExecutionResult;
import io.finhub.FinhubServer;
import io.finhub.TestStores;
import io.finhub.graphql.GraphqlEngine;
import io.finhub.graphql.GraphqlRequest;
import io.finhub.store.Store;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The realization API as GraphQL documents against the real schema and DuckDB (fixture {@code realization_contract}). */
class RealizationSchemaTest {
    private static Store store;
    private static GraphqlEngine engine;

    @BeforeAll
    static void open() {
        store = TestStores.withFixture("realization_contract");
        engine = FinhubServer.graphql(store, Clock.fixed(Instant.parse("2025-07-15T00:00:00Z"), ZoneOffset.UTC));
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void realization_answers_rates_as_percentages_and_money_as_exact_decimals() {
        Map<String, Object> realization = map(data("""
                { realization(contractId: "k1") {
                    asOf committedValue currency projectedValueAtEnd projectedRoiPct
                    current { quarterLabel realizationPct status atRisk milestonesMet milestonesDue utilizationPct unusedLicenseValue valueToDate paidToDate roiPct }
                    commitments { kpi realizationPct status due }
                    trajectory { quarterLabel realizationPct status } } }""").get("realization"));

        assertThat(realization.get("asOf")).isEqualTo("2025-06-30");
        assertThat((BigDecimal) realization.get("committedValue")).isEqualByComparingTo("40150.00");
        Map<String, Object> current = map(realization.get("current"));
        // (0.95 + 0.90) / 2 = 92.5 %; (73 305.00 / 19 910.00 - 1) x 100 = 268.1818 %.
        assertThat((BigDecimal) current.get("realizationPct")).isEqualByComparingTo("92.5");
        assertThat(current.get("status")).isEqualTo("BEHIND");
        assertThat((BigDecimal) current.get("unusedLicenseValue")).isEqualByComparingTo("12045.00");
        assertThat((BigDecimal) current.get("roiPct")).isEqualByComparingTo("268.1818");
        assertThat(list(realization.get("commitments"))).extracting(kpi -> kpi.get("kpi") + " " + ((BigDecimal) kpi.get("realizationPct")).stripTrailingZeros().toPlainString())
                .containsExactly("hours_saved 90", "seat_adoption_pct 95");
        assertThat(list(realization.get("trajectory"))).extracting(checkpoint -> checkpoint.get("quarterLabel") + " " + checkpoint.get("status"))
                .containsExactly("FY2025-Q1 AT_RISK", "FY2025-Q2 BEHIND");
    }

    @Test
    void a_summary_period_ending_before_it_starts_is_an_invalid_date_range() {
        ExecutionResult result = engine.execute(new GraphqlRequest(
                "{ realizationSummary(period: {from: \"2025-06-01\", to: \"2025-01-01\"}) { totalCount } }", null, Map.of(), Map.of()));
        assertThat(result.getErrors()).singleElement().satisfies(error -> {
            assertThat(error.getExtensions()).containsEntry("code", "INVALID_DATE_RANGE");
            assertThat(error.getMessage()).contains("2025-06-01").contains("2025-01-01");
        });
    }

    @Test
    void the_summary_reads_a_fiscal_quarter() {
        Map<String, Object> summary = map(data("""
                { realizationSummary(groupBy: PORTFOLIO, period: {fiscalYear: 2025, fiscalQuarter: 2}) {
                    currency totalCount rows { quarterLabel key contracts measuredContracts realizationPct atRiskContracts committedValue } } }""")
                .get("realizationSummary"));

        assertThat(summary.get("totalCount")).isEqualTo(1L);
        Map<String, Object> row = list(summary.get("rows")).get(0);
        assertThat(row.get("quarterLabel")).isEqualTo("FY2025-Q2");
        assertThat(row.get("contracts")).isEqualTo(2L);
        assertThat(row.get("measuredContracts")).isEqualTo(1L);
        assertThat((BigDecimal) row.get("realizationPct")).isEqualByComparingTo("92.5");
        assertThat((BigDecimal) row.get("committedValue")).isEqualByComparingTo("52150.00");
    }

    @Test
    void certify_records_once_and_refuses_a_second_certification_with_a_code() {
        String certify = """
                mutation($supersedes: ID) { certify(input: {contractId: "k2", fiscalYear: 2025, fiscalQuarter: 2, certifiedBy: "cs.lead",
                    evidence: [{kind: "CUSTOMER_SIGN_OFF", reference: "doc-17"}], supersedes: $supersedes, reason: "restated"}) {
                  certificationId revision current status realizationPct certifiedAt evidence { kind reference } } }""";
        Map<String, Object> first = map(data(certify).get("certify"));

        assertThat(first.get("revision")).isEqualTo(1);
        assertThat(first.get("status")).isEqualTo("NOT_MEASURED");
        assertThat(first.get("certifiedAt")).hasToString("2025-07-15T00:00:00.000Z");
        ExecutionResult again = engine.execute(new GraphqlRequest(certify, null, Map.of(), Map.of()));
        assertThat(again.getErrors()).singleElement().satisfies(error -> assertThat(error.getExtensions()).containsEntry("code", "ALREADY_CERTIFIED"));
        Map<String, Object> second = map(engine.execute(new GraphqlRequest(certify, null, Map.of("supersedes", first.get("certificationId")), Map.of()))
                .<Map<String, Object>>getData().get("certify"));
        assertThat(second.get("revision")).isEqualTo(2);
        assertThat(list(data("{ realizationCertifications(contractId: \"k2\") { revision current } }").get("realizationCertifications")))
                .extracting(certification -> certification.get("revision") + " " + certification.get("current"))
                .containsExactly("1 false", "2 true");
    }

    @Test
    void an_unknown_contract_is_not_found() {
        ExecutionResult result = engine.execute(new GraphqlRequest("{ realization(contractId: \"nope\") { asOf } }", null, Map.of(), Map.of()));

        assertThat(result.getErrors()).singleElement().satisfies(error -> assertThat(error.getExtensions()).containsEntry("code", "NOT_FOUND"));
    }

    private static Map<String, Object> data(String query) {
        ExecutionResult result = engine.execute(new GraphqlRequest(query, null, Map.of(), Map.of()));
        assertThat(result.getErrors()).isEmpty();
        return result.getData();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }
}
