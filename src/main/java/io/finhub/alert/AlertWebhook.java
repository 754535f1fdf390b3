package io.finhub.alert;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * Where alerts are POSTed: those of one rule, those of at least one severity, or both (neither: every
 * alert). Its secret signs each body and is shown only when the webhook is created.
 */
public record AlertWebhook(String id, URI url, Optional<String> rule, Optional<AlertSeverity> minimumSeverity, boolean enabled, Instant createdAt) {
    public AlertWebhook {
        requireNonNull(id, "id is null");
        requireNonNull(url, "url is null");
        requireNonNull(rule, "rule is null");
        requireNonNull(minimumSeverity, "minimumSeverity is null");
        requireNonNull(createdAt, "createdAt is null");
    }

    public boolean wants(Alert alert) {
        return enabled && rule.map(alert.ruleId()::equals).orElse(true) && minimumSeverity.map(alert.severity()::atLeast).orElse(true);
    }

    /** Whether this webhook wants the alerts of {@code alertRule}. */
    public boolean watches(AlertRule alertRule) {
        return enabled && rule.map(alertRule.id()::equals).orElse(true) && minimumSeverity.map(alertRule.severity()::atLeast).orElse(true);
    }

    /** A webhook just created, with the secret its receiver verifies signatures with. */
    public record Created(AlertWebhook webhook, String secret) {
        public Created {
            requireNonNull(webhook, "webhook is null");
            requireNonNull(secret, "secret is null");
        }
    }
}
