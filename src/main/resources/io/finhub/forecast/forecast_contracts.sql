-- What the renewal cases read of each contract that does not depend on the as-of date: the contract,
-- its customer, and twelve months of its subscriptions (the renewal value without an opportunity).
SELECT c.contract_id, c.customer_id, c.product_id, c.start_date, c.end_date, c.committed_value, c.currency_code,
       cu.segment, cu.customer_name, coalesce(cu.acquired_on, c.start_date) AS customer_since,
       s.arr, s.currency_code AS arr_currency_code
FROM dim_contract c
JOIN dim_customer cu ON cu.customer_id = c.customer_id
LEFT JOIN (
    SELECT contract_id, sum(mrr) * 12 AS arr, any_value(currency_code) AS currency_code
    FROM fact_subscription
    WHERE contract_id IS NOT NULL
    GROUP BY contract_id
) s ON s.contract_id = c.contract_id
