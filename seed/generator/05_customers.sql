-- Customers: one per converted journey, acquired through its last touch, plus the installed base
-- the company already had on 2023-01-01 (acquired 2020..2022, before the data starts, so without
-- a journey). Region, industry and size are drawn per customer; the billing currency follows the
-- region. Every customer also gets a latent base health that drives its whole lifecycle.

-- Monthly list price per seat, by product and billing currency.
CREATE TEMP TABLE seed_price_book AS
SELECT product_id, currency_code, CAST(list_price AS DECIMAL(18, 2)) AS list_price
FROM (VALUES
    ('PRD-CORE',    'USD', 45.00), ('PRD-CORE',    'EUR', 42.00), ('PRD-CORE',    'GBP', 36.00), ('PRD-CORE',    'CAD', 60.00),
    ('PRD-PLAN',    'USD', 30.00), ('PRD-PLAN',    'EUR', 28.00), ('PRD-PLAN',    'GBP', 24.00), ('PRD-PLAN',    'CAD', 40.00),
    ('PRD-CONNECT', 'USD', 12.00), ('PRD-CONNECT', 'EUR', 11.00), ('PRD-CONNECT', 'GBP',  9.50), ('PRD-CONNECT', 'CAD', 16.00),
    ('PRD-AI',      'USD', 20.00), ('PRD-AI',      'EUR', 18.50), ('PRD-AI',      'GBP', 16.00), ('PRD-AI',      'CAD', 27.00)
) AS prices (product_id, currency_code, list_price);

-- The legal entity that bills (and pays) in each currency.
CREATE TEMP TABLE seed_currency_entity AS
SELECT * FROM (VALUES ('USD', 'US01'), ('CAD', 'US01'), ('GBP', 'UK01'), ('EUR', 'DE01')) AS e (currency_code, entity_id);

CREATE TEMP TABLE seed_customer AS
WITH converted AS (
    SELECT journey_no AS customer_no, customer_id, journey_id, segment, converted_at,
           CAST(converted_at AS DATE) AS acquired_on,
           CAST(converted_at AS DATE) AS first_term_start,
           channel_id AS acquisition_channel_id,
           campaign_id AS acquisition_campaign_id
    FROM seed_touches(true)
),
installed AS (
    -- Each installed-base customer renewed on its 2022 anniversary (or signed in 2022).
    SELECT customer_no, customer_id, journey_id, segment, converted_at,
           CAST(anniversary - to_years(CAST(floor(seed_unit(customer_no, 'tenure') * 3) AS INTEGER)) AS DATE) AS acquired_on,
           anniversary AS first_term_start,
           acquisition_channel_id, acquisition_campaign_id
    FROM (
        SELECT 1000000000 + n AS customer_no,
               'CUS-IB' || lpad(CAST(n AS VARCHAR), 6, '0') AS customer_id,
               CAST(NULL AS VARCHAR) AS journey_id,
               CASE WHEN seed_unit(n, 'installed-segment') < 0.55 THEN 'SMB'
                    WHEN seed_unit(n, 'installed-segment') < 0.87 THEN 'MID_MARKET' ELSE 'ENTERPRISE' END AS segment,
               CAST(NULL AS TIMESTAMP) AS converted_at,
               DATE '2022-01-02' + CAST(floor(seed_unit(n, 'anniversary') * 364) AS INTEGER) AS anniversary,
               CAST(NULL AS VARCHAR) AS acquisition_channel_id,
               CAST(NULL AS VARCHAR) AS acquisition_campaign_id
        FROM range(1, getvariable('installed_base_customers') + 1) AS t (n)
    )
),
everyone AS (
    SELECT *, seed_unit(customer_no, 'region') AS region_draw, seed_unit(customer_no, 'currency') AS currency_draw
    FROM (SELECT * FROM converted UNION ALL SELECT * FROM installed)
),
located AS (
    SELECT *,
           CASE WHEN region_draw < 0.50 THEN 'NA' WHEN region_draw < 0.80 THEN 'EMEA' WHEN region_draw < 0.92 THEN 'APAC' ELSE 'LATAM' END AS region
    FROM everyone
)
SELECT customer_no, customer_id, journey_id, segment, region, converted_at, acquired_on, first_term_start,
       acquisition_channel_id, acquisition_campaign_id,
       ['Software', 'Financial Services', 'Healthcare', 'Manufacturing', 'Retail', 'Logistics',
        'Professional Services', 'Education', 'Media', 'Energy'][1 + seed_bucket2(customer_no, 0, 'industry', 10)] AS industry,
       CASE region WHEN 'NA' THEN CASE WHEN currency_draw < 0.2 THEN 'CAD' ELSE 'USD' END
                   WHEN 'EMEA' THEN CASE WHEN currency_draw < 0.4 THEN 'GBP' ELSE 'EUR' END
                   ELSE 'USD' END AS billing_currency,
       ['Northwind', 'Bluepeak', 'Ironbridge', 'Silverline', 'Redwood', 'Brightwater', 'Stonegate', 'Clearview',
        'Summit', 'Harbor', 'Evergreen', 'Granite', 'Lakeshore', 'Pinecrest', 'Crescent', 'Oakridge', 'Falcon',
        'Meridian', 'Sterling', 'Aurora', 'Cobalt', 'Vantage', 'Keystone', 'Horizon', 'Atlas', 'Beacon', 'Cedar',
        'Orchid', 'Polar', 'Quantum'][1 + seed_bucket2(customer_no, 0, 'name-head', 30)]
           || ' ' ||
       ['Systems', 'Logistics', 'Health', 'Capital', 'Foods', 'Energy', 'Media', 'Labs', 'Partners', 'Industries',
        'Retail', 'Learning', 'Networks', 'Dynamics', 'Holdings', 'Analytics', 'Robotics', 'Insurance', 'Brands',
        'Telecom'][1 + seed_bucket2(customer_no, 0, 'name-tail', 20)]
           || ' ' ||
       CASE region WHEN 'NA' THEN ['Inc.', 'LLC', 'Corp.'][1 + seed_bucket2(customer_no, 0, 'legal-form', 3)]
                   WHEN 'EMEA' THEN CASE WHEN currency_draw < 0.4 THEN ['Ltd', 'plc', 'Ltd'][1 + seed_bucket2(customer_no, 0, 'legal-form', 3)]
                                         ELSE ['GmbH', 'SE', 'B.V.', 'S.A.S.', 'AG'][1 + seed_bucket2(customer_no, 0, 'legal-form', 5)] END
                   WHEN 'APAC' THEN ['Pty Ltd', 'Pte. Ltd.', 'K.K.'][1 + seed_bucket2(customer_no, 0, 'legal-form', 3)]
                   ELSE ['S.A.', 'Ltda.', 'S.A. de C.V.'][1 + seed_bucket2(customer_no, 0, 'legal-form', 3)] END AS customer_name,
       CASE WHEN seed_unit(customer_no, 'primary-product') < 0.12
                 AND acquired_on >= (SELECT launch_date FROM dim_product WHERE product_id = 'PRD-PLAN')
            THEN 'PRD-PLAN' ELSE 'PRD-CORE' END AS primary_product_id,
       CAST(round(CASE segment WHEN 'SMB' THEN 10 * pow(4, seed_unit(customer_no, 'seats'))
                               WHEN 'MID_MARKET' THEN 40 * pow(4, seed_unit(customer_no, 'seats'))
                               ELSE 160 * pow(3.75, seed_unit(customer_no, 'seats')) END) AS INTEGER) AS initial_seats,
       CASE segment WHEN 'SMB' THEN 0.00 WHEN 'MID_MARKET' THEN 0.05 ELSE 0.10 END
           + seed_unit(customer_no, 'discount') * CASE segment WHEN 'SMB' THEN 0.10 WHEN 'MID_MARKET' THEN 0.15 ELSE 0.20 END AS discount,
       25 + 60 * (seed_unit(customer_no, 'health-a') + seed_unit(customer_no, 'health-b')) / 2 AS base_health
FROM located;

INSERT INTO dim_customer
SELECT customer_id, customer_name, segment, industry, region, billing_currency,
       acquisition_channel_id, acquisition_campaign_id, acquired_on
FROM seed_customer;
