-- The touches on one conversion's path, in order, with their age at the conversion. A caller restricted
-- to some departments gets only the touches of campaigns of :departments ({visible}; true for the others).
SELECT t.touch_seq, t.touchpoint_id, t.journey_id, t.channel_id, ch.channel_name, t.campaign_id, cp.campaign_name, t.touched_at,
       date_diff('second', t.touched_at, c.converted_at) AS seconds_before
FROM attribution_touch t
JOIN attribution_conversion c ON c.build_id = t.build_id AND c.conversion_id = t.conversion_id
LEFT JOIN dim_channel ch ON ch.channel_id = t.channel_id
LEFT JOIN dim_campaign cp ON cp.campaign_id = t.campaign_id
WHERE t.build_id = :build_id AND t.conversion_id = :conversion_id
  AND {visible}
ORDER BY t.touch_seq
