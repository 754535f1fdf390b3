-- SHAPLEY: each distinct channel of the path an equal part (the Shapley value of the journey's
-- unanimity game), shared equally by the channel's touches on the path; scaled by 2^50.
CREATE OR REPLACE TEMP TABLE attribution_weight AS
WITH channel_touches AS (
    SELECT conversion_id, channel_id, count(*) AS touches
    FROM stage_touch
    GROUP BY conversion_id, channel_id
),
channel_count AS (
    SELECT conversion_id, count(*) AS channels
    FROM channel_touches
    GROUP BY conversion_id
)
SELECT t.conversion_id, t.touch_seq, t.channel_id, t.campaign_id, CAST(1125899906842624 AS HUGEINT) // (n.channels * c.touches) AS num
FROM stage_touch t
JOIN channel_touches c ON c.conversion_id = t.conversion_id AND c.channel_id = t.channel_id
JOIN channel_count n ON n.conversion_id = t.conversion_id
