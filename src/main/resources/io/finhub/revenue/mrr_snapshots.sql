-- Month-end MRR per customer and currency, and the movement that explains each month against the
-- previous one. A subscription counts in a month when it is active on the month's last day
-- (start_date <= month end < end_date, end_date exclusive). Movements are per customer, so a
-- customer cancelling one of several subscriptions contracts; only losing the last one is churn.
-- Months run from the first subscription to the last month the data covers (latest subscription
-- start or invoice date), so contracted-but-unknown renewals after the data ends do not read as churn.
CREATE OR REPLACE TABLE derived_mrr AS
WITH bounds AS (
    SELECT date_trunc('month', min(start_date)) AS first_month,
           date_trunc('month', greatest(max(start_date), (SELECT coalesce(max(invoice_date), max(start_date)) FROM fact_invoice))) AS last_month
    FROM fact_subscription
),
months AS (
    SELECT CAST(month AS DATE) AS month, CAST(month + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE) AS month_end
    FROM (SELECT unnest(generate_series(first_month, last_month, INTERVAL 1 MONTH)) AS month FROM bounds WHERE first_month IS NOT NULL)
),
-- A subscription is active at the end of every month from the month it starts in to the month before
-- the one its (exclusive) end date falls in: expanding those months is cheaper than a range join.
subscription_months AS (
    SELECT s.customer_id, s.currency_code, s.mrr,
           unnest(generate_series(date_trunc('month', s.start_date),
                                  least(coalesce(date_trunc('month', s.end_date) - INTERVAL 1 MONTH, b.last_month), b.last_month),
                                  INTERVAL 1 MONTH)) AS month
    FROM fact_subscription s CROSS JOIN bounds b
),
active AS (
    SELECT customer_id, currency_code, CAST(month AS DATE) AS month, sum(mrr) AS mrr
    FROM subscription_months
    GROUP BY ALL
),
firsts AS (
    SELECT customer_id, currency_code, min(month) AS first_month FROM active GROUP BY ALL
),
series AS (
    SELECT f.customer_id, f.currency_code, m.month, m.month_end, coalesce(a.mrr, 0) AS mrr
    FROM firsts f
    JOIN months m ON m.month >= f.first_month
    LEFT JOIN active a ON a.customer_id = f.customer_id AND a.currency_code = f.currency_code AND a.month = m.month
),
lagged AS (
    SELECT *,
           coalesce(lag(mrr) OVER history, 0) AS previous_mrr,
           lag(month_end) OVER history AS previous_month_end,
           coalesce(max(mrr) OVER (history ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) > 0 AS had_mrr_before
    FROM series
    WINDOW history AS (PARTITION BY customer_id, currency_code ORDER BY month)
)
SELECT customer_id, currency_code, month, month_end,
       coalesce(previous_month_end, CAST(month - INTERVAL 1 DAY AS DATE)) AS previous_month_end,
       CAST(mrr AS DECIMAL(18, 2)) AS mrr,
       CAST(previous_mrr AS DECIMAL(18, 2)) AS previous_mrr,
       CASE WHEN previous_mrr = 0 AND mrr > 0 AND NOT had_mrr_before THEN 'NEW'
            WHEN previous_mrr = 0 AND mrr > 0 THEN 'REACTIVATION'
            WHEN previous_mrr > 0 AND mrr = 0 THEN 'CHURN'
            WHEN mrr > previous_mrr THEN 'EXPANSION'
            WHEN mrr < previous_mrr THEN 'CONTRACTION'
            ELSE 'FLAT' END AS movement
FROM lagged
WHERE mrr > 0 OR previous_mrr > 0;
