-- Derived tables (revenue schedules, MRR snapshots, attribution results, ...) are rebuilt from the
-- facts when the data version moves; this records which version each was built on.
CREATE TABLE finhub_derived (
    derived_name   VARCHAR PRIMARY KEY,
    data_version   BIGINT NOT NULL,
    built_at       TIMESTAMP NOT NULL,
    build_millis   BIGINT NOT NULL
);
