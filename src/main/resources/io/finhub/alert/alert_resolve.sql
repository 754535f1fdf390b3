UPDATE alert
SET state = 'RESOLVED', resolved_at = :at, resolved_version = :version, resolution = :resolution,
    resolved_value = :value, resolved_observed = :observed, changed_at = :at
WHERE alert_id = :id AND state = 'FIRING'
