package io.finhub.security;

import static io.finhub.security.SecuredServer.bearer;
import static io.finhub.security.SecuredServer.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A marketing manager (role marketing: the departments whose function is MARKETING, here only
 * {@code mkt}) never receives another department's rows, through GraphQL, the result cache or OData,
 * and nothing written into a filter, dimension, sort key or OData option changes that. Expected
 * figures are the fixture's, added by hand: marketing spend 1000.00 + 234.56 = 1234.56, company
 * spend 1234.56 + 7000.00 + 500.00 = 8734.56.
 */
class DepartmentSecurityEndToEndTest {
    private static final String TOTAL_SPEND = "{ metrics(measures: [\"spend\"]) { rows { spend: value(measure: \"spend\") } } }";
    private static final String SPEND_BY_DEPARTMENT = """
            query($filters: [FilterInput!], $dimensions: [String!]!, $order: [OrderInput!]) {
              metrics(measures: ["spend"], dimensions: $dimensions, filters: $filters, orderBy: $order) {
                rows { department: dimension(name: "department") spend: value(measure: "spend") }
              }
            }""";
    private static SecuredServer server;

    @BeforeAll
    static void start() {
        server = SecuredServer.start("security_company", 0);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void graphql_metrics_and_budget_variance_show_a_marketing_manager_only_marketing() {
        JsonNode byDepartment = graphql(SecuredServer.marketing(), SPEND_BY_DEPARTMENT, Map.of("dimensions", List.of("department")));
        assertThat(rows(byDepartment, "/data/metrics/rows", "department")).containsExactly("mkt");
        assertThat(byDepartment.at("/data/metrics/rows/0/spend").decimalValue()).isEqualByComparingTo("1234.56");

        JsonNode variance = server.graphqlJson(SecuredServer.marketing(),
                "{ budgetVariance(by: [DEPARTMENT], period: {fiscalYear: 2025}) { rows { department budget actual } } }");
        assertThat(rows(variance, "/data/budgetVariance/rows", "department")).containsExactly("mkt");

        JsonNode everyone = graphql(SecuredServer.admin(), SPEND_BY_DEPARTMENT, Map.of("dimensions", List.of("department")));
        assertThat(rows(everyone, "/data/metrics/rows", "department")).containsExactlyInAnyOrder("mkt", "eng", "sales");
    }

    @Test
    void a_field_that_cannot_be_restricted_is_refused_rather_than_answered_with_every_department() {
        JsonNode refused = server.graphqlJson(SecuredServer.marketing(), "{ productRoi { productId developmentCost } }");
        assertThat(refused.at("/errors/0/extensions/code").asText()).isEqualTo("FORBIDDEN");
        assertThat(refused.at("/data/productRoi").isNull() || refused.at("/data").isNull()).isTrue();
        JsonNode admin = server.graphqlJson(SecuredServer.admin(), "{ productRoi { productId developmentCost } }");
        assertThat(admin.has("errors")).isFalse();
    }

    @Test
    void the_result_cache_never_hands_one_scope_the_answer_of_another() {
        HttpResponse<String> adminFirst = server.graphql(SecuredServer.admin(), TOTAL_SPEND, Map.of());
        assertThat(spend(adminFirst)).isEqualByComparingTo("8734.56");
        HttpResponse<String> adminAgain = server.graphql(SecuredServer.admin(), TOTAL_SPEND, Map.of());
        assertThat(adminAgain.headers().firstValue("X-Finhub-Cache")).hasValue("HIT");

        HttpResponse<String> marketingFirst = server.graphql(SecuredServer.marketing(), TOTAL_SPEND, Map.of());
        assertThat(marketingFirst.headers().firstValue("X-Finhub-Cache")).hasValue("MISS");
        assertThat(spend(marketingFirst)).isEqualByComparingTo("1234.56");
        HttpResponse<String> marketingAgain = server.graphql(SecuredServer.marketing(), TOTAL_SPEND, Map.of());
        assertThat(marketingAgain.headers().firstValue("X-Finhub-Cache")).hasValue("HIT");
        assertThat(spend(marketingAgain)).isEqualByComparingTo("1234.56");
        // Another marketing manager (another token, same departments) shares marketing's answer, not the admin's.
        String otherMarketer = SecuredServer.jwt("max-marketing", List.of("financial_data.read"), List.of("marketing"), Optional.empty());
        assertThat(spend(server.graphql(otherMarketer, TOTAL_SPEND, Map.of()))).isEqualByComparingTo("1234.56");
    }

    @Test
    void odata_tables_and_views_show_a_marketing_manager_only_marketing_rows() {
        assertThat(odataColumn("/odata/SpendLines", "SpendId")).containsExactlyInAnyOrder("sp1", "sp2");
        assertThat(odataColumn("/odata/GlActuals", "EntryId")).containsExactly("g1");
        assertThat(odataColumn("/odata/Departments", "DepartmentId")).containsExactly("mkt");
        assertThat(odataColumn("/odata/Campaigns", "CampaignId")).containsExactly("s-q1");
        // Activities have no department of their own: theirs is their programme's.
        assertThat(odataColumn("/odata/CsPrograms", "ProgramId")).containsExactly("p-mkt");
        assertThat(odataColumn("/odata/CsActivities", "ActivityId")).containsExactly("act1");
        assertThat(server.get("/odata/CsActivities/$count", bearer(SecuredServer.marketing())).body()).isEqualTo("1");
        assertThat(server.get("/odata/CsActivities/$count", bearer(SecuredServer.admin())).body()).isEqualTo("2");
        assertThat(odataColumn("/odata/BudgetVsActualByDepartmentMonth", "Department")).isNotEmpty().allMatch("mkt"::equals);
        HttpResponse<String> csv = server.get("/odata/SpendLines.csv", bearer(SecuredServer.marketing()));
        assertThat(csv.body()).contains("sp1").contains("sp2").doesNotContain("sp3").doesNotContain("sp4");
        HttpResponse<String> count = server.get("/odata/SpendLines/$count", bearer(SecuredServer.marketing()));
        assertThat(count.body().trim()).isEqualTo("2");
    }

    /**
     * Hand count of the fixture's deals of 2025: LAST_TOUCH credits cv1's 1000.00 to t2 (ev-q1, eng, events) and
     * cv2's 600.00 to t4 (s-q1, mkt, search); LINEAR splits cv1 into 500.00 for t1 (s-q1, search) and 500.00 for
     * t2, and cv2 into 300.00 for t3 (no campaign, events) and 300.00 for t4. cv3 (200.00) has no touch. So
     * marketing's campaign s-q1 earns 600.00 last-touch and 500.00 + 300.00 = 800.00 linear, all of it on
     * search; both cv1 and cv2 (1000.00 + 600.00 = 1600.00) have a touch of s-q1 on their path.
     */
    private static final String ATTRIBUTION = """
            query($groupBy: AttributionGrouping) {
              attribution(models: [LAST_TOUCH, LINEAR], groupBy: $groupBy, period: {from: "2025-01-01", to: "2025-12-31"}) {
                attributableConversions attributableRevenue unattributedConversions unattributedRevenue
                models { model attributedRevenue rows { key attributedRevenue } }
              }
            }""";

    @Test
    void attribution_credits_a_marketing_manager_only_with_marketing_campaigns() {
        JsonNode byCampaign = graphql(SecuredServer.marketing(), ATTRIBUTION, Map.of("groupBy", "CAMPAIGN")).at("/data/attribution");
        assertThat(rows(byCampaign, "/models/0/rows", "key")).containsExactly("s-q1");
        assertThat(byCampaign.at("/models/0/rows/0/attributedRevenue").decimalValue()).isEqualByComparingTo("600.00");
        assertThat(byCampaign.at("/models/0/attributedRevenue").decimalValue()).isEqualByComparingTo("600.00");
        assertThat(rows(byCampaign, "/models/1/rows", "key")).containsExactly("s-q1");
        assertThat(byCampaign.at("/models/1/attributedRevenue").decimalValue()).isEqualByComparingTo("800.00");
        assertThat(byCampaign.at("/attributableConversions").asLong()).isEqualTo(2);
        assertThat(byCampaign.at("/attributableRevenue").decimalValue()).isEqualByComparingTo("1600.00");
        assertThat(byCampaign.at("/unattributedConversions").asLong()).isZero();
        assertThat(byCampaign.at("/unattributedRevenue").decimalValue()).isEqualByComparingTo("0");

        JsonNode byChannel = graphql(SecuredServer.marketing(), ATTRIBUTION, Map.of("groupBy", "CHANNEL")).at("/data/attribution");
        assertThat(rows(byChannel, "/models/1/rows", "key")).containsExactly("search");
        assertThat(byChannel.at("/models/1/rows/0/attributedRevenue").decimalValue()).isEqualByComparingTo("800.00");

        // The catalog gives the same caller the same figure.
        JsonNode metrics = server.graphqlJson(SecuredServer.marketing(), """
                { metrics(measures: ["attributedRevenueLastTouch"], dimensions: ["campaign"]) {
                    rows { campaign: dimension(name: "campaign") revenue: value(measure: "attributedRevenueLastTouch") } } }""");
        assertThat(rows(metrics, "/data/metrics/rows", "campaign")).containsExactly("s-q1");
        assertThat(metrics.at("/data/metrics/rows/0/revenue").decimalValue()).isEqualByComparingTo("600.00");

        JsonNode everyone = graphql(SecuredServer.admin(), ATTRIBUTION, Map.of("groupBy", "CHANNEL")).at("/data/attribution");
        assertThat(rows(everyone, "/models/1/rows", "key")).containsExactlyInAnyOrder("search", "events");
        assertThat(everyone.at("/models/1/attributedRevenue").decimalValue()).isEqualByComparingTo("1600.00");
        assertThat(everyone.at("/unattributedRevenue").decimalValue()).isEqualByComparingTo("200.00");

        JsonNode nobody = graphql(noRole(), ATTRIBUTION, Map.of("groupBy", "CAMPAIGN")).at("/data/attribution");
        assertThat(nobody.at("/models/0/rows").size()).isZero();
        assertThat(nobody.at("/models/1/attributedRevenue").decimalValue()).isEqualByComparingTo("0");
        assertThat(nobody.at("/attributableRevenue").decimalValue()).isEqualByComparingTo("0");
    }

    @Test
    void deals_by_acquisition_campaign_name_to_a_marketing_manager_only_marketing_campaigns() {
        // c1 (deals cv1 1000.00 and cv2 600.00) was acquired by engineering's ev-q1, c2 (cv3 200.00) by marketing's s-q1.
        server.server().store().jdbi().useHandle(handle -> {
            handle.execute("UPDATE dim_customer SET acquisition_campaign_id = 'ev-q1' WHERE customer_id = 'c1'");
            handle.execute("UPDATE dim_customer SET acquisition_campaign_id = 's-q1' WHERE customer_id = 'c2'");
        });
        try {
            String byCampaign = """
                    query($filters: [FilterInput!]) { metrics(measures: ["revenue"], dimensions: ["campaign"], filters: $filters, orderBy: [{field: "campaign"}]) {
                        rows { campaign: dimension(name: "campaign") revenue: value(measure: "revenue") } } }""";
            // Marketing sees its campaign's 200.00 and the rest (1,600.00) under no campaign: company revenue, not engineering's campaign.
            JsonNode marketing = graphql(SecuredServer.marketing(), byCampaign, Map.of());
            assertThat(rows(marketing, "/data/metrics/rows", "campaign")).containsExactly("s-q1", "null");
            assertThat(marketing.at("/data/metrics/rows/0/revenue").decimalValue()).isEqualByComparingTo("200.00");
            assertThat(marketing.at("/data/metrics/rows/1/revenue").decimalValue()).isEqualByComparingTo("1600.00");
            assertThat(marketing.toString()).doesNotContain("ev-q1").doesNotContain("Developer conference");
            // Nor does a filter on the other department's campaign find its deals.
            JsonNode filtered = graphql(SecuredServer.marketing(), byCampaign,
                    Map.of("filters", List.of(Map.of("dimension", "campaign", "values", List.of("ev-q1")))));
            assertThat(filtered.at("/data/metrics/rows").size()).as(filtered.toString()).isZero();

            JsonNode admin = graphql(SecuredServer.admin(), byCampaign, Map.of());
            assertThat(rows(admin, "/data/metrics/rows", "campaign")).containsExactly("ev-q1", "s-q1");
            assertThat(admin.at("/data/metrics/rows/0/revenue").decimalValue()).isEqualByComparingTo("1600.00");

            // OData's Customers (joined to Deals by a BI tool) follows the same rule: c1's campaign is engineering's.
            assertThat(odataColumn("/odata/Customers?$orderby=CustomerId", "AcquisitionCampaignId")).containsExactly("null", "s-q1");
            assertThat(odataColumn("/odata/Customers?$filter=AcquisitionCampaignId%20eq%20'ev-q1'", "CustomerId")).isEmpty();
            HttpResponse<String> everyone = server.get("/odata/Customers?$orderby=CustomerId", bearer(SecuredServer.admin()));
            assertThat(everyone.body()).contains("\"AcquisitionCampaignId\":\"ev-q1\"");
        }
        finally {
            server.server().store().jdbi().useHandle(handle -> handle.execute("UPDATE dim_customer SET acquisition_campaign_id = NULL"));
        }
    }

    @Test
    void a_journey_shows_a_marketing_manager_only_the_touches_of_marketing_campaigns() {
        String journey = "{ attributionJourney(conversionId: \"cv1\", models: [LINEAR]) { revenue touches { sequence touchpointId campaign } } }";
        JsonNode marketing = server.graphqlJson(SecuredServer.marketing(), journey);
        assertThat(rows(marketing, "/data/attributionJourney/touches", "touchpointId")).containsExactly("t1");
        JsonNode admin = server.graphqlJson(SecuredServer.admin(), journey);
        assertThat(rows(admin, "/data/attributionJourney/touches", "touchpointId")).containsExactly("t1", "t2");
    }

    /**
     * Hand count of the fixture's touches: t1 and t4 (journeys j1, j2) are of marketing's s-q1; t2 and t5 of
     * engineering's ev-q1; t3 of no campaign. Marketing sees 2 touches of 2 journeys, everyone 5 of 3 (j1, j2, j3).
     */
    @Test
    void touchpoints_show_a_marketing_manager_only_the_touches_of_marketing_campaigns() {
        assertThat(odataColumn("/odata/Touchpoints", "TouchpointId")).containsExactlyInAnyOrder("t1", "t4");
        assertThat(server.get("/odata/Touchpoints/$count", bearer(SecuredServer.marketing())).body().trim()).isEqualTo("2");
        assertThat(server.get("/odata/Touchpoints/$count", bearer(SecuredServer.admin())).body().trim()).isEqualTo("5");
        assertThat(server.get("/odata/Touchpoints/$count", bearer(noRole())).body().trim()).isEqualTo("0");
        String csv = server.get("/odata/Touchpoints.csv", bearer(SecuredServer.marketing())).body();
        assertThat(csv).contains("t1").contains("t4").doesNotContain("t2").doesNotContain("t3").doesNotContain("t5");

        String touches = """
                { metrics(measures: ["touchpoints", "journeys"], dimensions: ["campaign"]) {
                    rows { campaign: dimension(name: "campaign") touchpoints: value(measure: "touchpoints") journeys: value(measure: "journeys") } } }""";
        JsonNode marketing = server.graphqlJson(SecuredServer.marketing(), touches);
        assertThat(rows(marketing, "/data/metrics/rows", "campaign")).containsExactly("s-q1");
        assertThat(marketing.at("/data/metrics/rows/0/touchpoints").decimalValue()).isEqualByComparingTo("2");
        assertThat(marketing.at("/data/metrics/rows/0/journeys").decimalValue()).isEqualByComparingTo("2");
        JsonNode nobody = server.graphqlJson(noRole(), touches);
        assertThat(nobody.at("/data/metrics/rows").size()).isZero();
        JsonNode everyone = server.graphqlJson(SecuredServer.admin(),
                "{ metrics(measures: [\"touchpoints\", \"journeys\"]) { rows { touchpoints: value(measure: \"touchpoints\") journeys: value(measure: \"journeys\") } } }");
        assertThat(everyone.at("/data/metrics/rows/0/touchpoints").decimalValue()).isEqualByComparingTo("5");
        assertThat(everyone.at("/data/metrics/rows/0/journeys").decimalValue()).isEqualByComparingTo("3");
    }

    @Test
    void injection_through_filter_values_dimension_names_sort_keys_and_odata_options_has_no_effect() {
        String marketing = SecuredServer.marketing();
        JsonNode quoted = graphql(marketing, SPEND_BY_DEPARTMENT, Map.of("dimensions", List.of("department"),
                "filters", List.of(Map.of("dimension", "department", "values", List.of("mkt') OR ('1'='1", "eng' OR department_id <> '")))));
        assertThat(quoted.at("/data/metrics/rows").size()).isZero();
        JsonNode otherDepartment = graphql(marketing, SPEND_BY_DEPARTMENT, Map.of("dimensions", List.of("department"),
                "filters", List.of(Map.of("dimension", "department", "values", List.of("eng", "sales")))));
        assertThat(otherDepartment.at("/data/metrics/rows").size()).isZero();
        JsonNode dimension = graphql(marketing, SPEND_BY_DEPARTMENT, Map.of("dimensions", List.of("department) OR 1=1 --")));
        assertThat(dimension.at("/errors/0/extensions/code").asText()).isEqualTo("UNKNOWN_DIMENSION");
        JsonNode sort = graphql(marketing, SPEND_BY_DEPARTMENT, Map.of("dimensions", List.of("department"),
                "order", List.of(Map.of("field", "spend; DROP TABLE fact_spend; --"))));
        assertThat(sort.at("/errors/0/extensions/code").asText()).isEqualTo("BAD_REQUEST");

        assertThat(odataColumn("/odata/SpendLines?$filter=" + encode("DepartmentId eq 'eng' or 1 eq 1"), "SpendId")).containsExactlyInAnyOrder("sp1", "sp2");
        assertThat(odataColumn("/odata/SpendLines?$filter=" + encode("DepartmentId eq 'x'' or ''1''=''1'"), "SpendId")).isEmpty();
        assertThat(server.get("/odata/SpendLines?$orderby=" + encode("Amount; DROP TABLE fact_spend"), bearer(marketing)).statusCode()).isEqualTo(400);
        assertThat(server.get("/odata/SpendLines?$select=" + encode("SpendId,Amount)/*"), bearer(marketing)).statusCode()).isEqualTo(400);
        assertThat(server.get("/odata/BudgetVsActualByDepartmentMonth?$apply=" + encode("filter(Department eq 'eng')/aggregate(Budget with sum as Total)"),
                bearer(marketing)).body()).doesNotContain("9000");

        HttpResponse<String> everything = server.get("/odata/SpendLines/$count", bearer(SecuredServer.admin()));
        assertThat(everything.body().trim()).isEqualTo("4");
    }

    /** A valid token without a role: it sees no department. */
    private static String noRole() {
        return SecuredServer.jwt("nora-no-role", List.of("financial_data.read"), List.of(), Optional.empty());
    }

    private static JsonNode graphql(String token, String query, Map<String, Object> variables) {
        return SecuredServer.json(server.graphql(token, query, variables).body());
    }

    private static BigDecimal spend(HttpResponse<String> response) {
        return SecuredServer.json(response.body()).at("/data/metrics/rows/0/spend").decimalValue();
    }

    private static List<String> rows(JsonNode body, String pointer, String field) {
        List<String> values = new ArrayList<>();
        body.at(pointer).forEach(row -> values.add(row.path(field).asText()));
        return values;
    }

    private static List<String> odataColumn(String pathAndQuery, String property) {
        HttpResponse<String> response = server.get(pathAndQuery, bearer(SecuredServer.marketing()));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return rows(SecuredServer.json(response.body()), "/value", property);
    }
}
