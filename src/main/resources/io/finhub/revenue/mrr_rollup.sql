-- The MRR bridge pre-added: derived_mrr (one row per customer, currency and month) summed per month,
-- currency and movement, once for the whole company and once per customer breakdown (segment,
-- region, industry, acquisition channel), with every amount already in the reporting currency.
-- Each customer's amounts are converted first and then added (round(mrr × rate, 2) per row), so the
-- bridge read from here equals the bridge added up from derived_mrr to the cent. A conversion whose
-- rate is missing leaves its sum NULL and records the day it needed, so a query over that month can
-- name the missing rate (and a query over other months is not blocked by it). Customers are counted on
-- the one row per customer and month that derived_mrr marks, so a customer billed in two currencies
-- counts once.
CREATE OR REPLACE TABLE derived_mrr_rollup AS
WITH converted AS (
    SELECT f.month, f.currency_code, f.movement, f.month_end, f.previous_month_end,
           cu.segment, cu.region, cu.industry, cu.acquisition_channel_id AS channel,
           f.mrr, f.previous_mrr, f.counts_customer, f.customer_active, f.customer_previously_active,
           CASE WHEN f.currency_code = getvariable('reporting_currency') OR f.mrr = 0 THEN f.mrr
                ELSE round(CAST(f.mrr AS DECIMAL(38, 2)) * fx.rate, 2) END AS closing_rc,
           CASE WHEN f.currency_code = getvariable('reporting_currency') OR f.mrr = f.previous_mrr THEN f.mrr - f.previous_mrr
                ELSE round(CAST(f.mrr - f.previous_mrr AS DECIMAL(38, 2)) * fx.rate, 2) END AS delta_rc,
           CASE WHEN f.currency_code = getvariable('reporting_currency') OR f.previous_mrr = 0 THEN f.previous_mrr
                ELSE round(CAST(f.previous_mrr AS DECIMAL(38, 2)) * fx0.rate, 2) END AS opening_rc
    FROM derived_mrr f
    LEFT JOIN dim_customer cu ON cu.customer_id = f.customer_id
    LEFT JOIN fact_fx_rate fx ON fx.rate_date = f.month_end AND fx.from_currency = f.currency_code
                             AND fx.to_currency = getvariable('reporting_currency')
    LEFT JOIN fact_fx_rate fx0 ON fx0.rate_date = f.previous_month_end AND fx0.from_currency = f.currency_code
                              AND fx0.to_currency = getvariable('reporting_currency')
)
SELECT month, currency_code, movement,
       CASE grouping(segment, region, industry, channel)
            WHEN 15 THEN 'NONE' WHEN 7 THEN 'SEGMENT' WHEN 11 THEN 'REGION' WHEN 13 THEN 'INDUSTRY' ELSE 'CHANNEL' END AS breakdown,
       CAST(coalesce(segment, region, industry, channel) AS VARCHAR) AS grp,
       CAST(sum(opening_rc) AS DECIMAL(38, 2)) AS opening,
       CAST(sum(delta_rc) AS DECIMAL(38, 2)) AS delta,
       CAST(sum(closing_rc) AS DECIMAL(38, 2)) AS closing,
       min(month_end) FILTER (WHERE closing_rc IS NULL OR delta_rc IS NULL) AS missing_rate_on,
       min(previous_month_end) FILTER (WHERE opening_rc IS NULL) AS missing_opening_rate_on,
       count(*) FILTER (WHERE counts_customer AND customer_active) AS customers,
       count(*) FILTER (WHERE counts_customer AND customer_previously_active) AS opening_customers,
       count(*) FILTER (WHERE counts_customer) AS movers
FROM converted
GROUP BY GROUPING SETS ((month, currency_code, movement),
                        (month, currency_code, movement, segment),
                        (month, currency_code, movement, region),
                        (month, currency_code, movement, industry),
                        (month, currency_code, movement, channel));
