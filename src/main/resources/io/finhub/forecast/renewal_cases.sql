-- Renewal cases: every contract that had started by the as-of date and ends between it and the horizon
-- end (the renewals to forecast; a contract signed later was not known on the as-of date) and, with include_decided, every contract whose renewal was decided (won or lost) by the
-- as-of date (the history the renewal model learns from). Health scores older than 400 days
-- before the snapshot are not signals any more.
--
-- Each case carries the signals known on its snapshot day: the as-of date for a renewal still
-- open then; for a decided one the first day of the fiscal quarter its term ends in (capped at the
-- as-of date), which is when a quarterly forecast would have scored it. Signals: the customer
-- health score on the snapshot day and its change over the 90 days before, seat utilisation and
-- feature adoption of the contract, tenure, escalations and success-programme activities in the
-- 180 days before, and the segment. The renewal value is the open (or closed) renewal opportunity,
-- else twelve months of the contract subscription, in the reporting currency at the snapshot day rate
-- (the rate the backtest prices a quarter's renewals at; a forecast line converts the amount again at
-- the as-of date's rate, renewal_lines.sql, so a decided renewal's copy is the same on every day).
-- The case filter (SQL over the contracts c, their quarter q and renewal r, filled in by ForecastSql) leaves out contracts whose cases are taken from elsewhere.
-- The contracts are forecast_contracts.sql or the table it was stored in; the latest renewal opportunity is
-- read from the opportunities or from the table forecast_renewal_spans.sql was stored in (ForecastSql). From
-- the stored tables, the signals of the cases whose snapshot is the as-of date are read from the stored
-- health and utilisation spans and from the day's activities per customer, the others' as here.
WITH renewal AS (
    -- The latest opportunity of each contract as of the as-of date.
    {renewal}
),
cases AS (
    SELECT c.contract_id, c.customer_id, c.product_id, c.start_date, c.end_date, c.segment, c.customer_name, c.customer_since,
           q.fiscal_quarter_start AS renewal_quarter_start,
           r.opportunity_id, r.stage, r.closed_on, r.crm_probability,
           coalesce(r.stage IN ('CLOSED_WON', 'CLOSED_LOST') AND r.closed_on <= :as_of, false) AS decided,
           CASE WHEN r.stage IN ('CLOSED_WON', 'CLOSED_LOST') AND r.closed_on <= :as_of THEN r.stage = 'CLOSED_WON' END AS renewed,
           coalesce(r.amount, c.arr, c.committed_value) AS amount,
           coalesce(r.currency_code, c.arr_currency_code, c.currency_code) AS currency_code
    FROM {contracts} c
    JOIN dim_date q ON q.date_key = c.end_date
    LEFT JOIN renewal r ON r.contract_id = c.contract_id
    WHERE ((:include_decided AND r.stage IN ('CLOSED_WON', 'CLOSED_LOST') AND r.closed_on <= :as_of)
           OR (c.end_date BETWEEN :as_of AND :horizon_end AND c.start_date <= :as_of))
      AND {case_filter}
),
snapshots AS (
    SELECT *, CASE WHEN decided THEN least(renewal_quarter_start, CAST(:as_of AS DATE)) ELSE CAST(:as_of AS DATE) END AS snapshot
    FROM cases
),
dated AS MATERIALIZED (
    SELECT *, snapshot - 90 AS trend_from, snapshot - 180 AS activity_from FROM snapshots
),
health AS (
    {health_on_day}
    SELECT d.contract_id,
           arg_max(h.health_score, h.scored_on) FILTER (WHERE h.scored_on <= d.snapshot) AS health_now,
           arg_max(h.health_score, h.scored_on) FILTER (WHERE h.scored_on <= d.trend_from) AS health_before
    FROM dated d
    JOIN fact_health_score h ON h.customer_id = d.customer_id AND h.scored_on > d.snapshot - 400 AND h.scored_on <= d.snapshot
    WHERE {other_snapshots}
    GROUP BY d.contract_id
),
usage AS (
    {usage_on_day}
    SELECT d.contract_id,
           arg_max(u.seats_used, u.measured_on) AS seats_used,
           arg_max(u.seats_licensed, u.measured_on) AS seats_licensed,
           arg_max(u.feature_adoption_pct, u.measured_on) AS feature_adoption_pct
    FROM dated d
    JOIN fact_utilization u ON u.contract_id = d.contract_id AND u.measured_on <= d.snapshot
    WHERE {other_snapshots}
    GROUP BY d.contract_id
),
activity AS (
    {activity_on_day}
    SELECT d.contract_id,
           count(*) FILTER (WHERE p.activity_type = 'ESCALATION') AS escalations,
           count(*) FILTER (WHERE p.activity_type IN ('SUCCESS_PLAN', 'TRAINING')) AS programme_activities
    FROM dated d
    JOIN fact_cs_activity a ON a.customer_id = d.customer_id AND a.occurred_on > d.activity_from AND a.occurred_on <= d.snapshot
    JOIN dim_cs_program p ON p.program_id = a.program_id
    WHERE {other_snapshots}
    GROUP BY d.contract_id
)
SELECT d.contract_id, d.customer_id, d.customer_name, d.segment, d.product_id, d.start_date, d.end_date, d.renewal_quarter_start, d.snapshot,
       d.opportunity_id, d.stage, d.closed_on, d.decided, d.renewed,
       CASE WHEN NOT d.decided AND d.stage NOT IN ('CLOSED_WON', 'CLOSED_LOST') THEN CAST(d.crm_probability AS DOUBLE) END AS crm_probability,
       CAST(d.amount AS DECIMAL(18, 2)) AS amount, d.currency_code,
       CAST({amount_reporting} AS DECIMAL(18, 2)) AS amount_reporting,
       CAST(hs.health_now AS DOUBLE) AS health_score,
       CAST(hs.health_now - hs.health_before AS DOUBLE) AS health_trend,
       CASE WHEN u.seats_licensed > 0 THEN CAST(u.seats_used AS DOUBLE) / u.seats_licensed END AS seat_utilization,
       CAST(u.feature_adoption_pct AS DOUBLE) / 100 AS feature_adoption,
       datediff('day', d.customer_since, d.snapshot) / 365.25 AS tenure_years,
       CAST(coalesce(a.escalations, 0) AS DOUBLE) AS escalations,
       CAST(coalesce(a.programme_activities, 0) > 0 AS DOUBLE) AS success_programme
FROM dated d
{amount_fx_join}
LEFT JOIN health hs ON hs.contract_id = d.contract_id
LEFT JOIN usage u ON u.contract_id = d.contract_id
LEFT JOIN activity a ON a.contract_id = d.contract_id
