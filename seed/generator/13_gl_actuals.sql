-- General-ledger actuals, one line per month, entity, department, account (and product where it
-- matters), posted on the month's last day in the currency of the entity that booked it.
--   * Spend is booked as it was incurred: each department's expense accounts 6100..6400 equal its
--     fact_spend of the month by cost type, so budget-vs-actual and spend analyses agree.
--   * Revenue: recognised subscription (4000) and onboarding (4100) revenue, booked by the sales
--     organisation per product and billing currency.
--   * COGS: hosting about 12 % and support about 10.5 % of each entity's revenue.
--   * Everything else (sales and G&A payroll, tools, travel, rent, fees) scales with company
--     revenue, split 70/15/15 over the US, UK and German entities.

INSERT INTO fact_gl_actual
SELECT 'GL-' || strftime(month_start, '%Y%m') || '-' || e.entity_id || '-' || department_id || '-' || account_id
           || coalesce('-' || replace(product_id, 'PRD-', ''), '') || '-' || currency_code,
       e.entity_id, last_day(month_start), department_id, account_id, NULL, product_id, amount, currency_code,
       'Spend accrual'
FROM (
    SELECT CAST(date_trunc('month', s.spend_date) AS DATE) AS month_start, s.department_id, a.account_id, s.product_id, s.currency_code,
           sum(s.amount) AS amount
    FROM fact_spend s
    JOIN dim_gl_account a ON a.cost_type = s.cost_type AND a.account_type = 'EXPENSE'
    GROUP BY ALL
) spend
JOIN seed_currency_entity e USING (currency_code);

INSERT INTO fact_gl_actual
SELECT 'GL-' || strftime(month_start, '%Y%m') || '-' || entity_id || '-SAL-AE-' || account_id || '-' || replace(product_id, 'PRD-', '') || '-' || currency_code,
       entity_id, last_day(month_start), 'SAL-AE', account_id, NULL, product_id, amount, currency_code,
       CASE account_id WHEN '4000' THEN 'Subscription revenue recognised' ELSE 'Onboarding services recognised' END
FROM seed_revenue_month
WHERE amount > 0;

-- Each entity's revenue in its functional currency, at month-end rates.
CREATE TEMP TABLE seed_entity_revenue AS
SELECT m.month_start, m.entity_id, ent.functional_currency,
       sum(CAST(m.amount * CAST(source.usd_rate AS DOUBLE) / CAST(target.usd_rate AS DOUBLE) AS DECIMAL(18, 2))) AS revenue
FROM seed_revenue_month m
JOIN dim_entity ent USING (entity_id)
JOIN seed_usd_rate source ON source.rate_date = last_day(m.month_start) AND source.currency_code = m.currency_code
JOIN seed_usd_rate target ON target.rate_date = last_day(m.month_start) AND target.currency_code = ent.functional_currency
GROUP BY ALL;

INSERT INTO fact_gl_actual
SELECT 'GL-' || strftime(r.month_start, '%Y%m') || '-' || r.entity_id || '-' || c.department_id || '-' || c.account_id || '-' || r.functional_currency,
       r.entity_id, last_day(r.month_start), c.department_id, c.account_id, NULL, NULL,
       CAST(r.revenue * seed_between2(r.entity_id || c.account_id, r.month_start, 'cogs', c.low, c.high) AS DECIMAL(18, 2)),
       r.functional_currency, c.description
FROM seed_entity_revenue r
CROSS JOIN (VALUES ('ENG-PLATFORM', '5000', 0.105, 0.135, 'Cloud hosting'),
                   ('CS-SUPPORT',   '5100', 0.090, 0.120, 'Support team')) AS c (department_id, account_id, low, high, description);

INSERT INTO fact_gl_actual
WITH plan (department_id, account_id, revenue_share) AS (
    VALUES ('SAL-AE',       '6300', 0.130), ('SAL-AE',       '6400', 0.010), ('SAL-AE',       '6500', 0.012), ('SAL-AE',       '6600', 0.008),
           ('SAL-SDR',      '6300', 0.045), ('SAL-SDR',      '6400', 0.006), ('SAL-SDR',      '6600', 0.003),
           ('ENG-PLATFORM', '6300', 0.040), ('ENG-PLATFORM', '6400', 0.015), ('ENG-PLATFORM', '6600', 0.004),
           ('CS-SUPPORT',   '6400', 0.006), ('CS-SUPPORT',   '6600', 0.003),
           ('GA-FINANCE',   '6300', 0.030), ('GA-FINANCE',   '6400', 0.008), ('GA-FINANCE',   '6600', 0.004), ('GA-FINANCE', '6700', 0.012),
           ('GA-PEOPLE',    '6300', 0.025), ('GA-PEOPLE',    '6400', 0.004), ('GA-PEOPLE',    '6600', 0.010), ('GA-PEOPLE',  '6700', 0.008),
           ('MKT-DEMAND',   '6500', 0.002), ('MKT-DEMAND',   '6600', 0.002),
           ('MKT-CONTENT',  '6500', 0.001), ('MKT-CONTENT',  '6600', 0.002),
           ('MKT-FIELD',    '6500', 0.004), ('MKT-FIELD',    '6600', 0.002),
           ('CS-CSM',       '6500', 0.002), ('CS-CSM',       '6600', 0.002),
           ('ENG-PRODUCT',  '6500', 0.001), ('ENG-PRODUCT',  '6600', 0.006)
),
entities (entity_id, entity_share) AS (
    VALUES ('US01', 0.70), ('UK01', 0.15), ('DE01', 0.15)
)
SELECT 'GL-' || strftime(r.month_start, '%Y%m') || '-' || e.entity_id || '-' || p.department_id || '-' || p.account_id || '-' || ent.functional_currency,
       e.entity_id, last_day(r.month_start), p.department_id, p.account_id, NULL, NULL,
       CAST(r.revenue_usd * p.revenue_share * e.entity_share / CAST(rate.usd_rate AS DOUBLE)
            * seed_between2(e.entity_id || p.department_id || p.account_id, r.month_start, 'opex', 0.96, 1.04) AS DECIMAL(18, 2)),
       ent.functional_currency, a.account_name
FROM seed_company_revenue r
CROSS JOIN plan p
CROSS JOIN entities e
JOIN dim_entity ent ON ent.entity_id = e.entity_id
JOIN dim_gl_account a ON a.account_id = p.account_id
JOIN seed_usd_rate rate ON rate.rate_date = last_day(r.month_start) AND rate.currency_code = ent.functional_currency;
