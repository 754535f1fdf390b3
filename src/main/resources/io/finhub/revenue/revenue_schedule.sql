-- Ratable (over-time) recognition of every invoice, ASC 606 / IFRS 15 style: each invoice's amount
-- is spread over its service period in proportion to the days of each month it covers.
-- Allocation is in whole cents with the largest-remainder method, so the months of an invoice add
-- up to the invoice exactly, in the original currency and in the reporting currency (converted once,
-- at the invoice date's rate, and then allocated).
CREATE OR REPLACE TABLE derived_revenue_schedule AS
WITH invoices AS (
    SELECT i.invoice_id, i.customer_id, i.subscription_id, i.invoice_date, i.service_start, i.service_end, i.currency_code,
           CAST(i.amount * 100 AS HUGEINT) AS cents,
           CAST(CASE WHEN i.currency_code = getvariable('reporting_currency') THEN i.amount
                     ELSE coalesce(round(CAST(i.amount AS DECIMAL(38, 2)) * fx.rate, 2),
                                   error('FINHUB_MISSING_FX_RATE|' || i.currency_code || '|' || getvariable('reporting_currency') || '|' || CAST(i.invoice_date AS VARCHAR)))
                END * 100 AS HUGEINT) AS reporting_cents,
           date_diff('day', i.service_start, i.service_end) + 1 AS total_days
    FROM fact_invoice i
    LEFT JOIN fact_fx_rate fx ON fx.rate_date = i.invoice_date AND fx.from_currency = i.currency_code AND fx.to_currency = getvariable('reporting_currency')
),
months AS (
    SELECT *, unnest(generate_series(date_trunc('month', service_start), date_trunc('month', service_end), INTERVAL 1 MONTH)) AS month_start
    FROM invoices
),
days AS (
    SELECT *, date_diff('day', greatest(service_start, CAST(month_start AS DATE)),
                        least(service_end, CAST(month_start + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE))) + 1 AS days_in_month
    FROM months
),
shares AS (
    SELECT *,
           abs(cents) * days_in_month // total_days AS base_cents,
           abs(cents) * days_in_month % total_days AS remainder_weight,
           abs(reporting_cents) * days_in_month // total_days AS reporting_base_cents,
           abs(reporting_cents) * days_in_month % total_days AS reporting_remainder_weight
    FROM days
),
ranked AS (
    SELECT *,
           row_number() OVER (PARTITION BY invoice_id ORDER BY remainder_weight DESC, month_start) AS remainder_rank,
           abs(cents) - sum(base_cents) OVER (PARTITION BY invoice_id) AS leftover,
           row_number() OVER (PARTITION BY invoice_id ORDER BY reporting_remainder_weight DESC, month_start) AS reporting_remainder_rank,
           abs(reporting_cents) - sum(reporting_base_cents) OVER (PARTITION BY invoice_id) AS reporting_leftover
    FROM shares
)
SELECT invoice_id, customer_id, subscription_id, invoice_date,
       CAST(month_start AS DATE) AS recognition_month,
       days_in_month,
       total_days,
       CAST(CAST(sign(cents) * (base_cents + CASE WHEN remainder_rank <= leftover THEN 1 ELSE 0 END) AS DECIMAL(20, 0)) * 0.01 AS DECIMAL(18, 2)) AS amount,
       currency_code,
       CAST(CAST(sign(reporting_cents) * (reporting_base_cents + CASE WHEN reporting_remainder_rank <= reporting_leftover THEN 1 ELSE 0 END) AS DECIMAL(20, 0)) * 0.01
            AS DECIMAL(18, 2)) AS reporting_amount,
       getvariable('reporting_currency') AS reporting_currency
FROM ranked;

-- The schedule added up per month: invoiced (by invoice month) and recognised (by recognition
-- month), both in the reporting currency. An invoice's months add up to its converted amount to the
-- cent, so invoiced here equals the invoices converted one by one at their invoice dates' rates.
-- Every month from the first invoiced or recognised to the last has a row, a quiet month with zeros,
-- so its deferred balance is reported, as the MRR bridge reports every month of its series.
CREATE OR REPLACE TABLE derived_revenue_month AS
WITH invoiced AS (
    SELECT CAST(date_trunc('month', invoice_date) AS DATE) AS month, sum(reporting_amount) AS invoiced
    FROM derived_revenue_schedule
    GROUP BY ALL
),
recognized AS (
    SELECT recognition_month AS month, sum(reporting_amount) AS recognized
    FROM derived_revenue_schedule
    GROUP BY ALL
),
bounds AS (
    SELECT min(month) AS first_month, max(month) AS last_month
    FROM (SELECT month FROM invoiced UNION ALL SELECT month FROM recognized)
),
calendar AS (
    SELECT CAST(unnest(generate_series(first_month, last_month, INTERVAL 1 MONTH)) AS DATE) AS month
    FROM bounds
    WHERE first_month IS NOT NULL
)
SELECT c.month,
       CAST(coalesce(i.invoiced, 0) AS DECIMAL(38, 2)) AS invoiced,
       CAST(coalesce(r.recognized, 0) AS DECIMAL(38, 2)) AS recognized
FROM calendar c
LEFT JOIN invoiced i ON i.month = c.month
LEFT JOIN recognized r ON r.month = c.month;
