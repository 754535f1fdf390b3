package io.finhub.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.ExecutionResult;
import io.finhub.TestStores;
import io.finhub.FinhubServer;
import io.finhub.store.Store;
import io.finhub.store.StoreConfig;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GraphQL documents against the real schema and a real DuckDB holding the tiny company fixture. */
class GraphqlSchemaTest {
    private static Store store;
    private static GraphqlEngine engine;

    @BeforeAll
    static void open() {
        store = TestStores.withFixture("tiny_company", StoreConfig.inMemory().withFiscalStartMonth(1));
        engine = FinhubServer.graphql(store, Clock.fixed(Instant.parse("2025-03-10T12:00:00Z"), ZoneOffset.UTC));
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void spend_and_revenue_by_channel_by_quarter_for_a_fiscal_year() {
        Map<String, Object> data = data("""
                query($year: Int!) {
                  metrics(measures: ["spend", "revenue"], dimensions: ["channel"], timeGrain: QUARTER, period: {fiscalYear: $year},
                          orderBy: [{field: "spend", direction: DESC}]) {
                    currency totalCount
                    rows { period periodLabel channel: dimension(name: "channel") spend: value(measure: "spend") revenue: value(measure: "revenue")
                           dimensions { dimension value label } }
                  }
                }""", Map.of("year", 2025));
        Map<String, Object> metrics = map(data.get("metrics"));
        // Hand figures from the fixture: Q1 search spend 1000 + 100 EUR × 1.10 = 1110.00, revenue 5000.00;
        // Q2 email 300.00 / 2000 EUR × 1.20 = 2400.00; Q2 search revenue 1000.00 without spend.
        assertThat(metrics.get("totalCount")).isEqualTo(3L);
        assertThat(metrics.get("currency")).isEqualTo("USD");
        List<Map<String, Object>> rows = list(metrics.get("rows"));
        assertThat(rows).extracting(row -> row.get("periodLabel") + " " + row.get("channel") + " " + row.get("spend") + " " + row.get("revenue"))
                .containsExactly("FY2025-Q1 search 1110.00 5000.00", "FY2025-Q2 email 300.00 2400.00", "FY2025-Q2 search null 1000.00");
        assertThat(rows.get(0).get("spend")).isInstanceOf(BigDecimal.class);
        assertThat(list(rows.get(0).get("dimensions"))).containsExactly(Map.of("dimension", "channel", "value", "search", "label", "Paid search"));
    }

    @Test
    void another_fiscal_year_has_no_rows() {
        Map<String, Object> metrics = map(data("{ metrics(measures: [\"spend\"], dimensions: [\"channel\"], period: {fiscalYear: 2024}) { totalCount rows { periodLabel } } }", Map.of())
                .get("metrics"));
        assertThat(metrics.get("totalCount")).isEqualTo(0L);
        assertThat(list(metrics.get("rows"))).isEmpty();
    }

    @Test
    void catalog_lists_measures_with_their_dimensions() {
        Map<String, Object> catalog = map(data("{ catalog { reportingCurrency fiscalYearStartMonth measures { name unit derived dimensions } dimensions { name measures } } }", Map.of())
                .get("catalog"));
        assertThat(catalog.get("reportingCurrency")).isEqualTo("USD");
        Map<String, Object> spend = list(catalog.get("measures")).stream().filter(measure -> measure.get("name").equals("spend")).findFirst().orElseThrow();
        assertThat(spend.get("unit")).isEqualTo("CURRENCY");
        assertThat(strings(spend.get("dimensions"))).contains("channel", "campaign", "department", "costType").doesNotContain("segment");
        Map<String, Object> segment = list(catalog.get("dimensions")).stream().filter(dimension -> dimension.get("name").equals("segment")).findFirst().orElseThrow();
        assertThat(strings(segment.get("measures"))).contains("revenue", "conversions").doesNotContain("spend");
    }

    @Test
    void errors_carry_a_code_and_name_the_problem() {
        ExecutionResult unknown = engine.execute(new GraphqlRequest("{ metrics(measures: [\"profit\"]) { totalCount } }", null, null, null));
        assertThat(unknown.getErrors()).singleElement().satisfies(error -> {
            assertThat(error.getMessage()).contains("unknown measure 'profit'");
            assertThat(error.getExtensions()).containsEntry("code", "UNKNOWN_MEASURE");
        });
        ExecutionResult notAllowed = engine.execute(new GraphqlRequest("{ metrics(measures: [\"budget\"], dimensions: [\"channel\"]) { totalCount } }", null, null, null));
        assertThat(notAllowed.getErrors()).singleElement().satisfies(error -> {
            assertThat(error.getMessage()).contains("measure 'budget' cannot be grouped by dimension 'channel'");
            assertThat(error.getExtensions()).containsEntry("code", "DIMENSION_NOT_ALLOWED");
        });
        ExecutionResult badRange = engine.execute(new GraphqlRequest(
                "{ metrics(measures: [\"spend\"], period: {from: \"2025-03-01\", to: \"2025-01-01\"}) { totalCount } }", null, null, null));
        assertThat(badRange.getErrors()).singleElement().satisfies(error -> assertThat(error.getExtensions()).containsEntry("code", "INVALID_DATE_RANGE"));
        ExecutionResult bothRanges = engine.execute(new GraphqlRequest(
                "{ metrics(measures: [\"spend\"], period: {fiscalYear: 2025, from: \"2025-03-01\"}) { totalCount } }", null, null, null));
        assertThat(bothRanges.getErrors()).singleElement().satisfies(error -> assertThat(error.getMessage()).contains("not both"));
    }

    @Test
    void an_explicit_null_argument_takes_the_schema_default() {
        // importBatches(limit = 20), auditLog(afterSeq = 0, limit = 100), retentionRoi(lookbackDays = 90), metrics(limit = 1000, offset = 0):
        // a written null answers exactly as the argument left out.
        for (String field : List.of("importBatches(limit: %s) { batchId }", "auditLog(afterSeq: %s, limit: %s) { seq }",
                "retentionRoi(from: \"2025-01-01\", to: \"2025-03-31\", lookbackDays: %s) { campaignId renewals }",
                "metrics(measures: [\"spend\"], limit: %s, offset: %s) { totalCount }")) {
            String withNulls = "{ answer: " + field.replace("%s", "null") + " }";
            String leftOut = "{ answer: " + field.replaceAll("(, )?\\w+: %s", "").replace("()", "") + " }";
            assertThat(data(withNulls, Map.of())).as(withNulls).isEqualTo(data(leftOut, Map.of()));
        }
        Map<String, Object> variables = new java.util.HashMap<>();
        variables.put("limit", null);
        assertThat(data("query($limit: Int) { importBatches(limit: $limit) { batchId } }", variables)).isEqualTo(data("{ importBatches { batchId } }", Map.of()));
    }

    @Test
    void a_day_the_month_does_not_have_is_refused_not_moved_to_the_month_end() {
        // February 2025 has 28 days (2025 is not divisible by 4), April 30; 2024 is a leap year, so 2024-02-29 exists.
        for (String impossible : List.of("2025-02-31", "2025-02-29", "2025-04-31")) {
            ExecutionResult literal = engine.execute(new GraphqlRequest(
                    "{ metrics(measures: [\"spend\"], period: {from: \"%s\", to: \"%s\"}) { totalCount } }".formatted(impossible, impossible), null, null, null));
            assertThat(literal.getErrors()).isNotEmpty().allSatisfy(error -> assertThat(error.getMessage()).contains("'" + impossible + "'"));
            ExecutionResult variable = engine.execute(new GraphqlRequest("query($from: Date) { metrics(measures: [\"spend\"], period: {from: $from}) { totalCount } }",
                    null, Map.of("from", impossible), null));
            assertThat(variable.getErrors()).isNotEmpty().allSatisfy(error -> assertThat(error.getMessage()).contains("'" + impossible + "'"));
        }
        assertThat(data("{ metrics(measures: [\"spend\"], period: {from: \"2024-02-29\", to: \"2025-02-28\"}) { totalCount } }", Map.of())).isNotNull();
        assertThat(data("query($to: Date) { metrics(measures: [\"spend\"], period: {to: $to}) { totalCount } }", Map.of("to", "2024-02-29"))).isNotNull();
    }

    @Test
    void a_too_deep_document_is_refused() {
                String ofTypes = "ofType { ".repeat(9) + "name" + " }".repeat(9);
        // GraphiQL's own introspection nests ofType nine deep: that must pass, twice as deep must not.
        String introspection = "{ __schema { types { fields { type { " + ofTypes + " } } } } }";
        assertThat(engine.execute(new GraphqlRequest(introspection, null, null, null)).getErrors()).isEmpty();
        String tooDeep = "{ __schema { types { fields { type { " + ofTypes.replace("name", ofTypes) + " } } } } }";
        assertThat(engine.execute(new GraphqlRequest(tooDeep, null, null, null)).getErrors())
                .singleElement().satisfies(error -> assertThat(error.getMessage()).containsIgnoringCase("depth"));
    }

    @Test
    void budget_variance_by_department_and_month() {
        Map<String, Object> data = data("""
                { budgetVariance(by: [DEPARTMENT, MONTH], fiscalYear: 2025, filters: [{dimension: "department", values: ["mkt"]}]) {
                    currency rows { periodLabel department departmentName budget actual variance variancePct favorable projectedActual } } }""", Map.of());
        // tiny_company, marketing media: January budget 500 − actual 450 = +50 (+10 %);
        // February budget 800 − actual 1000 = −200 (−25 %), unfavourable.
        assertThat(list(map(data.get("budgetVariance")).get("rows")))
                .extracting(row -> row.get("periodLabel") + " " + row.get("departmentName") + " " + row.get("variance") + " " + row.get("variancePct") + " " + row.get("favorable"))
                .containsExactly("2025-01 Marketing 50.00 10.0000 true", "2025-02 Marketing -200.00 -25.0000 false");
    }

    private static Map<String, Object> data(String query, Map<String, Object> variables) {
        ExecutionResult result = engine.execute(new GraphqlRequest(query, null, variables, null));
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

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object value) {
        return (List<String>) value;
    }
}
