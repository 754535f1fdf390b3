package io.finhub.odata;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import io.finhub.FinhubServer;
import io.finhub.seed.Scale;
import io.finhub.seed.SeedGenerator;
import io.finhub.store.Store;
import io.finhub.store.StoreConfig;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.olingo.client.api.domain.ClientEntitySet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The feed and GraphQL over the seeded demo company, from one running server: a view filtered,
 * ordered and paged through OData returns exactly the rows GraphQL's {@code metrics} returns for
 * the same request, decimal for decimal.
 */
class ODataGraphqlParityTest {
    /** Decimals exactly as GraphQL wrote them, trailing zeros included. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    private static final List<String> ROI_MEASURES = List.of("spend", "mediaSpend", "attributedRevenueLastTouch", "attributedNewCustomersLastTouch",
            "roiPct", "roas", "cac", "newLeads", "costPerLead");
    private static final List<String> BUDGET_MEASURES = List.of("budget", "actual", "budgetVariance", "budgetVariancePct", "budgetUtilizationPct",
            "budgetReforecast", "reforecastVariance", "reforecastVariancePct");
    private static final List<String> ATTRIBUTION_MEASURES = List.of("attributedRevenue", "attributedConversions", "attributedNewCustomers");
    private static final Set<String> LABELLED = Set.of("campaign", "channel", "department");
    private static FinhubServer server;
    private static ODataTestClient odata;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        Store store = Store.open(StoreConfig.inMemory());
        new SeedGenerator(store).generate(Scale.DEMO, line -> {});
        server = FinhubServer.start(store, "127.0.0.1", 0);
        odata = new ODataTestClient(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void roi_by_campaign_filtered_ordered_and_paged_is_the_metrics_page() throws Exception {
        List<String> campaigns = odata.rows(odata.uri("Campaigns", "$filter", "StartDate ge 2024-01-01 and StartDate lt 2025-01-01", "$select",
                "CampaignId", "$orderby", "CampaignId", "$top", "5")).stream().map(row -> (String) row.get("CampaignId")).toList();

        ClientEntitySet page = odata.page(odata.uri("RoiByCampaignMonth", "$filter", "Campaign in ('" + String.join("','", campaigns)
                + "') and Period ge 2024-02-01 and Period le 2024-11-01", "$orderby", "Spend desc", "$top", "5", "$skip", "2", "$count", "true"));
        Map<String, Object> request = metrics(ROI_MEASURES, List.of("campaign"), "MONTH");
        request.put("filters", List.of(Map.of("dimension", "campaign", "operator", "IN", "values", campaigns)));
        request.put("period", Map.of("from", "2024-02-01", "to", "2024-11-30"));
        request.put("orderBy", List.of(Map.of("field", "spend", "direction", "DESC")));
        request.put("limit", 5);
        request.put("offset", 2);
        JsonNode expected = graphqlMetrics(request);

        assertThat(withoutKey(page)).hasSize(5).isEqualTo(rows(expected, List.of("campaign"), ROI_MEASURES));
        assertThat(page.getCount()).isEqualTo(expected.path("totalCount").asInt()).isGreaterThan(7);
    }

    @Test
    void ordering_by_a_ratio_and_choosing_by_in_is_the_metrics_page() throws Exception {
        List<Object> campaigns = odata.rows(odata.uri("Campaigns", "$select", "CampaignId", "$top", "6")).stream().map(row -> row.get("CampaignId")).toList();
        ClientEntitySet page = odata.page(odata.uri("RoiByCampaignMonth", "$filter", "Campaign in ('" + String.join("','",
                campaigns.stream().map(String::valueOf).toList()) + "') or Campaign eq null", "$orderby", "RoiPct desc,Period desc", "$top", "20"));
        Map<String, Object> request = metrics(ROI_MEASURES, List.of("campaign"), "MONTH");
        List<Object> values = new ArrayList<>(campaigns);
        Map<String, Object> byCampaign = Map.of("dimension", "campaign", "operator", "IN", "values", values);
        request.put("filters", List.of(byCampaign));
        request.put("orderBy", List.of(Map.of("field", "roiPct", "direction", "DESC"), Map.of("field", "period", "direction", "DESC")));
        request.put("limit", 100_000);
        List<Map<String, Object>> named = rows(graphqlMetrics(request), List.of("campaign"), ROI_MEASURES);
        Map<String, Object> withoutCampaign = metrics(ROI_MEASURES, List.of("campaign"), "MONTH");
        withoutCampaign.put("limit", 100_000);
        List<Map<String, Object>> expected = new ArrayList<>(named);
        rows(graphqlMetrics(withoutCampaign), List.of("campaign"), ROI_MEASURES).stream().filter(row -> row.get("Campaign") == null).forEach(expected::add);
        expected.sort(java.util.Comparator.comparing((Map<String, Object> row) -> (BigDecimal) row.get("RoiPct"),
                java.util.Comparator.nullsLast(java.util.Comparator.<BigDecimal>reverseOrder()))
                .thenComparing(row -> (String) row.get("Period"), java.util.Comparator.reverseOrder()));

        assertThat(withoutKey(page)).isEqualTo(expected.subList(0, 20));
    }

    @Test
    void every_page_of_a_view_adds_up_to_the_metrics_rows() throws Exception {
        int[] pages = {0};
        List<Map<String, Object>> paged = odata.all(odata.uri("BudgetVsActualByDepartmentMonth"), 37, pages);
        Map<String, Object> request = metrics(BUDGET_MEASURES, List.of("department"), "MONTH");
        request.put("limit", 100_000);
        List<Map<String, Object>> expected = rows(graphqlMetrics(request), List.of("department"), BUDGET_MEASURES);

        paged.forEach(row -> row.remove("Key"));
        assertThat(paged).isEqualTo(expected);
        assertThat(pages[0]).isEqualTo((expected.size() + 36) / 37).isGreaterThan(3);
    }

    @Test
    void text_and_date_filters_on_the_attribution_view_pick_the_metrics_rows_that_match() throws Exception {
        List<Map<String, Object>> rows = odata.all(odata.uri("AttributionByChannelModelMonth", "$filter",
                "Model eq 'MARKOV' and contains(ChannelName,'a') and Period ge 2025-01-01"), 0, new int[1]);
        Map<String, Object> request = metrics(ATTRIBUTION_MEASURES, List.of("channel", "model"), "MONTH");
        request.put("filters", List.of(Map.of("dimension", "model", "operator", "EQ", "values", List.of("MARKOV"))));
        request.put("period", Map.of("from", "2025-01-01"));
        request.put("limit", 100_000);
        List<Map<String, Object>> expected = rows(graphqlMetrics(request), List.of("channel", "model"), ATTRIBUTION_MEASURES).stream()
                .filter(row -> row.get("ChannelName") != null && ((String) row.get("ChannelName")).contains("a"))
                .toList();

        rows.forEach(row -> row.remove("Key"));
        assertThat(rows).isNotEmpty().isEqualTo(expected);
    }

    @Test
    void apply_groups_through_the_catalog_so_ratios_are_recomputed_not_added() throws Exception {
        List<Map<String, Object>> grouped = odata.rows(odata.uri("RoiByCampaignMonth", "$apply",
                "filter(Period ge 2025-01-01 and Period lt 2025-07-01)/groupby((Campaign,CampaignName),aggregate(RoiPct,Spend with sum as TotalSpend))",
                "$orderby", "TotalSpend desc", "$top", "10"));
        Map<String, Object> request = metrics(ROI_MEASURES, List.of("campaign"), null);
        request.put("period", Map.of("from", "2025-01-01", "to", "2025-06-30"));
        request.put("orderBy", List.of(Map.of("field", "spend", "direction", "DESC")));
        request.put("limit", 10);
        List<Map<String, Object>> expected = new ArrayList<>();
        for (Map<String, Object> row : rows(graphqlMetrics(request), List.of("campaign"), ROI_MEASURES)) {
            Map<String, Object> group = new LinkedHashMap<>();
            group.put("Campaign", row.get("Campaign"));
            group.put("CampaignName", row.get("CampaignName"));
            group.put("RoiPct", row.get("RoiPct"));
            group.put("TotalSpend", row.get("Spend"));
            expected.add(group);
        }
        assertThat(decimals(grouped, "TotalSpend")).hasSize(10).isEqualTo(expected);
    }

    @Test
    void apply_by_channel_and_model_is_the_metrics_answer_for_that_grain() throws Exception {
        List<Map<String, Object>> grouped = odata.rows(odata.uri("AttributionByChannelModelMonth", "$apply",
                "filter(Model eq 'LINEAR' or Model eq 'SHAPLEY')/groupby((Channel,Model),aggregate(AttributedRevenue with sum as Revenue,AttributedNewCustomers))",
                "$filter", "Revenue gt 0", "$orderby", "Model,Revenue desc"));
        Map<String, Object> request = metrics(ATTRIBUTION_MEASURES, List.of("channel", "model"), null);
        request.put("filters", List.of(Map.of("dimension", "model", "operator", "IN", "values", List.of("LINEAR", "SHAPLEY"))));
        request.put("orderBy", List.of(Map.of("field", "model", "direction", "ASC"), Map.of("field", "attributedRevenue", "direction", "DESC")));
        request.put("limit", 100_000);
        List<Map<String, Object>> expected = new ArrayList<>();
        for (Map<String, Object> row : rows(graphqlMetrics(request), List.of("channel", "model"), ATTRIBUTION_MEASURES)) {
            BigDecimal revenue = (BigDecimal) row.get("AttributedRevenue");
            if (revenue != null && revenue.signum() > 0) {
                Map<String, Object> group = new LinkedHashMap<>();
                group.put("Channel", row.get("Channel"));
                group.put("Model", row.get("Model"));
                group.put("Revenue", revenue);
                group.put("AttributedNewCustomers", row.get("AttributedNewCustomers"));
                expected.add(group);
            }
        }
        assertThat(decimals(grouped, "Revenue")).isNotEmpty().isEqualTo(expected);
    }

    @Test
    void mrr_movements_are_the_graphql_bridge() throws Exception {
        List<Map<String, Object>> months = odata.rows(odata.uri("MrrMovementsByMonth", "$filter", "Month ge 2025-01-01 and Month le 2025-12-01"));
        JsonNode bridge = graphql("{ mrrMovements(from: \"2025-01-01\", to: \"2025-12-31\") { month opening newMrr expansion reactivation contraction "
                + "churn fxImpact closing arr openingCustomers customers newCustomers churnedCustomers grossMrrChurnPct netMrrChurnPct customerChurnPct } }")
                .path("data").path("mrrMovements");
        List<Map<String, Object>> expected = new ArrayList<>();
        for (JsonNode month : bridge) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> fields = month.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                String name = ODataCatalogView.pascalCase(field.getKey());
                row.put(name, field.getValue().isNull() ? null : field.getValue().isTextual() ? field.getValue().asText()
                        : name.endsWith("Customers") ? field.getValue().asText() : field.getValue().decimalValue());
            }
            expected.add(row);
        }
        assertThat(months).hasSize(12).isEqualTo(expected);
    }

    /**
     * An alias of $apply is a dynamic property: in minimal metadata Olingo writes no type for it, so
     * with IEEE754Compatible its decimal arrives as text.
     */
    @Test
    void realization_by_contract_and_quarter_is_the_graphql_summary() throws Exception {
        List<Map<String, Object>> rows = odata.all(odata.uri("RealizationByContractQuarter", "$filter", "QuarterStart eq 2025-01-01"), 500,
                new int[1]);
        JsonNode summary = graphql("{ realizationSummary(groupBy: CONTRACT, period: {from: \"2025-01-01\", to: \"2025-03-31\"}, limit: 100000) { rows { "
                + "quarterStart quarterLabel key label contracts measuredContracts committedValue realizationPct milestonesMet milestonesDue "
                + "atRiskContracts seatsUsed seatsLicensed utilizationPct unusedLicenseValue valueToDate paidToDate roiPct } } }")
                .path("data").path("realizationSummary").path("rows");
        List<Map<String, Object>> expected = new ArrayList<>();
        for (JsonNode row : summary) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> fields = row.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                String name = switch (field.getKey()) {
                    case "key" -> "Contract";
                    case "label" -> "CustomerName";
                    default -> ODataCatalogView.pascalCase(field.getKey());
                };
                JsonNode value = field.getValue();
                values.put(name, value.isNull() ? null : value.isTextual() || value.isIntegralNumber() ? value.asText() : value.decimalValue());
            }
            expected.add(values);
        }
        assertThat(rows).hasSizeGreaterThan(100).isEqualTo(expected);
    }

    private static List<Map<String, Object>> decimals(List<Map<String, Object>> rows, String alias) {
        return rows.stream().map(row -> {
            Map<String, Object> copy = new LinkedHashMap<>(row);
            copy.computeIfPresent(alias, (name, value) -> new BigDecimal((String) value));
            return copy;
        }).toList();
    }

    private static List<Map<String, Object>> withoutKey(ClientEntitySet page) {
        return page.getEntities().stream().map(ODataTestClient::values).peek(row -> row.remove("Key")).toList();
    }

    private static Map<String, Object> metrics(List<String> measures, List<String> dimensions, String grain) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("measures", measures);
        request.put("dimensions", dimensions);
        if (grain != null) {
            request.put("timeGrain", grain);
        }
        return request;
    }

    private static JsonNode graphqlMetrics(Map<String, Object> variables) throws Exception {
        String query = """
                query($measures: [String!]!, $dimensions: [String!], $filters: [FilterInput!], $timeGrain: TimeGrain, $period: PeriodInput,
                      $orderBy: [OrderInput!], $limit: Int, $offset: Int) {
                  metrics(measures: $measures, dimensions: $dimensions, filters: $filters, timeGrain: $timeGrain, period: $period,
                          orderBy: $orderBy, limit: $limit, offset: $offset) {
                    totalCount
                    rows { period periodLabel dimensions { dimension value label } measures { measure value } }
                  }
                }""";
        JsonNode response = graphql(query, variables);
        assertThat(response.path("errors").isMissingNode()).as(response.toString()).isTrue();
        return response.path("data").path("metrics");
    }

    private static JsonNode graphql(String query) throws Exception {
        return graphql(query, Map.of());
    }

    private static JsonNode graphql(String query, Map<String, Object> variables) throws Exception {
        String body = JSON.writeValueAsString(Map.of("query", query, "variables", variables));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/graphql"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return JSON.readTree(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }

    /** GraphQL metrics rows under the OData view's property names. */
    private static List<Map<String, Object>> rows(JsonNode metrics, List<String> dimensions, List<String> measures) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode row : metrics.path("rows")) {
            Map<String, Object> values = new LinkedHashMap<>();
            if (!row.path("period").isNull()) {
                values.put("Period", row.path("period").asText());
                values.put("PeriodLabel", row.path("periodLabel").asText());
            }
            for (String dimension : dimensions) {
                JsonNode value = find(row.path("dimensions"), "dimension", dimension);
                values.put(ODataCatalogView.pascalCase(dimension), text(value.path("value")));
                if (LABELLED.contains(dimension)) {
                    values.put(ODataCatalogView.pascalCase(dimension) + "Name", text(value.path("label")));
                }
            }
            for (String measure : measures) {
                JsonNode value = find(row.path("measures"), "measure", measure).path("value");
                values.put(ODataCatalogView.pascalCase(measure), value.isNull() ? null : value.decimalValue());
            }
            rows.add(values);
        }
        return rows;
    }

    private static String text(JsonNode node) {
        return node.isNull() || node.isMissingNode() ? null : node.asText();
    }

    private static JsonNode find(JsonNode array, String field, String name) {
        for (JsonNode element : array) {
            if (element.path(field).asText().equals(name)) {
                return element;
            }
        }
        throw new AssertionError("no " + name + " in " + array);
    }
}
