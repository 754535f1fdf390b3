-- LINEAR: every touch of the path the same weight.
CREATE OR REPLACE TEMP TABLE attribution_weight AS
SELECT conversion_id, touch_seq, channel_id, campaign_id, CAST(1 AS HUGEINT) AS num
FROM stage_touch
