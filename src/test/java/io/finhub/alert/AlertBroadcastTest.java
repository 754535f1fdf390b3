package io.finhub.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.finhub.alert.AlertFixtures.Collector;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/** Fan-out with a bounded buffer per subscriber: a slow subscriber is dropped, never waited for. */
class AlertBroadcastTest {
    /** Subscribes and asks for nothing until told. */
    private static final class Holder<T> implements Subscriber<T> {
        final Collector<T> seen = new Collector<>();
        Subscription subscription;

        @Override
        public void onSubscribe(Subscription newSubscription) {
            subscription = newSubscription;
        }

        @Override
        public void onNext(T item) {
            seen.items.add(item);
        }

        @Override
        public void onError(Throwable failure) {
            seen.error = failure;
        }

        @Override
        public void onComplete() {
            seen.completed = true;
        }
    }

    @Test
    void a_subscriber_that_does_not_keep_up_is_dropped_and_the_others_get_everything() {
        AlertBroadcast<Integer> broadcast = new AlertBroadcast<>("alerts", Runnable::run, 4);
        Collector<Integer> fast = new Collector<>();
        Holder<Integer> slow = new Holder<>();
        broadcast.publisher(item -> true).subscribe(fast);
        broadcast.publisher(item -> true).subscribe(slow);

        for (int item = 1; item <= 4; item++) {
            broadcast.publish(item);
        }
        assertThat(slow.seen.error).as("four fit in its buffer").isNull();
        broadcast.publish(5);

        assertThat(fast.items).containsExactly(1, 2, 3, 4, 5);
        assertThat(slow.seen.items).isEmpty();
        assertThat(slow.seen.error).isInstanceOfSatisfying(FinhubException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SLOW_SUBSCRIBER);
            assertThat(e.getMessage()).startsWith("subscriber too slow: 4 alerts were waiting to be sent when another came");
        });
        assertThat(broadcast.subscribers()).isEqualTo(1);
    }

    @Test
    void items_arrive_in_order_as_they_are_requested() {
        AlertBroadcast<Integer> broadcast = new AlertBroadcast<>("alerts", Runnable::run, 10);
        Holder<Integer> subscriber = new Holder<>();
        broadcast.publisher(item -> item % 2 == 0).subscribe(subscriber);
        for (int item = 1; item <= 8; item++) {
            broadcast.publish(item);
        }
        subscriber.subscription.request(2);
        assertThat(subscriber.seen.items).containsExactly(2, 4);
        subscriber.subscription.request(5);
        assertThat(subscriber.seen.items).containsExactly(2, 4, 6, 8);
        broadcast.publish(10);
        assertThat(subscriber.seen.items).containsExactly(2, 4, 6, 8, 10);
    }

    @Test
    void cancelling_stops_delivery_and_closing_completes() {
        AlertBroadcast<Integer> broadcast = new AlertBroadcast<>("alerts", Runnable::run, 10);
        Collector<Integer> cancelled = new Collector<>();
        Collector<Integer> kept = new Collector<>();
        broadcast.publisher(item -> true).subscribe(cancelled);
        broadcast.publisher(item -> true).subscribe(kept);
        broadcast.publish(1);
        cancelled.subscription.cancel();
        broadcast.publish(2);
        broadcast.close();
        assertThat(cancelled.items).containsExactly(1);
        assertThat(cancelled.completed).isFalse();
        assertThat(kept.items).containsExactly(1, 2);
        assertThat(kept.completed).isTrue();
    }

    @Test
    void a_subscriber_stuck_in_its_callback_never_holds_up_the_publisher_or_the_others() throws InterruptedException {
        ExecutorService delivery = Executors.newFixedThreadPool(2);
        try {
            AlertBroadcast<Integer> broadcast = new AlertBroadcast<>("alerts", delivery, 100);
            CountDownLatch stuck = new CountDownLatch(1);
            CountDownLatch fastGotAll = new CountDownLatch(50);
            broadcast.publisher(item -> true).subscribe(new Collector<>() {
                @Override
                public void onNext(Integer item) {
                    awaitQuietly(stuck);
                }
            });
            broadcast.publisher(item -> true).subscribe(new Collector<>() {
                @Override
                public void onNext(Integer item) {
                    fastGotAll.countDown();
                }
            });
            for (int item = 0; item < 50; item++) {
                broadcast.publish(item);
            }
            assertThat(fastGotAll.await(10, TimeUnit.SECONDS)).isTrue();
            stuck.countDown();
        }
        finally {
            delivery.shutdownNow();
        }
    }

    @Test
    void events_carry_their_payload_as_json_values_to_the_topics_subscribed() {
        FinhubEvents events = new FinhubEvents(Runnable::run, 10, AlertJson.mapper(io.finhub.FinhubServer.objectMapper()),
                java.time.Clock.fixed(Instant.parse("2025-03-15T12:00:00Z"), ZoneOffset.UTC));
        Collector<FinhubEvent> attribution = new Collector<>();
        Collector<FinhubEvent> everything = new Collector<>();
        events.subscribe(Set.of(FinhubEvents.ATTRIBUTION_UPDATE)).subscribe(attribution);
        events.subscribe(Set.of()).subscribe(everything);

        record Update(String kind, long dataVersion, Optional<String> customerId, Instant at) {}
        events.publish(FinhubEvents.ATTRIBUTION_UPDATE, new Update("CUSTOMER_SUCCESS", 7, Optional.of("c1"), Instant.parse("2025-03-15T10:00:00Z")));
        events.publish(FinhubEvents.VALUE_REALIZATION, Map.of("contract", "k1"));

        assertThat(attribution.items).singleElement().satisfies(event -> {
            assertThat(event.topic()).isEqualTo("attribution_update");
            assertThat(event.payload()).isEqualTo(Map.of("kind", "CUSTOMER_SUCCESS", "dataVersion", 7L, "customerId", "c1", "at", "2025-03-15T10:00:00Z"));
        });
        assertThat(everything.items).extracting(FinhubEvent::topic).containsExactly("attribution_update", "value_realization");
    }

    @Test
    void a_webhook_filters_by_rule_and_severity() {
        AlertWebhook anyAlert = new AlertWebhook("w1", java.net.URI.create("http://127.0.0.1/hook"), Optional.empty(), Optional.empty(), true, Instant.EPOCH);
        AlertWebhook critical = new AlertWebhook("w2", java.net.URI.create("http://127.0.0.1/hook"), Optional.empty(), Optional.of(AlertSeverity.CRITICAL),
                true, Instant.EPOCH);
        AlertWebhook oneRule = new AlertWebhook("w3", java.net.URI.create("http://127.0.0.1/hook"), Optional.of("other"), Optional.empty(), true, Instant.EPOCH);
        Alert warning = List.of(sampleAlert()).get(0);
        assertThat(anyAlert.wants(warning)).isTrue();
        assertThat(critical.wants(warning)).isFalse();
        assertThat(oneRule.wants(warning)).isFalse();
    }

    private static Alert sampleAlert() {
        return new Alert("a1", "media-overrun", "Media overrun", AlertSeverity.WARNING, Alert.State.FIRING, "budgetVariancePct", "2025-03-01|department=mkt",
                List.of(), java.time.LocalDate.of(2025, 3, 1), "2025-03", AlertCondition.Comparison.BELOW, AlertCondition.Baseline.NONE,
                java.math.BigDecimal.TEN.negate(), Optional.empty(), Optional.empty(), new java.math.BigDecimal("-16"), "message", Instant.EPOCH, 1,
                Optional.empty());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
