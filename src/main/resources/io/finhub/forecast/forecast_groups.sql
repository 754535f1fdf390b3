-- Forecast figures per group of lines: renewal quarter x segment, quarter, segment and all, from the
-- renewal and expansion lines. Expected values are sums of per-line amount x probability, each
-- rounded to the cent, so groups add up to their total exactly. For the ranges: the certain part
-- (probability 1), and the count, mean, variance and maximum of the uncertain outcomes (in cents).
WITH outcome AS (
    SELECT 'RENEWAL' AS kind, segment, renewal_quarter_start AS quarter_start, status = 'OPEN' AS open_line,
           amount_reporting AS amount, model_probability, adjusted_amount, adjusted_probability, adjustment_id IS NOT NULL AS adjusted
    FROM forecast_renewal_line
    UNION ALL
    SELECT 'EXPANSION', segment, quarter_start, true, amount_reporting, model_probability, adjusted_amount, adjusted_probability,
           adjustment_id IS NOT NULL
    FROM forecast_expansion_line
),
valued AS (
    SELECT *,
           round(amount * model_probability, 2) AS model_expected,
           round(adjusted_amount * adjusted_probability, 2) AS adjusted_expected,
           CAST(round(amount * 100) AS BIGINT) AS model_cents,
           CAST(round(adjusted_amount * 100) AS BIGINT) AS adjusted_cents,
           CAST(model_probability AS DOUBLE) AS mp,
           CAST(adjusted_probability AS DOUBLE) AS ap
    FROM outcome
),
-- Every figure is a sum (or count) of lines, so the lines are added up once per segment and quarter
-- and those few rows rolled up into the other groups (no lines: one all-zero total, as before): a third of the time of
-- grouping the lines four ways.
fine AS (
    SELECT segment, quarter_start,
           count(*) FILTER (WHERE kind = 'RENEWAL') AS renewals,
           count(*) FILTER (WHERE kind = 'RENEWAL' AND open_line) AS open_renewals,
           count(*) FILTER (WHERE kind = 'EXPANSION') AS expansions,
           count(*) FILTER (WHERE adjusted) AS adjusted_lines,
           coalesce(sum(amount) FILTER (WHERE kind = 'RENEWAL'), 0) AS arr_up_for_renewal,
           coalesce(sum(amount) FILTER (WHERE kind = 'EXPANSION'), 0) AS expansion_pipeline,
           coalesce(sum(model_expected) FILTER (WHERE kind = 'RENEWAL'), 0) AS model_renewal,
           coalesce(sum(adjusted_expected) FILTER (WHERE kind = 'RENEWAL'), 0) AS adjusted_renewal,
           coalesce(sum(model_expected) FILTER (WHERE kind = 'EXPANSION'), 0) AS model_expansion,
           coalesce(sum(adjusted_expected) FILTER (WHERE kind = 'EXPANSION'), 0) AS adjusted_expansion,
           {moments}
    FROM valued
    GROUP BY segment, quarter_start
)
SELECT grouping(segment) AS all_segments, grouping(quarter_start) AS all_quarters, segment, quarter_start,
       CAST(coalesce(sum(renewals), 0) AS BIGINT) AS renewals,
       CAST(coalesce(sum(open_renewals), 0) AS BIGINT) AS open_renewals,
       CAST(coalesce(sum(expansions), 0) AS BIGINT) AS expansions,
       CAST(coalesce(sum(adjusted_lines), 0) AS BIGINT) AS adjusted_lines,
       coalesce(sum(arr_up_for_renewal), 0) AS arr_up_for_renewal,
       coalesce(sum(expansion_pipeline), 0) AS expansion_pipeline,
       coalesce(sum(model_renewal), 0) AS model_renewal,
       coalesce(sum(adjusted_renewal), 0) AS adjusted_renewal,
       coalesce(sum(model_expansion), 0) AS model_expansion,
       coalesce(sum(adjusted_expansion), 0) AS adjusted_expansion,
       {moments_rollup}
FROM fine
GROUP BY GROUPING SETS ((segment, quarter_start), (quarter_start), (segment), ())
ORDER BY all_segments, all_quarters, quarter_start, segment
