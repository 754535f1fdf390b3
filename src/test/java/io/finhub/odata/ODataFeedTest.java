package io.finhub.odata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finhub.FinhubServer;
import io.finhub.TestStores;
import io.finhub.store.Store;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.olingo.client.api.domain.ClientEntitySet;
import org.apache.olingo.client.api.domain.ClientServiceDocument;
import org.apache.olingo.commons.api.edm.Edm;
import org.apache.olingo.commons.api.edm.EdmEntityType;
import org.apache.olingo.commons.api.edm.EdmProperty;
import org.apache.olingo.commons.api.edm.FullQualifiedName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The feed end to end over the small {@code odata_company} fixture, read with Olingo's OData client
 * against a running server: metadata, every supported query option checked against rows picked by
 * hand, paging, CSV, and the requests it must refuse.
 */
class ODataFeedTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static FinhubServer server;
    private static ODataTestClient odata;

    @BeforeAll
    static void start() {
        server = FinhubServer.start(TestStores.withFixture("odata_company"), "127.0.0.1", 0);
        odata = new ODataTestClient(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void metadata_parses_with_the_olingo_client_and_types_every_property() {
        Edm edm = odata.client().getRetrieveRequestFactory().getMetadataRequest(odata.root()).execute().getBody();

        assertThat(edm.getEntityContainer().getEntitySets()).extracting(set -> set.getName())
                .contains("RoiByCampaignMonth", "AttributionByChannelModelMonth", "BudgetVsActualByDepartmentMonth", "MrrMovementsByMonth",
                        "RecognizedRevenueByMonth", "Campaigns", "Channels", "Calendar", "Touchpoints", "SpendLines", "Deals");
        EdmEntityType roi = edm.getEntityType(new FullQualifiedName("FinHub", "RoiByCampaignMonthRow"));
        assertThat(roi.getKeyPredicateNames()).containsExactly("Key");
        assertThat(roi.getPropertyNames()).startsWith("Key", "Period", "PeriodLabel", "Campaign", "CampaignName", "Spend")
                .contains("RoiPct", "Roas", "Cac", "NewLeads", "CostPerLead");
        assertThat(type(roi, "Period")).isEqualTo("Edm.Date");
        assertThat(type(roi, "RoiPct")).isEqualTo("Edm.Decimal");
        assertThat(roi.getStructuralProperty("RoiPct").getScale()).isEqualTo(4);
        assertThat(roi.getStructuralProperty("Spend").getScale()).isEqualTo(2);
        EdmEntityType spend = edm.getEntityType(new FullQualifiedName("FinHub", "SpendLine"));
        assertThat(spend.getKeyPredicateNames()).containsExactly("SpendId");
        assertThat(spend.getStructuralProperty("Amount").getPrecision()).isEqualTo(18);
        assertThat(spend.getStructuralProperty("Amount").getScale()).isEqualTo(2);
        assertThat(type(spend, "SpendDate")).isEqualTo("Edm.Date");
        assertThat(type(edm.getEntityType(new FullQualifiedName("FinHub", "Touchpoint")), "TouchedAt")).isEqualTo("Edm.DateTimeOffset");
        assertThat(edm.getEntityType(new FullQualifiedName("FinHub", "FxRate")).getKeyPredicateNames())
                .containsExactly("RateDate", "FromCurrency", "ToCurrency");
    }

    private static String type(EdmEntityType type, String property) {
        EdmProperty edmProperty = type.getStructuralProperty(property);
        return edmProperty.getType().getFullQualifiedName().getFullQualifiedNameAsString();
    }

    @Test
    void the_service_document_lists_the_entity_sets() {
        ClientServiceDocument document = odata.client().getRetrieveRequestFactory().getServiceDocumentRequest(odata.root()).execute().getBody();
        assertThat(document.getEntitySetNames()).contains("RoiByCampaignMonth", "Touchpoints", "Customers");
    }

    @Test
    void filters_compare_combine_and_treat_null_as_odata_does() {
        assertThat(spendIds("Amount gt 100 and CurrencyCode eq 'USD'")).containsExactly("sp1", "sp3");
        assertThat(spendIds("CampaignId eq null")).containsExactly("sp4");
        // ne keeps the row without a campaign: in OData null ne 's1' is true.
        assertThat(spendIds("CampaignId ne 's1'")).containsExactly("sp3", "sp4", "sp5");
        assertThat(spendIds("not (Amount lt 100)")).containsExactly("sp1", "sp2", "sp3");
        // gt is false on null, and so is its negation's opposite: not (CampaignId gt 'a') keeps sp4.
        assertThat(spendIds("not (CampaignId gt 'f')")).containsExactly("sp3", "sp4");
        assertThat(spendIds("contains(CampaignId,'1') or ChannelId eq 'social'")).containsExactly("sp1", "sp2", "sp3", "sp4", "sp5");
        assertThat(spendIds("CostType in ('CREATIVE','TECHNOLOGY') or startswith(ChannelId,'soc')")).containsExactly("sp2", "sp4");
        assertThat(spendIds("endswith(ChannelId,'ail') and tolower(CostType) eq 'media'")).containsExactly("sp3", "sp5");
        assertThat(spendIds("Amount sub 50 ge 250")).containsExactly("sp1", "sp3");
    }

    @Test
    void filters_on_dates_and_date_times() {
        assertThat(spendIds("SpendDate ge 2025-02-01 and SpendDate lt 2025-03-01")).containsExactly("sp2", "sp3");
        assertThat(spendIds("year(SpendDate) eq 2025 and month(SpendDate) eq 3")).containsExactly("sp4", "sp5");
        assertThat(ids("Touchpoints", "TouchpointId", "TouchedAt ge 2025-03-01T10:30:00Z")).containsExactly("t4", "t5", "t6", "t7");
        // 11:30 at +01:00 is 10:30 UTC.
        assertThat(ids("Touchpoints", "TouchpointId", "TouchedAt gt 2025-03-01T11:30:00+01:00")).containsExactly("t5", "t6", "t7");
        assertThat(ids("Touchpoints", "TouchpointId", "hour(TouchedAt) eq 12")).containsExactly("t6");
    }

    @Test
    void text_filters_take_quotes_and_punctuation_literally() {
        assertThat(ids("Campaigns", "CampaignId", "contains(CampaignName,'''Spring''')")).containsExactly("e1");
        assertThat(ids("Channels", "ChannelId", "ChannelName eq 'Social, organic'")).containsExactly("social");
        assertThat(ids("Campaigns", "CampaignId", "startswith(CampaignName,'=HYPERLINK(\"')")).containsExactly("x1");
    }

    @Test
    void order_by_sorts_null_first_ascending_and_last_descending_then_by_key() {
        assertThat(column(odata.rows(odata.uri("SpendLines", "$orderby", "CampaignId")), "SpendId"))
                .containsExactly("sp4", "sp3", "sp1", "sp2", "sp5");
        assertThat(column(odata.rows(odata.uri("SpendLines", "$orderby", "CampaignId desc,Amount")), "SpendId"))
                .containsExactly("sp5", "sp2", "sp1", "sp3", "sp4");
        assertThat(column(odata.rows(odata.uri("SpendLines", "$orderby", "length(ChannelId) desc,SpendDate desc")), "SpendId"))
                .containsExactly("sp4", "sp2", "sp1", "sp5", "sp3");
    }

    @Test
    void select_top_skip_and_count() {
        ClientEntitySet page = odata.page(odata.uri("SpendLines", "$select", "Amount", "$orderby", "Amount desc", "$top", "2", "$skip", "1",
                "$count", "true"));
        assertThat(page.getCount()).isEqualTo(5);
        assertThat(page.getNext()).isNull();
        assertThat(page.getEntities()).hasSize(2);
        assertThat(ODataTestClient.values(page.getEntities().get(0))).containsOnly(entry("SpendId", "sp3"), entry("Amount", new BigDecimal("300.00")));
        assertThat(ODataTestClient.values(page.getEntities().get(1))).containsOnly(entry("SpendId", "sp2"), entry("Amount", new BigDecimal("100.00")));
    }

    @Test
    void count_of_a_filtered_set() throws Exception {
        HttpResponse<String> count = odata.get(odata.uri("SpendLines/$count", "$filter", "CurrencyCode eq 'EUR' or Amount lt 30"));
        assertThat(count.statusCode()).isEqualTo(200);
        assertThat(count.body()).isEqualTo("2");
    }

    @Test
    void server_driven_paging_links_page_after_page_to_every_row() throws Exception {
        int[] pages = {0};
        List<Map<String, Object>> rows = odata.all(odata.uri("Touchpoints", "$select", "ChannelId"), 2, pages);
        assertThat(pages[0]).isEqualTo(4);
        assertThat(column(rows, "TouchpointId")).containsExactly("t1", "t2", "t3", "t4", "t5", "t6", "t7");

        int[] filteredPages = {0};
        List<Map<String, Object>> filtered = odata.all(odata.uri("Touchpoints", "$filter", "ChannelId ne 'social'", "$orderby", "TouchedAt desc",
                "$skip", "1", "$top", "4"), 3, filteredPages);
        assertThat(filteredPages[0]).isEqualTo(2);
        assertThat(column(filtered, "TouchpointId")).containsExactly("t6", "t4", "t3", "t2");

        HttpResponse<String> first = odata.get(odata.uri("Touchpoints"), "Prefer", "odata.maxpagesize=3");
        assertThat(first.headers().firstValue("Preference-Applied")).hasValue("odata.maxpagesize=3");
        assertThat(JSON.readTree(first.body()).path("@odata.nextLink").asText()).startsWith(odata.root() + "/Touchpoints?$skiptoken=");
    }

    @Test
    void views_page_too_and_a_page_reads_the_same_rows_as_the_whole_view() {
        List<Map<String, Object>> whole = odata.rows(odata.uri("RoiByCampaignMonth"));
        int[] pages = {0};
        assertThat(odata.all(odata.uri("RoiByCampaignMonth"), 2, pages)).isEqualTo(whole);
        assertThat(pages[0]).isEqualTo((whole.size() + 1) / 2);
    }

    @Test
    void csv_downloads_a_whole_set_with_escaping_and_formula_guard() throws Exception {
        HttpResponse<String> campaigns = odata.get(URI.create(odata.root() + "/Campaigns.csv?$select=CampaignId,CampaignName&$orderby=CampaignId"));
        assertThat(campaigns.statusCode()).isEqualTo(200);
        assertThat(campaigns.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/csv"));
        assertThat(campaigns.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"Campaigns.csv\"");
        assertThat(campaigns.body()).isEqualTo("CampaignId,CampaignName\r\n"
                + "e1,Email 'Spring' promo\r\n"
                + "s1,Search Q1\r\n"
                + "x1,\"'=HYPERLINK(\"\"http://example.invalid\"\")\"\r\n");

        HttpResponse<String> channels = odata.get(odata.uri("Channels", "$format", "text/csv", "$filter", "ChannelGroup ne 'PAID'",
                "$orderby", "ChannelId desc"));
        assertThat(channels.body()).isEqualTo("ChannelId,ChannelName,ChannelGroup\r\nsocial,\"Social, organic\",EARNED\r\nemail,Email,OWNED\r\n");

        HttpResponse<String> spend = odata.get(odata.uri("SpendLines", "$select", "SpendId,Amount,CampaignId"), "Accept", "text/csv");
        assertThat(spend.body()).isEqualTo("SpendId,Amount,CampaignId\r\nsp1,1000.00,s1\r\nsp2,100.00,s1\r\nsp3,300.00,e1\r\nsp4,50.00,\r\nsp5,20.00,x1\r\n");
    }

    @Test
    void feeds_metadata_and_csv_come_gzipped_to_clients_that_take_gzip() throws Exception {
        for (URI uri : List.of(URI.create(odata.root() + "/$metadata"), odata.uri("RoiByCampaignMonth"),
                URI.create(odata.root() + "/AttributionByChannelModelMonth.csv"))) {
            HttpResponse<byte[]> plain = odata.getBytes(uri);
            HttpResponse<byte[]> gzipped = odata.getBytes(uri, "Accept-Encoding", "gzip, deflate");
            HttpResponse<byte[]> refused = odata.getBytes(uri, "Accept-Encoding", "gzip;q=0");
            assertThat(plain.body().length).as(uri.toString()).isGreaterThan(io.finhub.cache.GraphqlResponses.MIN_GZIP_BYTES);
            assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
            assertThat(refused.headers().firstValue("Content-Encoding")).isEmpty();
            assertThat(refused.body()).isEqualTo(plain.body());
            assertThat(gzipped.statusCode()).isEqualTo(200);
            assertThat(gzipped.headers().firstValue("Content-Encoding")).as(uri.toString()).hasValue("gzip");
            assertThat(gzipped.body().length).isLessThan(plain.body().length / 2);
            try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzipped.body()))) {
                assertThat(in.readAllBytes()).isEqualTo(plain.body());
            }
        }
    }

    @Test
    void a_plus_in_the_query_string_is_a_space_as_forms_and_curl_encode_it() throws Exception {
        // curl --data-urlencode '$filter=Amount gt 100' sends Amount+gt+100; it was a 400 (Olingo read the plus literally).
        HttpResponse<String> spaced = odata.get(URI.create(odata.uri("SpendLines") + "?$filter=Amount%20gt%20100&$orderby=SpendId"), "Accept", "application/json");
        HttpResponse<String> plussed = odata.get(URI.create(odata.uri("SpendLines") + "?$filter=Amount+gt+100&$orderby=SpendId"), "Accept", "application/json");
        assertThat(spaced.statusCode()).as(spaced.body()).isEqualTo(200);
        assertThat(plussed.statusCode()).as(plussed.body()).isEqualTo(200);
        assertThat(plussed.body()).isEqualTo(spaced.body()).contains("SpendId");
        // An encoded plus stays a plus: a literal the filter compares with, not a space.
        HttpResponse<String> encoded = odata.get(URI.create(odata.uri("SpendLines") + "?$filter=CampaignId%20eq%20'a%2Bb'"), "Accept", "application/json");
        assertThat(encoded.statusCode()).as(encoded.body()).isEqualTo(200);
        assertThat(encoded.body()).contains("\"value\":[]");
    }

    @Test
    void unsupported_requests_are_odata_errors_never_answers() throws Exception {
        assertError(odata.uri("SpendLines", "$expand", "*"), 501, "NOT_IMPLEMENTED");
        assertError(odata.uri("SpendLines", "$search", "media"), 501, "NOT_IMPLEMENTED");
        assertError(odata.uri("SpendLines", "$filter", "Amount mul 2 gt 100"), 501, "NOT_IMPLEMENTED");
        assertError(odata.uri("SpendLines", "$filter", "Amount div 2 gt 100"), 501, "NOT_IMPLEMENTED");
        assertError(odata.uri("SpendLines", "$filter", "round(Amount) eq 100"), 501, "NOT_IMPLEMENTED");
        assertError(odata.uri("SpendLines", "$apply", "groupby((ChannelId))"), 501, "NOT_IMPLEMENTED");
        assertError(odata.uri("RoiByCampaignMonth", "$apply", "groupby((Campaign),aggregate(Spend with max as Most))"), 501, "NOT_IMPLEMENTED");
        assertError(odata.uri("RoiByCampaignMonth", "$apply", "groupby((Campaign),aggregate(RoiPct with sum as Total))"), 501, "NOT_IMPLEMENTED");
        assertError(odata.uri("RoiByCampaignMonth", "$apply", "groupby((Campaign),aggregate($count as Rows))"), 501, "NOT_IMPLEMENTED");
        assertError(odata.uri("RoiByCampaignMonth", "$apply", "filter(contains(CampaignName,'Q1'))/aggregate(Spend)"), 501, "NOT_IMPLEMENTED");
        assertError(odata.uri("SpendLines('sp1')"), 501, "NOT_IMPLEMENTED");
        assertError(odata.uri("NoSuchSet"), 404, null);
        assertError(odata.uri("SpendLines", "$filter", "NoSuchProperty eq 1"), 400, null);
        assertThat(odata.get(odata.uri("SpendLines", "$format", "application/xml")).statusCode()).isEqualTo(406);
    }

    @Test
    void injection_through_query_options_has_no_effect() throws Exception {
        // A quote inside a literal is part of the value: no spend line has that campaign.
        assertThat(spendIds("CampaignId eq 's1'' or 1 eq 1 or CampaignId eq '''")).isEmpty();
        assertThat(spendIds("CampaignId eq 's1''); DROP TABLE fact_spend; --'")).isEmpty();
        assertError(odata.uri("SpendLines", "$filter", "CampaignId eq 's1'; DROP TABLE fact_spend; --"), 400, null);
        assertError(odata.uri("SpendLines", "$orderby", "Amount; DROP TABLE fact_spend"), 400, null);
        assertError(odata.uri("SpendLines", "$orderby", "(SELECT 1)"), 400, null);
        assertError(odata.uri("SpendLines", "$select", "Amount FROM fact_spend --"), 400, null);
        assertError(odata.uri("SpendLines", "$select", "\"Amount\""), 400, null);
        assertError(odata.uri("RoiByCampaignMonth", "$apply", "groupby((Campaign),aggregate(Spend with sum as \"x))"), 400, null);
        assertError(odata.uri("SpendLines", "$skiptoken", "' OR 1=1 --"), 400, "BAD_REQUEST");
        // A skip token holds numbers only: text smuggled into it is refused, a number just moves the start.
        String next = JSON.readTree(odata.get(odata.uri("SpendLines"), "Prefer", "odata.maxpagesize=2").body()).path("@odata.nextLink").asText();
        String token = next.substring(next.indexOf("$skiptoken=") + "$skiptoken=".length());
        String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("~", -1);
        assertError(odata.uri("SpendLines", "$skiptoken", skipToken(parts[0], parts[1], parts[2], "1' OR '1'='1")), 400, "BAD_REQUEST");
        assertThat(column(odata.rows(odata.uri("SpendLines", "$skiptoken", skipToken(parts[0], parts[1], parts[2], "0"))), "SpendId"))
                .containsExactly("sp2", "sp3", "sp4", "sp5");
        assertThat(spendIds("true")).containsExactly("sp1", "sp2", "sp3", "sp4", "sp5");
    }

    private static String skipToken(String... parts) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(String.join("~", parts).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void paging_across_a_data_change_is_refused_rather_than_mixing_versions() throws Exception {
        Store store = TestStores.withFixture("odata_company");
        try (FinhubServer other = FinhubServer.start(store, "127.0.0.1", 0)) {
            ODataTestClient client = new ODataTestClient(other.port());
            URI next = client.page(client.uri("Touchpoints"), 3).getNext();
            assertThat(client.page(next, 3).getEntities()).hasSize(3);
            store.write("test", List.of("fact_touchpoint"), handle -> handle.execute(
                    "INSERT INTO fact_touchpoint VALUES ('t8', 'j5', NULL, 'l5', 'email', 'e1', TIMESTAMP '2025-03-21 08:00:00')"));

            HttpResponse<String> after = client.get(next, "Prefer", "odata.maxpagesize=3", "Accept", "application/json");
            assertThat(after.statusCode()).isEqualTo(409);
            assertThat(JSON.readTree(after.body()).path("error").path("code").asText()).isEqualTo("DATA_CHANGED");
            assertThat(client.all(client.uri("Touchpoints"), 3, new int[1])).hasSize(8);
        }
    }

    private static void assertError(URI uri, int status, String code) throws Exception {
        HttpResponse<String> response = odata.get(uri, "Accept", "application/json");
        assertThat(response.statusCode()).as(uri.toString()).isEqualTo(status);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("message").asText()).as(uri.toString()).isNotBlank().doesNotContain("unnest", "FROM (", "duckdb", "Exception", "java.");
        if (code != null) {
            assertThat(error.path("code").asText()).isEqualTo(code);
        }
    }

    private static List<Object> spendIds(String filter) {
        return ids("SpendLines", "SpendId", filter);
    }

    private static List<Object> ids(String set, String key, String filter) {
        return column(odata.rows(odata.uri(set, "$filter", filter, "$select", key)), key);
    }

    private static List<Object> column(List<Map<String, Object>> rows, String name) {
        return rows.stream().map(row -> row.get(name)).toList();
    }
}
