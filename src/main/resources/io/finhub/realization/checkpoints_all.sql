-- One checkpoint per contract and fiscal quarter it overlaps, up to the quarter holding the data
-- as-of date: the quarter end, or the contract end when the contract ends inside the quarter.
SELECT c.contract_id, q.quarter_start, least(q.quarter_end, c.end_date) AS as_of
FROM dim_contract c
JOIN (SELECT DISTINCT fiscal_quarter_start AS quarter_start,
             CAST(fiscal_quarter_start + INTERVAL 3 MONTH AS DATE) - 1 AS quarter_end
      FROM dim_date) q
  ON q.quarter_start <= c.end_date AND q.quarter_end >= c.start_date
WHERE q.quarter_start <= getvariable('realization_data_as_of')
