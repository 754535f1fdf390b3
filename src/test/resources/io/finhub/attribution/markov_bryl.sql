-- Sergey Bryl, "Marketing Multi-Channel Attribution model with R (part 1: Markov chain concept)",
-- analyzecore.com (2016): C1 → C2 → C3 → conversion, C1 → no conversion, C2 → C3 → no conversion.
-- The C2 → C2 repeat in the first path is the article's own example of a self-loop that changes no
-- removal effect. The deal is worth 100.00 USD.
INSERT INTO dim_currency VALUES ('USD', 'US dollar', 2);
INSERT INTO dim_channel VALUES ('c1', 'C1', 'PAID'), ('c2', 'C2', 'PAID'), ('c3', 'C3', 'OWNED');
INSERT INTO fact_touchpoint VALUES
    ('p1-1', 'p1', 'k1', NULL, 'c1', NULL, TIMESTAMP '2025-01-01 10:00:00'),
    ('p1-2', 'p1', 'k1', NULL, 'c2', NULL, TIMESTAMP '2025-01-02 10:00:00'),
    ('p1-3', 'p1', 'k1', NULL, 'c2', NULL, TIMESTAMP '2025-01-03 10:00:00'),
    ('p1-4', 'p1', 'k1', NULL, 'c3', NULL, TIMESTAMP '2025-01-04 10:00:00'),
    ('p2-1', 'p2', NULL, 'l2', 'c1', NULL, TIMESTAMP '2025-01-01 10:00:00'),
    ('p3-1', 'p3', NULL, 'l3', 'c2', NULL, TIMESTAMP '2025-01-01 10:00:00'),
    ('p3-2', 'p3', NULL, 'l3', 'c3', NULL, TIMESTAMP '2025-01-02 10:00:00');
INSERT INTO fact_conversion VALUES
    ('deal', 'p1', 'k1', 'core', 'NEW_BUSINESS', TIMESTAMP '2025-01-05 10:00:00', 100.00, 'USD');
