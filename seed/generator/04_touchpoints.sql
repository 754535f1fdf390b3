-- Journeys and their touchpoints. A journey is one lead's path: 1..8 touches over up to 60 days,
-- across channels and the campaigns running at the time. Journeys start more often as the company
-- grows (the start density rises linearly to twice its initial value over the three years).
--
-- About 3.4 % of journeys carry buying intent. Their touches lean towards high-intent channels
-- (webinars, events, partners, SDR outreach), so those channels show higher conversion rates. An
-- intent journey converts a few days after its last touch unless that falls after 2025-12-31, in
-- which case it is still open.

-- The channel of a touch by intent, position in the journey (FIRST, MIDDLE, LAST) and a draw in
-- 0..99: each channel owns as many draws as its percent weight.
CREATE TEMP TABLE seed_channel_bucket AS
WITH weights (channel_id, cold_first, cold_middle, cold_last, intent_first, intent_middle, intent_last) AS (
    VALUES ('paid_search',      22, 12, 14, 18,  8,  6),
           ('paid_social',      18, 12, 12, 10,  6,  4),
           ('display',          14, 10, 10,  4,  3,  2),
           ('content_seo',      16, 14, 12, 12, 10,  6),
           ('organic_social',   10, 10,  8,  4,  6,  3),
           ('email',             4, 20, 18,  4, 16, 12),
           ('webinar',           4,  8,  8, 12, 16, 18),
           ('events',            3,  4,  4, 10, 12, 16),
           ('partner_referral',  5,  4,  6, 14, 10, 15),
           ('outbound_sdr',      4,  6,  8, 12, 13, 18)
),
flat AS (
    UNPIVOT weights ON cold_first, cold_middle, cold_last, intent_first, intent_middle, intent_last
    INTO NAME mix VALUE weight
),
ranged AS (
    SELECT starts_with(mix, 'intent') AS intent,
           upper(split_part(mix, '_', 2)) AS position,
           channel_id, weight,
           sum(weight) OVER (PARTITION BY mix ORDER BY channel_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS first_bucket
    FROM flat
)
SELECT intent, position, channel_id, CAST(coalesce(first_bucket, 0) + offset_in_weight AS INTEGER) AS bucket
FROM ranged, range(weight) AS t (offset_in_weight);

CREATE TEMP TABLE seed_journey AS
WITH drawn AS (
    SELECT journey_no,
           seed_unit(journey_no, 'intent') AS intent_draw,
           seed_unit(journey_no, 'segment') AS segment_draw,
           seed_unit(journey_no, 'touch-count') AS count_draw,
           seed_unit(journey_no, 'span') AS span_draw,
           seed_unit(journey_no, 'start') AS start_draw,
           seed_unit(journey_no, 'decision-lag') AS lag_draw
    FROM range(1, getvariable('journeys') + 1) AS t (journey_no)
),
shaped AS (
    SELECT journey_no, segment_draw, start_draw, lag_draw,
           CASE WHEN segment_draw < 0.60 THEN 'SMB' WHEN segment_draw < 0.90 THEN 'MID_MARKET' ELSE 'ENTERPRISE' END AS segment,
           intent_draw < CASE WHEN segment_draw < 0.60 THEN 0.031 WHEN segment_draw < 0.90 THEN 0.036 ELSE 0.045 END AS intent,
           count_draw, span_draw
    FROM drawn
),
counted AS (
    -- Buyers research more: intent journeys have 2..8 touches, the others 1..8.
    SELECT *,
           CAST(CASE WHEN intent THEN 2 + floor(count_draw * 7) ELSE 1 + floor(count_draw * 8) END AS INTEGER) AS touch_count
    FROM shaped
),
spanned AS (
    SELECT *,
           CAST(CASE WHEN touch_count = 1 THEN 0 ELSE floor(span_draw * least(61, 9 * touch_count)) END AS INTEGER) AS span_days
    FROM counted
),
started AS (
    -- Inverse of the rising start density: offset in days such that the last touch is on or before 2025-12-31.
    SELECT *,
           DATE '2023-01-01' + CAST(floor((sqrt(1 + 3 * start_draw) - 1) * (1096 - span_days)) AS INTEGER) AS first_day
    FROM spanned
),
timed AS (
    -- Touch numbers are BIGINT, as in seed_touches, so both draw the same hashes.
    SELECT *,
           CAST(first_day + seed_touch_day(journey_no, CAST(touch_count - 1 AS BIGINT), touch_count, span_days) AS TIMESTAMP)
               + to_seconds(seed_touch_second(journey_no, CAST(touch_count - 1 AS BIGINT), touch_count)) AS last_touched_at
    FROM started
)
SELECT journey_no,
       'JRN-' || lpad(CAST(journey_no AS VARCHAR), 8, '0') AS journey_id,
       'LEAD-' || lpad(CAST(journey_no AS VARCHAR), 8, '0') AS lead_id,
       'CUS-' || lpad(CAST(journey_no AS VARCHAR), 8, '0') AS customer_id,
       segment, intent, touch_count, span_days, first_day, last_touched_at,
       CASE WHEN intent AND last_touched_at + to_seconds(CAST(172800 + lag_draw * 1641600 AS BIGINT)) < TIMESTAMP '2026-01-01'
            THEN last_touched_at + to_seconds(CAST(172800 + lag_draw * 1641600 AS BIGINT)) END AS converted_at
FROM timed;

-- The touches of the journeys; only the last touch of converted journeys when last_only.
CREATE OR REPLACE TEMP MACRO seed_touches(last_only) AS TABLE
WITH expanded AS (
    SELECT journey_no, journey_id, lead_id, customer_id, segment, intent, touch_count, span_days, first_day, converted_at,
           unnest(CASE WHEN last_only THEN [touch_count - 1] ELSE range(touch_count) END) AS touch_no
    FROM seed_journey
    WHERE NOT last_only OR converted_at IS NOT NULL
),
timed AS (
    SELECT *,
           CAST(first_day + seed_touch_day(journey_no, touch_no, touch_count, span_days) AS TIMESTAMP)
               + to_seconds(seed_touch_second(journey_no, touch_no, touch_count)) AS touched_at,
           CASE WHEN touch_no = 0 THEN 'FIRST' WHEN touch_no = touch_count - 1 THEN 'LAST' ELSE 'MIDDLE' END AS position
    FROM expanded
)
SELECT timed.*, bucket.channel_id, pick.campaign_id
FROM timed
JOIN seed_channel_bucket bucket
  ON bucket.intent = timed.intent AND bucket.position = timed.position
 AND bucket.bucket = seed_bucket2(timed.journey_no, timed.touch_no, 'channel', 100)
JOIN seed_campaign_pick pick
  ON pick.channel_id = bucket.channel_id
 AND pick.quarter_start = CAST(date_trunc('quarter', timed.touched_at) AS DATE)
 AND pick.bucket = seed_bucket2(timed.journey_no, timed.touch_no, 'campaign', 10);

INSERT INTO fact_touchpoint
SELECT journey_id || '-' || (touch_no + 1),
       journey_id,
       CASE WHEN converted_at IS NOT NULL THEN customer_id END,
       lead_id,
       channel_id,
       campaign_id,
       touched_at
FROM seed_touches(false);
