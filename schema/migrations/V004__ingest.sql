-- Ingestion: one row per committed import batch (the audit trail and the idempotency record).
-- A batch is written in the same transaction as its rows, so a batch row exists exactly when its
-- data does; a retried batch finds its idempotency key here and changes nothing.

CREATE TABLE finhub_ingest_batch (
    batch_id         VARCHAR PRIMARY KEY,
    idempotency_key  VARCHAR NOT NULL UNIQUE,   -- given by the caller, or sha256:<checksum>:<dataset>:<mode>[:<partition>]
    committed_at     TIMESTAMP NOT NULL,        -- UTC
    actor            VARCHAR NOT NULL,          -- who: cli:<os user>, http:<address>, graphql
    source           VARCHAR NOT NULL,          -- file path, upload name, singer preset, graphql
    checksum         VARCHAR NOT NULL,          -- SHA-256 (hex) of the bytes imported
    row_count        BIGINT NOT NULL,           -- rows read over all datasets of the batch
    data_version     BIGINT NOT NULL,           -- the finhub_data_version this batch created
    singer_state     VARCHAR                    -- last Singer STATE value (JSON) of a Singer batch
);

-- What a batch did to each dataset it touched.
CREATE TABLE finhub_ingest_batch_dataset (
    batch_id         VARCHAR NOT NULL,
    dataset          VARCHAR NOT NULL,
    mode             VARCHAR NOT NULL CHECK (mode IN ('APPEND', 'UPSERT', 'REPLACE')),
    partition_spec   VARCHAR,                   -- e.g. entity_id=US, posting_date=2025-03 for REPLACE
    rows_read        BIGINT NOT NULL,
    rows_inserted    BIGINT NOT NULL,
    rows_updated     BIGINT NOT NULL,
    rows_deleted     BIGINT NOT NULL,
    PRIMARY KEY (batch_id, dataset)
);
