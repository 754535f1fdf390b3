-- Customer-success outcomes whose attribution can be worked out by hand (see AttributionCustomerSuccessTest).
-- Reporting currency USD; EUR converts at 1.10 on 2025-02-28 and 1.20 on 2025-03-20.
INSERT INTO dim_currency VALUES ('USD', 'US dollar', 2), ('EUR', 'Euro', 2);
INSERT INTO fact_fx_rate VALUES (DATE '2025-02-28', 'EUR', 'USD', 1.10), (DATE '2025-03-20', 'EUR', 'USD', 1.20);
INSERT INTO dim_department VALUES ('cs', 'Customer success', 'CC300', 'CUSTOMER_SUCCESS');
INSERT INTO dim_product VALUES ('core', 'Core', 'Platform', DATE '2020-01-01');
INSERT INTO dim_cs_program VALUES
    ('qbr', 'Quarterly business reviews', 'QBR', 'cs'),
    ('training', 'Admin training', 'TRAINING', 'cs'),
    ('escalation', 'Escalations', 'ESCALATION', 'cs');
INSERT INTO dim_customer VALUES
    ('a', 'Acme', 'MID_MARKET', 'Retail', 'NA', 'USD', NULL, NULL, DATE '2024-01-01'),
    ('b', 'Bravo', 'ENTERPRISE', 'Finance', 'EMEA', 'EUR', NULL, NULL, DATE '2024-01-01'),
    ('c', 'Charlie', 'SMB', 'Retail', 'NA', 'USD', NULL, NULL, DATE '2024-01-01'),
    ('d', 'Delta', 'SMB', 'Retail', 'NA', 'USD', NULL, NULL, DATE '2024-01-01'),
    ('e', 'Echo', 'SMB', 'Retail', 'NA', 'USD', NULL, NULL, DATE '2024-01-01'),
    ('f', 'Foxtrot', 'SMB', 'Retail', 'NA', 'USD', NULL, NULL, DATE '2024-01-01'),
    ('g', 'Golf', 'SMB', 'Retail', 'NA', 'USD', NULL, NULL, DATE '2024-01-01');

-- a: health 50 → 60 → 75; a QBR on 01-15 (score before 50, after 75: +25) and a training on 02-10 (60 → 75: +15)
--    before an 800.00 USD expansion on 03-15.
-- b: a QBR on 03-05, no score after it before its 1000.00 EUR expansion on 03-20: no uplift, not credited.
-- c: an escalation on 05-01 (score that day 40, on 06-01 55: +15) before a 300.00 USD expansion on 06-10; its
--    escalation of 2025-01-01 is more than 90 days before and does not count.
INSERT INTO fact_health_score VALUES
    ('a', DATE '2025-01-01', 50, 'WATCH'), ('a', DATE '2025-02-01', 60, 'WATCH'), ('a', DATE '2025-03-01', 75, 'HEALTHY'),
    ('b', DATE '2025-03-01', 70, 'HEALTHY'),
    ('c', DATE '2025-05-01', 40, 'WATCH'), ('c', DATE '2025-06-01', 55, 'WATCH'),
    ('d', DATE '2025-01-01', 35, 'AT_RISK'), ('d', DATE '2025-02-01', 45, 'WATCH'),
    ('e', DATE '2025-01-05', 30, 'AT_RISK'),
    ('f', DATE '2025-02-01', 38, 'AT_RISK'),
    ('g', DATE '2025-01-20', 20, 'AT_RISK');
INSERT INTO fact_cs_activity VALUES
    ('act-a1', 'a', 'qbr', DATE '2025-01-15', 3.00, 300.00, 'USD'),
    ('act-a2', 'a', 'training', DATE '2025-02-10', 2.00, 200.00, 'USD'),
    ('act-b1', 'b', 'qbr', DATE '2025-03-05', 3.00, 300.00, 'EUR'),
    ('act-c0', 'c', 'escalation', DATE '2025-01-01', 1.00, 100.00, 'USD'),
    ('act-c1', 'c', 'escalation', DATE '2025-05-01', 4.00, 400.00, 'USD'),
    ('act-d1', 'd', 'escalation', DATE '2025-01-10', 5.00, 500.00, 'USD'),
    ('act-d2', 'd', 'qbr', DATE '2025-02-15', 3.00, 300.00, 'USD');
INSERT INTO fact_conversion VALUES
    ('xa', NULL, 'a', 'core', 'EXPANSION', TIMESTAMP '2025-03-15 10:00:00', 800.00, 'USD'),
    ('xb', NULL, 'b', 'core', 'EXPANSION', TIMESTAMP '2025-03-20 10:00:00', 1000.00, 'EUR'),
    ('xc', NULL, 'c', 'core', 'EXPANSION', TIMESTAMP '2025-06-10 10:00:00', 300.00, 'USD');

-- Renewals: d was AT_RISK (from 01-01) and renewed 1200.00 USD on 03-31 after an escalation and a QBR.
-- e, f and g were AT_RISK without any CS activity: e and g lost, f renewed: baseline AT_RISK = 1 / 3.
INSERT INTO fact_renewal_pipeline VALUES
    ('r-d', 'd', NULL, 'RENEWAL', 'CLOSED_WON', 1, 1200.00, 'USD', DATE '2024-12-01', DATE '2025-03-31', DATE '2025-03-31'),
    ('r-e', 'e', NULL, 'RENEWAL', 'CLOSED_LOST', 0, 500.00, 'USD', DATE '2024-12-01', DATE '2025-03-20', DATE '2025-03-20'),
    ('r-f', 'f', NULL, 'RENEWAL', 'CLOSED_WON', 1, 700.00, 'USD', DATE '2024-12-01', DATE '2025-03-25', DATE '2025-03-25'),
    ('r-g', 'g', NULL, 'RENEWAL', 'CLOSED_LOST', 0, 900.00, 'USD', DATE '2024-12-01', DATE '2025-03-28', DATE '2025-03-28');

-- Programme spend in Q1: QBR 500.00 USD, training 200.00 EUR (= 220.00 USD), escalations 100.00 USD.
INSERT INTO fact_spend VALUES
    ('sp-qbr', DATE '2025-01-31', 'cs', NULL, NULL, 'qbr', NULL, 'PERSONNEL', 500.00, 'USD'),
    ('sp-training', DATE '2025-02-28', 'cs', NULL, NULL, 'training', NULL, 'PERSONNEL', 200.00, 'EUR'),
    ('sp-escalation', DATE '2025-01-31', 'cs', NULL, NULL, 'escalation', NULL, 'PERSONNEL', 100.00, 'USD');
