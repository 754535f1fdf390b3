-- Each lead once, on the day and channel/campaign of its first touch: the denominator of cost per lead.
-- Ties at the first instant go to the smallest touchpoint id, so channel and campaign come from the
-- same touch and the choice is the same on every build. A window rather than arg_min: at the l scale
-- (22 million leads) arg_min's per-lead states did not fit DuckDB's 2 GB memory limit; the window
-- spills to disk (112 s there; 6.5 s at m).
CREATE OR REPLACE TABLE derived_lead_first_touch AS
SELECT lead_id,
       touched_at AS first_touched_at,
       channel_id,
       campaign_id
FROM fact_touchpoint
WHERE lead_id IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY lead_id ORDER BY touched_at, touchpoint_id) = 1;
