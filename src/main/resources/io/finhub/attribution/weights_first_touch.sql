-- FIRST_TOUCH: the whole conversion to the first touch of its path.
CREATE OR REPLACE TEMP TABLE attribution_weight AS
SELECT conversion_id, touch_seq, channel_id, campaign_id, CAST(1 AS HUGEINT) AS num
FROM stage_touch
WHERE touch_seq = 1
