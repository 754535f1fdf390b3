-- Attribution: derived tables rebuilt from the facts, keyed by the data version they were built on,
-- and the customer-success outcome allocations users record with their evidence.

-- One row per set of results. build_id 'default' holds the configured parameters, which the catalog
-- reads; other ids hold results for other parameters asked for ad hoc. A build is current when its
-- data_version equals the store's data version; otherwise it is rebuilt before it is read.
CREATE TABLE attribution_build (
    build_id            VARCHAR PRIMARY KEY,
    data_version        BIGINT NOT NULL,
    lookback_days       INTEGER NOT NULL,
    half_life_days      DECIMAL(9, 3) NOT NULL,
    reporting_currency  VARCHAR NOT NULL,
    models              VARCHAR[] NOT NULL,     -- models whose credits are built for data_version
    built_at            TIMESTAMP NOT NULL
);

-- Every conversion, with its value in the reporting currency and how many touches fell in its
-- lookback window (0 = no touch: the conversion cannot be attributed and is reported as such).
CREATE TABLE attribution_conversion (
    build_id            VARCHAR NOT NULL,
    conversion_id       VARCHAR NOT NULL,
    journey_id          VARCHAR,
    customer_id         VARCHAR NOT NULL,
    product_id          VARCHAR NOT NULL,
    deal_type           VARCHAR NOT NULL,
    converted_at        TIMESTAMP NOT NULL,
    amount              DECIMAL(18, 2) NOT NULL,
    currency_code       VARCHAR NOT NULL,
    amount_reporting    DECIMAL(18, 2) NOT NULL,
    touch_count         INTEGER NOT NULL
);

-- The touches of each conversion's path: same journey (or, for a conversion without a journey, same
-- customer) within the lookback window before the conversion, numbered in time order.
CREATE TABLE attribution_touch (
    build_id            VARCHAR NOT NULL,
    conversion_id       VARCHAR NOT NULL,
    touch_seq           INTEGER NOT NULL,
    touch_count         INTEGER NOT NULL,
    touchpoint_id       VARCHAR NOT NULL,
    journey_id          VARCHAR NOT NULL,
    channel_id          VARCHAR NOT NULL,
    campaign_id         VARCHAR,
    touched_at          TIMESTAMP NOT NULL
);

-- Credit of each touch of each conversion under each model. Per conversion and model the credits
-- sum to exactly 1 and the attributed amounts to exactly the conversion's reporting-currency value.
CREATE TABLE attribution_credit (
    build_id            VARCHAR NOT NULL,
    model               VARCHAR NOT NULL,
    conversion_id       VARCHAR NOT NULL,
    touch_seq           INTEGER NOT NULL,           -- the touch of attribution_touch credited
    channel_id          VARCHAR NOT NULL,
    campaign_id         VARCHAR,
    credit              DECIMAL(18, 6) NOT NULL,    -- share of the conversion
    attributed_amount   DECIMAL(18, 2) NOT NULL     -- reporting currency of the build
);

-- The Markov model of a build: removal effect of every channel, exact to 30 decimals.
CREATE TABLE attribution_markov_channel (
    build_id                VARCHAR NOT NULL,
    channel_id              VARCHAR NOT NULL,
    removal_effect          DECIMAL(38, 30) NOT NULL,
    weight_scaled           HUGEINT NOT NULL,        -- floor(removal_effect × 2^50), the allocation weight
    conversion_probability  DECIMAL(38, 30) NOT NULL -- of the whole chain, the same on every row
);

-- Customer-success credits computed from the facts (expansion by health uplift, churn protection),
-- one row per outcome and activity, with the evidence behind it.
CREATE TABLE attribution_cs_credit (
    build_id            VARCHAR NOT NULL,
    outcome_type        VARCHAR NOT NULL CHECK (outcome_type IN ('EXPANSION', 'CHURN_PROTECTION')),
    outcome_id          VARCHAR NOT NULL,   -- the expansion deal or the renewal opportunity
    customer_id         VARCHAR NOT NULL,
    outcome_date        DATE NOT NULL,
    outcome_value       DECIMAL(18, 2) NOT NULL,   -- reporting currency
    activity_id         VARCHAR NOT NULL,
    program_id          VARCHAR NOT NULL,
    occurred_on         DATE NOT NULL,
    share               DECIMAL(18, 6) NOT NULL,
    attributed_amount   DECIMAL(18, 2) NOT NULL,
    evidence            VARCHAR NOT NULL            -- JSON
);

-- Expansion deals and closed renewals the computed method could not credit to any activity, so
-- the portfolio reconciles booked outcomes to credited plus uncredited.
CREATE TABLE attribution_cs_outcome_base (
    build_id            VARCHAR NOT NULL,
    outcome_type        VARCHAR NOT NULL,
    outcome_id          VARCHAR NOT NULL,
    customer_id         VARCHAR NOT NULL,
    outcome_date        DATE NOT NULL,
    booked_value        DECIMAL(18, 2) NOT NULL,   -- expansion amount or renewal ARR, reporting currency
    outcome_value       DECIMAL(18, 2) NOT NULL,   -- value the method credits (expansion amount; ARR × (1 − baseline))
    credited            BOOLEAN NOT NULL,
    risk_band           VARCHAR,
    baseline_probability DECIMAL(18, 6)
);

CREATE TABLE attribution_cs_baseline (
    build_id            VARCHAR NOT NULL,
    risk_band           VARCHAR NOT NULL,
    renewed             BIGINT NOT NULL,
    closed              BIGINT NOT NULL
);

-- Outcomes recorded by users through attribute(customerId, ...), with their allocation to
-- programmes and activities. A recorded outcome whose reference names a computed outcome (a deal
-- or renewal opportunity id) supersedes the computed credit of that outcome.
CREATE TABLE attribution_cs_outcome (
    outcome_id          VARCHAR PRIMARY KEY,
    customer_id         VARCHAR NOT NULL,
    outcome_type        VARCHAR NOT NULL CHECK (outcome_type IN ('EXPANSION', 'CHURN_PROTECTION')),
    reference           VARCHAR,
    outcome_date        DATE NOT NULL,
    amount              DECIMAL(18, 2) NOT NULL CHECK (amount >= 0),
    currency_code       VARCHAR NOT NULL,
    amount_reporting    DECIMAL(18, 2) NOT NULL,
    reporting_currency  VARCHAR NOT NULL,
    method              VARCHAR NOT NULL,
    note                VARCHAR,
    recorded_at         TIMESTAMP NOT NULL
);

CREATE TABLE attribution_cs_allocation (
    outcome_id          VARCHAR NOT NULL,
    allocation_no       INTEGER NOT NULL,
    program_id          VARCHAR NOT NULL,
    activity_id         VARCHAR,
    share               DECIMAL(18, 6) NOT NULL,
    attributed_amount   DECIMAL(18, 2) NOT NULL,
    evidence            VARCHAR NOT NULL,
    PRIMARY KEY (outcome_id, allocation_no)
);
