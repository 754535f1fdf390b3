-- Data retention: how long each fact dataset keeps its rows (`finhub retention set|remove|list|apply`).
-- A row goes when its dataset's retention date (schema/datasets.md, "Retention") is more than
-- keep_months before the day `retention apply` runs. Every change of a policy and every run is in audit_log.
CREATE TABLE retention_policy (
    dataset      VARCHAR PRIMARY KEY,
    keep_months  INTEGER NOT NULL CHECK (keep_months > 0),
    updated_at   TIMESTAMP NOT NULL,
    updated_by   VARCHAR NOT NULL
);
