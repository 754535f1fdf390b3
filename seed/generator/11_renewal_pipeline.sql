-- Renewal and expansion pipeline as the CRM shows it on 2025-12-31.
--
-- Every subscription term gets a RENEWAL opportunity about 120 days before it ends: closed won or
-- lost as it happened when the term ended by 2025-12-31, otherwise open in a stage that follows
-- the days left, with a probability blending the stage and the account's health. EXPANSION
-- opportunities: one won per expansion deal, some lost ones on healthy or enrolled accounts, and
-- open ones on current terms.

INSERT INTO fact_renewal_pipeline
WITH renewals AS (
    SELECT *,
           end_date - 120 + seed_bucket2(subscription_id, 0, 'renewal-created', 11) - 5 AS created_on,
           end_date - DATE '2025-12-31' AS days_left
    FROM seed_subscription
)
SELECT 'OPP-RN-' || substr(subscription_id, 5), customer_id, contract_id, 'RENEWAL',
       CASE WHEN renewed THEN 'CLOSED_WON'
            WHEN renewal_decided THEN 'CLOSED_LOST'
            WHEN days_left > 90 THEN 'DISCOVERY'
            WHEN days_left > 60 THEN 'PROPOSAL'
            WHEN days_left > 30 THEN 'NEGOTIATION'
            ELSE 'COMMIT' END,
       CAST(CASE WHEN renewed THEN 1
                 WHEN renewal_decided THEN 0
                 ELSE round(0.5 * seed_renewal_probability(health)
                            + 0.5 * CASE WHEN days_left > 90 THEN 0.2 WHEN days_left > 60 THEN 0.4 WHEN days_left > 30 THEN 0.6 ELSE 0.8 END, 4)
            END AS DECIMAL(5, 4)),
       renewal_value, billing_currency, created_on,
       CASE WHEN renewal_decided THEN end_date - 7 ELSE greatest(end_date - 7, DATE '2026-01-02') END,
       CASE WHEN renewal_decided THEN renewal_closed_on END
FROM renewals
WHERE created_on <= DATE '2025-12-31';

INSERT INTO fact_renewal_pipeline
WITH won AS (
    -- Upsells are worked on the expiring main term, cross-sells on the main term they land in.
    SELECT 'OPP-UP-' || substr(s.subscription_id, 5) AS opportunity_id, s.customer_id, s.contract_id,
           s.upsell_value AS amount, s.billing_currency, s.renewal_closed_on AS closed_on
    FROM seed_subscription s
    WHERE s.renewed AND s.seats_added_at_renewal > 0
    UNION ALL
    SELECT 'OPP-XS-' || substr(addon.subscription_id, 5), addon.customer_id, main.contract_id,
           CAST(12 * addon.mrr AS DECIMAL(18, 2)), addon.billing_currency, addon.start_date
    FROM seed_subscription addon
    JOIN seed_subscription main ON main.customer_no = addon.customer_no AND main.term_no = addon.term_no AND main.role = 'MAIN'
    WHERE addon.role = 'ADDON' AND NOT addon.full_term
)
SELECT opportunity_id, customer_id, contract_id, 'EXPANSION', 'CLOSED_WON', CAST(1 AS DECIMAL(5, 4)), amount, billing_currency,
       closed_on - 30 - seed_bucket2(opportunity_id, 0, 'expansion-cycle', 60), closed_on, closed_on
FROM won;

INSERT INTO fact_renewal_pipeline
WITH candidates AS (
    SELECT *,
           term_start + 60 + seed_bucket2(subscription_id, 0, 'lost-expansion-start', 140) AS lost_created_on,
           seed_unit(subscription_id, 'expansion-opportunity') AS opportunity_draw
    FROM seed_subscription
    WHERE role = 'MAIN'
)
SELECT 'OPP-LX-' || substr(subscription_id, 5), customer_id, contract_id, 'EXPANSION', 'CLOSED_LOST', CAST(0 AS DECIMAL(5, 4)),
       CAST(3 * mrr AS DECIMAL(18, 2)), billing_currency,
       lost_created_on, lost_created_on + 45, lost_created_on + 30 + seed_bucket2(subscription_id, 0, 'lost-expansion-cycle', 45)
FROM candidates
WHERE opportunity_draw < 0.15 AND (success_plan OR training OR health >= 70) AND seats_added_at_renewal = 0
  AND lost_created_on + 75 <= DATE '2025-12-31'
UNION ALL
SELECT 'OPP-OX-' || substr(subscription_id, 5), customer_id, contract_id, 'EXPANSION',
       ['DISCOVERY', 'PROPOSAL', 'NEGOTIATION'][1 + seed_bucket2(subscription_id, 0, 'open-expansion-stage', 3)],
       CAST([0.15, 0.35, 0.55][1 + seed_bucket2(subscription_id, 0, 'open-expansion-stage', 3)] AS DECIMAL(5, 4)),
       CAST(12 * mrr * seed_between2(subscription_id, 0, 'open-expansion-size', 0.15, 0.40) AS DECIMAL(18, 2)), billing_currency,
       greatest(term_start, DATE '2025-12-31' - 10 - seed_bucket2(subscription_id, 0, 'open-expansion-created', 80)),
       DATE '2025-12-31' + 30 + seed_bucket2(subscription_id, 0, 'open-expansion-close', 90),
       NULL
FROM candidates
WHERE term_start <= DATE '2025-12-31' AND end_date > DATE '2025-12-31'
  AND opportunity_draw >= 0.85 AND opportunity_draw < 0.90 + CASE WHEN success_plan OR training THEN 0.08 ELSE 0 END;
