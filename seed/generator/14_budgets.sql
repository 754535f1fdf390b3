-- Budgets in US dollars by month, department, account and product: the ORIGINAL plan for
-- 2023..2025 and a REFORECAST of 2025. The plan lands within a few percent of the actuals
-- (converted at posting-date rates) in most months, but about one department-month in twelve
-- overspends its plan by 14..30 %, and about one month in five misses its revenue target by
-- 6..12 %. The reforecast is within 1.5 % of the actuals.

CREATE TEMP TABLE seed_actual_usd AS
SELECT CAST(date_trunc('month', g.posting_date) AS DATE) AS budget_month, g.department_id, g.account_id, a.account_type, g.product_id,
       sum(seed_in_usd(g.amount, r.usd_rate)) AS actual_usd
FROM fact_gl_actual g
JOIN dim_gl_account a USING (account_id)
JOIN seed_usd_rate r ON r.rate_date = g.posting_date AND r.currency_code = g.currency_code
GROUP BY ALL;

INSERT INTO fact_budget
WITH factors AS (
    SELECT *,
           CASE WHEN account_type = 'REVENUE' THEN
                    CASE WHEN seed_unit2('revenue-target', budget_month, 'miss') < 0.20
                         THEN seed_between2('revenue-target', budget_month, 'missed-by', 1.07, 1.14)
                         ELSE seed_between2('revenue-target', budget_month, 'on-target', 0.97, 1.035) END
                ELSE
                    CASE WHEN seed_unit2(department_id, budget_month, 'overrun') < 0.08
                         THEN seed_between2(department_id, budget_month, 'overrun-size', 0.77, 0.88)
                         ELSE seed_between2(department_id, budget_month, 'on-plan', 0.97, 1.06) END
                    * seed_between2(department_id || account_id || coalesce(product_id, ''), budget_month, 'line', 0.99, 1.01)
           END AS plan_factor
    FROM seed_actual_usd
)
SELECT 'ORIGINAL', budget_month, department_id, account_id, NULL, product_id,
       CAST(round(actual_usd * plan_factor) AS DECIMAL(18, 2)), 'USD'
FROM factors
UNION ALL
SELECT 'REFORECAST', budget_month, department_id, account_id, NULL, product_id,
       CAST(round(actual_usd * seed_between2(department_id || account_id || coalesce(product_id, ''), budget_month, 'reforecast', 0.985, 1.015))
            AS DECIMAL(18, 2)), 'USD'
FROM factors
WHERE budget_month >= DATE '2025-01-01';
