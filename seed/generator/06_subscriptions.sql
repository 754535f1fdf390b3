-- Subscription terms and contracts.
--
-- Every customer signs a 12-month term of its primary product (MRR = seats x price per seat) and
-- renews at each term end with a probability that rises steeply with the term's latent health.
-- Customers in a success plan or training programme are healthier and more likely to expand:
-- extra seats at renewal (an upsell), or an add-on product bought mid-term and co-terminated with
-- the main term (a cross-sell). An add-on can be dropped at a renewal while the main product stays
-- (contraction); when the main product churns, everything ends. Each subscription term has its own
-- contract; contract end dates are inclusive, subscription end dates exclusive.

CREATE TEMP TABLE seed_term AS
WITH terms AS (
    SELECT c.*, t.term_no,
           CAST(c.first_term_start + to_months(CAST(12 * t.term_no AS INTEGER)) AS DATE) AS term_start,
           CAST(c.first_term_start + to_months(CAST(12 * t.term_no + 12 AS INTEGER)) AS DATE) AS term_end
    FROM seed_customer c CROSS JOIN range(4) AS t (term_no)
),
programmes AS (
    SELECT *,
           segment <> 'SMB' AND seed_unit2(customer_no, term_no, 'success-plan') < CASE segment WHEN 'ENTERPRISE' THEN 0.50 ELSE 0.30 END AS success_plan,
           seed_unit2(customer_no, term_no, 'training') < CASE segment WHEN 'SMB' THEN 0.15 WHEN 'MID_MARKET' THEN 0.20 ELSE 0.25 END AS training
    FROM terms
    WHERE term_start <= DATE '2025-12-31'
),
healthy AS (
    SELECT *,
           greatest(5.0, least(98.0, base_health + seed_between2(customer_no, term_no, 'term-health', -10, 10)
               + CASE WHEN success_plan THEN 9 ELSE 0 END + CASE WHEN training THEN 6 ELSE 0 END)) AS health
    FROM programmes
),
decided AS (
    SELECT *,
           seed_unit2(customer_no, term_no, 'renew') < seed_renewal_probability(health) AS renews,
           seed_unit2(customer_no, term_no, 'upsell')
               < 0.05 + CASE WHEN success_plan OR training THEN 0.25 ELSE 0 END + CASE WHEN health >= 75 THEN 0.10 ELSE 0 END AS upsells,
           CAST(ceil(initial_seats * seed_between2(customer_no, term_no, 'upsell-size', 0.10, 0.40)) AS INTEGER) AS upsell_seats,
           term_start + CAST(floor(seed_between2(customer_no, term_no, 'cross-sell-day', 45, 245)) AS INTEGER) AS cross_sell_on,
           seed_unit2(customer_no, term_no, 'cross-sell') < 0.03 + CASE WHEN success_plan OR training THEN 0.15 ELSE 0 END AS cross_sell_draw,
           seed_unit2(customer_no, term_no, 'contraction') < CASE WHEN health < 55 THEN 0.50 ELSE 0.25 END AS drops_addon,
           greatest(term_end - CAST(floor(seed_between2(customer_no, term_no, 'renewal-close', 1, 21)) AS INTEGER), DATE '2023-01-01') AS renewal_closed_on
    FROM healthy
),
chained AS (
    SELECT *,
           coalesce(bool_and(renews) OVER earlier, true) AS alive,
           initial_seats + coalesce(sum(CASE WHEN upsells THEN upsell_seats ELSE 0 END) OVER earlier, 0) AS seats
    FROM decided
    WINDOW earlier AS (PARTITION BY customer_no ORDER BY term_no ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
)
SELECT *,
       term_end <= DATE '2025-12-31' AS renewal_decided,
       cross_sell_draw AND cross_sell_on BETWEEN DATE '2023-01-01' AND DATE '2025-12-31' AS cross_sells
FROM chained
WHERE alive;

-- The add-on bought in the first term with a cross-sell: a product other than the primary one,
-- launched by then, picked by a draw among the candidates.
CREATE TEMP TABLE seed_addon AS
WITH first_cross_sell AS (
    SELECT customer_no, min(term_no) AS cross_sell_term
    FROM seed_term WHERE cross_sells GROUP BY customer_no
),
candidates AS (
    SELECT f.customer_no, f.cross_sell_term, t.cross_sell_on, t.seats, p.product_id,
           row_number() OVER (PARTITION BY f.customer_no ORDER BY p.product_id) AS candidate_no,
           count(*) OVER (PARTITION BY f.customer_no) AS candidates
    FROM first_cross_sell f
    JOIN seed_term t ON t.customer_no = f.customer_no AND t.term_no = f.cross_sell_term
    JOIN dim_product p ON p.product_id <> t.primary_product_id AND p.launch_date <= t.cross_sell_on
)
SELECT customer_no, cross_sell_term, cross_sell_on, product_id AS addon_product_id,
       greatest(5, CAST(ceil(seats * seed_unit(customer_no, 'addon-share') * 0.7 + seats * 0.3) AS INTEGER)) AS addon_seats
FROM candidates
WHERE candidate_no = 1 + hash(customer_no, 'addon-product') % candidates;

CREATE TEMP TABLE seed_subscription AS
WITH main AS (
    SELECT t.*, 'MAIN' AS role, t.primary_product_id AS product_id, t.term_start AS start_date, t.seats AS subscribed_seats,
           t.term_no AS price_year,
           t.renewal_decided AND t.renews AS renewed,
           CASE WHEN t.upsells THEN t.upsell_seats ELSE 0 END AS seats_added_at_renewal
    FROM seed_term t
),
addon AS (
    SELECT t.*, 'ADDON' AS role, a.addon_product_id AS product_id,
           CASE WHEN t.term_no = a.cross_sell_term THEN a.cross_sell_on ELSE t.term_start END AS start_date,
           a.addon_seats AS subscribed_seats,
           t.term_no - a.cross_sell_term AS price_year,
           t.renewal_decided AND t.renews AND NOT t.drops_addon AS renewed,
           0 AS seats_added_at_renewal,
           coalesce(bool_or(t.drops_addon) OVER (PARTITION BY t.customer_no ORDER BY t.term_no
                                                 ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), false) AS dropped_before
    FROM seed_term t
    JOIN seed_addon a ON a.customer_no = t.customer_no AND t.term_no >= a.cross_sell_term
),
both_roles AS (
    SELECT customer_no, customer_id, segment, region, billing_currency, discount, health, success_plan, training,
           term_no, term_start, term_end, renewal_decided, renews, renewal_closed_on, cross_sell_on,
           role, product_id, start_date, subscribed_seats, price_year, renewed, seats_added_at_renewal
    FROM main
    UNION ALL
    SELECT customer_no, customer_id, segment, region, billing_currency, discount, health, success_plan, training,
           term_no, term_start, term_end, renewal_decided, renews, renewal_closed_on, cross_sell_on,
           role, product_id, start_date, subscribed_seats, price_year, renewed, seats_added_at_renewal
    FROM addon
    WHERE NOT dropped_before
),
priced AS (
    -- Prices rise 4 % a year of tenure on the product.
    SELECT b.*,
           CAST(pb.list_price * (1 - b.discount) * pow(1.04, b.price_year) AS DECIMAL(18, 2)) AS price,
           CAST(pb.list_price * (1 - b.discount) * pow(1.04, b.price_year + 1) AS DECIMAL(18, 2)) AS renewal_price,
           replace(b.product_id, 'PRD-', '') || '-' || (b.term_no + 1) AS term_code
    FROM both_roles b
    JOIN seed_price_book pb ON pb.product_id = b.product_id AND pb.currency_code = b.billing_currency
)
SELECT *,
       'SUB-' || substr(customer_id, 5) || '-' || term_code AS subscription_id,
       'CTR-' || substr(customer_id, 5) || '-' || term_code AS contract_id,
       term_end AS end_date,
       CAST(subscribed_seats * price AS DECIMAL(18, 2)) AS mrr,
       start_date = term_start AS full_term,
       -- A co-terminated add-on term is worth its share of the days of a full term.
       CAST(CASE WHEN start_date = term_start THEN 12 * subscribed_seats * price
                 ELSE 12 * subscribed_seats * price * (term_end - start_date) / (term_end - term_start) END AS DECIMAL(18, 2)) AS term_value,
       CAST(12 * subscribed_seats * renewal_price AS DECIMAL(18, 2)) AS renewal_value,
       CAST(12 * seats_added_at_renewal * renewal_price AS DECIMAL(18, 2)) AS upsell_value
FROM priced;

INSERT INTO dim_contract
SELECT contract_id, customer_id, product_id, start_date, end_date - 1, term_value, billing_currency, subscribed_seats
FROM seed_subscription;

INSERT INTO fact_subscription
SELECT subscription_id, customer_id, contract_id, product_id, start_date, end_date, mrr, billing_currency, subscribed_seats
FROM seed_subscription;
