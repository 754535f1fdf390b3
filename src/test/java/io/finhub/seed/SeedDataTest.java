package io.finhub.seed;

import static org.assertj.core.api.Assertions.assertThat;

import io.finhub.store.Store;
import io.finhub.store.StoreConfig;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the demo company's data means: referential integrity, and the analytic stories the demo
 * must be able to tell, each checked by an independent SQL query over the seeded facts.
 */
class SeedDataTest {
    /** Rates to US dollars per day and currency, US dollars included. */
    private static final String USD_RATES = """
            usd AS (
                SELECT rate_date, from_currency AS currency_code, CAST(rate AS DOUBLE) AS rate
                FROM fact_fx_rate WHERE to_currency = 'USD'
                UNION ALL
                SELECT DISTINCT rate_date, 'USD', 1.0 FROM fact_fx_rate
            )""";

    private static Store store;

    @BeforeAll
    static void seedDemoCompany() {
        store = Store.open(StoreConfig.inMemory());
        new SeedGenerator(store).generate(Scale.DEMO, line -> {});
    }

    @AfterAll
    static void closeStore() {
        store.close();
    }

    record Reference(String table, String column, String targetTable, String targetColumn) {
        String orphansSql() {
            return "SELECT count(*) FROM %s child WHERE child.%s IS NOT NULL AND NOT EXISTS (SELECT 1 FROM %s target WHERE target.%s = child.%s)"
                    .formatted(table, column, targetTable, targetColumn, column);
        }
    }

    private static final List<Reference> REFERENCES = List.of(
            new Reference("dim_entity", "functional_currency", "dim_currency", "currency_code"),
            new Reference("dim_campaign", "channel_id", "dim_channel", "channel_id"),
            new Reference("dim_campaign", "department_id", "dim_department", "department_id"),
            new Reference("dim_campaign", "product_id", "dim_product", "product_id"),
            new Reference("dim_cs_program", "department_id", "dim_department", "department_id"),
            new Reference("dim_customer", "billing_currency", "dim_currency", "currency_code"),
            new Reference("dim_customer", "acquisition_channel_id", "dim_channel", "channel_id"),
            new Reference("dim_customer", "acquisition_campaign_id", "dim_campaign", "campaign_id"),
            new Reference("dim_contract", "customer_id", "dim_customer", "customer_id"),
            new Reference("dim_contract", "product_id", "dim_product", "product_id"),
            new Reference("dim_contract", "currency_code", "dim_currency", "currency_code"),
            new Reference("fact_touchpoint", "customer_id", "dim_customer", "customer_id"),
            new Reference("fact_touchpoint", "channel_id", "dim_channel", "channel_id"),
            new Reference("fact_touchpoint", "campaign_id", "dim_campaign", "campaign_id"),
            new Reference("fact_conversion", "journey_id", "fact_touchpoint", "journey_id"),
            new Reference("fact_conversion", "customer_id", "dim_customer", "customer_id"),
            new Reference("fact_conversion", "product_id", "dim_product", "product_id"),
            new Reference("fact_conversion", "currency_code", "dim_currency", "currency_code"),
            new Reference("fact_spend", "department_id", "dim_department", "department_id"),
            new Reference("fact_spend", "channel_id", "dim_channel", "channel_id"),
            new Reference("fact_spend", "campaign_id", "dim_campaign", "campaign_id"),
            new Reference("fact_spend", "program_id", "dim_cs_program", "program_id"),
            new Reference("fact_spend", "product_id", "dim_product", "product_id"),
            new Reference("fact_spend", "currency_code", "dim_currency", "currency_code"),
            new Reference("fact_budget", "department_id", "dim_department", "department_id"),
            new Reference("fact_budget", "account_id", "dim_gl_account", "account_id"),
            new Reference("fact_budget", "campaign_id", "dim_campaign", "campaign_id"),
            new Reference("fact_budget", "product_id", "dim_product", "product_id"),
            new Reference("fact_budget", "currency_code", "dim_currency", "currency_code"),
            new Reference("fact_gl_actual", "entity_id", "dim_entity", "entity_id"),
            new Reference("fact_gl_actual", "department_id", "dim_department", "department_id"),
            new Reference("fact_gl_actual", "account_id", "dim_gl_account", "account_id"),
            new Reference("fact_gl_actual", "campaign_id", "dim_campaign", "campaign_id"),
            new Reference("fact_gl_actual", "product_id", "dim_product", "product_id"),
            new Reference("fact_gl_actual", "currency_code", "dim_currency", "currency_code"),
            new Reference("fact_fx_rate", "from_currency", "dim_currency", "currency_code"),
            new Reference("fact_fx_rate", "to_currency", "dim_currency", "currency_code"),
            new Reference("fact_subscription", "customer_id", "dim_customer", "customer_id"),
            new Reference("fact_subscription", "contract_id", "dim_contract", "contract_id"),
            new Reference("fact_subscription", "product_id", "dim_product", "product_id"),
            new Reference("fact_subscription", "currency_code", "dim_currency", "currency_code"),
            new Reference("fact_invoice", "customer_id", "dim_customer", "customer_id"),
            new Reference("fact_invoice", "subscription_id", "fact_subscription", "subscription_id"),
            new Reference("fact_invoice", "currency_code", "dim_currency", "currency_code"),
            new Reference("fact_contract_commitment", "contract_id", "dim_contract", "contract_id"),
            new Reference("fact_success_metric", "contract_id", "dim_contract", "contract_id"),
            new Reference("fact_utilization", "contract_id", "dim_contract", "contract_id"),
            new Reference("fact_health_score", "customer_id", "dim_customer", "customer_id"),
            new Reference("fact_cs_activity", "customer_id", "dim_customer", "customer_id"),
            new Reference("fact_cs_activity", "program_id", "dim_cs_program", "program_id"),
            new Reference("fact_cs_activity", "currency_code", "dim_currency", "currency_code"),
            new Reference("fact_renewal_pipeline", "customer_id", "dim_customer", "customer_id"),
            new Reference("fact_renewal_pipeline", "contract_id", "dim_contract", "contract_id"),
            new Reference("fact_renewal_pipeline", "currency_code", "dim_currency", "currency_code"));

    /** Each money fact as (currency, date the amount converts at, amount). */
    private static final String MONEY_ROWS = """
            money AS (
                SELECT 'fact_conversion' AS fact, currency_code, CAST(converted_at AS DATE) AS on_date, amount FROM fact_conversion
                UNION ALL SELECT 'fact_spend', currency_code, spend_date, amount FROM fact_spend
                UNION ALL SELECT 'fact_budget', currency_code, budget_month, amount FROM fact_budget
                UNION ALL SELECT 'fact_gl_actual', currency_code, posting_date, amount FROM fact_gl_actual
                UNION ALL SELECT 'fact_subscription', currency_code, start_date, mrr FROM fact_subscription
                UNION ALL SELECT 'fact_invoice', currency_code, invoice_date, amount FROM fact_invoice
                UNION ALL SELECT 'fact_cs_activity', currency_code, occurred_on, cost FROM fact_cs_activity
                UNION ALL SELECT 'fact_renewal_pipeline', currency_code, created_on, amount FROM fact_renewal_pipeline
                UNION ALL SELECT 'fact_renewal_pipeline', currency_code, expected_close, amount FROM fact_renewal_pipeline
                UNION ALL SELECT 'dim_contract', currency_code, start_date, committed_value FROM dim_contract
            )""";

    @Test
    void every_reference_points_to_an_existing_row() {
        Map<String, Long> orphans = new LinkedHashMap<>();
        for (Reference reference : REFERENCES) {
            long count = count(reference.orphansSql());
            if (count > 0) {
                orphans.put(reference.table() + "." + reference.column(), count);
            }
        }
        assertThat(orphans).isEmpty();
    }

    @Test
    void no_money_amount_is_negative_and_invoices_and_deals_are_positive() {
        assertThat(count("WITH " + MONEY_ROWS + " SELECT count(*) FROM money WHERE amount < 0")).isZero();
        assertThat(count("SELECT count(*) FROM fact_invoice WHERE amount <= 0")).isZero();
        assertThat(count("SELECT count(*) FROM fact_conversion WHERE amount <= 0")).isZero();
        assertThat(count("SELECT count(*) FROM fact_spend WHERE amount <= 0")).isZero();
    }

    @Test
    void every_money_row_converts_to_us_dollars_on_its_date() {
        assertThat(count("WITH " + MONEY_ROWS + ", " + USD_RATES + """
                SELECT count(*) FROM money
                WHERE NOT EXISTS (SELECT 1 FROM usd WHERE usd.rate_date = money.on_date AND usd.currency_code = money.currency_code)
                """)).isZero();
    }

    @Test
    void fx_rates_cover_every_day_of_2023_to_2026_for_every_pair_of_currencies() {
        long days = LocalDate.of(2023, 1, 1).datesUntil(LocalDate.of(2027, 1, 1)).count();
        long pairs = 4 * 3;
        assertThat(count("""
                SELECT count(*) FROM fact_fx_rate
                WHERE rate_date BETWEEN DATE '2023-01-01' AND DATE '2026-12-31' AND from_currency <> to_currency""")).isEqualTo(days * pairs);
        assertThat(number("SELECT min(rate) FROM fact_fx_rate WHERE from_currency = 'EUR' AND to_currency = 'USD'")).isBetween(0.95, 1.10);
        assertThat(number("SELECT max(rate) FROM fact_fx_rate WHERE from_currency = 'EUR' AND to_currency = 'USD'")).isBetween(1.05, 1.20);
        assertThat(number("SELECT avg(rate) FROM fact_fx_rate WHERE from_currency = 'GBP' AND to_currency = 'USD'")).isBetween(1.22, 1.32);
        assertThat(number("SELECT avg(rate) FROM fact_fx_rate WHERE from_currency = 'CAD' AND to_currency = 'USD'")).isBetween(0.70, 0.78);
        // Smooth: no day moves a rate by more than one percent.
        assertThat(number("""
                SELECT max(abs(change)) FROM (
                    SELECT rate / lag(rate) OVER (PARTITION BY from_currency, to_currency ORDER BY rate_date) - 1 AS change
                    FROM fact_fx_rate)""")).isLessThan(0.01);
    }

    @Test
    void campaign_roi_ranges_from_losses_to_several_hundred_percent() {
        String roi = "WITH " + USD_RATES + """
                , last_touch AS (
                    SELECT t.journey_id, arg_max_null(t.campaign_id, t.touched_at) AS campaign_id
                    FROM fact_touchpoint t
                    JOIN fact_conversion c ON c.journey_id = t.journey_id AND t.touched_at <= c.converted_at
                    GROUP BY t.journey_id
                ),
                revenue AS (
                    SELECT lt.campaign_id, sum(c.amount * usd.rate) AS revenue
                    FROM fact_conversion c
                    JOIN last_touch lt USING (journey_id)
                    JOIN usd ON usd.rate_date = CAST(c.converted_at AS DATE) AND usd.currency_code = c.currency_code
                    WHERE c.deal_type = 'NEW_BUSINESS'
                    GROUP BY lt.campaign_id
                ),
                spend AS (
                    SELECT s.campaign_id, sum(s.amount * usd.rate) AS spend
                    FROM fact_spend s
                    JOIN usd ON usd.rate_date = s.spend_date AND usd.currency_code = s.currency_code
                    WHERE s.campaign_id IS NOT NULL
                    GROUP BY s.campaign_id
                ),
                roi AS (
                    SELECT (coalesce(revenue, 0) - spend) / spend AS roi FROM spend LEFT JOIN revenue USING (campaign_id)
                )
                """;
        assertThat(number(roi + "SELECT min(roi) FROM roi")).isNegative();
        assertThat(number(roi + "SELECT max(roi) FROM roi")).isGreaterThan(3.0);
        assertThat(count(roi + "SELECT count(*) FROM roi WHERE roi < 0")).isGreaterThanOrEqualTo(5);
        assertThat(count(roi + "SELECT count(*) FROM roi WHERE roi > 1")).isGreaterThanOrEqualTo(20);
    }

    @Test
    void customers_are_acquired_through_the_last_touch_of_their_journey() {
        assertThat(count("""
                WITH last_touch AS (
                    SELECT customer_id, arg_max_null(channel_id, touched_at) AS channel_id, arg_max_null(campaign_id, touched_at) AS campaign_id
                    FROM fact_touchpoint WHERE customer_id IS NOT NULL GROUP BY customer_id
                )
                SELECT count(*) FROM dim_customer c JOIN last_touch USING (customer_id)
                WHERE c.acquisition_channel_id IS DISTINCT FROM last_touch.channel_id
                   OR c.acquisition_campaign_id IS DISTINCT FROM last_touch.campaign_id""")).isZero();
        assertThat(count("""
                SELECT count(*) FROM fact_conversion c
                WHERE c.deal_type = 'NEW_BUSINESS'
                  AND c.converted_at <= (SELECT max(t.touched_at) FROM fact_touchpoint t WHERE t.journey_id = c.journey_id)""")).isZero();
    }

    @Test
    void some_department_months_overspend_their_original_budget_by_more_than_ten_percent() {
        String comparison = "WITH " + USD_RATES + """
                , actual AS (
                    SELECT g.department_id, CAST(date_trunc('month', g.posting_date) AS DATE) AS month, sum(g.amount * usd.rate) AS actual
                    FROM fact_gl_actual g
                    JOIN dim_gl_account a USING (account_id)
                    JOIN usd ON usd.rate_date = g.posting_date AND usd.currency_code = g.currency_code
                    WHERE a.account_type IN ('EXPENSE', 'COGS')
                    GROUP BY ALL
                ),
                budget AS (
                    SELECT b.department_id, b.budget_month AS month, sum(b.amount * usd.rate) AS budget
                    FROM fact_budget b
                    JOIN dim_gl_account a USING (account_id)
                    JOIN usd ON usd.rate_date = b.budget_month AND usd.currency_code = b.currency_code
                    WHERE a.account_type IN ('EXPENSE', 'COGS') AND b.budget_version = 'ORIGINAL'
                    GROUP BY ALL
                ),
                compared AS (SELECT actual / budget AS ratio FROM actual JOIN budget USING (department_id, month))
                """;
        long departmentMonths = count(comparison + "SELECT count(*) FROM compared");
        assertThat(departmentMonths).isEqualTo(11 * 36);
        assertThat(count(comparison + "SELECT count(*) FROM compared WHERE ratio > 1.1")).isBetween(5L, departmentMonths / 5);
        assertThat(count(comparison + "SELECT count(*) FROM compared WHERE ratio BETWEEN 0.94 AND 1.06")).isGreaterThan(departmentMonths * 3 / 4);
    }

    @Test
    void some_months_miss_their_revenue_target_by_more_than_five_percent() {
        String comparison = "WITH " + USD_RATES + """
                , actual AS (
                    SELECT CAST(date_trunc('month', g.posting_date) AS DATE) AS month, sum(g.amount * usd.rate) AS actual
                    FROM fact_gl_actual g
                    JOIN dim_gl_account a USING (account_id)
                    JOIN usd ON usd.rate_date = g.posting_date AND usd.currency_code = g.currency_code
                    WHERE a.account_type = 'REVENUE'
                    GROUP BY ALL
                ),
                target AS (
                    SELECT b.budget_month AS month, sum(b.amount * usd.rate) AS target
                    FROM fact_budget b
                    JOIN dim_gl_account a USING (account_id)
                    JOIN usd ON usd.rate_date = b.budget_month AND usd.currency_code = b.currency_code
                    WHERE a.account_type = 'REVENUE' AND b.budget_version = 'ORIGINAL'
                    GROUP BY ALL
                )
                SELECT count(*) FROM actual JOIN target USING (month) WHERE actual < 0.95 * target""";
        assertThat(count(comparison)).isBetween(1L, 18L);
    }

    @Test
    void the_reforecast_covers_the_last_year_only() {
        assertThat(count("SELECT count(DISTINCT budget_month) FROM fact_budget WHERE budget_version = 'ORIGINAL'")).isEqualTo(36);
        assertThat(count("""
                SELECT count(DISTINCT budget_month) FROM fact_budget
                WHERE budget_version = 'REFORECAST' AND budget_month BETWEEN DATE '2025-01-01' AND DATE '2025-12-01'""")).isEqualTo(12);
        assertThat(count("SELECT count(*) FROM fact_budget WHERE budget_version = 'REFORECAST' AND budget_month < DATE '2025-01-01'")).isZero();
    }

    @Test
    void marketing_expense_actuals_equal_marketing_spend_by_month_and_cost_type() {
        assertThat(count("""
                WITH spend AS (
                    SELECT s.department_id, CAST(date_trunc('month', s.spend_date) AS DATE) AS month, s.cost_type, s.currency_code, sum(s.amount) AS amount
                    FROM fact_spend s JOIN dim_department d USING (department_id)
                    WHERE d.function_area = 'MARKETING'
                    GROUP BY ALL
                ),
                actual AS (
                    SELECT g.department_id, CAST(date_trunc('month', g.posting_date) AS DATE) AS month, a.cost_type, g.currency_code, sum(g.amount) AS amount
                    FROM fact_gl_actual g JOIN dim_gl_account a USING (account_id) JOIN dim_department d USING (department_id)
                    WHERE d.function_area = 'MARKETING' AND a.cost_type IN ('MEDIA', 'CREATIVE', 'PERSONNEL', 'TECHNOLOGY')
                    GROUP BY ALL
                )
                SELECT count(*) FROM spend FULL JOIN actual USING (department_id, month, cost_type, currency_code)
                WHERE spend.amount IS DISTINCT FROM actual.amount""")).isZero();
    }

    @Test
    void recognised_revenue_matches_the_subscriptions_of_the_month() {
        // December 2025: every subscription active all month earns one month of its MRR.
        double subscriptions = number("WITH " + USD_RATES + """
                SELECT sum(s.mrr * usd.rate) FROM fact_subscription s
                JOIN usd ON usd.rate_date = DATE '2025-12-31' AND usd.currency_code = s.currency_code
                WHERE s.start_date <= DATE '2025-12-01' AND s.end_date > DATE '2025-12-31'""");
        double booked = number("WITH " + USD_RATES + """
                SELECT sum(g.amount * usd.rate) FROM fact_gl_actual g
                JOIN usd ON usd.rate_date = g.posting_date AND usd.currency_code = g.currency_code
                WHERE g.account_id = '4000' AND g.posting_date = DATE '2025-12-31'""");
        assertThat(booked).isBetween(subscriptions * 0.98, subscriptions * 1.15);
        double cogsShare = number("""
                SELECT sum(amount) FILTER (WHERE a.account_type = 'COGS') / sum(amount) FILTER (WHERE a.account_type = 'REVENUE')
                FROM fact_gl_actual g JOIN dim_gl_account a USING (account_id) WHERE g.entity_id = 'US01'""");
        assertThat(cogsShare).isBetween(0.18, 0.27);
    }

    @Test
    void healthy_customers_renew_far_more_often_than_at_risk_ones() {
        String outcomes = """
                WITH term_ends AS (
                    SELECT DISTINCT customer_id, end_date FROM fact_subscription WHERE end_date <= DATE '2025-12-31'
                ),
                outcomes AS (
                    SELECT EXISTS (SELECT 1 FROM fact_subscription next
                                   WHERE next.customer_id = e.customer_id AND next.start_date = e.end_date) AS renewed,
                           (SELECT arg_max(h.risk_band, h.scored_on) FROM fact_health_score h
                            WHERE h.customer_id = e.customer_id AND h.scored_on < e.end_date) AS band_at_renewal
                    FROM term_ends e
                )
                """;
        double healthy = number(outcomes + "SELECT avg(CAST(renewed AS INTEGER)) FROM outcomes WHERE band_at_renewal = 'HEALTHY'");
        double atRisk = number(outcomes + "SELECT avg(CAST(renewed AS INTEGER)) FROM outcomes WHERE band_at_renewal = 'AT_RISK'");
        assertThat(count(outcomes + "SELECT count(*) FROM outcomes WHERE band_at_renewal = 'AT_RISK'")).isGreaterThan(100);
        assertThat(healthy).isGreaterThan(0.9);
        assertThat(atRisk).isBetween(0.2, 0.6);
    }

    @Test
    void customers_in_success_plans_or_training_expand_more_often() {
        String rates = """
                WITH enrolled AS (
                    SELECT DISTINCT a.customer_id FROM fact_cs_activity a JOIN dim_cs_program p USING (program_id)
                    WHERE p.activity_type IN ('SUCCESS_PLAN', 'TRAINING')
                ),
                expanded AS (SELECT DISTINCT customer_id FROM fact_conversion WHERE deal_type = 'EXPANSION')
                SELECT avg(CASE WHEN expanded.customer_id IS NOT NULL THEN 1.0 ELSE 0.0 END)
                FROM dim_customer c
                LEFT JOIN enrolled USING (customer_id)
                LEFT JOIN expanded USING (customer_id)
                WHERE (enrolled.customer_id IS NOT NULL) = %s""";
        double enrolled = number(rates.formatted("true"));
        double others = number(rates.formatted("false"));
        assertThat(enrolled).isGreaterThan(2 * others);
        assertThat(others).isPositive();
    }

    @Test
    void renewals_and_expansions_are_deals_and_pipeline_matches_them() {
        assertThat(count("SELECT count(*) FROM fact_conversion WHERE deal_type = 'RENEWAL'")).isPositive();
        assertThat(count("SELECT count(*) FROM fact_conversion WHERE deal_type <> 'NEW_BUSINESS' AND journey_id IS NOT NULL")).isZero();
        assertThat(count("SELECT count(*) FROM fact_conversion WHERE deal_type = 'RENEWAL'"))
                .isEqualTo(count("SELECT count(*) FROM fact_renewal_pipeline WHERE kind = 'RENEWAL' AND stage = 'CLOSED_WON'"));
        assertThat(count("""
                SELECT count(*) FROM fact_renewal_pipeline
                WHERE stage IN ('CLOSED_WON', 'CLOSED_LOST') AND (closed_on IS NULL OR closed_on > DATE '2025-12-31')""")).isZero();
        assertThat(count("""
                SELECT count(*) FROM fact_renewal_pipeline
                WHERE stage NOT IN ('CLOSED_WON', 'CLOSED_LOST') AND (closed_on IS NOT NULL OR expected_close <= DATE '2025-12-31')""")).isZero();
        assertThat(count("SELECT count(*) FROM fact_renewal_pipeline WHERE kind = 'RENEWAL' AND stage NOT IN ('CLOSED_WON', 'CLOSED_LOST')")).isPositive();
        // Contraction: an add-on is dropped at a renewal while the customer stays.
        assertThat(count("""
                SELECT count(*) FROM fact_subscription s
                WHERE s.end_date <= DATE '2025-12-31'
                  AND NOT EXISTS (SELECT 1 FROM fact_subscription n WHERE n.customer_id = s.customer_id AND n.product_id = s.product_id AND n.start_date = s.end_date)
                  AND EXISTS (SELECT 1 FROM fact_subscription n WHERE n.customer_id = s.customer_id AND n.start_date = s.end_date)""")).isPositive();
    }

    @Test
    void invoices_of_a_fully_invoiced_term_add_up_to_its_contract_value() {
        assertThat(count("""
                SELECT count(*) FROM fact_subscription s
                JOIN dim_contract c USING (contract_id)
                JOIN (SELECT subscription_id, sum(amount) AS invoiced FROM fact_invoice GROUP BY ALL) i USING (subscription_id)
                WHERE s.end_date <= DATE '2025-12-31' AND i.invoiced <> c.committed_value""")).isZero();
        assertThat(count("SELECT count(*) FROM fact_subscription WHERE end_date <= DATE '2025-12-31'")).isGreaterThan(1_000);
        // SMB customers pay monthly, larger ones upfront.
        assertThat(number("""
                SELECT avg(invoices) FROM (
                    SELECT count(*) AS invoices FROM fact_invoice i JOIN fact_subscription s USING (subscription_id) JOIN dim_customer c ON c.customer_id = s.customer_id
                    WHERE c.segment = 'SMB' AND s.end_date <= DATE '2025-12-31' AND s.start_date + INTERVAL 12 MONTH = s.end_date GROUP BY subscription_id)""")).isEqualTo(12.0);
    }

    @Test
    void health_scores_are_monthly_and_banded_by_score() {
        assertThat(count("""
                SELECT count(*) FROM fact_health_score
                WHERE risk_band <> CASE WHEN health_score >= 70 THEN 'HEALTHY' WHEN health_score >= 40 THEN 'WATCH' ELSE 'AT_RISK' END""")).isZero();
        assertThat(count("SELECT count(*) FROM fact_health_score WHERE day(scored_on) <> 1")).isZero();
        assertThat(count("SELECT count(*) - count(DISTINCT (customer_id, scored_on)) FROM fact_health_score")).isZero();
        assertThat(count("SELECT count(DISTINCT risk_band) FROM fact_health_score")).isEqualTo(3);
    }

    @Test
    void most_journeys_do_not_convert() {
        long journeys = count("SELECT count(DISTINCT journey_id) FROM fact_touchpoint");
        long converting = count("SELECT count(DISTINCT journey_id) FROM fact_conversion");
        assertThat(converting).isPositive();
        assertThat(journeys - converting).isGreaterThan(converting);
        assertThat(count("SELECT count(*) FROM (SELECT journey_id FROM fact_touchpoint GROUP BY ALL HAVING count(*) > 8)")).isZero();
    }

    @Test
    void money_facts_use_at_least_three_currencies() {
        assertThat(count("WITH " + MONEY_ROWS + " SELECT count(DISTINCT currency_code) FROM money")).isGreaterThanOrEqualTo(3);
        assertThat(count("SELECT count(DISTINCT currency_code) FROM fact_spend")).isGreaterThanOrEqualTo(3);
    }

    @Test
    void data_spans_the_three_calendar_years() {
        assertThat(count("SELECT count(DISTINCT year(touched_at)) FROM fact_touchpoint")).isEqualTo(3);
        assertThat(count("SELECT min(year(touched_at)) FROM fact_touchpoint")).isEqualTo(2023);
        assertThat(count("""
                SELECT count(DISTINCT date_trunc('month', posting_date)) FROM fact_gl_actual
                WHERE posting_date BETWEEN DATE '2023-01-01' AND DATE '2025-12-31'""")).isEqualTo(36);
        assertThat(count("SELECT count(DISTINCT date_trunc('month', spend_date)) FROM fact_spend")).isEqualTo(36);
        assertThat(count("SELECT count(DISTINCT year(converted_at)) FROM fact_conversion")).isEqualTo(3);
    }

    private static long count(String sql) {
        return store.jdbi().withHandle(handle -> handle.createQuery(sql).mapTo(Long.class).one());
    }

    private static double number(String sql) {
        return store.jdbi().withHandle(handle -> handle.createQuery(sql).mapTo(Double.class).one());
    }
}
