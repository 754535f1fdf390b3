package io.finhub;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.finhub.catalog.Catalog;
import io.finhub.catalog.MetricsService;
import io.finhub.catalog.StandardCatalog;
import io.finhub.graphql.CatalogFetchers;
import io.finhub.graphql.GraphqlEngine;
import io.finhub.http.HttpServer;
import io.finhub.store.Store;
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
        Catalog catalog = StandardCatalog.create();
        MetricsService metrics = new MetricsService(store, catalog);
        GraphqlEngine engine = new GraphqlEngine(List.of(new CatalogFetchers(metrics, store)));
        HttpServer http = new HttpServer(engine, store, objectMapper(), List.of()).start(host, port);
        return new FinhubServer(store, http);
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
