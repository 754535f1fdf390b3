-- Alerts: rules (a catalog request plus a threshold), the alerts they raised, webhooks and the log
-- of every webhook delivery attempt. None of these tables is a fact: writing them never moves the
-- data version, so evaluating a rule can never trigger another evaluation.

-- One row per rule. The definition (measure, dimensions, filters, grain, window, condition,
-- severity) is one JSON document, so a rule can name a measure the catalog does not have yet.
CREATE TABLE alert_rule (
    rule_id        VARCHAR PRIMARY KEY,
    definition     VARCHAR NOT NULL,
    enabled        BOOLEAN NOT NULL,
    built_in       BOOLEAN NOT NULL,      -- one of the default rules of the design documents
    created_at     TIMESTAMP NOT NULL,    -- UTC
    updated_at     TIMESTAMP NOT NULL
);

-- One row per alert: raised (FIRING) when a rule's scope crossed its threshold, RESOLVED when it
-- came back. At most one FIRING alert per rule and scope; the evaluator is the only writer.
-- Numbers are exact decimals; money in the reporting currency, percentages as percent.
CREATE TABLE alert (
    alert_id           VARCHAR PRIMARY KEY,
    rule_id            VARCHAR NOT NULL,
    rule_name          VARCHAR NOT NULL,
    scope_key          VARCHAR NOT NULL,      -- period and dimension values, canonical
    scope              VARCHAR NOT NULL,      -- JSON [{dimension, value, label}]
    period_start       DATE,
    period_label       VARCHAR,
    severity           VARCHAR NOT NULL CHECK (severity IN ('INFO', 'WARNING', 'CRITICAL')),
    state              VARCHAR NOT NULL CHECK (state IN ('FIRING', 'RESOLVED')),
    measure            VARCHAR NOT NULL,
    comparison         VARCHAR NOT NULL CHECK (comparison IN ('ABOVE', 'BELOW', 'OUTSIDE')),
    baseline           VARCHAR NOT NULL CHECK (baseline IN ('NONE', 'TARGET', 'PREVIOUS_PERIOD')),
    threshold          DECIMAL(38, 10) NOT NULL,
    value              DECIMAL(38, 10),       -- the measure when the alert fired
    baseline_value     DECIMAL(38, 10),       -- the target or previous period's value it was compared with
    observed           DECIMAL(38, 10) NOT NULL, -- what was compared with the threshold
    message            VARCHAR NOT NULL,
    fired_at           TIMESTAMP NOT NULL,
    fired_version      BIGINT NOT NULL,
    resolved_at        TIMESTAMP,
    resolved_version   BIGINT,
    resolution         VARCHAR CHECK (resolution IN ('RECOVERED', 'EXPIRED', 'RULE_DISABLED')),
    resolved_value     DECIMAL(38, 10),
    resolved_observed  DECIMAL(38, 10),
    changed_at         TIMESTAMP NOT NULL     -- fired_at, then resolved_at: what alerts(since:) reads
);

-- Where alerts are POSTed: every alert of one rule, or of at least one severity, or both.
CREATE TABLE alert_webhook (
    webhook_id     VARCHAR PRIMARY KEY,
    url            VARCHAR NOT NULL,
    secret         VARCHAR NOT NULL,          -- HMAC-SHA256 key of the signature header
    rule_id        VARCHAR,                   -- NULL: any rule
    min_severity   VARCHAR CHECK (min_severity IN ('INFO', 'WARNING', 'CRITICAL')),  -- NULL: any severity
    enabled        BOOLEAN NOT NULL,
    created_at     TIMESTAMP NOT NULL
);

-- One row per attempt of a delivery (one alert change to one webhook); at most 3 attempts.
CREATE TABLE alert_webhook_delivery (
    delivery_id      VARCHAR NOT NULL,
    attempt          INTEGER NOT NULL,
    webhook_id       VARCHAR NOT NULL,
    alert_id         VARCHAR NOT NULL,
    event            VARCHAR NOT NULL,        -- alert.fired or alert.resolved
    attempted_at     TIMESTAMP NOT NULL,
    backoff_millis   BIGINT NOT NULL,         -- waited before this attempt
    status_code      INTEGER,                 -- NULL when no response came
    outcome          VARCHAR NOT NULL CHECK (outcome IN ('DELIVERED', 'RETRYING', 'FAILED', 'DROPPED')),
    error            VARCHAR,
    duration_millis  BIGINT NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);
