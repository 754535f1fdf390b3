-- CS programme cost in a period: programme spend (fact_spend rows with a programme), in the
-- reporting currency at each row's own date's rate.
SELECT s.program_id,
       sum(CASE WHEN s.currency_code = :reporting_currency OR s.amount = 0 THEN s.amount
                ELSE coalesce(CAST(round(CAST(s.amount AS DECIMAL(38, 2)) * fx.rate, 2) AS DECIMAL(18, 2)),
                              error('FINHUB_MISSING_FX_RATE|' || s.currency_code || '|' || :reporting_currency || '|' || CAST(s.spend_date AS VARCHAR))) END) AS cost
FROM fact_spend s
LEFT JOIN fact_fx_rate fx ON fx.rate_date = s.spend_date AND fx.from_currency = s.currency_code AND fx.to_currency = :reporting_currency
WHERE s.program_id IS NOT NULL AND s.spend_date BETWEEN :range_from AND :range_to
GROUP BY s.program_id
