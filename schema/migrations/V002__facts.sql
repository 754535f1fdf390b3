-- Facts of the FinHub star schema, one table per business event.
-- Every money column is DECIMAL(18,2) with the ISO 4217 currency of the source document beside it;
-- conversion to the reporting currency happens at query time at the transaction date's rate.

-- Marketing ----------------------------------------------------------------------------------

CREATE TABLE fact_touchpoint (
    touchpoint_id  VARCHAR NOT NULL,
    journey_id     VARCHAR NOT NULL,
    customer_id    VARCHAR,            -- set once the journey's person belongs to a customer
    lead_id        VARCHAR,            -- CRM lead/contact id
    channel_id     VARCHAR NOT NULL,
    campaign_id    VARCHAR,
    touched_at     TIMESTAMP NOT NULL,
    CHECK (customer_id IS NOT NULL OR lead_id IS NOT NULL)
);

CREATE TABLE fact_conversion (
    conversion_id  VARCHAR NOT NULL,
    journey_id     VARCHAR,            -- the marketing journey that led to the deal, if any
    customer_id    VARCHAR NOT NULL,
    product_id     VARCHAR NOT NULL,
    deal_type      VARCHAR NOT NULL CHECK (deal_type IN ('NEW_BUSINESS', 'EXPANSION', 'RENEWAL')),
    converted_at   TIMESTAMP NOT NULL,
    amount         DECIMAL(18, 2) NOT NULL CHECK (amount >= 0),
    currency_code  VARCHAR NOT NULL
);

CREATE TABLE fact_spend (
    spend_id       VARCHAR NOT NULL,
    spend_date     DATE NOT NULL,
    department_id  VARCHAR NOT NULL,
    channel_id     VARCHAR,
    campaign_id    VARCHAR,
    program_id     VARCHAR,            -- customer-success programme spend
    product_id     VARCHAR,            -- product development spend
    cost_type      VARCHAR NOT NULL CHECK (cost_type IN ('MEDIA', 'CREATIVE', 'PERSONNEL', 'TECHNOLOGY')),
    amount         DECIMAL(18, 2) NOT NULL,
    currency_code  VARCHAR NOT NULL
);

-- Finance ------------------------------------------------------------------------------------

CREATE TABLE fact_budget (
    budget_version VARCHAR NOT NULL CHECK (budget_version IN ('ORIGINAL', 'REFORECAST')),
    budget_month   DATE NOT NULL CHECK (day(budget_month) = 1),
    department_id  VARCHAR NOT NULL,
    account_id     VARCHAR NOT NULL,
    campaign_id    VARCHAR,
    product_id     VARCHAR,
    amount         DECIMAL(18, 2) NOT NULL,
    currency_code  VARCHAR NOT NULL
);

CREATE TABLE fact_gl_actual (
    entry_id       VARCHAR NOT NULL,
    entity_id      VARCHAR NOT NULL,
    posting_date   DATE NOT NULL,
    department_id  VARCHAR NOT NULL,
    account_id     VARCHAR NOT NULL,
    campaign_id    VARCHAR,
    product_id     VARCHAR,
    amount         DECIMAL(18, 2) NOT NULL,   -- positive = revenue earned or cost incurred
    currency_code  VARCHAR NOT NULL,
    description    VARCHAR
);

CREATE TABLE fact_fx_rate (
    rate_date      DATE NOT NULL,
    from_currency  VARCHAR NOT NULL,
    to_currency    VARCHAR NOT NULL,
    rate           DECIMAL(18, 8) NOT NULL CHECK (rate > 0),   -- 1 from_currency = rate to_currency
    PRIMARY KEY (rate_date, from_currency, to_currency)
);

-- Revenue ------------------------------------------------------------------------------------

CREATE TABLE fact_subscription (
    subscription_id VARCHAR NOT NULL,
    customer_id     VARCHAR NOT NULL,
    contract_id     VARCHAR,
    product_id      VARCHAR NOT NULL,
    start_date      DATE NOT NULL,
    end_date        DATE,              -- exclusive; NULL = open-ended
    mrr             DECIMAL(18, 2) NOT NULL CHECK (mrr >= 0),
    currency_code   VARCHAR NOT NULL,
    seats           INTEGER,
    CHECK (end_date IS NULL OR end_date > start_date)
);

CREATE TABLE fact_invoice (
    invoice_id      VARCHAR NOT NULL,
    customer_id     VARCHAR NOT NULL,
    subscription_id VARCHAR,
    invoice_date    DATE NOT NULL,
    service_start   DATE NOT NULL,
    service_end     DATE NOT NULL,     -- inclusive last day of service
    amount          DECIMAL(18, 2) NOT NULL,
    currency_code   VARCHAR NOT NULL,
    CHECK (service_end >= service_start)
);

-- Customer success and value realization -----------------------------------------------------

CREATE TABLE fact_contract_commitment (
    commitment_id  VARCHAR NOT NULL,
    contract_id    VARCHAR NOT NULL,
    kpi            VARCHAR NOT NULL,
    unit           VARCHAR NOT NULL,
    target_value   DECIMAL(18, 4) NOT NULL,
    period_start   DATE NOT NULL,
    period_end     DATE NOT NULL,
    CHECK (period_end >= period_start)
);

CREATE TABLE fact_success_metric (
    contract_id      VARCHAR NOT NULL,
    kpi              VARCHAR NOT NULL,
    measured_on      DATE NOT NULL,
    delivered_value  DECIMAL(18, 4) NOT NULL
);

CREATE TABLE fact_utilization (
    contract_id            VARCHAR NOT NULL,
    measured_on            DATE NOT NULL,
    seats_used             INTEGER NOT NULL CHECK (seats_used >= 0),
    seats_licensed         INTEGER NOT NULL CHECK (seats_licensed >= 0),
    feature_adoption_pct   DECIMAL(5, 2) NOT NULL CHECK (feature_adoption_pct BETWEEN 0 AND 100)
);

CREATE TABLE fact_health_score (
    customer_id   VARCHAR NOT NULL,
    scored_on     DATE NOT NULL,
    health_score  SMALLINT NOT NULL CHECK (health_score BETWEEN 0 AND 100),
    risk_band     VARCHAR NOT NULL CHECK (risk_band IN ('HEALTHY', 'WATCH', 'AT_RISK'))
);

CREATE TABLE fact_cs_activity (
    activity_id    VARCHAR NOT NULL,
    customer_id    VARCHAR NOT NULL,
    program_id     VARCHAR NOT NULL,
    occurred_on    DATE NOT NULL,
    hours          DECIMAL(8, 2) NOT NULL CHECK (hours >= 0),
    cost           DECIMAL(18, 2) NOT NULL CHECK (cost >= 0),
    currency_code  VARCHAR NOT NULL
);

CREATE TABLE fact_renewal_pipeline (
    opportunity_id  VARCHAR NOT NULL,
    customer_id     VARCHAR NOT NULL,
    contract_id     VARCHAR,
    kind            VARCHAR NOT NULL CHECK (kind IN ('RENEWAL', 'EXPANSION')),
    stage           VARCHAR NOT NULL CHECK (stage IN ('DISCOVERY', 'PROPOSAL', 'NEGOTIATION', 'COMMIT', 'CLOSED_WON', 'CLOSED_LOST')),
    probability     DECIMAL(5, 4) NOT NULL CHECK (probability BETWEEN 0 AND 1),
    amount          DECIMAL(18, 2) NOT NULL CHECK (amount >= 0),
    currency_code   VARCHAR NOT NULL,
    created_on      DATE NOT NULL,
    expected_close  DATE NOT NULL,
    closed_on       DATE
);
