-- Realization of every checkpointed contract from the delivery of its commitments (kpi table):
--   realization rate = mean over measured commitments of min(commitment rate, 1), so over-delivery
--   on one commitment never hides a shortfall on another;
--   status = the worst commitment status; at risk = some commitment still running is AT_RISK;
--   utilisation = the latest seat and feature-adoption reading on or before the checkpoint (carried
--   forward from earlier quarters of the contract when its own quarter has none);
--   unused licence value = committed value x unused seats / licensed seats;
--   ROI trajectory: realised value (cumulative KPIs x their value per unit, at the measurement date
--   rate) against paid to date (committed value x elapsed share of the term on the same date);
--   projected to the contract end at the run rate of the term so far.
-- Money is in the reporting currency: committed value at the contract start date rate.
CREATE OR REPLACE {temp} TABLE {contract_table} AS
WITH kpi AS (
    SELECT k.*, v.value_per_unit, v.currency_code AS value_currency
    FROM {kpi_table} k
    LEFT JOIN realization_kpi_value v ON v.kpi = k.kpi AND NOT k.point_in_time
),
valued AS (
    SELECT k.contract_id, k.as_of,
           sum({delivered_value_money}) AS value_to_date,
           max(k.measured_on) AS valued_on
    FROM kpi k
    {value_fx_join}
    WHERE k.value_per_unit IS NOT NULL AND k.measured_on IS NOT NULL
    GROUP BY ALL
),
per_contract AS (
    SELECT contract_id, quarter_start, as_of,
           count(*) AS commitments,
           count(measured_on) AS measured_commitments,
           -- Over the measured commitments only: DuckDB's least(NULL, 1) is 1, which counted an unread commitment as delivered.
           -- The unrounded rates, so the mean is rounded once (not each rate to 6 decimals and then the mean again).
           sum(least(CAST(rate_numerator AS DOUBLE) / CAST(rate_denominator AS DOUBLE), 1)) FILTER (WHERE realization_rate IS NOT NULL)
               AS capped_rate_sum,
           sum(milestones_met) AS milestones_met,
           sum(milestones_due) AS milestones_due,
           bool_or(status = 'AT_RISK') AS at_risk,
           CASE max(CASE status WHEN 'MISSED' THEN 6 WHEN 'AT_RISK' THEN 5 WHEN 'BEHIND' THEN 4 WHEN 'NOT_MEASURED' THEN 3
                                WHEN 'ON_TRACK' THEN 2 ELSE 1 END)
                WHEN 6 THEN 'MISSED' WHEN 5 THEN 'AT_RISK' WHEN 4 THEN 'BEHIND' WHEN 3 THEN 'NOT_MEASURED'
                WHEN 2 THEN 'ON_TRACK' ELSE 'ACHIEVED' END AS status
    FROM kpi
    GROUP BY ALL
),
contracts AS MATERIALIZED (
    SELECT cp.contract_id, cp.quarter_start, cp.as_of, c.customer_id, c.product_id, c.start_date, c.end_date, c.licensed_seats,
           c.committed_value, c.currency_code,
           {committed_money} AS committed_value_reporting,
           datediff('day', c.start_date, c.end_date) + 1 AS term_days
    FROM {checkpoints} cp
    JOIN dim_contract c ON c.contract_id = cp.contract_id
    {committed_fx_join}
),
usage_in_quarter AS (
    SELECT c.contract_id, c.as_of,
           max(u.measured_on) AS measured_on,
           arg_max(u.seats_used, u.measured_on) AS seats_used,
           arg_max(u.seats_licensed, u.measured_on) AS seats_licensed,
           arg_max(u.feature_adoption_pct, u.measured_on) AS feature_adoption_pct
    FROM contracts c
    JOIN fact_utilization u ON u.contract_id = c.contract_id AND u.measured_on BETWEEN greatest(c.start_date, c.quarter_start) AND c.as_of
    GROUP BY ALL
),
usage AS (
    SELECT c.contract_id, c.as_of,
           last_value(q.measured_on IGNORE NULLS) OVER history AS measured_on,
           last_value(q.seats_used IGNORE NULLS) OVER history AS seats_used,
           last_value(q.seats_licensed IGNORE NULLS) OVER history AS seats_licensed,
           last_value(q.feature_adoption_pct IGNORE NULLS) OVER history AS feature_adoption_pct
    FROM contracts c
    LEFT JOIN usage_in_quarter q ON q.contract_id = c.contract_id AND q.as_of = c.as_of
    WINDOW history AS (PARTITION BY c.contract_id ORDER BY c.as_of ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
)
SELECT c.contract_id, c.customer_id, c.product_id, c.quarter_start, c.as_of, c.start_date, c.end_date, c.term_days,
       CAST(c.committed_value_reporting AS DECIMAL(18, 2)) AS committed_value_reporting,
       coalesce(p.commitments, 0) AS commitments,
       coalesce(p.measured_commitments, 0) AS measured_commitments,
       {contract_rate} AS realization_rate,
       coalesce(p.status, 'NOT_MEASURED') AS status,
       coalesce(p.at_risk, false) AS at_risk,
       CAST(coalesce(p.milestones_met, 0) AS INTEGER) AS milestones_met,
       CAST(coalesce(p.milestones_due, 0) AS INTEGER) AS milestones_due,
       u.measured_on AS utilization_measured_on,
       u.seats_used, u.seats_licensed, u.feature_adoption_pct,
       CASE WHEN u.seats_licensed > 0 THEN {unused_value} END AS unused_license_value,
       CAST(v.value_to_date AS DECIMAL(18, 2)) AS value_to_date,
       v.valued_on,
       CASE WHEN v.valued_on IS NOT NULL THEN datediff('day', c.start_date, v.valued_on) + 1 END AS valued_days,
       CASE WHEN v.valued_on IS NOT NULL THEN {paid_to_date} END AS paid_to_date,
       CASE WHEN v.valued_on IS NOT NULL THEN {projected_value} END AS projected_value_at_end
FROM contracts c
LEFT JOIN per_contract p ON p.contract_id = c.contract_id AND p.as_of = c.as_of
LEFT JOIN valued v ON v.contract_id = c.contract_id AND v.as_of = c.as_of
LEFT JOIN usage u ON u.contract_id = c.contract_id AND u.as_of = c.as_of
-- Stored by quarter, so a summary over a period reads only that period's row groups.
ORDER BY c.quarter_start, c.contract_id
