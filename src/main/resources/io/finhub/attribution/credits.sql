-- Splits each conversion's reporting-currency value, and its one conversion, over the touches of its
-- path in proportion to the whole-number weights in attribution_weight, exactly: every touch gets
-- the floor of its share in cents (and in millionths of a conversion), and the units still missing
-- go one each to the touches with the largest remainders, ties to the earlier touch (largest
-- remainder method). Per conversion the amounts therefore sum to its value to the cent.
CREATE OR REPLACE TEMP TABLE stage_credit AS
WITH weighted AS (
    SELECT w.conversion_id, w.touch_seq, w.channel_id, w.campaign_id, w.num,
           sum(w.num) OVER (PARTITION BY w.conversion_id) AS den,
           CAST(CAST(c.amount_reporting AS DECIMAL(38, 2)) * 100 AS HUGEINT) AS cents
    FROM attribution_weight w
    JOIN stage_conversion c ON c.conversion_id = w.conversion_id
),
floored AS (
    SELECT *,
           cents * num // den AS floor_cents,
           cents * num % den AS rest_cents,
           1000000 * num // den AS floor_micros,
           1000000 * num % den AS rest_micros
    FROM weighted
),
ranked AS (
    SELECT *,
           cents - sum(floor_cents) OVER conversion AS missing_cents,
           row_number() OVER (PARTITION BY conversion_id ORDER BY rest_cents DESC, touch_seq) AS cents_rank,
           1000000 - sum(floor_micros) OVER conversion AS missing_micros,
           row_number() OVER (PARTITION BY conversion_id ORDER BY rest_micros DESC, touch_seq) AS micros_rank
    FROM floored
    WINDOW conversion AS (PARTITION BY conversion_id)
)
SELECT getvariable('attribution_build_id') AS build_id, getvariable('attribution_model') AS model, conversion_id, touch_seq, channel_id, campaign_id,
       CAST(CAST(floor_micros + CASE WHEN micros_rank <= missing_micros THEN 1 ELSE 0 END AS DECIMAL(18, 0)) * 0.000001 AS DECIMAL(18, 6)) AS credit,
       CAST(CAST(floor_cents + CASE WHEN cents_rank <= missing_cents THEN 1 ELSE 0 END AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(18, 2)) AS attributed_amount
FROM ranked
WHERE num > 0
