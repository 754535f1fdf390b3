-- Closed deals, valued at annual contract value (ACV) in the billing currency:
--   NEW_BUSINESS  the first term of a customer won through a journey, when the journey converted;
--   RENEWAL       each renewed subscription term, at the renewed seats and the new price;
--   EXPANSION     seats added at a renewal, and an add-on product sold mid-term (no journey).

INSERT INTO fact_conversion
SELECT 'CNV-NB-' || substr(s.customer_id, 5),
       c.journey_id, s.customer_id, s.product_id, 'NEW_BUSINESS', c.converted_at,
       CAST(12 * s.mrr AS DECIMAL(18, 2)), s.billing_currency
FROM seed_subscription s
JOIN seed_customer c USING (customer_no)
WHERE s.role = 'MAIN' AND s.term_no = 0 AND c.journey_id IS NOT NULL

UNION ALL
SELECT 'CNV-RN-' || substr(subscription_id, 5),
       NULL, customer_id, product_id, 'RENEWAL',
       CAST(renewal_closed_on AS TIMESTAMP) + to_seconds(CAST(floor(seed_unit(subscription_id, 'renewal-clock') * 32400) + 30600 AS BIGINT)),
       renewal_value, billing_currency
FROM seed_subscription
WHERE renewed

UNION ALL
SELECT 'CNV-UP-' || substr(subscription_id, 5),
       NULL, customer_id, product_id, 'EXPANSION',
       CAST(renewal_closed_on AS TIMESTAMP) + to_seconds(CAST(floor(seed_unit(subscription_id, 'renewal-clock') * 32400) + 30600 AS BIGINT)),
       upsell_value, billing_currency
FROM seed_subscription
WHERE renewed AND seats_added_at_renewal > 0

UNION ALL
SELECT 'CNV-XS-' || substr(subscription_id, 5),
       NULL, customer_id, product_id, 'EXPANSION',
       CAST(start_date AS TIMESTAMP) + to_seconds(CAST(floor(seed_unit(subscription_id, 'cross-sell-clock') * 32400) + 30600 AS BIGINT)),
       CAST(12 * mrr AS DECIMAL(18, 2)), billing_currency
FROM seed_subscription
WHERE role = 'ADDON' AND NOT full_term;
