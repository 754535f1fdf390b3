-- The worked Shapley example of "Data-Driven Marketing Attribution" (Towards Data Science; notebook
-- tomgorb/misc "Data Driven Attribution.ipynb"): 100 converting journeys over Facebook (F),
-- Organic (O) and LinkedIn (L): 20 F, 10 O, 17 L, 17 F+O, 30 F+L, 0 L+O, 6 F+L+O. Every deal is
-- worth 3.00 USD, so each journey's value splits into whole cents among its channels.
INSERT INTO dim_currency VALUES ('USD', 'US dollar', 2);
INSERT INTO dim_channel VALUES ('facebook', 'Facebook', 'PAID'), ('organic', 'Organic', 'EARNED'), ('linkedin', 'LinkedIn', 'PAID');
CREATE TEMP TABLE shapley_set AS
SELECT * FROM (VALUES (1, 20, ['facebook']), (2, 10, ['organic']), (3, 17, ['linkedin']), (4, 17, ['facebook', 'organic']),
                      (5, 30, ['facebook', 'linkedin']), (6, 6, ['facebook', 'linkedin', 'organic'])) AS s (set_no, journeys, channels);
CREATE TEMP TABLE shapley_journey AS
SELECT set_no, journey_no, channels, 'g' || set_no || '-' || journey_no AS journey_id
FROM shapley_set, range(journeys) AS r (journey_no);
INSERT INTO fact_touchpoint
SELECT journey_id || '-' || position, journey_id, 'k-' || journey_id, NULL, channel, NULL,
       TIMESTAMP '2025-01-01 10:00:00' + to_hours(CAST(position AS INTEGER))
FROM (SELECT journey_id, unnest(channels) AS channel, generate_subscripts(channels, 1) AS position FROM shapley_journey);
INSERT INTO fact_conversion
SELECT 'deal-' || journey_id, journey_id, 'k-' || journey_id, 'core', 'NEW_BUSINESS', TIMESTAMP '2025-01-02 10:00:00', 3.00, 'USD'
FROM shapley_journey;
DROP TABLE shapley_journey;
DROP TABLE shapley_set;
