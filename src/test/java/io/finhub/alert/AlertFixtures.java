package io.finhub.alert;

import io.finhub.FinhubServer;
import io.finhub.TestStores;
import io.finhub.alert.AlertCondition.Comparison;
import io.finhub.budget.BudgetCatalog;
import io.finhub.catalog.Catalog;
import io.finhub.catalog.MetricsRequest.Filter;
import io.finhub.catalog.MetricsRequest.Operator;
import io.finhub.catalog.MetricsService;
import io.finhub.catalog.StandardCatalog;
import io.finhub.store.Store;
import io.finhub.store.TimeGrain;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/** The alerts_ledger fixture, rules over it, and an alert service that evaluates on the committing thread. */
final class AlertFixtures {
    static final Instant MARCH_15 = Instant.parse("2025-03-15T12:00:00Z");
    static final Filter COST_ACCOUNTS = new Filter("accountType", Operator.IN, List.of("EXPENSE", "COGS"));

    private AlertFixtures() {}

    static Store ledger() {
        return TestStores.withFixture("alerts_ledger");
    }

    static MetricsService metrics(Store store) {
        return metrics(store, StandardCatalog.create());
    }

    static MetricsService metrics(Store store, Catalog catalog) {
        BudgetCatalog.register(catalog);
        return new MetricsService(store, catalog);
    }

    /** Evaluation and delivery run on the caller's thread, so a commit's alerts are there when {@code store.write} returns. */
    static AlertService synchronous(Store store, MetricsService metrics, Clock clock) {
        return synchronous(store, metrics, clock, AlertSettings.defaults(), Executors.newSingleThreadScheduledExecutor(), delivery -> {});
    }

    static AlertService synchronous(Store store, MetricsService metrics, Clock clock, AlertSettings settings, ScheduledExecutorService retries,
            Consumer<WebhookDelivery> deliveries) {
        HttpClient client = HttpClient.newHttpClient();
        AlertService service = new AlertService(store, metrics, clock, FinhubServer.objectMapper(), settings, Runnable::run, Runnable::run, Runnable::run, Runnable::run, retries,
                () -> client, deliveries, List.of(retries));
        service.start();
        return service;
    }

    /** Marketing-style overrun: cost (expense and COGS) more than 10% over budget, per department and month. */
    static AlertRule costOverBudget(String id) {
        return rule(id, "budgetVariancePct", List.of("department"), List.of(COST_ACCOUNTS), AlertCondition.value(Comparison.BELOW, "-10"));
    }

    static AlertRule rule(String id, String measure, List<String> dimensions, List<Filter> filters, AlertCondition condition) {
        return new AlertRule(id, "Rule " + id, Optional.empty(), measure, dimensions, filters, TimeGrain.MONTH, AlertWindow.rolling(2, true), condition,
                AlertSeverity.WARNING, true, false);
    }

    /** Books a March GL line (account 6100 media for marketing unless said otherwise) in one committed change. */
    static long post(Store store, String entryId, String department, String account, String date, String amount) {
        return store.write("test", List.of("fact_gl_actual"), handle -> handle.createUpdate(
                        "INSERT INTO fact_gl_actual VALUES (:id, 'US', :date, :department, :account, NULL, NULL, :amount, 'USD', 'test entry')")
                .bind("id", entryId)
                .bind("date", LocalDate.parse(date))
                .bind("department", department)
                .bind("account", account)
                .bind("amount", new BigDecimal(amount))
                .execute());
    }

    static long postMarketingMedia(Store store, String entryId, String amount) {
        return post(store, entryId, "mkt", "6100", "2025-03-12", amount);
    }

    /** A clock a test moves by hand. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Collects everything a publisher sends, asking for all of it. */
    static class Collector<T> implements Subscriber<T> {
        final List<T> items = Collections.synchronizedList(new ArrayList<>());
        volatile Throwable error;
        volatile boolean completed;
        volatile Subscription subscription;

        @Override
        public void onSubscribe(Subscription newSubscription) {
            subscription = newSubscription;
            newSubscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(T item) {
            items.add(item);
        }

        @Override
        public void onError(Throwable failure) {
            error = failure;
        }

        @Override
        public void onComplete() {
            completed = true;
        }

        List<T> drain() {
            synchronized (items) {
                List<T> copy = List.copyOf(items);
                items.clear();
                return copy;
            }
        }
    }
}
