-- Customer success: monthly health scores and the activities of the CS programmes.
--
-- The score of a month is the term's latent health plus noise; in the last three months before a
-- churn it slides, as real health scores do. Activities follow each programme's schedule within a
-- term: onboarding for new customers, QBRs for mid-market and enterprise, success plans and
-- training for the enrolled terms, escalations for sick accounts. Costs are hours at the CS team's
-- loaded hourly rate in the customer's billing currency (US dollars for Canadian customers).

INSERT INTO fact_health_score
WITH months AS (
    SELECT customer_no, customer_id, term_end, health, renews,
           unnest(seed_months(greatest(term_start, DATE '2023-01-01'), least(term_end - 1, DATE '2025-12-31'))) AS scored_on
    FROM seed_term
),
scored AS (
    SELECT customer_id, scored_on,
           greatest(0, least(100, round(health + seed_between2(customer_no, scored_on, 'health-noise', -7, 7)
               - CASE WHEN renews THEN 0 ELSE 2 * greatest(0, 3 - datediff('month', scored_on, term_end)) END))) AS score
    FROM months
)
SELECT customer_id, scored_on, CAST(score AS SMALLINT), seed_risk_band(score)
FROM scored;

CREATE TEMP TABLE seed_cs_schedule AS
SELECT program_id, occurrence, day_offset, CAST(min_hours AS DOUBLE) AS min_hours, CAST(max_hours AS DOUBLE) AS max_hours
FROM (VALUES
    ('CSP-ONBOARDING',   1,   3, 2.0, 5.0), ('CSP-ONBOARDING',   2,  14, 1.5, 4.0),
    ('CSP-ONBOARDING',   3,  30, 1.0, 3.0), ('CSP-ONBOARDING',   4,  50, 1.0, 2.0),
    ('CSP-QBR',          1,  80, 2.0, 4.0), ('CSP-QBR',          2, 170, 2.0, 4.0),
    ('CSP-QBR',          3, 260, 2.0, 4.0), ('CSP-QBR',          4, 330, 3.0, 6.0),
    ('CSP-SUCCESS-PLAN', 1,  20, 2.0, 6.0), ('CSP-SUCCESS-PLAN', 2,  50, 1.0, 3.0),
    ('CSP-SUCCESS-PLAN', 3,  80, 1.0, 3.0), ('CSP-SUCCESS-PLAN', 4, 110, 1.0, 3.0),
    ('CSP-SUCCESS-PLAN', 5, 140, 1.0, 3.0), ('CSP-SUCCESS-PLAN', 6, 170, 1.5, 4.0),
    ('CSP-SUCCESS-PLAN', 7, 200, 1.0, 3.0), ('CSP-SUCCESS-PLAN', 8, 230, 1.0, 3.0),
    ('CSP-SUCCESS-PLAN', 9, 260, 1.0, 3.0), ('CSP-SUCCESS-PLAN', 10, 290, 1.5, 4.0),
    ('CSP-TRAINING',     1,  15, 2.0, 4.0), ('CSP-TRAINING',     2,  45, 2.0, 4.0),
    ('CSP-TRAINING',     3, 100, 1.5, 3.0), ('CSP-TRAINING',     4, 190, 1.5, 3.0),
    ('CSP-ESCALATION',   1,  60, 3.0, 10.0), ('CSP-ESCALATION',  2, 150, 3.0, 10.0),
    ('CSP-ESCALATION',   3, 240, 2.0, 8.0)
) AS schedule (program_id, occurrence, day_offset, min_hours, max_hours);

INSERT INTO fact_cs_activity
WITH eligible AS (
    SELECT t.customer_no, t.customer_id, t.term_no, t.term_start, t.term_end, t.billing_currency, s.*
    FROM seed_term t
    CROSS JOIN seed_cs_schedule s
    WHERE CASE s.program_id
              WHEN 'CSP-ONBOARDING' THEN t.term_no = 0 AND t.term_start = t.acquired_on
              WHEN 'CSP-QBR' THEN t.segment <> 'SMB'
              WHEN 'CSP-SUCCESS-PLAN' THEN t.success_plan
              WHEN 'CSP-TRAINING' THEN t.training
              WHEN 'CSP-ESCALATION' THEN s.occurrence <= CASE WHEN t.health < 38 THEN 3 WHEN t.health < 44 THEN 2 WHEN t.health < 48 THEN 1 ELSE 0 END
          END
),
dated AS (
    SELECT *,
           term_start + day_offset + seed_bucket2(customer_no, term_no * 1000 + occurrence, program_id, 10) AS occurred_on,
           CAST(round(min_hours + (max_hours - min_hours) * seed_unit2(customer_no, term_no * 1000 + occurrence, program_id || '-hours'), 1)
                AS DECIMAL(8, 2)) AS hours,
           CASE billing_currency WHEN 'CAD' THEN 'USD' ELSE billing_currency END AS currency_code
    FROM eligible
)
SELECT 'ACT-' || substr(customer_id, 5) || '-' || (term_no + 1) || '-' || replace(program_id, 'CSP-', '') || '-' || occurrence,
       customer_id, program_id, occurred_on, hours,
       CAST(hours * CASE currency_code WHEN 'EUR' THEN 105 WHEN 'GBP' THEN 95 ELSE 120 END AS DECIMAL(18, 2)),
       currency_code
FROM dated
WHERE occurred_on < term_end AND occurred_on BETWEEN DATE '2023-01-01' AND DATE '2025-12-31';
