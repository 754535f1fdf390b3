package io.finhub.attribution.api;

import static java.util.Objects.requireNonNull;

import io.finhub.attribution.AttributionCatalog;
import io.finhub.attribution.AttributionCsService;
import io.finhub.attribution.AttributionEvents;
import io.finhub.attribution.AttributionService;
import io.finhub.attribution.AttributionSettings;
import io.finhub.catalog.Catalog;
import io.finhub.graphql.GraphqlModule;
import io.finhub.http.HttpModule;
import io.finhub.store.Store;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * The attribution feature wired over one store: one event publisher, the marketing and
 * customer-success services, their catalog entries, GraphQL fetchers and HTTP routes. The server
 * creates one and hands its parts to the catalog, the GraphQL engine and the HTTP server.
 */
public final class AttributionWiring {
    private final Store store;
    private final AttributionEvents events;
    private final AttributionService marketing;
    private final AttributionCsService customerSuccess;
    private final Executor executor;

    private AttributionWiring(Store store, AttributionSettings settings, Executor executor) {
        this.store = requireNonNull(store, "store is null");
        this.executor = requireNonNull(executor, "executor is null");
        this.events = new AttributionEvents();
        this.marketing = new AttributionService(store, settings, events, executor);
        this.customerSuccess = new AttributionCsService(store, events);
    }

    /** The configured defaults (90-day lookback, 7-day half-life), rebuilding on one background thread. */
    public static AttributionWiring over(Store store) {
        return over(store, AttributionSettings.DEFAULTS, Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "attribution-builds");
            thread.setDaemon(true);
            return thread;
        }));
    }

    public static AttributionWiring over(Store store, AttributionSettings settings, Executor executor) {
        return new AttributionWiring(store, settings, executor);
    }

    /** Rebuilds the results after every committed change from now on (and now, when they are stale). */
    public void start() {
        marketing.start();
        store.onDataChanged(change -> customerSuccess.dataChanged(change, executor));
    }

    /** Adds the attribution fact and measures, refreshed before every catalog read. */
    public void register(Catalog catalog) {
        AttributionCatalog.register(catalog, marketing);
    }

    public GraphqlModule graphql() {
        return new AttributionFetchers(marketing, customerSuccess, store.calendar());
    }

    public HttpModule http() {
        return new AttributionRoutes(customerSuccess, store.calendar());
    }

    /** The {@code attribution_update} events, for the alerts feature to bridge to subscriptions. */
    public AttributionEvents events() {
        return events;
    }

    public AttributionService marketing() {
        return marketing;
    }

    public AttributionCsService customerSuccess() {
        return customerSuccess;
    }
}
