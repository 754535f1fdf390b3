-- Platform tables: settings and the data version every cache key and alert relies on.

CREATE TABLE finhub_setting (
    setting_key    VARCHAR PRIMARY KEY,
    setting_value  VARCHAR NOT NULL
);

-- One row per committed change of the facts or dimensions (seed, import, mutation).
-- The current data version is max(version); caches key on it, so no answer is ever stale.
CREATE TABLE finhub_data_version (
    version        BIGINT PRIMARY KEY,
    committed_at   TIMESTAMP NOT NULL,
    source         VARCHAR NOT NULL,
    datasets       VARCHAR[] NOT NULL
);
