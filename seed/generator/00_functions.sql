-- Helpers of the demo-data generator, alive for the generating connection only (TEMP).
--
-- Every pseudo-random number is a hash of stable ids and a salt naming its purpose, never
-- random(): hashes give the same value whatever the thread count or scan order, so the same scale
-- always generates the same rows. Money is cast to DECIMAL before any SUM, so totals are exact.

-- A uniform number in [0, 1) drawn for `key` and the purpose `salt`.
CREATE OR REPLACE TEMP MACRO seed_unit(key, salt) AS
    CAST(hash(key, salt) % 1000003 AS DOUBLE) / 1000003;

-- A uniform number in [0, 1) drawn for the pair (key1, key2) and `salt`.
CREATE OR REPLACE TEMP MACRO seed_unit2(key1, key2, salt) AS
    CAST(hash(key1, key2, salt) % 1000003 AS DOUBLE) / 1000003;

-- A uniform whole number in [0, buckets) drawn for (key1, key2) and `salt`.
CREATE OR REPLACE TEMP MACRO seed_bucket2(key1, key2, salt, buckets) AS
    CAST(hash(key1, key2, salt) % buckets AS INTEGER);

-- A number in [low, high) drawn for (key1, key2) and `salt`.
CREATE OR REPLACE TEMP MACRO seed_between2(key1, key2, salt, low, high) AS
    low + (high - low) * seed_unit2(key1, key2, salt);

-- The probability that a customer renews a term of latent health `health` (0..100): steep around
-- 50, from about 45 % for the sickest accounts to 97 % for the healthy ones.
CREATE OR REPLACE TEMP MACRO seed_renewal_probability(health) AS
    0.45 + 0.53 / (1 + exp(-(health - 50) / 5.0));

-- The band of a health score, as the customer-success team defines it.
CREATE OR REPLACE TEMP MACRO seed_risk_band(score) AS
    CASE WHEN score >= 70 THEN 'HEALTHY' WHEN score >= 40 THEN 'WATCH' ELSE 'AT_RISK' END;

-- The first day of each month in [first_day, last_day], as DATEs (empty when first_day > last_day).
CREATE OR REPLACE TEMP MACRO seed_months(first_day, last_day) AS
    list_transform(generate_series(CAST(date_trunc('month', first_day) AS DATE) + INTERVAL 1 MONTH * CAST(day(first_day) > 1 AS INTEGER),
                                   CAST(last_day AS TIMESTAMP), INTERVAL 1 MONTH),
                   m -> CAST(m AS DATE));

-- Day offset of touch `touch_no` (0-based) of a journey of `touch_count` touches spanning
-- `span_days`: touches are spread over the span in order, each with its own jitter.
CREATE OR REPLACE TEMP MACRO seed_touch_day(journey_no, touch_no, touch_count, span_days) AS
    CASE WHEN touch_no = 0 THEN 0
         ELSE CAST(floor(span_days * (touch_no + seed_unit2(journey_no, touch_no, 'touch-gap')) / touch_count) AS INTEGER) END;

-- Second of the day of a touch: office hours, 08:00 to 19:00 UTC, later for later touches, so
-- touches of one journey on the same day keep their order (at least 8 minutes apart).
CREATE OR REPLACE TEMP MACRO seed_touch_second(journey_no, touch_no, touch_count) AS
    CAST(28800 + floor(39600 * (touch_no + 0.9 * seed_unit2(journey_no, touch_no, 'touch-clock')) / touch_count) AS BIGINT);

-- `amount` converted with a DECIMAL(18, 8) `usd_rate`, exactly: widened first, as DuckDB's
-- DECIMAL(18) arithmetic would overflow for amounts from 100 million up.
CREATE OR REPLACE TEMP MACRO seed_in_usd(amount, usd_rate) AS
    CAST(CAST(amount AS DECIMAL(38, 2)) * usd_rate AS DECIMAL(18, 2));
