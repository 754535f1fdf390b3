-- First-order transition counts of the Markov chain over every path: the converting paths (the
-- touches of each conversion, then CONVERSION) and the journeys no conversion used (their touches in
-- the lookback window before their last touch, then NULL). A NULL from_channel is the START state;
-- a NULL to_channel is the absorbing state named by outcome. A channel repeated in a row is one
-- visit: a self-loop changes no absorption probability, so it changes no removal effect.
--
-- This is the reference form, partitioned by the journey id itself, over two temporary views the
-- build defines: markov_path (conversion_id, touch_seq, touch_count, channel_id of the converting
-- paths) and markov_open_touch (journey_id, touchpoint_id, channel_id, touched_at of every touch of
-- the journeys no conversion uses). A full build counts every path this way only if two journeys
-- share a 64-bit key in markov_transitions.sql; an incremental build counts the paths and journeys
-- that changed, before and after the change, and adds the difference to the stored counts. Either
-- way the counts must equal markov_transitions.sql's, so an open journey's touches are ordered and
-- windowed exactly as there: by epoch milliseconds, ties by a hash of the touchpoint id.
WITH converting AS (
    SELECT lag(channel_id) OVER path AS from_channel, channel_id AS to_channel, NULL AS outcome
    FROM markov_path
    WINDOW path AS (PARTITION BY conversion_id ORDER BY touch_seq)
    UNION ALL
    SELECT channel_id, NULL, 'CONVERSION'
    FROM markov_path
    WHERE touch_seq = touch_count
),
open_touch AS (
    SELECT channel_id, touched_ms,
           lag(channel_id) OVER path AS previous_channel,
           lag(touched_ms) OVER path AS previous_ms,
           lead(touched_ms) OVER path AS next_ms,
           max(touched_ms) OVER (PARTITION BY journey_id) - CAST(getvariable('attribution_lookback_days') AS BIGINT) * 86400000 AS window_start_ms
    FROM (
        SELECT t.journey_id, epoch_ms(t.touched_at) AS touched_ms, hash(t.touchpoint_id) AS tie, t.channel_id
        FROM markov_open_touch t
    )
    WINDOW path AS (PARTITION BY journey_id ORDER BY touched_ms, tie)
),
non_converting AS (
    SELECT CASE WHEN previous_ms >= window_start_ms THEN previous_channel END AS from_channel, channel_id AS to_channel, NULL AS outcome
    FROM open_touch
    WHERE touched_ms >= window_start_ms
    UNION ALL
    SELECT channel_id, NULL, 'NULL'
    FROM open_touch
    WHERE next_ms IS NULL
)
SELECT from_channel, to_channel, outcome, count(*) AS transitions, false AS key_collision
FROM (SELECT * FROM converting UNION ALL SELECT * FROM non_converting)
WHERE from_channel IS DISTINCT FROM to_channel
GROUP BY ALL
ORDER BY ALL
