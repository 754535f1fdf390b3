-- Each utilisation reading with the day the contract's next one was taken: the latest reading on a
-- day is the one whose span holds the day.
SELECT contract_id, measured_on, seats_used, seats_licensed, feature_adoption_pct,
       lead(measured_on) OVER (PARTITION BY contract_id ORDER BY measured_on) AS next_on
FROM fact_utilization
