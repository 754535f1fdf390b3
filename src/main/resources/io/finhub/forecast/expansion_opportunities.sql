-- Expansion opportunities open on the as-of date (created by then, not closed by then), expected to
-- close by the horizon end, with the contract they are worked on. Amounts in the reporting
-- currency at the as-of date rate.
SELECT e.opportunity_id, e.customer_id, cu.customer_name, cu.segment, e.contract_id, e.stage, e.probability,
       e.closed_on IS NULL AS open_in_data,
       e.amount, e.currency_code,
       CAST({amount_reporting} AS DECIMAL(18, 2)) AS amount_reporting,
       e.created_on, e.expected_close
FROM fact_renewal_pipeline e
JOIN dim_customer cu ON cu.customer_id = e.customer_id
{amount_fx_join}
WHERE e.kind = 'EXPANSION' AND e.created_on <= :as_of AND (e.closed_on IS NULL OR e.closed_on > :as_of)
  AND e.expected_close <= :horizon_end
