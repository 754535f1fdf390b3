-- Expansion opportunities open on the as-of date (created by then, not closed by then), expected to
-- close by the horizon end, with the contract they are worked on. Amounts in the reporting
-- currency at the as-of date rate.
SELECT e.opportunity_id, e.customer_id, cu.customer_name, cu.segment, e.contract_id, e.stage, e.probability,
       e.closed_on IS NULL AS open_in_data,
       e.amount, e.currency_code,
       CAST({amount_reporting} AS DECIMAL(18, 2)) AS amount_reporting,
       e.created_on, e.expected_close
FROM fact_renewal_pipeline e
-- Only the customers of these opportunities are read (on the l scale 63,000 of 1.1 million; DuckDB
-- otherwise built its join on every customer, 0.1 s of the forecast's expansion lines).
JOIN (SELECT customer_id, customer_name, segment FROM dim_customer
      WHERE customer_id IN (SELECT customer_id FROM fact_renewal_pipeline
                            WHERE kind = 'EXPANSION' AND created_on <= :as_of AND (closed_on IS NULL OR closed_on > :as_of)
                              AND expected_close <= :horizon_end)) cu ON cu.customer_id = e.customer_id
{amount_fx_join}
WHERE e.kind = 'EXPANSION' AND e.created_on <= :as_of AND (e.closed_on IS NULL OR e.closed_on > :as_of)
  AND e.expected_close <= :horizon_end
