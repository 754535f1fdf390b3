-- Customer-success credits computed from the facts, for the build named by attribution_build_id.
--
-- Expansion (health uplift). An expansion deal is credited to the customer's CS activities in the
-- attribution_influence_days before it whose health score rose across them: the score before is the
-- last one on or before the activity day, the score after the last one after the activity day and
-- on or before the deal. The deal's value is split over those activities in proportion to their
-- uplift (points gained); a deal without such an activity is not credited.
--
-- Churn protection. A closed renewal's risk band is the worst band scored in the
-- attribution_risk_window_days before it closed, flagged on the first day that band was scored.
-- An intervention is a CS activity between that day and the close. The baseline renewal probability
-- of a band is renewed ÷ closed among the renewals of that band without an intervention. A renewal
-- won in band AT_RISK (an at-risk account) after an intervention is worth its ARR (the renewal's annual value)
-- × (1 − baseline of its band), split equally over its interventions.
--
-- Values are in the reporting currency at the outcome day's rate; splits are exact to the cent by
-- largest remainder (ties to the earlier activity).
--
-- Everything is computed into temporary tables (cs_credit_next, cs_outcome_base_next,
-- cs_baseline_next); the build stores them in one short transaction.

CREATE OR REPLACE TEMP TABLE cs_expansion AS
SELECT c.conversion_id AS outcome_id, c.customer_id, CAST(c.converted_at AS DATE) AS outcome_date,
       CASE WHEN c.currency_code = getvariable('attribution_reporting_currency') OR c.amount = 0 THEN c.amount
            ELSE coalesce(CAST(round(CAST(c.amount AS DECIMAL(38, 2)) * fx.rate, 2) AS DECIMAL(18, 2)),
                          error('FINHUB_MISSING_FX_RATE|' || c.currency_code || '|' || getvariable('attribution_reporting_currency') || '|'
                                || CAST(CAST(c.converted_at AS DATE) AS VARCHAR))) END AS booked_value
FROM fact_conversion c
LEFT JOIN fact_fx_rate fx
       ON fx.rate_date = CAST(c.converted_at AS DATE) AND fx.from_currency = c.currency_code
      AND fx.to_currency = getvariable('attribution_reporting_currency')
WHERE c.deal_type = 'EXPANSION';

CREATE OR REPLACE TEMP TABLE cs_expansion_activity AS
WITH candidate AS (
    SELECT e.outcome_id, e.customer_id, e.outcome_date, e.booked_value, a.activity_id, a.program_id, a.occurred_on
    FROM cs_expansion e
    JOIN fact_cs_activity a
      ON a.customer_id = e.customer_id
     AND a.occurred_on <= e.outcome_date
     AND a.occurred_on >= e.outcome_date - CAST(getvariable('attribution_influence_days') AS INTEGER)
),
before AS (
    SELECT c.*, h.scored_on AS before_on, h.health_score AS before_score
    FROM candidate c
    ASOF LEFT JOIN fact_health_score h ON h.customer_id = c.customer_id AND c.occurred_on >= h.scored_on
),
after AS (
    SELECT b.*, h.scored_on AS after_on, h.health_score AS after_score
    FROM before b
    ASOF LEFT JOIN fact_health_score h ON h.customer_id = b.customer_id AND b.outcome_date >= h.scored_on
)
SELECT *, CAST(after_score - before_score AS HUGEINT) AS weight
FROM after
WHERE before_on IS NOT NULL AND after_on > occurred_on AND after_score > before_score;

CREATE OR REPLACE TEMP TABLE cs_renewal AS
SELECT o.opportunity_id AS outcome_id, o.customer_id, o.closed_on AS outcome_date, o.stage = 'CLOSED_WON' AS renewed,
       CASE WHEN o.currency_code = getvariable('attribution_reporting_currency') OR o.amount = 0 THEN o.amount
            ELSE coalesce(CAST(round(CAST(o.amount AS DECIMAL(38, 2)) * fx.rate, 2) AS DECIMAL(18, 2)),
                          error('FINHUB_MISSING_FX_RATE|' || o.currency_code || '|' || getvariable('attribution_reporting_currency') || '|'
                                || CAST(o.closed_on AS VARCHAR))) END AS arr
FROM fact_renewal_pipeline o
LEFT JOIN fact_fx_rate fx
       ON fx.rate_date = o.closed_on AND fx.from_currency = o.currency_code AND fx.to_currency = getvariable('attribution_reporting_currency')
WHERE o.kind = 'RENEWAL' AND o.stage IN ('CLOSED_WON', 'CLOSED_LOST') AND o.closed_on IS NOT NULL;

CREATE OR REPLACE TEMP TABLE cs_renewal_band AS
WITH scored AS (
    SELECT r.outcome_id, h.scored_on, h.risk_band,
           CASE h.risk_band WHEN 'AT_RISK' THEN 0 WHEN 'WATCH' THEN 1 ELSE 2 END AS severity
    FROM cs_renewal r
    JOIN fact_health_score h
      ON h.customer_id = r.customer_id
     AND h.scored_on <= r.outcome_date
     AND h.scored_on >= r.outcome_date - CAST(getvariable('attribution_risk_window_days') AS INTEGER)
),
worst AS (
    SELECT outcome_id, min(severity) AS severity FROM scored GROUP BY outcome_id
)
SELECT s.outcome_id, any_value(s.risk_band) AS risk_band, min(s.scored_on) AS flagged_on
FROM scored s JOIN worst w ON w.outcome_id = s.outcome_id AND w.severity = s.severity
GROUP BY s.outcome_id;

CREATE OR REPLACE TEMP TABLE cs_intervention AS
SELECT r.outcome_id, a.activity_id, a.program_id, a.occurred_on
FROM cs_renewal r
JOIN cs_renewal_band b ON b.outcome_id = r.outcome_id
JOIN fact_cs_activity a ON a.customer_id = r.customer_id AND a.occurred_on >= b.flagged_on AND a.occurred_on <= r.outcome_date;

CREATE OR REPLACE TEMP TABLE cs_baseline_next AS
SELECT getvariable('attribution_build_id') AS build_id, b.risk_band, count(*) FILTER (WHERE r.renewed) AS renewed, count(*) AS closed
FROM cs_renewal r
JOIN cs_renewal_band b ON b.outcome_id = r.outcome_id
WHERE NOT EXISTS (SELECT 1 FROM cs_intervention i WHERE i.outcome_id = r.outcome_id)
GROUP BY b.risk_band;

CREATE OR REPLACE TEMP TABLE cs_protected AS
SELECT r.outcome_id, r.customer_id, r.outcome_date, r.arr, b.risk_band, g.renewed AS baseline_renewed, g.closed AS baseline_closed,
       -- ARR × (closed − renewed) ÷ closed, rounded half up to the cent, in whole cents
       (2 * CAST(CAST(r.arr AS DECIMAL(38, 2)) * 100 AS HUGEINT) * (g.closed - g.renewed) + g.closed) // (2 * g.closed) AS value_cents
FROM cs_renewal r
JOIN cs_renewal_band b ON b.outcome_id = r.outcome_id
JOIN cs_baseline_next g ON g.risk_band = b.risk_band
WHERE r.renewed AND b.risk_band = 'AT_RISK' AND g.closed > 0
  AND EXISTS (SELECT 1 FROM cs_intervention i WHERE i.outcome_id = r.outcome_id);

CREATE OR REPLACE TEMP TABLE cs_share AS
SELECT 'EXPANSION' AS outcome_type, outcome_id, customer_id, outcome_date, CAST(CAST(booked_value AS DECIMAL(38, 2)) * 100 AS HUGEINT) AS value_cents,
       activity_id, program_id, occurred_on, weight,
       json_object('method', 'health-uplift', 'scoreBefore', before_score, 'scoredBefore', before_on, 'scoreAfter', after_score,
                   'scoredAfter', after_on, 'uplift', weight, 'daysBeforeOutcome', outcome_date - occurred_on,
                   'influenceWindowDays', getvariable('attribution_influence_days')) AS evidence
FROM cs_expansion_activity
UNION ALL
SELECT 'CHURN_PROTECTION', p.outcome_id, p.customer_id, p.outcome_date, p.value_cents, i.activity_id, i.program_id, i.occurred_on,
       CAST(1 AS HUGEINT),
       json_object('method', 'churn-protection', 'riskBand', p.risk_band, 'flaggedOn', b.flagged_on, 'arr', p.arr,
                   'baselineRenewed', p.baseline_renewed, 'baselineClosed', p.baseline_closed,
                   'baselineRenewalProbability', round(p.baseline_renewed / p.baseline_closed, 6),
                   'protectedValue', CAST(p.value_cents AS DECIMAL(18, 0)) * 0.01, 'interventionDay', i.occurred_on)
FROM cs_protected p
JOIN cs_intervention i ON i.outcome_id = p.outcome_id
JOIN cs_renewal_band b ON b.outcome_id = p.outcome_id;

CREATE OR REPLACE TEMP TABLE cs_credit_next AS
WITH weighted AS (
    SELECT *, sum(weight) OVER (PARTITION BY outcome_type, outcome_id) AS total_weight FROM cs_share
),
floored AS (
    SELECT *, value_cents * weight // total_weight AS floor_cents, value_cents * weight % total_weight AS rest_cents,
           1000000 * weight // total_weight AS floor_micros, 1000000 * weight % total_weight AS rest_micros
    FROM weighted
),
ranked AS (
    SELECT *,
           value_cents - sum(floor_cents) OVER outcome AS missing_cents,
           row_number() OVER (PARTITION BY outcome_type, outcome_id ORDER BY rest_cents DESC, occurred_on, activity_id) AS cents_rank,
           1000000 - sum(floor_micros) OVER outcome AS missing_micros,
           row_number() OVER (PARTITION BY outcome_type, outcome_id ORDER BY rest_micros DESC, occurred_on, activity_id) AS micros_rank
    FROM floored
    WINDOW outcome AS (PARTITION BY outcome_type, outcome_id)
)
SELECT getvariable('attribution_build_id'), outcome_type, outcome_id, customer_id, outcome_date,
       CAST(CAST(value_cents AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(18, 2)),
       activity_id, program_id, occurred_on,
       CAST(CAST(floor_micros + CASE WHEN micros_rank <= missing_micros THEN 1 ELSE 0 END AS DECIMAL(18, 0)) * 0.000001 AS DECIMAL(18, 6)),
       CAST(CAST(floor_cents + CASE WHEN cents_rank <= missing_cents THEN 1 ELSE 0 END AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(18, 2)),
       CAST(evidence AS VARCHAR)
FROM ranked;

CREATE OR REPLACE TEMP TABLE cs_outcome_base_next AS
SELECT getvariable('attribution_build_id'), 'EXPANSION', e.outcome_id, e.customer_id, e.outcome_date, e.booked_value, e.booked_value,
       EXISTS (SELECT 1 FROM cs_expansion_activity a WHERE a.outcome_id = e.outcome_id), NULL, NULL
FROM cs_expansion e
UNION ALL
SELECT getvariable('attribution_build_id'), 'CHURN_PROTECTION', r.outcome_id, r.customer_id, r.outcome_date, r.arr,
       coalesce(CAST(CAST(p.value_cents AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(18, 2)), 0), p.outcome_id IS NOT NULL, b.risk_band,
       CASE WHEN g.closed > 0 THEN CAST(round(g.renewed / g.closed, 6) AS DECIMAL(18, 6)) END
FROM cs_renewal r
LEFT JOIN cs_renewal_band b ON b.outcome_id = r.outcome_id
LEFT JOIN cs_baseline_next g ON g.risk_band = b.risk_band
LEFT JOIN cs_protected p ON p.outcome_id = r.outcome_id
WHERE r.renewed;

DROP TABLE cs_share;
DROP TABLE cs_protected;
DROP TABLE cs_intervention;
DROP TABLE cs_renewal_band;
DROP TABLE cs_renewal;
DROP TABLE cs_expansion_activity;
DROP TABLE cs_expansion;
