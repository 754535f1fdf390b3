-- Month-end MRR per customer and currency, and the movement that explains each month against the
-- previous one. A subscription counts in a month when it is active on the month's last day
-- (start_date <= month end < end_date, end_date exclusive). Movements are per customer, over all the
-- customer's currencies: a customer cancelling one of several subscriptions contracts; only losing
-- the last one is churn, so moving to another billing currency is expansion or contraction, not churn
-- and new. A continuing customer is classified on its change in MRR with both months converted at
-- this month end's rate (reporting_currency), the rate every movement is reported at, so a rate change
-- is never expansion or contraction and the movement lines add up to exactly what is classified.
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
-- The first month each customer and currency pays: a free (MRR 0) subscription before it is no
-- customer yet, so its first paid month is NEW, not REACTIVATION.
firsts AS (
    SELECT customer_id, currency_code, min(month) AS first_month FROM active WHERE mrr > 0 GROUP BY ALL
),
series AS (
    SELECT f.customer_id, f.currency_code, m.month, m.month_end, coalesce(a.mrr, 0) AS mrr
    FROM firsts f
    JOIN months m ON m.month >= f.first_month
    LEFT JOIN active a ON a.customer_id = f.customer_id AND a.currency_code = f.currency_code AND a.month = m.month
),
lagged AS (
    SELECT *,
           coalesce(lag(mrr) OVER (PARTITION BY customer_id, currency_code ORDER BY month), 0) AS previous_mrr,
           lag(month_end) OVER (PARTITION BY customer_id, currency_code ORDER BY month) AS previous_month_end
    FROM series
),
-- The customer's month over all its currencies. delta_rc is the sum of the rounded per-currency changes
-- at this month end's rate, as the bridge and the catalog convert them; it is NULL when a rate it needs
-- is missing, and that month's bridge then fails naming the rate, so the native change stands in.
customer_months AS (
    SELECT l.customer_id, l.month,
           sum(l.mrr) > 0 AS active,
           sum(l.previous_mrr) > 0 AS previously_active,
           l.month > min(cf.first_month) AS had_mrr_before,
           sum(CASE WHEN l.currency_code = getvariable('reporting_currency') OR l.mrr = l.previous_mrr THEN l.mrr - l.previous_mrr
                    ELSE round(CAST(l.mrr - l.previous_mrr AS DECIMAL(38, 2)) * fx.rate, 2) END) AS delta_rc,
           sum(l.mrr - l.previous_mrr) AS native_delta
    FROM lagged l
    JOIN (SELECT customer_id, min(first_month) AS first_month FROM firsts GROUP BY ALL) cf ON cf.customer_id = l.customer_id
    LEFT JOIN fact_fx_rate fx ON fx.rate_date = l.month_end AND fx.from_currency = l.currency_code
                             AND fx.to_currency = getvariable('reporting_currency')
    GROUP BY l.customer_id, l.month
),
classified AS (
    SELECT customer_id, month, active, previously_active,
           CASE WHEN NOT previously_active AND active AND NOT had_mrr_before THEN 'NEW'
                WHEN NOT previously_active AND active THEN 'REACTIVATION'
                WHEN previously_active AND NOT active THEN 'CHURN'
                WHEN coalesce(delta_rc, native_delta) > 0 THEN 'EXPANSION'
                WHEN coalesce(delta_rc, native_delta) < 0 THEN 'CONTRACTION'
                ELSE 'FLAT' END AS movement
    FROM customer_months
)
SELECT l.customer_id, l.currency_code, l.month, l.month_end,
       coalesce(l.previous_month_end, CAST(l.month - INTERVAL 1 DAY AS DATE)) AS previous_month_end,
       CAST(l.mrr AS DECIMAL(18, 2)) AS mrr,
       CAST(l.previous_mrr AS DECIMAL(18, 2)) AS previous_mrr,
       c.movement,
       -- One row per customer and month carries the customer's counts, so they add up over currencies.
       row_number() OVER (PARTITION BY l.customer_id, l.month ORDER BY l.currency_code) = 1 AS counts_customer,
       c.active AS customer_active,
       c.previously_active AS customer_previously_active
FROM lagged l
JOIN classified c ON c.customer_id = l.customer_id AND c.month = l.month
WHERE l.mrr > 0 OR l.previous_mrr > 0;
