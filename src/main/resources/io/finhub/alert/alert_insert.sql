INSERT INTO alert (alert_id, rule_id, rule_name, scope_key, scope, period_start, period_label, severity, state, measure, comparison, baseline,
                   threshold, value, baseline_value, observed, message, fired_at, fired_version, changed_at)
VALUES (:id, :ruleId, :ruleName, :scopeKey, :scope, :period, :periodLabel, :severity, 'FIRING', :measure, :comparison, :baseline,
        :threshold, :value, :baselineValue, :observed, :message, :firedAt, :firedVersion, :firedAt)
