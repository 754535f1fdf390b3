-- MARKOV: each channel of the path weighs its removal effect (scaled by 2^50), shared equally by
-- the channel's touches on the path.
CREATE OR REPLACE TEMP TABLE attribution_weight AS
SELECT t.conversion_id, t.touch_seq, t.channel_id, t.campaign_id,
       greatest(m.weight_scaled // count(*) OVER (PARTITION BY t.conversion_id, t.channel_id), 1) AS num
FROM stage_touch t
JOIN stage_markov_channel m ON m.channel_id = t.channel_id
