-- First-order transition counts of the Markov chain over every path: the converting paths (the
-- touches of each conversion, then CONVERSION) and the journeys no conversion used (their touches in
-- the lookback window before their last touch, then NULL). A NULL from_channel is the START state;
-- a NULL to_channel is the absorbing state named by outcome. A channel repeated in a row is one
-- visit: a self-loop changes no absorption probability, so it changes no removal effect.
--
-- Ordering ten million touches by journey is the expensive step, so the journeys are partitioned on
-- a 64-bit hash of their id and ordered by epoch milliseconds (ties by a hash of the touchpoint id)
-- instead of by strings. A second, independent hash of the journey id travels along: if two
-- journeys ever shared a key, neighbours in a partition would differ in it, key_collision would be
-- true and the build would use markov_transitions_exact.sql instead.
WITH converting AS (
    SELECT lag(channel_id) OVER path AS from_channel, channel_id AS to_channel, NULL AS outcome, false AS key_collision
    FROM stage_touch
    WINDOW path AS (PARTITION BY conversion_id ORDER BY touch_seq)
    UNION ALL
    SELECT channel_id, NULL, 'CONVERSION', false
    FROM stage_touch
    WHERE touch_seq = touch_count
),
used_journey AS (
    SELECT journey_id FROM stage_touch
    UNION
    SELECT journey_id FROM input_conversion WHERE journey_id IS NOT NULL
),
open_touch AS (
    SELECT channel_id, touched_ms, journey_check,
           lag(channel_id) OVER path AS previous_channel,
           lag(touched_ms) OVER path AS previous_ms,
           lag(journey_check) OVER path AS previous_check,
           lead(touched_ms) OVER path AS next_ms,
           max(touched_ms) OVER (PARTITION BY journey_key) - CAST(getvariable('attribution_lookback_days') AS BIGINT) * 86400000 AS window_start_ms
    FROM (
        SELECT hash(t.journey_id) AS journey_key, hash(t.journey_id, 'attribution') AS journey_check, epoch_ms(t.touched_at) AS touched_ms,
               hash(t.touchpoint_id) AS tie, t.channel_id
        FROM input_touchpoint t
        ANTI JOIN used_journey u ON u.journey_id = t.journey_id
    )
    WINDOW path AS (PARTITION BY journey_key ORDER BY touched_ms, tie)
),
non_converting AS (
    SELECT CASE WHEN previous_ms >= window_start_ms THEN previous_channel END AS from_channel, channel_id AS to_channel, NULL AS outcome,
           coalesce(previous_check <> journey_check, false) AS key_collision
    FROM open_touch
    WHERE touched_ms >= window_start_ms
    UNION ALL
    SELECT channel_id, NULL, 'NULL', false
    FROM open_touch
    WHERE next_ms IS NULL
)
SELECT from_channel, to_channel, outcome, count(*) AS transitions, bool_or(key_collision) AS key_collision
FROM (SELECT * FROM converting UNION ALL SELECT * FROM non_converting)
WHERE from_channel IS DISTINCT FROM to_channel
GROUP BY from_channel, to_channel, outcome
ORDER BY ALL
