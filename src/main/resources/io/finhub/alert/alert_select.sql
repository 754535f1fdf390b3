SELECT alert_id, rule_id, rule_name, scope_key, scope, period_start, period_label, severity, state, measure, comparison, baseline,
       threshold, value, baseline_value, observed, message, fired_at, fired_version,
       resolved_at, resolved_version, resolution, resolved_value, resolved_observed
FROM alert
