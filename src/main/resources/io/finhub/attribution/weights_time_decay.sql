-- TIME_DECAY: weight 2^(−age ÷ half-life), the age in days before the conversion. Measured from the
-- path's last touch instead, every weight of a path changes by the same factor, so the shares do
-- not change; that keeps the largest weight at 2^50 and the weights whole numbers with 15
-- significant digits, for exact integer allocation.
CREATE OR REPLACE TEMP TABLE attribution_weight AS
WITH aged AS (
    SELECT conversion_id, touch_seq, channel_id, campaign_id,
           date_diff('millisecond', touched_at, max(touched_at) OVER (PARTITION BY conversion_id)) / 86400000.0 AS age_days
    FROM stage_touch
)
SELECT conversion_id, touch_seq, channel_id, campaign_id,
       CAST(round(pow(2.0, 50 - age_days / CAST(getvariable('attribution_half_life_days') AS DOUBLE))) AS HUGEINT) AS num
FROM aged
