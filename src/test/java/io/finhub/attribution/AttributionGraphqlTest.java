package io.finhub.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.ExecutionResult;
import io.finhub.FinhubServer;
import io.finhub.graphql.GraphqlEngine;
import io.finhub.graphql.GraphqlRequest;
import io.finhub.store.Store;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GraphQL documents against the server's real schema over DuckDB holding {@code journeys.sql} and {@code customer_success.sql}. */
class AttributionGraphqlTest {
    private static Store store;
    private static GraphqlEngine engine;

    @BeforeAll
    static void open() {
        store = AttributionFixtures.store("journeys");
        engine = FinhubServer.graphql(store, Clock.systemUTC());
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void several_models_side_by_side_by_channel() {
        Map<String, Object> report = map(data("""
                { attribution(models: [FIRST_TOUCH, LINEAR], period: {from: "2025-01-01", to: "2025-12-31"}) {
                    currency attributableConversions attributableRevenue unattributedConversions unattributedRevenue lookbackDays halfLifeDays
                    models { model attributedRevenue reconciled rows { key label attributedRevenue share } }
                    rows { key first: model(model: FIRST_TOUCH) { attributedRevenue } linear: model(model: LINEAR) { attributedRevenue } }
                } }""").get("attribution"));
        // journeys.sql: 470.00 attributable over 5 conversions, x1 30.00 unattributed (see AttributionRulesTest).
        assertThat(report.get("attributableConversions")).isEqualTo(5L);
        assertThat((BigDecimal) report.get("attributableRevenue")).isEqualByComparingTo("470.00");
        assertThat((BigDecimal) report.get("unattributedRevenue")).isEqualByComparingTo("30.00");
        assertThat(report.get("lookbackDays")).isEqualTo(90);
        List<Map<String, Object>> models = list(report.get("models"));
        assertThat(models).extracting(model -> model.get("model") + " " + model.get("attributedRevenue") + " " + model.get("reconciled"))
                .containsExactly("FIRST_TOUCH 470.00 true", "LINEAR 470.00 true");
        // FIRST_TOUCH: email 230.00 (share 230/470 = 0.489362), search 150.00, social 90.00.
        assertThat(list(models.get(0).get("rows"))).extracting(row -> row.get("key") + " " + row.get("label") + " " + row.get("attributedRevenue") + " " + row.get("share"))
                .containsExactly("email Email 230.00 0.489362", "search Paid search 150.00 0.319149", "social Paid social 90.00 0.191489");
        // The comparison rows: webinar has LINEAR credit (37.50) but no FIRST_TOUCH credit.
        Map<String, Object> webinar = list(report.get("rows")).stream().filter(row -> "webinar".equals(row.get("key"))).findFirst().orElseThrow();
        assertThat(webinar.get("first")).isNull();
        assertThat((BigDecimal) map(webinar.get("linear")).get("attributedRevenue")).isEqualByComparingTo("37.50");
    }

    @Test
    void the_generic_attributed_measures_are_asked_by_one_model_at_a_time() {
        // Every model credits the same 470.00 (journeys.sql): summed over the seven models it read 7 x 470.00 = 3290.00.
        ExecutionResult unpinned = engine.execute(new GraphqlRequest(
                "{ metrics(measures: [\"attributedRevenue\"], period: {from: \"2025-01-01\", to: \"2025-12-31\"}) { rows { v: value(measure: \"attributedRevenue\") } } }",
                null, null, null));
        assertThat(unpinned.getErrors()).singleElement().satisfies(error -> {
            assertThat(error.getExtensions()).containsEntry("code", "BAD_REQUEST");
            assertThat(error.getMessage()).startsWith("attributedRevenue counts each row once per model: group by the dimension model or filter it to one value");
        });
        Map<String, Object> linear = map(data("""
                { metrics(measures: ["attributedRevenue", "attributedRevenueLinear"], filters: [{dimension: "model", operator: EQ, values: ["LINEAR"]}],
                          period: {from: "2025-01-01", to: "2025-12-31"}) {
                    rows { generic: value(measure: "attributedRevenue") pinned: value(measure: "attributedRevenueLinear") } } }""").get("metrics"));
        assertThat(list(linear.get("rows")).get(0).toString()).isEqualTo("{generic=470.00, pinned=470.00}");
        Map<String, Object> byModel = map(data("""
                { metrics(measures: ["attributedConversions"], dimensions: ["model"], period: {from: "2025-01-01", to: "2025-12-31"}) {
                    rows { model: dimension(name: "model") n: value(measure: "attributedConversions") } } }""").get("metrics"));
        // Five attributable conversions under each of the seven models.
        assertThat(list(byModel.get("rows"))).hasSize(7)
                .allSatisfy(row -> assertThat(new BigDecimal(String.valueOf(row.get("n")))).isEqualByComparingTo("5"));
    }

    @Test
    void the_journey_drill_down_lists_touches_and_credits() {
        Map<String, Object> journey = map(data("""
                { attributionJourney(conversionId: "d1", models: [LINEAR, TIME_DECAY]) {
                    revenue currencyCode convertedAt touches { sequence channel campaign touchedAt daysBeforeConversion credits { model credit revenue } } } }""")
                .get("attributionJourney"));
        assertThat(journey.get("convertedAt").toString()).isEqualTo("2025-03-31T12:00:00.000Z");
        List<Map<String, Object>> touches = list(journey.get("touches"));
        // d1 150.00: LINEAR 37.50 each; TIME_DECAY 1/15, 2/15, 4/15, 8/15 = 10, 20, 40, 80.
        assertThat(touches).extracting(touch -> touch.get("sequence") + " " + touch.get("channel") + " " + touch.get("daysBeforeConversion") + " "
                + list(touch.get("credits")).stream().map(credit -> credit.get("model") + "=" + credit.get("revenue")).toList())
                .containsExactly("1 search 21.000 [LINEAR=37.50, TIME_DECAY=10.00]", "2 email 14.000 [LINEAR=37.50, TIME_DECAY=20.00]",
                        "3 social 7.000 [LINEAR=37.50, TIME_DECAY=40.00]", "4 webinar 0.000 [LINEAR=37.50, TIME_DECAY=80.00]");
    }

    @Test
    void the_catalog_answers_attributed_revenue_by_model_and_channel() {
        Map<String, Object> metrics = map(data("""
                { metrics(measures: ["attributedRevenue", "attributedConversions"], dimensions: ["model", "channel"],
                          filters: [{dimension: "model", operator: IN, values: ["LINEAR", "POSITION_BASED"]}]) {
                    rows { model: dimension(name: "model") channel: dimension(name: "channel") revenue: value(measure: "attributedRevenue")
                           conversions: value(measure: "attributedConversions") } } }""").get("metrics"));
        // LINEAR and POSITION_BASED by channel, as in AttributionRulesTest.
        assertThat(list(metrics.get("rows"))).extracting(row -> row.get("model") + " " + row.get("channel") + " " + row.get("revenue"))
                .containsExactly("LINEAR email 157.50", "LINEAR search 147.50", "LINEAR social 127.50", "LINEAR webinar 37.50",
                        "POSITION_BASED email 135.00", "POSITION_BASED search 170.00", "POSITION_BASED social 105.00", "POSITION_BASED webinar 60.00");
    }

    @Test
    void per_model_measures_combine_with_spend_by_channel() {
        store.write("test", List.of("fact_spend"), handle -> handle.execute("""
                INSERT INTO fact_spend VALUES ('sp1', DATE '2025-03-01', 'mkt', 'search', 's-brand', NULL, NULL, 'MEDIA', 100.00, 'USD')"""));
        Map<String, Object> metrics = map(data("""
                { metrics(measures: ["attributedRevenueLinear", "attributedNewCustomersLinear", "spend"], dimensions: ["channel"],
                          filters: [{dimension: "channel", operator: EQ, values: ["search"]}]) {
                    rows { revenue: value(measure: "attributedRevenueLinear") customers: value(measure: "attributedNewCustomersLinear")
                           spend: value(measure: "spend") } } }""").get("metrics"));
        // search under LINEAR: 147.50 revenue; new-business credit 0.25 (d1) + 0.5 (d2) = 0.75; spend 100.00.
        assertThat(list(metrics.get("rows"))).singleElement().satisfies(row -> {
            assertThat((BigDecimal) row.get("revenue")).isEqualByComparingTo("147.50");
            assertThat((BigDecimal) row.get("customers")).isEqualByComparingTo("0.75");
            assertThat((BigDecimal) row.get("spend")).isEqualByComparingTo("100.00");
        });
    }

    @Test
    void errors_carry_a_code() {
        ExecutionResult unknown = engine.execute(new GraphqlRequest("{ attributionJourney(conversionId: \"nope\") { revenue } }", null, null, null));
        assertThat(unknown.getErrors()).singleElement().satisfies(error -> assertThat(error.getExtensions()).containsEntry("code", "NOT_FOUND"));
        ExecutionResult badLookback = engine.execute(new GraphqlRequest("{ attribution(lookbackDays: 0) { attributableRevenue } }", null, null, null));
        assertThat(badLookback.getErrors()).singleElement().satisfies(error -> {
            assertThat(error.getExtensions()).containsEntry("code", "BAD_REQUEST");
            assertThat(error.getMessage()).contains("lookbackDays");
        });
    }

    @Test
    void the_attribute_mutation_and_the_portfolio_query() {
        try (Store successStore = AttributionFixtures.store("customer_success")) {
            GraphqlEngine successEngine = FinhubServer.graphql(successStore, Clock.systemUTC());
            attributeAndPortfolio(successEngine);
        }
    }

    @Test
    void a_wrong_period_is_an_invalid_date_range_naming_the_field_like_the_other_reports() {
        // A fiscal year has quarters 1 to 4; a quarter needs its year; a year and from/to are two periods.
        assertPeriodError("{fiscalYear: 2025, fiscalQuarter: 0}", "period.fiscalQuarter");
        assertPeriodError("{fiscalQuarter: 2}", "period.fiscalQuarter");
        assertPeriodError("{fiscalYear: 2025, from: \"2025-01-01\"}", "period.fiscalYear");
    }

    private static void assertPeriodError(String period, String field) {
        ExecutionResult result = engine.execute(new GraphqlRequest("{ attribution(period: %s) { groupBy } }".formatted(period), null, null, null));
        assertThat(result.getErrors()).as(period).singleElement().satisfies(error -> {
            assertThat(error.getExtensions()).containsEntry("code", "INVALID_DATE_RANGE");
            assertThat(error.getMessage()).contains(field);
        });
    }

    @Test
    void a_wrong_portfolio_period_is_an_invalid_date_range_as_the_other_reports_say() {
        try (Store successStore = AttributionFixtures.store("customer_success")) {
            GraphqlEngine successEngine = FinhubServer.graphql(successStore, Clock.systemUTC());
            // Not a period at all, a quarter 5, and a month 13: the same code the period inputs of the other reports give.
            for (String period : List.of("next spring", "FY2025-Q5", "2025-13")) {
                ExecutionResult result = successEngine.execute(new GraphqlRequest("{ portfolio(period: \"%s\") { roi } }".formatted(period), null, null, null));
                assertThat(result.getErrors()).as(period).singleElement().satisfies(error -> {
                    assertThat(error.getExtensions()).containsEntry("code", "INVALID_DATE_RANGE");
                    assertThat(error.getMessage()).contains("'" + period + "'");
                });
            }
        }
    }

    private static void attributeAndPortfolio(GraphqlEngine successEngine) {
        Map<String, Object> recorded = map(data(successEngine, """
                mutation { attribute(customerId: "a", input: {outcomeType: CHURN_PROTECTION, amount: "50.00", currency: "USD", outcomeDate: "2025-02-20",
                    allocations: [{programId: "qbr", share: "1", evidence: "renewal saved on the QBR call"}]}) {
                  outcomeId method reportingAmount allocations { programId programName amount evidence } } }""").get("attribute"));
        assertThat(recorded.get("method")).isEqualTo("manual");
        assertThat(list(recorded.get("allocations"))).extracting(allocation -> allocation.get("programName") + " " + allocation.get("amount"))
                .containsExactly("Quarterly business reviews 50.00");
        Map<String, Object> portfolio = map(data(successEngine, """
                { portfolio(period: "FY2025-Q1") { expansionRevenue churnProtectionValue outcomeValue csCost roi
                    programmes { programId outcomeValue roi } reconciliation { item variance } } }""").get("portfolio"));
        // As AttributionCustomerSuccessTest: churn protection 800.00 computed + 50.00 recorded; outcome 1650.00; cost 820.00.
        assertThat((BigDecimal) portfolio.get("churnProtectionValue")).isEqualByComparingTo("850.00");
        assertThat((BigDecimal) portfolio.get("outcomeValue")).isEqualByComparingTo("1650.00");
        assertThat((BigDecimal) portfolio.get("roi")).isEqualByComparingTo("2.0122");
    }

    private static Map<String, Object> data(String query) {
        return data(engine, query);
    }

    private static Map<String, Object> data(GraphqlEngine target, String query) {
        ExecutionResult result = target.execute(new GraphqlRequest(query, null, null, null));
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
