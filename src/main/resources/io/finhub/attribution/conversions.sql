-- Every conversion with its value in the reporting currency, converted at the conversion day's
-- rate (a missing rate fails the build, naming it), and the number of touches on its path; the
-- conversions of the build's input_conversion view.
CREATE OR REPLACE TEMP TABLE stage_conversion AS
WITH counted AS (
    SELECT conversion_id, max(touch_count) AS touch_count
    FROM stage_touch
    GROUP BY conversion_id
)
SELECT getvariable('attribution_build_id') AS build_id, c.conversion_id, c.journey_id, c.customer_id, c.product_id, c.deal_type, c.converted_at,
       c.amount, c.currency_code,
       CASE WHEN c.currency_code = getvariable('attribution_reporting_currency') THEN c.amount
            WHEN c.amount = 0 THEN c.amount
            ELSE coalesce(CAST(round(CAST(c.amount AS DECIMAL(38, 2)) * fx.rate, 2) AS DECIMAL(18, 2)),
                          error('FINHUB_MISSING_FX_RATE|' || c.currency_code || '|' || getvariable('attribution_reporting_currency') || '|'
                                || CAST(CAST(c.converted_at AS DATE) AS VARCHAR))) END AS amount_reporting,
       coalesce(n.touch_count, 0) AS touch_count
FROM input_conversion c
LEFT JOIN counted n ON n.conversion_id = c.conversion_id
LEFT JOIN fact_fx_rate fx
       ON fx.rate_date = CAST(c.converted_at AS DATE) AND fx.from_currency = c.currency_code AND fx.to_currency = getvariable('attribution_reporting_currency')
