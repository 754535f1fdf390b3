-- Each lead once, on the day and channel/campaign of its first touch: the denominator of cost per lead.
CREATE OR REPLACE TABLE derived_lead_first_touch AS
SELECT lead_id,
       arg_min(touched_at, touched_at) AS first_touched_at,
       arg_min(channel_id, touched_at) AS channel_id,
       arg_min(campaign_id, touched_at) AS campaign_id
FROM fact_touchpoint
WHERE lead_id IS NOT NULL
GROUP BY lead_id;
