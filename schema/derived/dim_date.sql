-- The date dimension, rebuilt at every start because its fiscal columns follow the configured
-- fiscal start month (variable fiscal_shift_months = (13 - start month) % 12).
-- Fiscal years are named after the calendar year in which they end: with a July start,
-- FY2025 runs from 2024-07-01 to 2025-06-30.
CREATE OR REPLACE TABLE dim_date AS
WITH days AS (
    SELECT CAST(d AS DATE) AS date_key,
           CAST(d + to_months(getvariable('fiscal_shift_months')) AS DATE) AS shifted
    FROM range(DATE '2015-01-01', DATE '2036-01-01', INTERVAL 1 DAY) AS t(d)
)
SELECT date_key,
       year(date_key)                                   AS calendar_year,
       quarter(date_key)                                AS calendar_quarter,
       month(date_key)                                  AS calendar_month,
       monthname(date_key)                              AS month_name,
       isoyear(date_key)                                AS iso_year,
       week(date_key)                                   AS iso_week,
       isodow(date_key)                                 AS iso_day_of_week,
       isodow(date_key) >= 6                            AS is_weekend,
       CAST(date_trunc('week', date_key) AS DATE)       AS week_start,
       CAST(date_trunc('month', date_key) AS DATE)      AS month_start,
       year(shifted)                                    AS fiscal_year,
       quarter(shifted)                                 AS fiscal_quarter,
       month(shifted)                                   AS fiscal_month,
       CAST(date_trunc('quarter', shifted) - to_months(getvariable('fiscal_shift_months')) AS DATE) AS fiscal_quarter_start,
       CAST(date_trunc('year', shifted) - to_months(getvariable('fiscal_shift_months')) AS DATE)    AS fiscal_year_start
FROM days;
