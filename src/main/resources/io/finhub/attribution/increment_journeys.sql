-- The journeys whose Markov transition counts an incremental build recounts, run after the new
-- paths (stage_touch) of the recomputed conversions (stage_scope) are staged: journeys that got
-- touches or deals, and every journey on an old or new path of a recomputed conversion. A journey
-- counts as an open (non-converting) journey when no conversion uses it: no path touches it and no
-- deal names it; old_used before the change, new_used after it.
CREATE OR REPLACE TEMP TABLE stage_scope_journey AS
WITH changed AS (
    SELECT journey_id FROM stage_new_touch
    UNION
    SELECT journey_id FROM stage_new_conversion WHERE journey_id IS NOT NULL
    UNION
    SELECT journey_id FROM attribution_touch
    WHERE build_id = getvariable('attribution_build_id') AND conversion_id IN (SELECT conversion_id FROM stage_scope)
    UNION
    SELECT journey_id FROM stage_touch
),
old_path AS (
    SELECT DISTINCT journey_id FROM attribution_touch
    WHERE build_id = getvariable('attribution_build_id') AND journey_id IN (SELECT journey_id FROM changed)
),
kept_path AS (
    SELECT DISTINCT journey_id FROM attribution_touch
    WHERE build_id = getvariable('attribution_build_id') AND journey_id IN (SELECT journey_id FROM changed)
      AND conversion_id NOT IN (SELECT conversion_id FROM stage_scope)
),
old_deal AS (
    SELECT DISTINCT journey_id FROM fact_conversion
    WHERE rowid <= getvariable('attribution_conversion_rowid_from') AND journey_id IN (SELECT journey_id FROM changed)
),
new_deal AS (
    SELECT DISTINCT journey_id FROM fact_conversion
    WHERE rowid <= getvariable('attribution_conversion_rowid_max') AND journey_id IN (SELECT journey_id FROM changed)
)
SELECT c.journey_id,
       c.journey_id IN (SELECT journey_id FROM old_path) OR c.journey_id IN (SELECT journey_id FROM old_deal) AS old_used,
       c.journey_id IN (SELECT journey_id FROM kept_path) OR c.journey_id IN (SELECT journey_id FROM stage_touch)
           OR c.journey_id IN (SELECT journey_id FROM new_deal) AS new_used
FROM changed c;
