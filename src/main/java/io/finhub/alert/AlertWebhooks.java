package io.finhub.alert;

import static java.util.Objects.requireNonNull;

import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.store.Store;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** The webhooks in {@code alert_webhook} and their delivery log in {@code alert_webhook_delivery}. */
final class AlertWebhooks {
    static final int MIN_SECRET_LENGTH = 16;
    private static final String SELECT = "SELECT webhook_id, url, rule_id, min_severity, enabled, created_at, secret FROM alert_webhook";

    private final Store store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    AlertWebhooks(Store store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** A webhook and its secret, for the sender. */
    record Target(AlertWebhook webhook, String secret) {}

    AlertWebhook.Created create(String url, Optional<String> rule, Optional<AlertSeverity> minimumSeverity, Optional<String> secret) {
        URI uri = parseUrl(url);
        if (secret.filter(value -> value.length() < MIN_SECRET_LENGTH).isPresent()) {
            throw new FinhubException(ErrorCode.INVALID_ALERT_RULE, "secret must be at least %d characters".formatted(MIN_SECRET_LENGTH));
        }
        String key = secret.orElseGet(this::newSecret);
        AlertWebhook webhook = new AlertWebhook(UUID.randomUUID().toString(), uri, rule, minimumSeverity, true,
                clock.instant().truncatedTo(ChronoUnit.MICROS));
        store.jdbi().useHandle(handle -> handle.createUpdate("INSERT INTO alert_webhook VALUES (:id, :url, :secret, :rule, :severity, true, :createdAt)")
                .bind("id", webhook.id())
                .bind("url", uri.toString())
                .bind("secret", key)
                .bind("rule", rule.orElse(null))
                .bind("severity", minimumSeverity.map(Enum::name).orElse(null))
                .bind("createdAt", LocalDateTime.ofInstant(webhook.createdAt(), ZoneOffset.UTC))
                .execute());
        return new AlertWebhook.Created(webhook, key);
    }

    private static URI parseUrl(String url) {
        try {
            URI uri = new URI(url);
            if (!uri.isAbsolute() || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
                throw new FinhubException(ErrorCode.INVALID_ALERT_RULE, "url '%s' must be an absolute http or https URL".formatted(url));
            }
            return uri;
        }
        catch (URISyntaxException e) {
            throw new FinhubException(ErrorCode.INVALID_ALERT_RULE, "url '%s' is not a URL: %s".formatted(url, e.getReason()));
        }
    }

    private String newSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    AlertWebhook setEnabled(String id, boolean enabled) {
        int updated = store.jdbi().withHandle(handle -> handle.createUpdate("UPDATE alert_webhook SET enabled = :enabled WHERE webhook_id = :id")
                .bind("id", id)
                .bind("enabled", enabled)
                .execute());
        if (updated == 0) {
            throw new FinhubException(ErrorCode.NOT_FOUND, "no webhook '%s'".formatted(id));
        }
        return targets(false).stream().map(Target::webhook).filter(webhook -> webhook.id().equals(id)).findFirst().orElseThrow();
    }

    List<AlertWebhook> all() {
        return targets(false).stream().map(Target::webhook).toList();
    }

    List<Target> targets(boolean enabledOnly) {
        return store.jdbi().withHandle(handle -> handle.createQuery(SELECT + (enabledOnly ? " WHERE enabled" : "") + " ORDER BY created_at, webhook_id")
                .map((row, context) -> new Target(new AlertWebhook(row.getString("webhook_id"), URI.create(row.getString("url")),
                        Optional.ofNullable(row.getString("rule_id")), Optional.ofNullable(row.getString("min_severity")).map(AlertSeverity::valueOf),
                        row.getBoolean("enabled"), row.getObject("created_at", LocalDateTime.class).toInstant(ZoneOffset.UTC)), row.getString("secret")))
                .list());
    }

    void log(WebhookDelivery delivery) {
        store.jdbi().useHandle(handle -> insert(handle, delivery));
    }

    private static void insert(Handle handle, WebhookDelivery delivery) {
        handle.createUpdate("INSERT INTO alert_webhook_delivery VALUES (:delivery, :attempt, :webhook, :alert, :event, :at, :backoff, :status, :outcome, :error, :duration)")
                .bind("delivery", delivery.deliveryId())
                .bind("attempt", delivery.attempt())
                .bind("webhook", delivery.webhookId())
                .bind("alert", delivery.alertId())
                .bind("event", delivery.event())
                .bind("at", LocalDateTime.ofInstant(delivery.attemptedAt(), ZoneOffset.UTC))
                .bind("backoff", delivery.backoffMillis())
                .bind("status", delivery.statusCode().orElse(null))
                .bind("outcome", delivery.outcome().name())
                .bind("error", delivery.error().orElse(null))
                .bind("duration", delivery.durationMillis())
                .execute();
    }

    /** The log, newest first, optionally of one webhook or one alert. */
    List<WebhookDelivery> deliveries(Optional<String> webhook, Optional<String> alert, int limit) {
        if (limit < 1 || limit > AlertQuery.MAX_LIMIT) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "limit must be between 1 and %d, was %d".formatted(AlertQuery.MAX_LIMIT, limit));
        }
        String where = webhook.map(id -> " WHERE webhook_id = :webhook").orElse(" WHERE true") + alert.map(id -> " AND alert_id = :alert").orElse("");
        return store.jdbi().withHandle(handle -> {
            var query = handle.createQuery("SELECT * FROM alert_webhook_delivery" + where + " ORDER BY attempted_at DESC, delivery_id, attempt DESC LIMIT :limit");
            webhook.ifPresent(id -> query.bind("webhook", id));
            alert.ifPresent(id -> query.bind("alert", id));
            return query.bind("limit", limit)
                    .map((row, context) -> new WebhookDelivery(row.getString("delivery_id"), row.getInt("attempt"), row.getString("webhook_id"),
                            row.getString("alert_id"), row.getString("event"), row.getObject("attempted_at", LocalDateTime.class).toInstant(ZoneOffset.UTC),
                            row.getLong("backoff_millis"), Optional.ofNullable((Integer) row.getObject("status_code")),
                            WebhookDelivery.Outcome.valueOf(row.getString("outcome")), Optional.ofNullable(row.getString("error")),
                            row.getLong("duration_millis")))
                    .list();
        });
    }
}
