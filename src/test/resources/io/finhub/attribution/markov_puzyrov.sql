-- Serhii Puzyrov, "Markov Chain Attribution – Simple Explanation Of Removal Effect" (2019):
-- google ads → conversion twice, mailing → conversion, google ads → mailing → conversion, and
-- google ads → no conversion. Every deal is worth 100.00 USD.
INSERT INTO dim_currency VALUES ('USD', 'US dollar', 2);
INSERT INTO dim_channel VALUES ('google_ads', 'Google Ads', 'PAID'), ('mailing', 'Mailing', 'OWNED');
INSERT INTO fact_touchpoint VALUES
    ('a1', 'ja', 'ca', NULL, 'google_ads', NULL, TIMESTAMP '2025-01-01 10:00:00'),
    ('b1', 'jb', 'cb', NULL, 'google_ads', NULL, TIMESTAMP '2025-01-02 10:00:00'),
    ('c1', 'jc', 'cc', NULL, 'mailing', NULL, TIMESTAMP '2025-01-03 10:00:00'),
    ('d1', 'jd', 'cd', NULL, 'google_ads', NULL, TIMESTAMP '2025-01-04 10:00:00'),
    ('d2', 'jd', 'cd', NULL, 'mailing', NULL, TIMESTAMP '2025-01-05 10:00:00'),
    ('e1', 'je', NULL, 'le', 'google_ads', NULL, TIMESTAMP '2025-01-06 10:00:00');
INSERT INTO fact_conversion VALUES
    ('da', 'ja', 'ca', 'core', 'NEW_BUSINESS', TIMESTAMP '2025-01-10 10:00:00', 100.00, 'USD'),
    ('db', 'jb', 'cb', 'core', 'NEW_BUSINESS', TIMESTAMP '2025-01-10 10:00:00', 100.00, 'USD'),
    ('dc', 'jc', 'cc', 'core', 'NEW_BUSINESS', TIMESTAMP '2025-01-10 10:00:00', 100.00, 'USD'),
    ('dd', 'jd', 'cd', 'core', 'NEW_BUSINESS', TIMESTAMP '2025-01-10 10:00:00', 100.00, 'USD');
