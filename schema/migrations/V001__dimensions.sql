-- Dimensions of the FinHub star schema.
-- Keys are the natural keys of the source systems (CRM ids, GL account numbers, ISO codes), so an
-- import never needs a key-mapping step and a BI user sees the same ids as in the source system.
-- Foreign keys are checked by the importer, not by DuckDB constraints: DuckDB forbids updating a
-- referenced key, which would block upserts of dimensions.

CREATE TABLE dim_currency (
    currency_code   VARCHAR PRIMARY KEY CHECK (length(currency_code) = 3 AND currency_code = upper(currency_code)),
    currency_name   VARCHAR NOT NULL,
    minor_units     TINYINT NOT NULL CHECK (minor_units BETWEEN 0 AND 4)
);

CREATE TABLE dim_entity (
    entity_id            VARCHAR PRIMARY KEY,
    entity_name          VARCHAR NOT NULL,
    functional_currency  VARCHAR NOT NULL,
    country              VARCHAR NOT NULL
);

CREATE TABLE dim_channel (
    channel_id    VARCHAR PRIMARY KEY,
    channel_name  VARCHAR NOT NULL,
    channel_group VARCHAR NOT NULL CHECK (channel_group IN ('PAID', 'OWNED', 'EARNED', 'SALES', 'PARTNER'))
);

CREATE TABLE dim_department (
    department_id    VARCHAR PRIMARY KEY,
    department_name  VARCHAR NOT NULL,
    cost_centre      VARCHAR NOT NULL,
    function_area    VARCHAR NOT NULL CHECK (function_area IN ('MARKETING', 'SALES', 'PRODUCT', 'CUSTOMER_SUCCESS', 'G_AND_A'))
);

CREATE TABLE dim_product (
    product_id     VARCHAR PRIMARY KEY,
    product_name   VARCHAR NOT NULL,
    product_family VARCHAR NOT NULL,
    launch_date    DATE NOT NULL
);

CREATE TABLE dim_campaign (
    campaign_id    VARCHAR PRIMARY KEY,
    campaign_name  VARCHAR NOT NULL,
    channel_id     VARCHAR NOT NULL,
    department_id  VARCHAR NOT NULL,
    product_id     VARCHAR,
    objective      VARCHAR NOT NULL CHECK (objective IN ('ACQUISITION', 'EXPANSION', 'RETENTION')),
    start_date     DATE NOT NULL,
    end_date       DATE NOT NULL,
    CHECK (end_date >= start_date)
);

CREATE TABLE dim_cs_program (
    program_id     VARCHAR PRIMARY KEY,
    program_name   VARCHAR NOT NULL,
    activity_type  VARCHAR NOT NULL CHECK (activity_type IN ('QBR', 'TRAINING', 'SUCCESS_PLAN', 'ESCALATION', 'ONBOARDING')),
    department_id  VARCHAR NOT NULL
);

CREATE TABLE dim_gl_account (
    account_id     VARCHAR PRIMARY KEY,
    account_name   VARCHAR NOT NULL,
    account_type   VARCHAR NOT NULL CHECK (account_type IN ('REVENUE', 'EXPENSE', 'COGS')),
    cost_type      VARCHAR CHECK (cost_type IN ('MEDIA', 'CREATIVE', 'PERSONNEL', 'TECHNOLOGY', 'OTHER'))
);

CREATE TABLE dim_customer (
    customer_id               VARCHAR PRIMARY KEY,
    customer_name             VARCHAR NOT NULL,
    segment                   VARCHAR NOT NULL CHECK (segment IN ('SMB', 'MID_MARKET', 'ENTERPRISE')),
    industry                  VARCHAR NOT NULL,
    region                    VARCHAR NOT NULL CHECK (region IN ('NA', 'EMEA', 'APAC', 'LATAM')),
    billing_currency          VARCHAR NOT NULL,
    acquisition_channel_id    VARCHAR,
    acquisition_campaign_id   VARCHAR,
    acquired_on               DATE
);

CREATE TABLE dim_contract (
    contract_id        VARCHAR PRIMARY KEY,
    customer_id        VARCHAR NOT NULL,
    product_id         VARCHAR NOT NULL,
    start_date         DATE NOT NULL,
    end_date           DATE NOT NULL,
    committed_value    DECIMAL(18, 2) NOT NULL CHECK (committed_value >= 0),
    currency_code      VARCHAR NOT NULL,
    licensed_seats     INTEGER NOT NULL CHECK (licensed_seats >= 0),
    CHECK (end_date >= start_date)
);
