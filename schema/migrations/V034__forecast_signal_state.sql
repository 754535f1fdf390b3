-- The health signals and model figures of each open renewal of the current forecast when they were
-- last compared, per reporting currency: the next comparison publishes a HEALTH_TREND event on the
-- forecast_adjustment topic for each renewal whose health score or 90-day trend moved since.
-- Rewritten whole by each comparison (one row per contract by construction; no index, as
-- realization_contract_state, V030).
CREATE TABLE forecast_signal_state (
    currency_code       VARCHAR NOT NULL,
    contract_id         VARCHAR NOT NULL,
    health_score        DECIMAL(7, 2),   -- scores are whole numbers 0..100 (fact_health_score), the trend their difference
    health_trend        DECIMAL(7, 2),
    amount              DECIMAL(18, 2) NOT NULL,
    model_probability   DECIMAL(5, 4),
    facts_version       BIGINT NOT NULL
);
