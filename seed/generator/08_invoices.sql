-- Invoices, issued in advance on the first day of each service period up to 2025-12-31:
-- SMB customers pay monthly, mid-market and enterprise customers the whole term upfront. The
-- invoices of a term add up exactly to its contract value: the last one takes the rounding rest.
-- New mid-market and enterprise customers also buy an onboarding package (professional
-- services), invoiced at signature without a subscription.

CREATE TEMP TABLE seed_invoice AS
WITH periods AS (
    SELECT s.subscription_id, s.customer_id, s.product_id, s.billing_currency, s.start_date, s.end_date, s.term_value, s.mrr, s.full_term,
           p.period_no,
           CAST(s.start_date + to_months(CAST(p.period_no AS INTEGER)) AS DATE) AS service_start,
           CAST(least(s.start_date + to_months(CAST(p.period_no + 1 AS INTEGER)), s.end_date) AS DATE) - 1 AS service_end
    FROM seed_subscription s
    CROSS JOIN range(12) AS p (period_no)
    WHERE s.segment = 'SMB' AND s.start_date + to_months(CAST(p.period_no AS INTEGER)) < s.end_date
),
monthly AS (
    SELECT *,
           CASE WHEN full_term THEN mrr
                ELSE CAST(term_value * (service_end - service_start + 1) / (end_date - start_date) AS DECIMAL(18, 2)) END AS regular_amount,
           max(period_no) OVER (PARTITION BY subscription_id) AS last_period_no
    FROM periods
),
amounts AS (
    SELECT *,
           CASE WHEN period_no < last_period_no THEN regular_amount
                ELSE term_value - coalesce(sum(regular_amount) OVER (PARTITION BY subscription_id ORDER BY period_no
                                                                     ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) END AS amount
    FROM monthly
)
SELECT 'INV-' || substr(subscription_id, 5) || '-' || lpad(CAST(period_no + 1 AS VARCHAR), 2, '0') AS invoice_id,
       customer_id, subscription_id, service_start AS invoice_date, service_start, service_end,
       CAST(amount AS DECIMAL(18, 2)) AS amount, billing_currency AS currency_code, product_id
FROM amounts
UNION ALL
SELECT 'INV-' || substr(subscription_id, 5),
       customer_id, subscription_id, start_date, start_date, end_date - 1, term_value, billing_currency, product_id
FROM seed_subscription
WHERE segment <> 'SMB'
UNION ALL
SELECT 'INV-' || substr(s.customer_id, 5) || '-ONBOARDING',
       s.customer_id, NULL, s.start_date, s.start_date, s.start_date + 59,
       CAST(12 * s.mrr * CASE s.segment WHEN 'ENTERPRISE' THEN 0.10 ELSE 0.06 END AS DECIMAL(18, 2)),
       s.billing_currency, s.product_id
FROM seed_subscription s
JOIN seed_customer c USING (customer_no)
WHERE s.role = 'MAIN' AND s.term_no = 0 AND s.segment <> 'SMB' AND c.journey_id IS NOT NULL;

INSERT INTO fact_invoice
SELECT invoice_id, customer_id, subscription_id, invoice_date, service_start, service_end, amount, currency_code
FROM seed_invoice
WHERE invoice_date <= DATE '2025-12-31';
