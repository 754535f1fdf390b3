-- A deal recorded in a later quarter than it was booked (see AttributionCustomerSuccessTest). Reporting
-- currency USD; fiscal year = calendar year, so FY2025-Q2 is April to June and FY2025-Q3 July to September.
INSERT INTO dim_currency VALUES ('USD', 'US dollar', 2);
INSERT INTO dim_department VALUES ('dep_cs', 'Customer success', 'CC300', 'CUSTOMER_SUCCESS');
INSERT INTO dim_product VALUES ('prod1', 'Core', 'Platform', DATE '2020-01-01');
INSERT INTO dim_cs_program VALUES ('pg1', 'Quarterly business reviews', 'QBR', 'dep_cs'), ('pg2', 'Admin training', 'TRAINING', 'dep_cs');
INSERT INTO dim_customer VALUES
    ('cu13', 'Thirteen', 'MID_MARKET', 'Retail', 'NA', 'USD', NULL, NULL, DATE '2024-01-01'),
    ('cu14', 'Fourteen', 'SMB', 'Retail', 'NA', 'USD', NULL, NULL, DATE '2024-01-01');

-- cu13: a QBR on 05-01 (score that day 55) and a training on 06-01 (score that day 60); the last score on or
-- before both deals of June is 80 (06-15): uplift QBR 80 − 55 = 25, training 80 − 60 = 20.
INSERT INTO fact_health_score VALUES
    ('cu13', DATE '2025-04-15', 50, 'WATCH'), ('cu13', DATE '2025-05-01', 55, 'WATCH'), ('cu13', DATE '2025-05-20', 70, 'HEALTHY'),
    ('cu13', DATE '2025-06-01', 60, 'WATCH'), ('cu13', DATE '2025-06-15', 80, 'HEALTHY');
INSERT INTO fact_cs_activity VALUES
    ('a1', 'cu13', 'pg1', DATE '2025-05-01', 2.00, 200.00, 'USD'),
    ('a2', 'cu13', 'pg2', DATE '2025-06-01', 2.00, 200.00, 'USD');
-- Q2 expansion: X1 1000.00 and X3 300.00 of cu13 (credited by health uplift), X2 42.00 of cu14 (no activity: not credited).
INSERT INTO fact_conversion VALUES
    ('X1', NULL, 'cu13', 'prod1', 'EXPANSION', TIMESTAMP '2025-06-30 15:00:00', 1000.00, 'USD'),
    ('X2', NULL, 'cu14', 'prod1', 'EXPANSION', TIMESTAMP '2025-05-15 12:00:00', 42.00, 'USD'),
    ('X3', NULL, 'cu13', 'prod1', 'EXPANSION', TIMESTAMP '2025-06-20 09:00:00', 300.00, 'USD');
