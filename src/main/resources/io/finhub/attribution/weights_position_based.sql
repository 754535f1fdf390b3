-- POSITION_BASED (40/20/40) in whole numbers over a denominator of 5 × (n − 2) for n ≥ 3 touches:
-- first and last 2 × (n − 2) each (40 %), every middle touch 1 (20 % ÷ (n − 2)). One touch takes
-- everything; two touches split 50/50.
CREATE OR REPLACE TEMP TABLE attribution_weight AS
SELECT conversion_id, touch_seq, channel_id, campaign_id,
       CAST(CASE WHEN touch_count <= 2 THEN 1
                 WHEN touch_seq = 1 OR touch_seq = touch_count THEN 2 * (touch_count - 2)
                 ELSE 1 END AS HUGEINT) AS num
FROM stage_touch
