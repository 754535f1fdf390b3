-- What an incremental build recomputes after touchpoints and deals were appended: the rows
-- appended since the build (row ids above its bounds, up to the new ones), the conversions whose
-- path they can change (the new deals; deals of a journey that got touches; deals without a
-- journey whose customer got touches), and the journeys whose Markov counts can change (with
-- whether a conversion used each one before and after the change). Then the build's input views
-- are narrowed to those conversions and the touches they can reach.
CREATE OR REPLACE TEMP TABLE stage_new_touch AS
SELECT journey_id, customer_id
FROM fact_touchpoint
WHERE rowid > getvariable('attribution_touch_rowid_from') AND rowid <= getvariable('attribution_touch_rowid_max');

CREATE OR REPLACE TEMP TABLE stage_new_conversion AS
SELECT conversion_id, journey_id
FROM fact_conversion
WHERE rowid > getvariable('attribution_conversion_rowid_from') AND rowid <= getvariable('attribution_conversion_rowid_max');

CREATE OR REPLACE TEMP TABLE stage_scope AS
SELECT conversion_id FROM stage_new_conversion
UNION
SELECT c.conversion_id
FROM fact_conversion c
WHERE c.rowid <= getvariable('attribution_conversion_rowid_max')
  AND c.journey_id IN (SELECT journey_id FROM stage_new_touch)
UNION
SELECT c.conversion_id
FROM fact_conversion c
WHERE c.rowid <= getvariable('attribution_conversion_rowid_max')
  AND c.journey_id IS NULL
  AND c.customer_id IN (SELECT customer_id FROM stage_new_touch WHERE customer_id IS NOT NULL);

CREATE OR REPLACE TEMP TABLE stage_scope_conversion AS
SELECT *
FROM fact_conversion
WHERE rowid <= getvariable('attribution_conversion_rowid_max')
  AND conversion_id IN (SELECT conversion_id FROM stage_scope);

CREATE OR REPLACE TEMP VIEW input_conversion AS
SELECT * FROM stage_scope_conversion;

-- The touches those conversions can reach, read from the 10 million in one scan and kept, so the
-- path query joins small tables.
CREATE OR REPLACE TEMP TABLE stage_scope_touch AS
SELECT *
FROM fact_touchpoint
WHERE rowid <= getvariable('attribution_touch_rowid_max')
  AND (journey_id IN (SELECT journey_id FROM input_conversion WHERE journey_id IS NOT NULL)
       OR customer_id IN (SELECT customer_id FROM input_conversion WHERE journey_id IS NULL));

CREATE OR REPLACE TEMP VIEW input_touchpoint AS
SELECT * FROM stage_scope_touch;
