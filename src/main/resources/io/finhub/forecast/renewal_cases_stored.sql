-- The renewal cases of renewal_cases.sql (which defines them), computed from the tables a renewal build stores of
-- one facts version (ForecastSql.Stored): the contracts (forecast_contracts.sql) with their integer keys, the renewal
-- opportunities, health scores and utilisation readings each with the span of days it is the latest
-- (forecast_*_spans.sql), and the customer-success activities.
-- The latest opportunity, health score and utilisation reading of a day are filters on the spans instead of
-- groupings of every opportunity, score and reading; the signals of the cases whose snapshot is the as-of date
-- (every open renewal) are read for the day once per customer or contract, the others' (decided cases, whose
-- snapshot is their quarter's first day) by joining each case to its history.
--
-- Every join is on the integer keys contract_no and customer_no, and the text columns (ids, names) are joined
-- once, at the end: with the text ids carried through each join the m scale took 290 ms for 78,000 cases, with
-- integers 210 ms (l: 2.0 s and 1.5 s for 784,000).
-- ForecastSql fills in the stored tables, the contracts to consider (the table, or some of its rows) and the case
-- filter (SQL over the contracts c, their quarter q and renewal r).
WITH renewal AS (
    SELECT contract_no, span_no, stage, amount, currency_code, closed_on, crm_probability, superseded_on
    FROM {renewal_spans}
    WHERE created_on <= :as_of AND (superseded_on IS NULL OR superseded_on > :as_of)
),
cases AS (
    SELECT c.contract_no, c.customer_no, c.customer_since,
           q.fiscal_quarter_start AS renewal_quarter_start,
           r.span_no, r.stage, r.closed_on, r.crm_probability,
           {case_outcome}
    FROM {contracts} c
    JOIN dim_date q ON q.date_key = c.end_date
    LEFT JOIN renewal r ON r.contract_no = c.contract_no
    WHERE ((:include_decided AND r.stage IN ('CLOSED_WON', 'CLOSED_LOST') AND r.closed_on <= :as_of)
           OR (c.end_date BETWEEN :as_of AND :horizon_end AND c.start_date <= :as_of))
      AND {case_filter}
),
dated AS MATERIALIZED (
    SELECT *, snapshot - 90 AS trend_from, snapshot - 180 AS activity_from
    FROM (SELECT *, CASE WHEN decided THEN least(renewal_quarter_start, CAST(:as_of AS DATE)) ELSE CAST(:as_of AS DATE) END AS snapshot
          FROM cases)
),
health AS (
    SELECT d.contract_no,
           CASE WHEN n.scored_on > d.snapshot - 400 THEN n.health_score END AS health_now,
           CASE WHEN b.scored_on > d.snapshot - 400 THEN b.health_score END AS health_before
    FROM dated d
    LEFT JOIN (SELECT customer_no, scored_on, health_score FROM {health_spans}
               WHERE scored_on > CAST(:as_of AS DATE) - 400 AND scored_on <= CAST(:as_of AS DATE)
                 AND (next_on IS NULL OR next_on > CAST(:as_of AS DATE))) n ON n.customer_no = d.customer_no
    LEFT JOIN (SELECT customer_no, scored_on, health_score FROM {health_spans}
               WHERE scored_on > CAST(:as_of AS DATE) - 400 AND scored_on <= CAST(:as_of AS DATE) - 90
                 AND (next_on IS NULL OR next_on > CAST(:as_of AS DATE) - 90)) b ON b.customer_no = d.customer_no
    WHERE d.snapshot = CAST(:as_of AS DATE)
    UNION ALL
    SELECT d.contract_no,
           arg_max(h.health_score, h.scored_on) FILTER (WHERE h.scored_on <= d.snapshot) AS health_now,
           arg_max(h.health_score, h.scored_on) FILTER (WHERE h.scored_on <= d.trend_from) AS health_before
    FROM dated d
    JOIN {health_spans} h ON h.customer_no = d.customer_no AND h.scored_on > d.snapshot - 400 AND h.scored_on <= d.snapshot
    WHERE d.snapshot <> CAST(:as_of AS DATE)
    GROUP BY d.contract_no
),
usage AS (
    SELECT d.contract_no, u.seats_used, u.seats_licensed, u.feature_adoption_pct
    FROM dated d
    JOIN (SELECT contract_no, seats_used, seats_licensed, feature_adoption_pct FROM {usage_spans}
          WHERE measured_on <= CAST(:as_of AS DATE) AND (next_on IS NULL OR next_on > CAST(:as_of AS DATE))) u
      ON u.contract_no = d.contract_no
    WHERE d.snapshot = CAST(:as_of AS DATE)
    UNION ALL
    SELECT d.contract_no,
           arg_max(u.seats_used, u.measured_on) AS seats_used,
           arg_max(u.seats_licensed, u.measured_on) AS seats_licensed,
           arg_max(u.feature_adoption_pct, u.measured_on) AS feature_adoption_pct
    FROM dated d
    JOIN {usage_spans} u ON u.contract_no = d.contract_no AND u.measured_on <= d.snapshot
    WHERE d.snapshot <> CAST(:as_of AS DATE)
    GROUP BY d.contract_no
),
activity AS (
    SELECT d.contract_no, o.escalations, o.programme_activities
    FROM dated d
    JOIN (SELECT customer_no, count(*) FILTER (WHERE escalation) AS escalations, count(*) FILTER (WHERE programme) AS programme_activities
          FROM {activities}
          WHERE occurred_on > CAST(:as_of AS DATE) - 180 AND occurred_on <= CAST(:as_of AS DATE)
          GROUP BY customer_no) o ON o.customer_no = d.customer_no
    WHERE d.snapshot = CAST(:as_of AS DATE)
    UNION ALL
    SELECT d.contract_no, count(*) FILTER (WHERE a.escalation), count(*) FILTER (WHERE a.programme)
    FROM dated d
    JOIN {activities} a ON a.customer_no = d.customer_no AND a.occurred_on > d.activity_from AND a.occurred_on <= d.snapshot
    WHERE d.snapshot <> CAST(:as_of AS DATE)
    GROUP BY d.contract_no
),
-- The dated cases with their contracts' and opportunities' text columns, in the column names renewal_cases.sql has.
named AS (
    SELECT d.*, f.contract_id, f.customer_id, f.customer_name, f.segment, f.product_id, f.start_date, f.end_date, o.opportunity_id
    FROM dated d
    JOIN {contract_table} f ON f.contract_no = d.contract_no
    LEFT JOIN {renewal_spans} o ON o.span_no = d.span_no
)
SELECT d.contract_id, d.customer_id, d.customer_name, d.segment, d.product_id, d.start_date, d.end_date, d.renewal_quarter_start, d.snapshot,
       d.opportunity_id, d.stage, d.closed_on, d.decided, d.renewed,
       {case_signals}
FROM named d
{amount_fx_join}
LEFT JOIN health hs ON hs.contract_no = d.contract_no
LEFT JOIN usage u ON u.contract_no = d.contract_no
LEFT JOIN activity a ON a.contract_no = d.contract_no
