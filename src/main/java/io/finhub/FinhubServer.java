package io.finhub;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.finhub.attribution.AttributionCatalog;
import io.finhub.attribution.api.AttributionWiring;
import io.finhub.budget.BudgetCatalog;
import io.finhub.budget.BudgetVarianceQueries;
import io.finhub.catalog.Catalog;
import io.finhub.catalog.MetricsService;
import io.finhub.catalog.StandardCatalog;
import io.finhub.graphql.BudgetFetchers;
import io.finhub.graphql.CatalogFetchers;
import io.finhub.graphql.GraphqlEngine;
import io.finhub.graphql.GraphqlModule;
import io.finhub.graphql.IngestFetchers;
import io.finhub.graphql.RevenueFetchers;
import io.finhub.graphql.RoiFetchers;
import io.finhub.roi.InvestmentRoiQueries;
import io.finhub.roi.RoiCatalog;
import io.finhub.roi.RoiQueries;
import io.finhub.roi.UnitEconomicsQueries;
import io.finhub.revenue.RevenueCatalog;
import io.finhub.revenue.RevenueModels;
import io.finhub.revenue.RevenueQueries;
import io.finhub.store.DerivedTables;
import io.finhub.http.HttpServer;
import io.finhub.http.IngestRoutes;
import io.finhub.ingest.IngestService;
import io.finhub.store.Store;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A running FinHub: the store, the catalog and every feature wired by hand, behind one HTTP server.
 * {@code App} starts it from the command line; end-to-end tests start it on a free port.
 */
public final class FinhubServer implements AutoCloseable {
    private final Store store;
    private final HttpServer http;

    private FinhubServer(Store store, HttpServer http) {
        this.store = store;
        this.http = http;
    }

    /** Wires everything over an open store and starts listening; the server owns the store from here on. */
    public static FinhubServer start(Store store, String host, int port) {
        requireNonNull(store, "store is null");
        AttributionWiring attribution = AttributionWiring.over(store);
        GraphqlEngine engine = graphql(store, Clock.systemUTC(), attribution);
        IngestRoutes ingest = new IngestRoutes(new IngestService(store, Clock.systemUTC()), objectMapper());
        HttpServer http = new HttpServer(engine, store, objectMapper(), List.of(attribution.http(), ingest)).start(host, port);
        attribution.start();
        return new FinhubServer(store, http);
    }

    /** The whole GraphQL API over a store; schema tests use it exactly as the server does. */
    public static GraphqlEngine graphql(Store store, Clock clock) {
        return graphql(store, clock, AttributionWiring.over(store));
    }

    private static GraphqlEngine graphql(Store store, Clock clock, AttributionWiring attribution) {
        DerivedTables derived = new DerivedTables(store);
        RevenueModels revenueModels = new RevenueModels(store, derived);
        Catalog catalog = catalogWithoutAttribution(revenueModels);
        attribution.register(catalog);
        RoiCatalog.register(catalog, derived);
        MetricsService metrics = new MetricsService(store, catalog);
        RevenueQueries revenueQueries = new RevenueQueries(store, revenueModels);
        List<GraphqlModule> modules = new ArrayList<>();
        modules.add(new CatalogFetchers(metrics, store));
        modules.add(new BudgetFetchers(new BudgetVarianceQueries(metrics, store.calendar()), store.calendar(), clock));
        modules.add(new RevenueFetchers(revenueQueries));
        modules.add(new RoiFetchers(new RoiQueries(metrics, new UnitEconomicsQueries(revenueQueries, metrics)), new InvestmentRoiQueries(store),
                store.calendar(), clock));
        modules.add(attribution.graphql());
        modules.add(new IngestFetchers(new IngestService(store, clock)));
        return new GraphqlEngine(modules);
    }

    /** Every measure and dimension: the core plus each feature's own. */
    public static Catalog catalog(RevenueModels revenueModels, DerivedTables derived) {
        Catalog catalog = catalogWithoutAttribution(revenueModels);
        AttributionCatalog.register(catalog);
        RoiCatalog.register(catalog, derived);
        return catalog;
    }

    private static Catalog catalogWithoutAttribution(RevenueModels revenueModels) {
        Catalog catalog = StandardCatalog.create();
        BudgetCatalog.register(catalog);
        RevenueCatalog.register(catalog, revenueModels);
        return catalog;
    }

    public static ObjectMapper objectMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    }

    public int port() {
        return http.port();
    }

    public Store store() {
        return store;
    }

    /** Stops accepting requests, lets running ones finish, then closes the store. */
    @Override
    public void close() {
        try {
            http.close();
        }
        finally {
            store.close();
        }
    }
}
