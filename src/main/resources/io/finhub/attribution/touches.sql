-- The touches of every conversion's path, numbered in time order: the touches of the conversion's
-- journey or, for a conversion without a journey, of its customer, that happened no later than the
-- conversion and no earlier than lookback_days before it. Built in a temporary table first and
-- stored with the credits in one short transaction. Reads the build's input_conversion and
-- input_touchpoint views: the fact rows up to the build's row ids, and for an incremental build
-- only the conversions it recomputes.
CREATE OR REPLACE TEMP TABLE stage_touch AS
WITH matched AS (
    SELECT c.conversion_id, t.touchpoint_id, t.journey_id, t.channel_id, t.campaign_id, t.touched_at
    FROM input_conversion c
    JOIN input_touchpoint t ON t.journey_id = c.journey_id
    WHERE t.touched_at <= c.converted_at
      AND t.touched_at >= c.converted_at - to_days(getvariable('attribution_lookback_days'))
    UNION ALL
    SELECT c.conversion_id, t.touchpoint_id, t.journey_id, t.channel_id, t.campaign_id, t.touched_at
    FROM input_conversion c
    JOIN input_touchpoint t ON t.customer_id = c.customer_id
    WHERE c.journey_id IS NULL
      AND t.touched_at <= c.converted_at
      AND t.touched_at >= c.converted_at - to_days(getvariable('attribution_lookback_days'))
)
SELECT getvariable('attribution_build_id') AS build_id,
       conversion_id,
       CAST(row_number() OVER (PARTITION BY conversion_id ORDER BY touched_at, touchpoint_id) AS INTEGER) AS touch_seq,
       CAST(count(*) OVER (PARTITION BY conversion_id) AS INTEGER) AS touch_count,
       touchpoint_id, journey_id, channel_id, campaign_id, touched_at
FROM matched
