-- Each renewal opportunity of a contract with the day the contract's next one was created: ordered
-- by creation day, then opportunity id, an opportunity is the contract's latest from its creation
-- until (not including) the next one's. So the latest as of a day is the one whose span holds the day,
-- a filter instead of a grouping per as-of date. An opportunity followed by one created the same day
-- (with a larger id) is never the latest: its span is empty.
SELECT contract_id, opportunity_id, stage, amount, currency_code, closed_on, probability AS crm_probability, created_on,
       lead(created_on) OVER (PARTITION BY contract_id ORDER BY created_on, opportunity_id) AS superseded_on
FROM fact_renewal_pipeline
WHERE kind = 'RENEWAL' AND contract_id IS NOT NULL AND created_on IS NOT NULL
