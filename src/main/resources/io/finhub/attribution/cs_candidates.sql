-- A customer's CS activities in a window before an outcome, with the health score on or before each
-- activity and the last score after it up to the outcome.
WITH candidate AS (
    SELECT activity_id, program_id, customer_id, occurred_on, CAST(:outcome_date AS DATE) AS outcome_date
    FROM fact_cs_activity
    WHERE customer_id = :customer_id AND occurred_on BETWEEN :window_start AND :outcome_date
),
before AS (
    SELECT c.*, h.scored_on AS before_on, h.health_score AS before_score
    FROM candidate c ASOF LEFT JOIN fact_health_score h ON h.customer_id = c.customer_id AND c.occurred_on >= h.scored_on
)
SELECT b.activity_id, b.program_id, b.occurred_on, b.before_on, CAST(b.before_score AS INTEGER) AS before_score,
       h.scored_on AS after_on, CAST(h.health_score AS INTEGER) AS after_score
FROM before b
ASOF LEFT JOIN fact_health_score h ON h.customer_id = b.customer_id AND b.outcome_date >= h.scored_on
ORDER BY b.occurred_on, b.activity_id
