package io.finhub.alert;

import static io.finhub.alert.AlertFixtures.MARCH_15;
import static io.finhub.alert.AlertFixtures.costOverBudget;
import static io.finhub.alert.AlertFixtures.postMarketingMedia;
import static org.assertj.core.api.Assertions.assertThat;

import io.finhub.alert.Alert.State;
import io.finhub.alert.AlertFixtures.Collector;
import io.finhub.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * After a change, the rules somebody waits for (a subscriber or a webhook) are evaluated before the
 * others. Two WARNING rules cross on the same commit; by name "a-nobody" would go first.
 * Evaluation runs on the committing thread and the clock moves a millisecond each time it is read,
 * so the order the rules were evaluated in is the order of their alerts' firing instants.
 */
class AlertWatchedFirstTest {
    private Store store;
    private AlertService alerts;

    @BeforeEach
    void open() {
        store = AlertFixtures.ledger();
        alerts = AlertFixtures.synchronous(store, AlertFixtures.metrics(store), new TickingClock(MARCH_15));
        alerts.create(costOverBudget("a-nobody"));
        alerts.create(costOverBudget("z-watched"));
    }

    @AfterEach
    void close() {
        alerts.close();
        store.close();
    }

    @Test
    void a_subscribed_rule_is_evaluated_before_rules_nobody_watches() {
        alerts.subscribe(Optional.empty(), Optional.of("z-watched")).subscribe(new Collector<>());

        postMarketingMedia(store, "m1", "3800.00");

        assertThat(firedAt("z-watched")).isBefore(firedAt("a-nobody"));
    }

    @Test
    void a_webhook_makes_a_rule_watched() {
        alerts.createWebhook("http://127.0.0.1:9/hook", Optional.of("z-watched"), Optional.empty(), Optional.empty());

        postMarketingMedia(store, "m1", "3800.00");

        assertThat(firedAt("z-watched")).isBefore(firedAt("a-nobody"));
    }

    @Test
    void rules_everybody_or_nobody_watches_go_in_name_order() {
        alerts.subscribe(Optional.empty(), Optional.empty()).subscribe(new Collector<>());

        postMarketingMedia(store, "m1", "3800.00");

        assertThat(firedAt("a-nobody")).isBefore(firedAt("z-watched"));
    }

    @Test
    void a_subscriber_to_more_severe_alerts_does_not_watch_a_warning_rule() {
        Collector<Alert> critical = new Collector<>();
        alerts.subscribe(Optional.of(AlertSeverity.CRITICAL), Optional.of("z-watched")).subscribe(critical);

        postMarketingMedia(store, "m1", "3800.00");

        assertThat(firedAt("a-nobody")).isBefore(firedAt("z-watched"));
        assertThat(critical.drain()).isEmpty();
    }

    private Instant firedAt(String rule) {
        List<Alert> firing = alerts.alerts(new AlertQuery(Optional.of(State.FIRING), Optional.empty(), Optional.of(rule), Optional.empty(), 100));
        assertThat(firing).as(rule + " fired").hasSize(1);
        return firing.get(0).firedAt();
    }

    /** A millisecond later each time it is read. */
    private static final class TickingClock extends Clock {
        private final Instant start;
        private final AtomicLong reads = new AtomicLong();

        TickingClock(Instant start) {
            this.start = start;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return start.plusMillis(reads.incrementAndGet());
        }
    }
}
