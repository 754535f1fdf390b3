-- Spend: campaigns, customer-success programmes and product development.
--
-- A campaign's spend is sized from the new-business ACV its last touches won, times an efficiency
-- drawn per campaign around its channel's (email and partners are cheap, display and paid social
-- dear), with a floor cost per touch. So campaign ROI ranges from clearly negative to several
-- hundred percent. The spend is spread over the campaign's days (less at weekends) and the
-- channel's cost types, in the campaign's currency.
-- Programme spend is the month's CS activity cost (personnel) plus tooling and training material;
-- product development costs about a fifth of recognised revenue, partly in the German entity.

-- Recognised revenue by month: subscription terms and onboarding packages earn their value
-- evenly over their days.
CREATE TEMP TABLE seed_revenue_month AS
WITH items AS (
    SELECT billing_currency AS currency_code, product_id, '4000' AS account_id, start_date, end_date, term_value AS item_value
    FROM seed_subscription
    UNION ALL
    SELECT currency_code, product_id, '4100', service_start, service_end + 1, amount
    FROM seed_invoice
    WHERE subscription_id IS NULL
),
months AS (
    SELECT *,
           CAST(unnest(generate_series(CAST(date_trunc('month', start_date) AS TIMESTAMP), CAST(end_date - 1 AS TIMESTAMP), INTERVAL 1 MONTH)) AS DATE) AS month_start
    FROM items
),
earned AS (
    SELECT currency_code, product_id, account_id, month_start,
           CAST(item_value * (least(end_date, CAST(month_start + INTERVAL 1 MONTH AS DATE)) - greatest(start_date, month_start))
                / (end_date - start_date) AS DECIMAL(18, 2)) AS amount
    FROM months
    WHERE month_start BETWEEN DATE '2023-01-01' AND DATE '2025-12-01'
)
SELECT month_start, e.entity_id, currency_code, product_id, account_id, sum(amount) AS amount
FROM earned
JOIN seed_currency_entity e USING (currency_code)
GROUP BY ALL;

-- The company's recognised revenue per month in US dollars, at month-end rates.
CREATE TEMP TABLE seed_company_revenue AS
SELECT m.month_start, sum(seed_in_usd(m.amount, r.usd_rate)) AS revenue_usd
FROM seed_revenue_month m
JOIN seed_usd_rate r ON r.rate_date = last_day(m.month_start) AND r.currency_code = m.currency_code
GROUP BY m.month_start;

CREATE TEMP TABLE seed_campaign_budget AS
WITH attributed AS (
    SELECT cu.acquisition_campaign_id AS campaign_id, sum(seed_in_usd(cv.amount, r.usd_rate)) AS revenue_usd
    FROM fact_conversion cv
    JOIN dim_customer cu USING (customer_id)
    JOIN seed_usd_rate r ON r.rate_date = CAST(cv.converted_at AS DATE) AND r.currency_code = cv.currency_code
    WHERE cv.deal_type = 'NEW_BUSINESS' AND cu.acquisition_campaign_id IS NOT NULL
    GROUP BY ALL
),
touched AS (
    SELECT campaign_id, count(*) AS touches FROM fact_touchpoint WHERE campaign_id IS NOT NULL GROUP BY ALL
),
sized AS (
    SELECT c.campaign_id, c.department_id, c.channel_id, c.currency_code, c.quarter_start, c.quarter_end,
           plan.media_pct, plan.creative_pct, plan.personnel_pct, plan.technology_pct,
           greatest(coalesce(a.revenue_usd, 0)
                        * greatest(0.15, least(1.8, plan.efficiency * seed_between2(c.campaign_id, 0, 'efficiency', 0.45, 1.55))),
                    coalesce(t.touches, 0) * plan.cost_per_touch) AS total_usd
    FROM seed_campaign c
    JOIN seed_channel_plan plan USING (channel_id)
    LEFT JOIN attributed a USING (campaign_id)
    LEFT JOIN touched t USING (campaign_id)
)
SELECT sized.*, CAST(total_usd / r.usd_rate AS DECIMAL(18, 2)) AS total
FROM sized
JOIN seed_usd_rate r ON r.rate_date = sized.quarter_start AND r.currency_code = sized.currency_code;

INSERT INTO fact_spend
WITH days AS (
    SELECT b.*, CAST(d AS DATE) AS spend_date,
           CASE WHEN isodow(d) >= 6 THEN 10 + seed_bucket2(b.campaign_id, CAST(d AS DATE), 'spend-day', 20)
                ELSE 40 + seed_bucket2(b.campaign_id, CAST(d AS DATE), 'spend-day', 80) END AS day_weight
    FROM seed_campaign_budget b,
         range(CAST(b.quarter_start AS TIMESTAMP), CAST(b.quarter_end AS TIMESTAMP) + INTERVAL 1 DAY, INTERVAL 1 DAY) AS t (d)
),
weighted AS (
    SELECT *, sum(day_weight) OVER (PARTITION BY campaign_id) AS campaign_weight FROM days
),
typed AS (
    SELECT w.*, cost.cost_type,
           CASE cost.cost_type WHEN 'MEDIA' THEN media_pct WHEN 'CREATIVE' THEN creative_pct
                               WHEN 'PERSONNEL' THEN personnel_pct ELSE technology_pct END AS type_pct
    FROM weighted w
    CROSS JOIN (VALUES ('MEDIA'), ('CREATIVE'), ('PERSONNEL'), ('TECHNOLOGY')) AS cost (cost_type)
)
SELECT 'SPD-' || substr(campaign_id, 5) || '-' || strftime(spend_date, '%Y%m%d') || '-' || cost_type,
       spend_date, department_id, channel_id, campaign_id, NULL, NULL, cost_type,
       CAST(total * day_weight * type_pct / (campaign_weight * 100.0) AS DECIMAL(18, 2)),
       currency_code
FROM typed
WHERE type_pct > 0 AND total > 0;

INSERT INTO fact_spend
WITH monthly AS (
    SELECT a.program_id, p.department_id, CAST(date_trunc('month', a.occurred_on) AS DATE) AS spend_date, a.currency_code,
           sum(a.cost) AS personnel
    FROM fact_cs_activity a
    JOIN dim_cs_program p USING (program_id)
    GROUP BY ALL
),
typed AS (
    SELECT monthly.*, cost.cost_type,
           CAST(CASE cost.cost_type WHEN 'PERSONNEL' THEN personnel
                                    WHEN 'TECHNOLOGY' THEN personnel * 0.15
                                    WHEN 'CREATIVE' THEN CASE WHEN program_id = 'CSP-TRAINING' THEN personnel * 0.20 ELSE 0 END END
                AS DECIMAL(18, 2)) AS amount
    FROM monthly
    CROSS JOIN (VALUES ('PERSONNEL'), ('TECHNOLOGY'), ('CREATIVE')) AS cost (cost_type)
)
SELECT 'SPD-' || replace(program_id, 'CSP-', 'CS-') || '-' || strftime(spend_date, '%Y%m') || '-' || currency_code || '-' || cost_type,
       spend_date, department_id, NULL, NULL, program_id, NULL, cost_type, amount, currency_code
FROM typed
WHERE amount > 0;

INSERT INTO fact_spend
WITH weights (product_id, weight_pct) AS (
    VALUES ('PRD-CORE', 50), ('PRD-PLAN', 25), ('PRD-CONNECT', 15), ('PRD-AI', 10)
),
monthly AS (
    -- Development starts nine months before a launch.
    SELECT r.month_start, w.product_id,
           r.revenue_usd * 0.20 * w.weight_pct / 100.0 * seed_between2(w.product_id, r.month_start, 'development', 0.92, 1.08) AS total_usd
    FROM seed_company_revenue r
    CROSS JOIN weights w
    JOIN dim_product p USING (product_id)
    WHERE r.month_start >= CAST(p.launch_date - INTERVAL 9 MONTH AS DATE)
),
split (currency_code, currency_share, cost_type, type_share) AS (
    VALUES ('USD', 0.70, 'PERSONNEL', 0.80), ('USD', 0.70, 'TECHNOLOGY', 0.20),
           ('EUR', 0.30, 'PERSONNEL', 0.85), ('EUR', 0.30, 'TECHNOLOGY', 0.15)
)
SELECT 'SPD-' || replace(m.product_id, 'PRD-', 'DEV-') || '-' || strftime(m.month_start, '%Y%m') || '-' || s.currency_code || '-' || s.cost_type,
       m.month_start, 'ENG-PRODUCT', NULL, NULL, NULL, m.product_id, s.cost_type,
       CAST(m.total_usd * s.currency_share * s.type_share / CAST(r.usd_rate AS DOUBLE) AS DECIMAL(18, 2)),
       s.currency_code
FROM monthly m
CROSS JOIN split s
JOIN seed_usd_rate r ON r.rate_date = m.month_start AND r.currency_code = s.currency_code;
