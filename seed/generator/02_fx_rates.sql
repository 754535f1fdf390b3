-- Daily FX rates for every ordered pair of distinct currencies, 2022-01-01 .. 2026-12-31 (a year
-- either side of the company's data: the installed base's contracts started in 2022, open
-- pipeline closes in 2026). Each currency follows a smooth curve in US dollars; cross rates are
-- derived from those curves, so every triangle of rates agrees.

CREATE TEMP TABLE seed_usd_rate AS
WITH days AS (
    SELECT CAST(d AS DATE) AS rate_date,
           datediff('day', DATE '2022-01-01', CAST(d AS DATE)) AS n
    FROM range(DATE '2022-01-01', DATE '2027-01-01', INTERVAL 1 DAY) AS t(d)
),
curves (currency_code, level, swing, swing_days, phase, ripple, ripple_days) AS (
    VALUES ('EUR', 1.080, 0.040, 700.0, 0.9, 0.012, 151.0),
           ('GBP', 1.265, 0.045, 820.0, 2.2, 0.015, 173.0),
           ('CAD', 0.742, 0.018, 640.0, 4.0, 0.007, 127.0)
)
SELECT rate_date, currency_code,
       CAST(level + swing * sin(2 * pi() * n / swing_days + phase)
                  + ripple * sin(2 * pi() * n / ripple_days + 3 * phase)
                  + 0.003 * sin(2 * pi() * n / 29.0 + phase) AS DECIMAL(18, 8)) AS usd_rate
FROM days CROSS JOIN curves
UNION ALL
SELECT rate_date, 'USD', CAST(1 AS DECIMAL(18, 8)) FROM days;

INSERT INTO fact_fx_rate
SELECT base.rate_date, base.currency_code, quote.currency_code,
       CAST(CAST(base.usd_rate AS DOUBLE) / CAST(quote.usd_rate AS DOUBLE) AS DECIMAL(18, 8))
FROM seed_usd_rate base
JOIN seed_usd_rate quote ON quote.rate_date = base.rate_date AND quote.currency_code <> base.currency_code;
