-- Value realization: what delivered outcomes are worth, quarterly certifications with their
-- evidence, and the last known realization of every contract (to tell when it changes).
-- The per-quarter realization of every contract is a derived table (realization_contract_checkpoint),
-- rebuilt from the facts when the data version moves.

-- What one unit of a cumulative KPI is worth to the customer. It turns delivered outcomes into
-- money for the ROI trajectory (realised value against what the customer pays). A KPI without a
-- row here counts towards realization but adds no money value.
CREATE TABLE realization_kpi_value (
    kpi             VARCHAR PRIMARY KEY,
    unit            VARCHAR NOT NULL,
    value_per_unit  DECIMAL(18, 4) NOT NULL CHECK (value_per_unit >= 0),
    currency_code   VARCHAR NOT NULL,
    basis           VARCHAR NOT NULL
);

INSERT INTO realization_kpi_value VALUES
    ('hours_saved', 'hours', 45.0000, 'USD',
     'Planning assumption: an hour of a knowledge worker is worth about USD 45 to the employer (roughly the US private-industry employer cost per hour worked). Replace it with the customer value agreed in the business case.');

-- A quarter's value realization of one contract as certified, with the figures certified. Rows are
-- only ever inserted: a certified quarter is never changed; a later certification of the same
-- contract and quarter supersedes it (revision + 1, supersedes_id naming it, with its reason).
CREATE TABLE realization_certification (
    certification_id    VARCHAR PRIMARY KEY,
    contract_id         VARCHAR NOT NULL,
    customer_id         VARCHAR NOT NULL,
    fiscal_year         INTEGER NOT NULL,
    fiscal_quarter      INTEGER NOT NULL CHECK (fiscal_quarter BETWEEN 1 AND 4),
    quarter_start       DATE NOT NULL,
    quarter_end         DATE NOT NULL,
    measured_as_of      DATE NOT NULL,          -- the quarter end, or the contract end when earlier
    revision            INTEGER NOT NULL CHECK (revision >= 1),
    supersedes_id       VARCHAR,
    realization_rate    DECIMAL(18, 6),
    status              VARCHAR NOT NULL,
    milestones_met      INTEGER NOT NULL,
    milestones_due      INTEGER NOT NULL,
    value_to_date       DECIMAL(18, 2),
    paid_to_date        DECIMAL(18, 2),
    roi                 DECIMAL(18, 6),
    reporting_currency  VARCHAR NOT NULL,
    certified_by        VARCHAR NOT NULL,
    reason              VARCHAR,
    note                VARCHAR,
    basis_data_version  BIGINT NOT NULL,        -- the data version the certified figures were computed on
    certified_at        TIMESTAMP NOT NULL,
    UNIQUE (contract_id, fiscal_year, fiscal_quarter, revision)
);

-- The delivery of each commitment as certified.
CREATE TABLE realization_certification_kpi (
    certification_id    VARCHAR NOT NULL,
    commitment_id       VARCHAR NOT NULL,
    kpi                 VARCHAR NOT NULL,
    unit                VARCHAR NOT NULL,
    target_value        DECIMAL(18, 4) NOT NULL,
    due_value           DECIMAL(18, 4),
    delivered_value     DECIMAL(18, 4),
    measured_on         DATE,
    realization_rate    DECIMAL(18, 6),
    status              VARCHAR NOT NULL,
    PRIMARY KEY (certification_id, commitment_id)
);

-- The evidence a certification rests on (a QBR deck, a usage export, a customer sign-off).
CREATE TABLE realization_certification_evidence (
    certification_id    VARCHAR NOT NULL,
    evidence_no         INTEGER NOT NULL,
    kind                VARCHAR NOT NULL,
    reference           VARCHAR NOT NULL,
    description         VARCHAR,
    PRIMARY KEY (certification_id, evidence_no)
);

-- The latest realization of every contract as last published, so a change of the facts can be
-- compared with it and announced as a value_realization event.
CREATE TABLE realization_contract_state (
    contract_id         VARCHAR PRIMARY KEY,
    as_of               DATE NOT NULL,
    realization_rate    DECIMAL(18, 6),
    status              VARCHAR NOT NULL,
    milestones_met      INTEGER NOT NULL,
    milestones_due      INTEGER NOT NULL,
    data_version        BIGINT NOT NULL
);
