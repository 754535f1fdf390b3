-- Credited outcome value per programme and outcome type in a period: computed credits of outcomes no
-- recorded outcome supersedes, and the allocations of recorded outcomes. A recorded outcome whose
-- reference names an outcome of the build (an expansion deal, a renewal) takes that outcome's place,
-- so it counts on that outcome's date, in its period, whatever its own date; any other recorded
-- outcome counts on its own date (cs_portfolio_expansion.sql reconciles with the same rule).
SELECT c.program_id, c.outcome_type, sum(c.attributed_amount) AS amount
FROM attribution_cs_credit c
WHERE c.build_id = :build_id
  AND c.outcome_date BETWEEN :range_from AND :range_to
  AND NOT EXISTS (SELECT 1 FROM attribution_cs_outcome o WHERE o.reference = c.outcome_id AND o.outcome_type = c.outcome_type)
GROUP BY c.program_id, c.outcome_type
UNION ALL
SELECT a.program_id, o.outcome_type, sum(a.attributed_amount)
FROM attribution_cs_outcome o
JOIN attribution_cs_allocation a ON a.outcome_id = o.outcome_id
LEFT JOIN attribution_cs_outcome_base b ON b.build_id = :build_id AND b.outcome_type = o.outcome_type AND b.outcome_id = o.reference
WHERE coalesce(b.outcome_date, o.outcome_date) BETWEEN :range_from AND :range_to AND o.reporting_currency = :reporting_currency
GROUP BY a.program_id, o.outcome_type
