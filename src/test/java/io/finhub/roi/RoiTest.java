package io.finhub.roi;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.ExecutionResult;
import io.finhub.FinhubServer;
import io.finhub.TestStores;
import io.finhub.graphql.GraphqlRequest;
import io.finhub.attribution.AttributionCatalog;
import io.finhub.attribution.AttributionEvents;
import io.finhub.attribution.AttributionModel;
import io.finhub.attribution.AttributionService;
import io.finhub.attribution.AttributionSettings;
import io.finhub.catalog.Catalog;
import io.finhub.catalog.MetricsRequest;
import io.finhub.catalog.MetricsService;
import io.finhub.catalog.StandardCatalog;
import io.finhub.revenue.RevenueCatalog;
import io.finhub.revenue.RevenueModels;
import io.finhub.revenue.RevenueQueries;
import io.finhub.store.DerivedTables;
import io.finhub.store.Store;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ROI family on the roi_company fixture; every expected figure is worked out by hand in the comments. */
class RoiTest {
    private static final LocalDate AS_OF = LocalDate.of(2025, 6, 30);
    private static Store store;
    private static MetricsService metrics;
    private static RoiQueries roi;
    private static UnitEconomicsQueries unitEconomics;

    @BeforeAll
    static void open() {
        store = TestStores.withFixture("roi_company");
        Wired wired = Wired.on(store);
        metrics = wired.metrics();
        unitEconomics = wired.unitEconomics();
        roi = wired.roi();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void last_touch_roi_roas_cac_and_cost_per_lead_by_channel() {
        List<RoiRow> rows = report(AttributionModel.LAST_TOUCH);
        // Last touch: search gets j1's 6000 and j2's 3000 = 9000 and both customers; email gets nothing.
        // Search: cost 3000, media 2000 → ROI (9000 − 3000) ÷ 3000 = 200 %, ROAS 9000 ÷ 2000 = 4.5, CAC 3000 ÷ 2 = 1500.
        // Email: cost 1000, media 500 (Q1 only) → ROI −100 %, ROAS 0, CAC undefined (no customer).
        // Leads by first touch: l1 and l3 first touched email, l2 search → cost per lead 3000 ÷ 1 and 1000 ÷ 2.
        assertThat(rows).extracting(RoiTest::line).containsExactly(
                "email spend=1000.00 revenue=0 customers=0 roi=-100.0000 roas=0.0000 cac=null cpl=500.00",
                "search spend=3000.00 revenue=9000.00 customers=2 roi=200.0000 roas=4.5000 cac=1500.00 cpl=3000.00",
                // Product-development spend (2000) has no channel: it stays visible as its own row, so the report ties to total spend.
                "null spend=2000.00 revenue=0 customers=0 roi=-100.0000 roas=null cac=null cpl=null");
        assertThat(rows.get(0).nullReasons()).containsEntry("cac", "no customer acquired (attributed) in this group");
    }

    @Test
    void linear_model_splits_a_two_touch_journey_evenly() {
        List<RoiRow> rows = report(AttributionModel.LINEAR);
        // Linear: j1's 6000 splits 3000 / 3000 between email and search, j2's 3000 goes to search.
        // Email: ROI (3000 − 1000) ÷ 1000 = 200 %, CAC 1000 ÷ 0.5 = 2000. Search: ROI (6000 − 3000) ÷ 3000 = 100 %, CAC 3000 ÷ 1.5 = 2000.
        assertThat(rows).extracting(RoiTest::line).containsExactly(
                "email spend=1000.00 revenue=3000.00 customers=0.5 roi=200.0000 roas=6.0000 cac=2000.00 cpl=500.00",
                "search spend=3000.00 revenue=6000.00 customers=1.5 roi=100.0000 roas=3.0000 cac=2000.00 cpl=3000.00",
                "null spend=2000.00 revenue=0 customers=0 roi=-100.0000 roas=null cac=null cpl=null");
    }

    /**
     * LTV = ARPA × gross margin ÷ monthly churn (David Skok, "SaaS Metrics 2.0", forEntrepreneurs.com);
     * CAC payback = CAC ÷ (ARPA × gross margin).
     */
    @Test
    void ltv_and_payback_over_the_trailing_window() {
        // Month ends February..June: MRR 500, 750, 750, 500, 500 (c2 churns in May) = 3000 over 1+2+2+1+1 = 7 customer-months
        // → ARPA 3000 ÷ 7 = 428.57. Churn: 1 churned ÷ (0+1+2+2+1 = 6 opening customer-months) = 16.6667 % a month.
        // Gross margin (10000 − 2000) ÷ 10000 = 80 %. LTV = 3000/7 × 0.8 × 6 = 14400/7 = 2057.142857… → 2057.14.
        UnitEconomics company = unitEconomics.compute(AS_OF, 12, Optional.empty()).get(null);
        assertThat(company.arpa()).hasValueSatisfying(value -> assertThat(value).isEqualByComparingTo("428.57"));
        assertThat(company.monthlyChurnPct()).hasValueSatisfying(value -> assertThat(value).isEqualByComparingTo("16.6667"));
        assertThat(company.grossMarginPct()).hasValueSatisfying(value -> assertThat(value).isEqualByComparingTo("80.0000"));
        assertThat(company.ltv()).hasValueSatisfying(value -> assertThat(value).isEqualByComparingTo("2057.14"));

        RoiRow search = report(AttributionModel.LAST_TOUCH).get(1);
        // Payback: 1500 ÷ (3000/7 × 0.8) = 10500 ÷ 2400 = 4.375 → 4.38; LTV:CAC = (14400/7) ÷ 1500 = 1.3714.
        assertThat(search.paybackMonths()).isEqualByComparingTo("4.38");
        assertThat(search.ltv()).isEqualByComparingTo("2057.14");
        assertThat(search.ltvToCac()).isEqualByComparingTo("1.3714");
    }

    @Test
    void ltv_to_cac_and_payback_divide_by_the_exact_cac_not_the_one_shown_to_the_cent() {
        try (Store exact = TestStores.withFixture("roi_company")) {
            exact.write("test", List.of("fact_touchpoint", "fact_conversion", "fact_spend"), handle -> handle.createScript("""
                    UPDATE fact_spend SET amount = 999.95 WHERE spend_id = 'p2';
                    INSERT INTO fact_touchpoint SELECT 'xt' || i, 'xj' || i, 'xc' || i, 'xl' || i, 'search', 's1', TIMESTAMP '2025-03-10 09:00:00'
                        FROM range(8) t(i);
                    INSERT INTO fact_conversion SELECT 'xd' || i, 'xj' || i, 'xc' || i, 'core', 'NEW_BUSINESS', TIMESTAMP '2025-03-11 12:00:00', 100.00, 'USD'
                        FROM range(8) t(i);
                    """).execute());
            RoiRow search = channelRow(Wired.on(exact).roi(), AttributionModel.LAST_TOUCH, AS_OF, "search");
            // Search, last touch: cost 2000 + 999.95 = 2999.95 over j1, j2 and eight one-touch journeys = 10 customers
            //   → CAC 299.995 exactly, shown 300.00 (half-even). The eight new customers pay no MRR, so search's LTV is still 14400/7.
            // LTV:CAC = (14400/7) ÷ 299.995 = 14400 ÷ 2099.965 = 6.857257… → 6.8573
            //   (over the shown CAC 300.00 it is 6.857142… → 6.8571; the shown LTV 2057.14 ÷ 299.995 = 6.857247… → 6.8572).
            // Payback = 299.995 ÷ (3000/7 × 0.8) = 2099.965 ÷ 2400 = 0.874985… → 0.87 (over 300.00 exactly 0.875 → 0.88).
            assertThat(search.cac()).isEqualByComparingTo("300.00");
            assertThat(search.ltv()).isEqualByComparingTo("2057.14");
            assertThat(search.ltvToCac()).isEqualByComparingTo("6.8573");
            assertThat(search.paybackMonths()).isEqualByComparingTo("0.87");
        }
    }

    @Test
    void unit_economics_use_the_last_twelve_months_that_ended_by_as_of_and_no_later_posting() {
        try (Store may = TestStores.withFixture("roi_company")) {
            may.write("test", List.of("fact_gl_actual"), handle -> handle.execute("""
                    INSERT INTO fact_gl_actual VALUES
                        ('g3', 'US', DATE '2025-05-31', 'sales', '4000', NULL, NULL, 5000.00, 'USD', 'revenue'),
                        ('g4', 'US', DATE '2025-05-31', 'sales', '5000', NULL, NULL, 500.00, 'USD', 'hosting')"""));
            UnitEconomicsQueries queries = Wired.on(may).unitEconomics();
            // As of 1 June 2025 June has not ended: the window is the 12 months June 2024 … May 2025, GL postings to 31 May.
            // Month ends February … May: MRR 500, 750, 750, 500 = 2500 over 1+2+2+1 = 6 customer-months → ARPA 416.67;
            // churn: c2 (May) ÷ (0+1+2+2 = 5 opening customer-months) = 20 %; gross margin (5000 − 500) ÷ 5000 = 90 %
            // (June's 10000 revenue and 2000 COGS, posted 30 June, are after as-of); LTV = 2500/6 × 0.9 × 5 = 1875.00.
            // Counting June would give 3000/7 × (12500/15000) × 6 = 2142.86.
            for (LocalDate asOf : List.of(LocalDate.of(2025, 6, 1), LocalDate.of(2025, 5, 31))) {
                UnitEconomics company = queries.compute(asOf, 12, Optional.empty()).get(null);
                assertThat(company.ltv()).as("as of %s", asOf).hasValueSatisfying(value -> assertThat(value).isEqualByComparingTo("1875.00"));
                assertThat(company.windowStart()).as("as of %s", asOf).isEqualTo(LocalDate.of(2024, 6, 1));
                assertThat(company.windowEnd()).as("as of %s", asOf).isEqualTo(LocalDate.of(2025, 5, 31));
                assertThat(company.arpa()).as("as of %s", asOf).hasValueSatisfying(value -> assertThat(value).isEqualByComparingTo("416.67"));
                assertThat(company.monthlyChurnPct()).as("as of %s", asOf).hasValueSatisfying(value -> assertThat(value).isEqualByComparingTo("20.0000"));
                assertThat(company.grossMarginPct()).as("as of %s", asOf).hasValueSatisfying(value -> assertThat(value).isEqualByComparingTo("90.0000"));
            }
            // On 30 June, June has ended: July 2024 … June 2025, both postings: 3000/7 × (15000 − 2500)/15000 × 6 = 2142.857… → 2142.86.
            UnitEconomics june = queries.compute(LocalDate.of(2025, 6, 30), 12, Optional.empty()).get(null);
            assertThat(june.windowStart()).isEqualTo(LocalDate.of(2024, 7, 1));
            assertThat(june.windowEnd()).isEqualTo(LocalDate.of(2025, 6, 30));
            assertThat(june.ltv()).hasValueSatisfying(value -> assertThat(value).isEqualByComparingTo("2142.86"));
        }
    }

    @Test
    void ltv_is_null_with_a_reason_for_a_channel_or_segment_without_paying_customers_of_its_own() {
        try (Store unmeasured = TestStores.withFixture("roi_company")) {
            unmeasured.write("test", List.of("dim_channel", "dim_customer", "fact_touchpoint", "fact_conversion", "fact_spend"),
                    handle -> handle.createScript("""
                            INSERT INTO dim_channel VALUES ('tv', 'Television', 'PAID');
                            INSERT INTO fact_spend VALUES ('p8', DATE '2025-03-01', 'mkt', 'tv', NULL, NULL, NULL, 'MEDIA', 5000.00, 'USD');
                            INSERT INTO dim_customer VALUES ('c5', 'Foxtrot', 'MID_MARKET', 'Retail', 'NA', 'USD', 'search', 's1', DATE '2025-03-20');
                            INSERT INTO fact_touchpoint VALUES ('t6', 'j6', 'c5', 'l6', 'search', 's1', TIMESTAMP '2025-03-15 09:00:00');
                            INSERT INTO fact_conversion VALUES ('d6', 'j6', 'c5', 'core', 'NEW_BUSINESS', TIMESTAMP '2025-03-20 12:00:00', 1000.00, 'USD');
                            """).execute());
            RoiQueries queries = Wired.on(unmeasured).roi();
            // By channel, LTV is the acquisition channel's. tv spent 5000 and acquired no customer: it has no LTV of its own, and the
            // company's (14400/7 = 2057.14) is not its.
            RoiRow tv = channelRow(queries, AttributionModel.LAST_TOUCH, AS_OF, "tv");
            assertThat(tv.spend()).isEqualByComparingTo("5000.00");
            assertThat(tv.ltv()).isNull();
            assertThat(tv.ltvToCac()).isNull();
            assertThat(tv.paybackMonths()).isNull();
            assertThat(tv.nullReasons()).containsEntry("ltv", "no customer acquired through this channel paid MRR in the unit-economics window")
                    .containsEntry("paybackMonths", "no customer acquired through this channel paid MRR in the unit-economics window")
                    .containsKey("ltvToCac");
            // Product development's 2000 has no channel: it acquires no customers, so the LTV of customers without an
            // acquisition channel (c3, c4: none paying here) would not be its LTV either.
            RoiRow noChannel = channelRow(queries, AttributionModel.LAST_TOUCH, AS_OF, null);
            assertThat(noChannel.spend()).isEqualByComparingTo("2000.00");
            assertThat(noChannel.ltv()).isNull();
            assertThat(noChannel.nullReasons()).containsEntry("ltv", "spend without a channel has no customers of its own");
            // Search acquired c1 and c2 (and c5, who pays no MRR): its LTV is theirs, 2057.14.
            assertThat(channelRow(queries, AttributionModel.LAST_TOUCH, AS_OF, "search").ltv()).isEqualByComparingTo("2057.14");

            // By segment, LTV is the segment's: MID_MARKET's only customer (c5) pays no MRR, so it has none either.
            RoiRow midMarket = queries.roi(new RoiQueries.Request(List.of(RoiDimension.SEGMENT), Optional.of(LocalDate.of(2025, 1, 1)),
                    Optional.of(LocalDate.of(2025, 3, 31)), AttributionModel.LAST_TOUCH, List.of(), AS_OF, 100, 0)).rows().stream()
                    .filter(row -> "MID_MARKET".equals(row.keys().get("segment"))).findFirst().orElseThrow();
            assertThat(midMarket.ltv()).isNull();
            assertThat(midMarket.nullReasons()).containsEntry("ltv", "no customer of this segment paid MRR in the unit-economics window");
        }
    }

    @Test
    void roi_measures_are_catalog_measures_that_tie_out() {
        var result = metrics.query(MetricsRequest.of(List.of("roiPct", "cac", "spend", "attributedRevenueLastTouch"), List.of())
                .withRange(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 3, 31)));
        // Acquisition spend 4000 (search 3000 + email 1000; product spend has no channel but is spend too: +2000) = 6000;
        // attributed revenue 9000 → ROI (9000 − 6000) ÷ 6000 = 50 %; CAC 6000 ÷ 2 = 3000.
        assertThat(result.rows().get(0).measures().get("spend")).isEqualByComparingTo("6000.00");
        assertThat(result.rows().get(0).measures().get("roiPct")).isEqualByComparingTo("50.0000");
        assertThat(result.rows().get(0).measures().get("cac")).isEqualByComparingTo("3000.00");
    }

    /**
     * The worked example of the calculators9.com marketing ROI calculator: a $10,000 campaign that
     * generates $25,000 of revenue has ROI (25,000 − 10,000) ÷ 10,000 = 150 % and ROAS 2.5; and
     * freeonlinecal.com's CAC example: $10,000 that acquires 50 customers is a CAC of $200.
     */
    @Test
    void published_roi_roas_and_cac_example() {
        try (Store example = TestStores.withFixture("roi_company")) {
            example.write("test", List.of("fact_touchpoint", "fact_conversion", "fact_spend"), handle -> handle.createScript("""
                    INSERT INTO dim_channel VALUES ('ppc', 'Pay per click', 'PAID');
                    INSERT INTO dim_campaign VALUES ('ppc1', 'PPC', 'ppc', 'mkt', 'core', 'ACQUISITION', DATE '2024-01-01', DATE '2024-12-31');
                    INSERT INTO fact_touchpoint SELECT 'pt' || i, 'pj' || i, 'pc' || i, 'pl' || i, 'ppc', 'ppc1', TIMESTAMP '2024-06-01 10:00:00'
                        FROM range(50) t(i);
                    INSERT INTO fact_conversion SELECT 'pd' || i, 'pj' || i, 'pc' || i, 'core', 'NEW_BUSINESS', TIMESTAMP '2024-06-02 10:00:00', 500.00, 'USD'
                        FROM range(50) t(i);
                    INSERT INTO fact_spend VALUES ('pp', DATE '2024-06-01', 'mkt', 'ppc', 'ppc1', NULL, NULL, 'MEDIA', 10000.00, 'USD');
                    """).execute());
            Catalog catalog = StandardCatalog.create();
            AttributionCatalog.register(catalog, new AttributionService(example, AttributionSettings.DEFAULTS, new AttributionEvents(), Runnable::run));
            RoiCatalog.register(catalog, new DerivedTables(example));
            var row = new MetricsService(example, catalog).query(MetricsRequest.of(List.of("roiPct", "roas", "cac"), List.of())
                    .withRange(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31))).rows().get(0);
            assertThat(row.measures().get("roiPct")).isEqualByComparingTo("150");
            assertThat(row.measures().get("roas")).isEqualByComparingTo("2.5");
            assertThat(row.measures().get("cac")).isEqualByComparingTo("200");
        }
    }

    @Test
    void product_development_roi_counts_revenue_since_launch() {
        List<InvestmentRoiQueries.ProductRoi> products = new InvestmentRoiQueries(store).productRoi(AS_OF);
        // ai: development cost 1000 + 1000 = 2000; revenue since its 2025-03-01 launch: d3 2500 → ROI 25 %.
        // core: no development cost in the data → ROI undefined.
        assertThat(products).extracting(product -> product.productId() + " " + product.developmentCost() + " " + product.revenueSinceLaunch() + " "
                + product.roiPct()).containsExactly("ai 2000.00 2500.00 25.0000", "core 0.00 9000.00 null");
    }

    @Test
    void retention_campaign_roi_is_the_uplift_over_untouched_renewals() {
        List<InvestmentRoiQueries.RetentionRoi> campaigns = new InvestmentRoiQueries(store).retentionRoi(LocalDate.of(2025, 1, 1), AS_OF, 90);
        // r1 touched c3 eleven days before its renewal, which was won: rate 100 %. The untouched renewal (c4) was lost: baseline 0 %.
        // Saved = (1.00 − 0.00) × 1200 = 1200; spend 400 → ROI (1200 − 400) ÷ 400 = 200 %.
        assertThat(campaigns).singleElement().satisfies(campaign -> {
            assertThat(campaign.campaignId()).isEqualTo("r1");
            assertThat(campaign.renewalRatePct()).isEqualByComparingTo("100");
            assertThat(campaign.baselineRenewalRatePct()).isEqualByComparingTo("0");
            assertThat(campaign.revenueSaved()).isEqualByComparingTo("1200.00");
            assertThat(campaign.roiPct()).isEqualByComparingTo("200.0000");
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void roi_through_graphql_with_null_reasons() {
        ExecutionResult result = FinhubServer.graphql(store, Clock.systemUTC()).execute(new GraphqlRequest("""
                { roi(by: [CHANNEL], period: {from: "2025-01-01", to: "2025-03-31"}, model: LINEAR, asOf: "2025-06-30",
                      filters: [{dimension: "channel", values: ["email"]}]) {
                    model rows { channel channelName spend attributedRevenue roiPct cac ltv nullReasons } unitEconomics { arpa ltv } }
                  productRoi(asOf: "2025-06-30") { productId roiPct } }""", null, null, null));
        assertThat(result.getErrors()).isEmpty();
        Map<String, Object> data = result.getData();
        // Same hand figures as the linear test: email spend 1000, attributed 3000, ROI 200 %, CAC 2000; company LTV 2057.14.
        // No paying customer was acquired through email (c1 and c2 came through search): the row has no LTV of its own, and says why.
        Map<String, Object> roiData = (Map<String, Object>) data.get("roi");
        Map<String, Object> email = ((List<Map<String, Object>>) roiData.get("rows")).get(0);
        assertThat(email.get("nullReasons")).isEqualTo(Map.of("ltv", "no customer acquired through this channel paid MRR in the unit-economics window",
                "ltvToCac", "LTV or CAC is undefined", "paybackMonths", "no customer acquired through this channel paid MRR in the unit-economics window"));
        email.remove("nullReasons");
        assertThat(roiData.toString()).isEqualTo("{model=LINEAR, rows=[{channel=email, channelName=Email, spend=1000.00, "
                + "attributedRevenue=3000.00, roiPct=200.0000, cac=2000.00, ltv=null}], unitEconomics={arpa=428.57, ltv=2057.14}}");
        assertThat(data.get("productRoi").toString()).isEqualTo("[{productId=ai, roiPct=25.0000}, {productId=core, roiPct=null}]");
    }

    @Test
    void roi_by_department_credits_revenue_and_leads_to_the_department_running_the_campaign() {
        List<RoiRow> rows = roi.roi(new RoiQueries.Request(List.of(RoiDimension.DEPARTMENT), Optional.of(LocalDate.of(2025, 1, 1)),
                Optional.of(LocalDate.of(2025, 3, 31)), AttributionModel.LAST_TOUCH, List.of(), AS_OF, 100, 0)).rows();
        // Q1 2025. Marketing runs s1 and e1: spend p1 2000 + p2 1000 + p3 500 + p4 500 = 4000, media p1 + p3 = 2500.
        //   Last touch credits d1 (6000, last touch t2 on s1) and d2 (3000, t3 on s1) to s1 → 9000 and 2 customers.
        //   ROI (9000 − 4000) ÷ 4000 = 125 %; ROAS 9000 ÷ 2500 = 3.6; CAC 4000 ÷ 2 = 2000.
        //   Leads first touched in Q1: l1 (t1, e1), l2 (t3, s1), l3 (t4, e1) → 3; cost per lead 4000 ÷ 3 = 1333.33.
        // Engineering: product spend p5 + p6 = 2000, no media, no campaign → ROI −100 %, ROAS, CAC and cost per lead undefined.
        assertThat(rows).extracting(row -> "%s spend=%s revenue=%s customers=%s roi=%s roas=%s cac=%s cpl=%s".formatted(row.keys().get("department"),
                        row.spend(), row.attributedRevenue(), row.attributedCustomers().stripTrailingZeros().toPlainString(), row.roiPct(), row.roas(),
                        row.cac(), row.costPerLead()))
                .containsExactly(
                        "eng spend=2000.00 revenue=0 customers=0 roi=-100.0000 roas=null cac=null cpl=null",
                        "mkt spend=4000.00 revenue=9000.00 customers=2 roi=125.0000 roas=3.6000 cac=2000.00 cpl=1333.33");
        // The linear model moves j1's credit between two marketing campaigns: the department's totals do not change.
        List<RoiRow> linear = roi.roi(new RoiQueries.Request(List.of(RoiDimension.DEPARTMENT), Optional.of(LocalDate.of(2025, 1, 1)),
                Optional.of(LocalDate.of(2025, 3, 31)), AttributionModel.LINEAR, List.of(), AS_OF, 100, 0)).rows();
        assertThat(linear.get(1).attributedRevenue()).isEqualByComparingTo("9000.00");

        ExecutionResult result = FinhubServer.graphql(store, Clock.systemUTC()).execute(new GraphqlRequest("""
                { roi(by: [DEPARTMENT], period: {from: "2025-01-01", to: "2025-03-31"}) { rows { department departmentName spend roiPct } } }""", null, null, null));
        assertThat(result.getErrors()).isEmpty();
        assertThat(result.getData().toString()).isEqualTo("{roi={rows=[{department=eng, departmentName=Engineering, spend=2000.00, roiPct=-100.0000}, "
                + "{department=mkt, departmentName=Marketing, spend=4000.00, roiPct=125.0000}]}}");
    }

    @Test
    void roi_by_segment_lets_each_campaigns_cost_follow_the_revenue_it_earned_from_each_segment() {
        try (Store segmented = TestStores.withFixture("roi_company")) {
            segmented.write("test", List.of("dim_customer"), handle -> handle.execute("UPDATE dim_customer SET segment = 'ENTERPRISE' WHERE customer_id = 'c2'"));
            RoiQueries segmentedRoi = Wired.on(segmented).roi();

            List<RoiRow> rows = segmentedRoi.roi(new RoiQueries.Request(List.of(RoiDimension.SEGMENT), Optional.of(LocalDate.of(2025, 1, 1)),
                    Optional.of(LocalDate.of(2025, 3, 31)), AttributionModel.LAST_TOUCH, List.of(), AS_OF, 100, 0)).rows();
            // Q1 2025, last touch. Campaign s1 is credited with d1 (6000, c1, SMB) and d2 (3000, c2, now ENTERPRISE).
            //   Its cost p1 + p2 = 3000 splits 6000 : 3000 → SMB 2000.00, ENTERPRISE 1000.00.
            //   Its media cost 2000 splits 1333.333… : 666.666… → floors 1333.33 and 666.66, the missing cent to the larger
            //   remainder (ENTERPRISE, .67 of a cent) → 1333.33 and 666.67.
            // Campaign e1 earned nothing under last touch: its 1000 (media 500) cannot follow revenue; nor can engineering's
            //   2000 without a campaign → the row without a segment: 3000, media 500.
            // SMB: ROI (6000 − 2000) ÷ 2000 = 200 %, ROAS 6000 ÷ 1333.33 = 4.5000, CAC 2000 ÷ 1 = 2000.00.
            // ENTERPRISE: ROI (3000 − 1000) ÷ 1000 = 200 %, ROAS 3000 ÷ 666.67 = 4.4999775… → 4.5000, CAC 1000.00.
            assertThat(rows).extracting(row -> "%s spend=%s media=%s revenue=%s customers=%s roi=%s roas=%s cac=%s".formatted(row.keys().get("segment"),
                            row.spend(), row.mediaSpend(), row.attributedRevenue(), row.attributedCustomers().stripTrailingZeros().toPlainString(), row.roiPct(),
                            row.roas(), row.cac()))
                    .containsExactly(
                            "ENTERPRISE spend=1000.00 media=666.67 revenue=3000.00 customers=1 roi=200.0000 roas=4.5000 cac=1000.00",
                            "SMB spend=2000.00 media=1333.33 revenue=6000.00 customers=1 roi=200.0000 roas=4.5000 cac=2000.00",
                            "null spend=3000.00 media=500.00 revenue=0 customers=0 roi=-100.0000 roas=0.0000 cac=null");
            // The rows add up to the quarter's whole spend, p1 … p6 = 6000.00.
            assertThat(rows.stream().map(RoiRow::spend).reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add)).isEqualByComparingTo("6000.00");
            assertThat(rows.get(0).nullReasons()).containsKey("costPerLead");

            var engine = FinhubServer.graphql(segmented, Clock.systemUTC());
            ExecutionResult result = engine.execute(new GraphqlRequest("""
                    { roi(by: [SEGMENT], period: {from: "2025-01-01", to: "2025-03-31"}) { rows { segment spend roiPct } } }""", null, null, null));
            assertThat(result.getErrors()).isEmpty();
            Map<String, Object> data = result.getData();
            assertThat(data.get("roi").toString()).isEqualTo("{rows=[{segment=ENTERPRISE, spend=1000.00, roiPct=200.0000}, "
                    + "{segment=SMB, spend=2000.00, roiPct=200.0000}, {segment=null, spend=3000.00, roiPct=-100.0000}]}");
            ExecutionResult mixed = engine.execute(new GraphqlRequest("{ roi(by: [SEGMENT, CHANNEL]) { totalCount } }", null, null, null));
            assertThat(mixed.getErrors()).singleElement().satisfies(error -> {
                assertThat(error.getExtensions()).containsEntry("code", "BAD_REQUEST");
                assertThat(error.getMessage()).contains("SEGMENT").contains("spend has no segment");
            });
            // The segment report pages its rows itself; a bad page is the caller's mistake, named, not an internal error.
            for (String page : List.of("limit: -1", "limit: 0", "limit: 100001", "offset: -1")) {
                ExecutionResult bad = engine.execute(new GraphqlRequest("{ roi(by: [SEGMENT], " + page + ") { totalCount } }", null, null, null));
                assertThat(bad.getErrors()).as(page).singleElement().satisfies(error -> {
                    assertThat(error.getExtensions()).containsEntry("code", "BAD_REQUEST");
                    assertThat(error.getMessage()).startsWith(page.substring(0, page.indexOf(':')) + " must");
                });
            }
            ExecutionResult second = engine.execute(new GraphqlRequest("""
                    { roi(by: [SEGMENT], period: {from: "2025-01-01", to: "2025-03-31"}, limit: 1, offset: 1) { totalCount rows { segment } } }""",
                    null, null, null));
            assertThat(second.getErrors()).isEmpty();
            assertThat(second.getData().toString()).isEqualTo("{roi={totalCount=3, rows=[{segment=SMB}]}}");
        }
    }

    /** The ROI queries and their unit economics over a store, wired as the server wires them. */
    private record Wired(MetricsService metrics, UnitEconomicsQueries unitEconomics, RoiQueries roi) {
        static Wired on(Store store) {
            DerivedTables derived = new DerivedTables(store);
            RevenueModels revenueModels = new RevenueModels(store, derived);
            Catalog catalog = StandardCatalog.create();
            RevenueCatalog.register(catalog, revenueModels);
            AttributionCatalog.register(catalog, new AttributionService(store, AttributionSettings.DEFAULTS, new AttributionEvents(), Runnable::run));
            RoiCatalog.register(catalog, derived);
            MetricsService metrics = new MetricsService(store, catalog);
            UnitEconomicsQueries unitEconomics = new UnitEconomicsQueries(new RevenueQueries(store, revenueModels), metrics);
            return new Wired(metrics, unitEconomics, new RoiQueries(metrics, unitEconomics));
        }
    }

    /** The Q1 2025 by-channel row of {@code channel} (null: spend without a channel). */
    private static RoiRow channelRow(RoiQueries queries, AttributionModel model, LocalDate asOf, String channel) {
        return queries.roi(new RoiQueries.Request(List.of(RoiDimension.CHANNEL), Optional.of(LocalDate.of(2025, 1, 1)), Optional.of(LocalDate.of(2025, 3, 31)),
                model, List.of(), asOf, 100, 0)).rows().stream().filter(row -> Objects.equals(row.keys().get("channel"), channel))
                .findFirst().orElseThrow();
    }

    private static List<RoiRow> report(AttributionModel model) {
        return roi.roi(new RoiQueries.Request(List.of(RoiDimension.CHANNEL), Optional.of(LocalDate.of(2025, 1, 1)), Optional.of(LocalDate.of(2025, 3, 31)),
                model, List.of(), AS_OF, 100, 0)).rows();
    }

    private static String line(RoiRow row) {
        return "%s spend=%s revenue=%s customers=%s roi=%s roas=%s cac=%s cpl=%s".formatted(row.keys().get("channel"), row.spend(),
                row.attributedRevenue(), row.attributedCustomers().stripTrailingZeros().toPlainString(), row.roiPct(), row.roas(), row.cac(),
                row.costPerLead());
    }
}
