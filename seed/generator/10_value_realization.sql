-- Value realization: what each contract promises and what the customer gets.
--
-- Every contract commits to two KPIs over its term: seat adoption of 80 % and 30 hours saved per
-- licensed seat and year. Delivered values are measured at the end of each contract quarter;
-- hours saved is cumulative since the contract start, seat adoption a point-in-time percentage.
-- Both, like monthly seat utilization and feature adoption, follow the term's health.

INSERT INTO fact_contract_commitment
SELECT 'COM-' || substr(contract_id, 5) || '-ADOPTION', contract_id, 'seat_adoption_pct', 'percent',
       CAST(80 AS DECIMAL(18, 4)), start_date, end_date - 1
FROM seed_subscription
UNION ALL
SELECT 'COM-' || substr(contract_id, 5) || '-HOURS', contract_id, 'hours_saved', 'hours',
       CAST(round(30 * subscribed_seats * (end_date - start_date) / 365.0) AS DECIMAL(18, 4)), start_date, end_date - 1
FROM seed_subscription;

INSERT INTO fact_success_metric
WITH quarters AS (
    SELECT s.*, q.quarter_no,
           CAST(s.start_date + to_months(CAST(3 * q.quarter_no AS INTEGER)) AS DATE) - 1 AS measured_on
    FROM seed_subscription s
    CROSS JOIN range(1, 5) AS q (quarter_no)
),
measured AS (
    SELECT *,
           (measured_on - start_date + 1) / CAST(end_date - start_date AS DOUBLE) AS elapsed
    FROM quarters
    WHERE measured_on < end_date AND measured_on BETWEEN DATE '2023-01-01' AND DATE '2025-12-31'
)
SELECT contract_id, 'seat_adoption_pct', measured_on,
       CAST(round(greatest(0, least(100, 22 + 0.72 * health + 2.5 * quarter_no
                  + seed_between2(contract_id, quarter_no, 'adoption-noise', -8, 8))), 1) AS DECIMAL(18, 4))
FROM measured
UNION ALL
SELECT contract_id, 'hours_saved', measured_on,
       CAST(round(30 * subscribed_seats * (end_date - start_date) / 365.0 * elapsed
                  * (0.35 + 0.9 * health / 100) * seed_between2(contract_id, quarter_no, 'hours-noise', 0.9, 1.1), 1) AS DECIMAL(18, 4))
FROM measured;

INSERT INTO fact_utilization
WITH months AS (
    SELECT contract_id, subscribed_seats, health, start_date, term_no, role,
           unnest(seed_months(greatest(start_date, DATE '2023-01-01'), least(end_date - 1, DATE '2025-12-31'))) AS measured_on
    FROM seed_subscription
),
ramped AS (
    -- New deployments take three months to ramp up.
    SELECT *,
           CASE WHEN term_no = 0 OR role = 'ADDON' THEN least(1.0, datediff('day', start_date, measured_on) / 90.0) ELSE 1.0 END AS ramp
    FROM months
)
SELECT contract_id, measured_on,
       CAST(round(subscribed_seats * greatest(0.02, least(1.0, (0.18 + 0.78 * health / 100) * (0.6 + 0.4 * ramp)
                  + seed_between2(contract_id, measured_on, 'seat-noise', -0.06, 0.06)))) AS INTEGER),
       subscribed_seats,
       CAST(round(greatest(0, least(100, 0.9 * health - 10 * (1 - ramp)
                  + seed_between2(contract_id, measured_on, 'feature-noise', -8, 8))), 2) AS DECIMAL(5, 2))
FROM ramped;
