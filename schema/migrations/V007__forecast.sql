-- Forecasting: customer-success overrides of the renewal and expansion forecast with their
-- evidence, the fitted renewal model, and the latest backtest. The renewal cases with their
-- signals (forecast_renewal_case) are a derived table, rebuilt when the facts change.

-- An override of one forecast line: a renewal (target_id = contract) or an expansion opportunity.
-- Rows are only ever inserted; the latest row of a target is its adjustment (cleared = true
-- withdraws it), and every row keeps the model figures it overrode, side by side.
CREATE TABLE forecast_adjustment (
    adjustment_id         VARCHAR PRIMARY KEY,
    target_kind           VARCHAR NOT NULL CHECK (target_kind IN ('RENEWAL', 'EXPANSION')),
    target_id             VARCHAR NOT NULL,
    customer_id           VARCHAR NOT NULL,
    adjusted_probability  DECIMAL(5, 4) CHECK (adjusted_probability BETWEEN 0 AND 1),
    adjusted_amount       DECIMAL(18, 2) CHECK (adjusted_amount >= 0),
    cleared               BOOLEAN NOT NULL,
    model_probability     DECIMAL(5, 4),
    model_amount          DECIMAL(18, 2),
    model_as_of           DATE,
    reporting_currency    VARCHAR NOT NULL,
    reason                VARCHAR NOT NULL,
    adjusted_by           VARCHAR NOT NULL,
    supersedes_id         VARCHAR,
    basis_data_version    BIGINT NOT NULL,
    adjusted_at           TIMESTAMP NOT NULL
);

CREATE TABLE forecast_adjustment_evidence (
    adjustment_id   VARCHAR NOT NULL,
    evidence_no     INTEGER NOT NULL,
    kind            VARCHAR NOT NULL,
    reference       VARCHAR NOT NULL,
    description     VARCHAR,
    PRIMARY KEY (adjustment_id, evidence_no)
);

-- The renewal model fitted on the facts of facts_version, one per reporting currency: its header
-- (intercept NULL when there were too few decided renewals to learn from) and one row per factor.
CREATE TABLE forecast_model (
    reporting_currency  VARCHAR PRIMARY KEY,
    facts_version       BIGINT NOT NULL,
    trained_through     DATE NOT NULL,
    horizon_end         DATE NOT NULL,
    cases               INTEGER NOT NULL,
    renewed             INTEGER NOT NULL,
    intercept           DOUBLE,
    built_at            TIMESTAMP NOT NULL
);

CREATE TABLE forecast_model_factor (
    reporting_currency  VARCHAR NOT NULL,
    factor              VARCHAR NOT NULL,
    mean                DOUBLE NOT NULL,
    deviation           DOUBLE NOT NULL,
    coefficient         DOUBLE NOT NULL,
    PRIMARY KEY (reporting_currency, factor)
);

-- The latest backtest of each facts version, as the JSON document the API serves.
CREATE TABLE forecast_backtest (
    facts_version       BIGINT NOT NULL,
    reporting_currency  VARCHAR NOT NULL,
    computed_at         TIMESTAMP NOT NULL,
    result              VARCHAR NOT NULL,
    PRIMARY KEY (facts_version, reporting_currency)
);
