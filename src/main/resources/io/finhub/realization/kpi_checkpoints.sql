-- Delivery against every commitment of every checkpointed contract, as of the checkpoint.
--
-- A commitment whose unit is a rate (percent, ratio, score) is judged on its latest value against
-- the target. Any other unit is a counter, cumulative since the period start, judged against the
-- part of the target due by the day it was measured, target x elapsed days / period days, so a
-- measurement is compared with the plan for its own date, whenever it was taken.
-- A milestone is one measurement in the commitment period; it is met when the value reaches what
-- was due on its date. The status compares delivered and due exactly; the rate shown is rounded to
-- six decimals.
--
-- Checkpoints of a contract are consecutive fiscal quarters (the last one may end early), so the
-- latest measurement on or before a checkpoint is the latest of its own quarter, or else carried
-- forward from the quarters before; milestones accumulate the same way.
CREATE OR REPLACE {temp} TABLE {kpi_table} AS
WITH commitment AS MATERIALIZED (
    SELECT cp.contract_id, cp.quarter_start, cp.as_of, c.commitment_id, c.kpi, c.unit, c.target_value, c.period_start, c.period_end,
           lower(c.unit) IN ('percent', 'pct', 'ratio', 'score') AS point_in_time,
           datediff('day', c.period_start, c.period_end) + 1 AS period_days
    FROM {checkpoints} cp
    JOIN fact_contract_commitment c ON c.contract_id = cp.contract_id AND c.period_start <= cp.as_of
),
measured AS MATERIALIZED (
    SELECT contract_id, kpi, measured_on, greatest(max(delivered_value), 0) AS delivered_value
    FROM fact_success_metric
    GROUP BY ALL
),
measurement AS (
    SELECT c.commitment_id, c.as_of, m.measured_on, m.delivered_value,
           datediff('day', c.period_start, m.measured_on) + 1 AS elapsed_days,
           CASE WHEN c.point_in_time THEN m.delivered_value >= c.target_value
                ELSE m.delivered_value * c.period_days >= c.target_value * (datediff('day', c.period_start, m.measured_on) + 1) END AS met
    FROM commitment c
    JOIN measured m ON m.contract_id = c.contract_id AND m.kpi = c.kpi
                   AND m.measured_on BETWEEN greatest(c.period_start, c.quarter_start) AND least(c.period_end, c.as_of)
),
per_checkpoint AS (
    SELECT commitment_id, as_of,
           max(measured_on) AS measured_on,
           arg_max(delivered_value, measured_on) AS delivered_value,
           arg_max(elapsed_days, measured_on) AS elapsed_days,
           count(*) AS measurements,
           count(*) FILTER (WHERE met) AS measurements_met
    FROM measurement
    GROUP BY ALL
),
latest AS (
    SELECT c.*,
           last_value(q.measured_on IGNORE NULLS) OVER history AS measured_on,
           last_value(q.delivered_value IGNORE NULLS) OVER history AS delivered_value,
           last_value(q.elapsed_days IGNORE NULLS) OVER history AS elapsed_days,
           sum(coalesce(q.measurements_met, 0)) OVER history AS milestones_met,
           sum(coalesce(q.measurements, 0)) OVER history AS milestones_due
    FROM commitment c
    LEFT JOIN per_checkpoint q ON q.commitment_id = c.commitment_id AND q.as_of = c.as_of
    WINDOW history AS (PARTITION BY c.commitment_id ORDER BY c.as_of ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
),
rated AS (
    SELECT *,
           CASE WHEN point_in_time THEN delivered_value ELSE delivered_value * period_days END AS rate_numerator,
           CASE WHEN point_in_time THEN target_value ELSE target_value * elapsed_days END AS rate_denominator
    FROM latest
),
scored AS (
    SELECT *,
           CASE WHEN measured_on IS NULL THEN NULL WHEN point_in_time THEN target_value ELSE {due_value} END AS due_value,
           {realization_rate} AS realization_rate
    FROM rated
)
SELECT contract_id, quarter_start, as_of, commitment_id, kpi, unit, point_in_time, target_value, period_start, period_end, period_days,
       measured_on, delivered_value, elapsed_days, due_value, realization_rate,
       -- Unrounded, so a contract's mean of the rates is rounded once.
       rate_numerator, rate_denominator,
       CAST(milestones_met AS INTEGER) AS milestones_met,
       CAST(milestones_due AS INTEGER) AS milestones_due,
       CASE WHEN measured_on IS NULL THEN 'NOT_MEASURED'
            WHEN period_end <= as_of AND rate_numerator >= rate_denominator THEN 'ACHIEVED'
            WHEN period_end <= as_of THEN 'MISSED'
            WHEN rate_numerator >= rate_denominator THEN 'ON_TRACK'
            WHEN rate_numerator >= getvariable('realization_at_risk_below') * rate_denominator THEN 'BEHIND'
            ELSE 'AT_RISK' END AS status
FROM scored
