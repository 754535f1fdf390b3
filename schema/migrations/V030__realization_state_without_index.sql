-- realization_contract_state is rewritten whole after every change of the facts it follows (one
-- DELETE and one INSERT of every contract, about 250,000 rows at the m scale). Its primary key made
-- that rewrite slow (the DELETE alone took 5.7 s on m) and, with queries running at the same time,
-- the checkpoint after it failed inside DuckDB 1.4.4's index storage ("Invalid bitmask for
-- FixedSizeAllocator") and brought the process down. Uniqueness per contract is guaranteed by the
-- statement that fills it (one row per contract_id by construction), so the table needs no index.
CREATE TABLE realization_contract_state_unindexed (
    contract_id         VARCHAR NOT NULL,
    as_of               DATE NOT NULL,
    realization_rate    DECIMAL(18, 6),
    status              VARCHAR NOT NULL,
    milestones_met      INTEGER NOT NULL,
    milestones_due      INTEGER NOT NULL,
    data_version        BIGINT NOT NULL
);
INSERT INTO realization_contract_state_unindexed SELECT * FROM realization_contract_state;
DROP TABLE realization_contract_state;
ALTER TABLE realization_contract_state_unindexed RENAME TO realization_contract_state;
