-- An alert also resolves as RULE_CHANGED: its rule's severity, measure, comparison, baseline,
-- threshold or dimensions changed while it was firing (a scope still breached fires again as a new
-- alert under the new definition). DuckDB cannot alter a CHECK constraint, so the table is copied
-- into one with the wider check.
CREATE TABLE alert_with_rule_changed (
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
    resolution         VARCHAR CHECK (resolution IN ('RECOVERED', 'EXPIRED', 'RULE_DISABLED', 'RULE_CHANGED')),
    resolved_value     DECIMAL(38, 10),
    resolved_observed  DECIMAL(38, 10),
    changed_at         TIMESTAMP NOT NULL     -- fired_at, then resolved_at: what alerts(since:) reads
);
INSERT INTO alert_with_rule_changed SELECT * FROM alert;
DROP TABLE alert;
ALTER TABLE alert_with_rule_changed RENAME TO alert;
