-- More non-converting journeys for comparing the two ways of counting Markov transitions: one longer
-- than the 90-day lookback (its first touch falls out of the window), repeats of a channel in a row,
-- and two journeys whose touches interleave in time.
INSERT INTO fact_touchpoint VALUES
    ('m1-1', 'm1', NULL, 'lm1', 'webinar', NULL, TIMESTAMP '2024-11-01 09:00:00'),
    ('m1-2', 'm1', NULL, 'lm1', 'email', NULL, TIMESTAMP '2025-02-01 09:00:00'),
    ('m1-3', 'm1', NULL, 'lm1', 'email', NULL, TIMESTAMP '2025-02-02 09:00:00'),
    ('m1-4', 'm1', NULL, 'lm1', 'social', NULL, TIMESTAMP '2025-02-03 09:00:00'),
    ('m2-1', 'm2', NULL, 'lm2', 'social', NULL, TIMESTAMP '2025-02-01 10:00:00'),
    ('m2-2', 'm2', NULL, 'lm2', 'search', NULL, TIMESTAMP '2025-02-02 10:00:00'),
    ('m2-3', 'm2', NULL, 'lm2', 'webinar', NULL, TIMESTAMP '2025-02-03 10:00:00'),
    ('m3-1', 'm3', NULL, 'lm3', 'search', NULL, TIMESTAMP '2025-01-01 10:00:00');
