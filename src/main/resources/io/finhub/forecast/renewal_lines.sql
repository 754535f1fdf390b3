-- The renewals to forecast: contracts ending between the as-of date and the horizon end (optionally
-- of one customer), each with its model probability and, beside it, the adjusted figures.
--   model probability: the known outcome (1 or 0) when the renewal was decided by the as-of date;
--   else the renewal model; without a model (too little history) the CRM probability of the open
--   renewal opportunity, else the observed renewal rate. Rounded to 4 decimals, and the expected
--   value is amount x probability rounded to the cent, so a reader can redo every figure.
--   adjusted: the current forecast adjustment of the contract (the one no later adjustment
--   supersedes; none when it was cleared) replaces the probability and/or the amount of an open renewal.
--   A back-dated forecast (as of a day before the data runs to) reads the adjustments as they stood at
--   the end of its day: one recorded later did not exist then.
-- The line columns are every column of the case when the lines are listed, else only what the figures
-- and scenarios read (ForecastService).
CREATE OR REPLACE TEMP TABLE forecast_renewal_line AS
-- Every line's amount is in the reporting currency at the as-of date's rate, a decided one's too: the
-- case's amount_reporting is at its snapshot day's rate (the first day of its quarter when that was
-- earlier, where its signals are read and the backtest prices it), so it is converted again here. A case
-- whose snapshot is the as-of date is at that rate already (converting every line again took 20 % longer).
WITH renewal_case AS (
    SELECT c.* REPLACE (CASE WHEN c.snapshot = CAST(:as_of AS DATE) THEN c.amount_reporting
                             ELSE CAST({amount_reporting} AS DECIMAL(18, 2)) END AS amount_reporting)
    FROM {cases} c
    {amount_fx_join}
    WHERE c.end_date BETWEEN :as_of AND :horizon_end AND (CAST(:customer_id AS VARCHAR) IS NULL OR c.customer_id = :customer_id)
),
-- A back-dated forecast binds :recorded_before (the end of its day) and reads each chain as it stood then: its
-- latest adjustment recorded by then (none when there was none yet); NULL reads every adjustment in force now.
adjustment AS (
    SELECT * FROM forecast_adjustment a
    WHERE a.target_kind = 'RENEWAL'
      AND (CAST(:recorded_before AS TIMESTAMP) IS NULL OR a.adjusted_at < :recorded_before)
      AND NOT EXISTS (SELECT 1 FROM forecast_adjustment later
                      WHERE later.supersedes_id = a.adjustment_id
                        AND (CAST(:recorded_before AS TIMESTAMP) IS NULL OR later.adjusted_at < :recorded_before))
),
modelled AS (
    SELECT c.*,
           CASE WHEN c.decided THEN 'OUTCOME' WHEN {has_model} THEN 'MODEL' WHEN c.crm_probability IS NOT NULL THEN 'CRM_STAGE'
                ELSE 'HISTORICAL_RATE' END AS probability_source,
           CAST(CASE WHEN c.decided THEN CASE WHEN c.renewed THEN 1 ELSE 0 END
                     WHEN {has_model} THEN round({probability}, 4)
                     WHEN c.crm_probability IS NOT NULL THEN round(c.crm_probability, 4)
                     ELSE CAST(:historical_rate AS DOUBLE) END AS DECIMAL(5, 4)) AS model_probability
    FROM renewal_case c
)
SELECT {line_columns},
       CASE WHEN m.decided AND m.renewed THEN 'RENEWED' WHEN m.decided THEN 'CHURNED' ELSE 'OPEN' END AS status,
       a.adjustment_id,
       a.adjusted_probability AS override_probability,
       a.adjusted_amount AS override_amount,
       coalesce(a.adjusted_probability, m.model_probability) AS adjusted_probability,
       coalesce(a.adjusted_amount, m.amount_reporting) AS adjusted_amount
FROM modelled m
LEFT JOIN adjustment a ON a.target_id = m.contract_id AND NOT a.cleared AND NOT m.decided
