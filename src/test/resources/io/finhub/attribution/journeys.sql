-- Tiny journeys whose attribution can be worked out by hand (see AttributionRulesTest).
-- Reporting currency USD; EUR converts at 1.10 on 2025-04-20.
INSERT INTO dim_currency VALUES ('USD', 'US dollar', 2), ('EUR', 'Euro', 2);
INSERT INTO dim_channel VALUES
    ('search', 'Paid search', 'PAID'), ('email', 'Email', 'OWNED'), ('social', 'Paid social', 'PAID'), ('webinar', 'Webinar', 'OWNED');
INSERT INTO dim_department VALUES ('mkt', 'Marketing', 'CC100', 'MARKETING');
INSERT INTO dim_product VALUES ('core', 'Core', 'Platform', DATE '2020-01-01');
INSERT INTO dim_campaign VALUES
    ('s-brand', 'Search brand', 'search', 'mkt', 'core', 'ACQUISITION', DATE '2024-01-01', DATE '2025-12-31'),
    ('s-generic', 'Search generic', 'search', 'mkt', 'core', 'ACQUISITION', DATE '2024-01-01', DATE '2025-12-31'),
    ('e-news', 'Newsletter', 'email', 'mkt', 'core', 'ACQUISITION', DATE '2024-01-01', DATE '2025-12-31'),
    ('w-demo', 'Demo webinar', 'webinar', 'mkt', 'core', 'ACQUISITION', DATE '2024-01-01', DATE '2025-12-31');
INSERT INTO dim_customer VALUES
    ('c1', 'Acme', 'SMB', 'Retail', 'NA', 'USD', 'webinar', 'w-demo', DATE '2025-03-31'),
    ('c2', 'Bravo', 'ENTERPRISE', 'Finance', 'EMEA', 'EUR', 'search', 's-brand', DATE '2025-04-20'),
    ('c3', 'Charlie', 'MID_MARKET', 'Retail', 'NA', 'USD', 'social', NULL, DATE '2025-05-05'),
    ('c5', 'Echo', 'SMB', 'Retail', 'NA', 'USD', 'email', 'e-news', DATE '2025-03-01');
INSERT INTO fact_fx_rate VALUES (DATE '2025-04-20', 'EUR', 'USD', 1.10);

-- j1: four touches 21, 14, 7 and 0 days before a 150.00 USD deal.
-- j2: two touches 7 days 1 hour and 1 hour before a 200.00 EUR (= 220.00 USD) deal.
-- j3: one touch 4 days before a 50.00 USD deal; c3 expands (40.00 USD, no journey) 45 days after it.
-- j4: never converts.
-- j5: a touch 151 days before its 10.00 USD deal (outside the 90-day lookback), one 9 days before, one after it.
-- c1 expands (30.00 USD, no journey) in August, more than 90 days after its touches: no touch, unattributed.
INSERT INTO fact_touchpoint VALUES
    ('t1-1', 'j1', 'c1', 'l1', 'search', 's-brand', TIMESTAMP '2025-03-10 12:00:00'),
    ('t1-2', 'j1', 'c1', 'l1', 'email', 'e-news', TIMESTAMP '2025-03-17 12:00:00'),
    ('t1-3', 'j1', 'c1', 'l1', 'social', NULL, TIMESTAMP '2025-03-24 12:00:00'),
    ('t1-4', 'j1', 'c1', 'l1', 'webinar', 'w-demo', TIMESTAMP '2025-03-31 12:00:00'),
    ('t2-1', 'j2', 'c2', 'l2', 'email', 'e-news', TIMESTAMP '2025-04-13 11:00:00'),
    ('t2-2', 'j2', 'c2', 'l2', 'search', 's-generic', TIMESTAMP '2025-04-20 11:00:00'),
    ('t3-1', 'j3', 'c3', 'l3', 'social', NULL, TIMESTAMP '2025-05-01 12:00:00'),
    ('t4-1', 'j4', NULL, 'l4', 'search', 's-generic', TIMESTAMP '2025-05-01 09:00:00'),
    ('t4-2', 'j4', NULL, 'l4', 'email', 'e-news', TIMESTAMP '2025-05-02 09:00:00'),
    ('t5-1', 'j5', 'c5', 'l5', 'search', 's-generic', TIMESTAMP '2024-10-01 12:00:00'),
    ('t5-2', 'j5', 'c5', 'l5', 'email', 'e-news', TIMESTAMP '2025-02-20 12:00:00'),
    ('t5-3', 'j5', 'c5', 'l5', 'search', 's-brand', TIMESTAMP '2025-03-05 12:00:00');
INSERT INTO fact_conversion VALUES
    ('d1', 'j1', 'c1', 'core', 'NEW_BUSINESS', TIMESTAMP '2025-03-31 12:00:00', 150.00, 'USD'),
    ('d2', 'j2', 'c2', 'core', 'NEW_BUSINESS', TIMESTAMP '2025-04-20 12:00:00', 200.00, 'EUR'),
    ('d3', 'j3', 'c3', 'core', 'NEW_BUSINESS', TIMESTAMP '2025-05-05 12:00:00', 50.00, 'USD'),
    ('d5', 'j5', 'c5', 'core', 'NEW_BUSINESS', TIMESTAMP '2025-03-01 12:00:00', 10.00, 'USD'),
    ('x3', NULL, 'c3', 'core', 'EXPANSION', TIMESTAMP '2025-06-15 12:00:00', 40.00, 'USD'),
    ('x1', NULL, 'c1', 'core', 'EXPANSION', TIMESTAMP '2025-08-01 12:00:00', 30.00, 'USD');
