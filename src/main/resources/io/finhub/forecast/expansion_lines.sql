-- The expansion pipeline: opportunities open on the as-of date and expected to close by the
-- horizon end (optionally of one customer), at stage probability x value.
--   stage probability: the CRM probability of an opportunity still open in the data; one that was
--   open on the as-of date but has closed since gets the win rate of the expansions closed by then
--   (its CRM probability now shows the outcome, which was unknown on the as-of date).
--   aligned to a renewal window: an expansion worked on a contract that renews in the horizon and
--   expected to close within 90 days before to 30 days after its end lands with that renewal, in
--   its quarter, and happens only if the contract renews: probability = stage x renewal.
--   Otherwise it lands in the quarter of its expected close (an overdue one in the as-of quarter).
CREATE OR REPLACE TEMP TABLE forecast_expansion_line AS
WITH opportunity AS (
    SELECT * FROM ({expansions}) e
    WHERE CAST(:customer_id AS VARCHAR) IS NULL OR e.customer_id = :customer_id
),
-- As of :recorded_before when a back-dated forecast binds it (see renewal_lines.sql).
adjustment AS (
    SELECT * FROM forecast_adjustment a
    WHERE a.target_kind = 'EXPANSION'
      AND (CAST(:recorded_before AS TIMESTAMP) IS NULL OR a.adjusted_at < :recorded_before)
      AND NOT EXISTS (SELECT 1 FROM forecast_adjustment later
                      WHERE later.supersedes_id = a.adjustment_id
                        AND (CAST(:recorded_before AS TIMESTAMP) IS NULL OR later.adjusted_at < :recorded_before))
),
aligned AS (
    SELECT o.*,
           CAST(CASE WHEN o.open_in_data THEN o.probability ELSE CAST(:expansion_win_rate AS DECIMAL(5, 4)) END AS DECIMAL(5, 4)) AS stage_probability,
           r.contract_id AS renewal_contract_id,
           r.model_probability AS renewal_model_probability,
           r.adjusted_probability AS renewal_adjusted_probability,
           coalesce(r.renewal_quarter_start, d.fiscal_quarter_start) AS quarter_start
    FROM opportunity o
    -- Only the renewal lines of these opportunities' contracts (the join was built on every line otherwise).
    LEFT JOIN (SELECT * FROM forecast_renewal_line WHERE contract_id IN (SELECT contract_id FROM opportunity)) r ON r.contract_id = o.contract_id
                                     AND o.expected_close BETWEEN r.end_date - 90 AND r.end_date + 30
    JOIN dim_date d ON d.date_key = greatest(o.expected_close, CAST(:as_of AS DATE))
)
SELECT al.*,
       al.renewal_contract_id IS NOT NULL AS aligned_to_renewal,
       CAST(round(al.stage_probability * coalesce(al.renewal_model_probability, 1), 4) AS DECIMAL(5, 4)) AS model_probability,
       a.adjustment_id,
       a.adjusted_probability AS override_probability,
       a.adjusted_amount AS override_amount,
       CAST(coalesce(a.adjusted_probability, round(al.stage_probability * coalesce(al.renewal_adjusted_probability, 1), 4)) AS DECIMAL(5, 4))
           AS adjusted_probability,
       coalesce(a.adjusted_amount, al.amount_reporting) AS adjusted_amount
FROM aligned al
LEFT JOIN adjustment a ON a.target_id = al.opportunity_id AND NOT a.cleared
