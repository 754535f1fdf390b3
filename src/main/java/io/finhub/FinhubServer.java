package io.finhub;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.finhub.alert.AlertService;
import io.finhub.audit.AuditLog;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.graphql.SecurityFetchers;
import io.finhub.graphql.SecurityInstrumentation;
import io.finhub.http.HttpModule;
import io.finhub.http.HttpSecurity;
import io.finhub.http.OperationGuard;
import io.finhub.http.TlsSettings;
import io.finhub.http.WebSocketAccess;
import io.finhub.security.ApiTokens;
import io.finhub.security.Authenticator;
import io.finhub.security.RateLimits;
import io.finhub.security.SecuritySettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import io.finhub.alert.AlertSettings;
import io.finhub.attribution.AttributionCatalog;
import io.finhub.attribution.AttributionSettings;
import io.finhub.attribution.AttributionUpdate;
import io.finhub.attribution.api.AttributionWiring;
import io.finhub.budget.BudgetCatalog;
import io.finhub.budget.BudgetVarianceQueries;
import io.finhub.cache.AccessScope;
import io.finhub.cache.CacheSettings;
import io.finhub.cache.GraphqlResponses;
import io.finhub.cache.QueryTimeouts;
import io.finhub.catalog.Catalog;
import io.finhub.catalog.MetricsService;
import io.finhub.catalog.StandardCatalog;
import io.finhub.forecast.BudgetVarianceForecaster;
import io.finhub.forecast.ForecastEvent;
import io.finhub.forecast.ForecastEvents;
import io.finhub.forecast.ForecastService;
import io.finhub.graphql.AlertFetchers;
import io.finhub.graphql.BudgetFetchers;
import io.finhub.graphql.CatalogFetchers;
import io.finhub.graphql.ForecastFetchers;
import io.finhub.graphql.GraphqlEngine;
import io.finhub.graphql.GraphqlModule;
import graphql.execution.instrumentation.Instrumentation;
import io.finhub.graphql.IngestFetchers;
import io.finhub.graphql.RealizationFetchers;
import io.finhub.graphql.RevenueFetchers;
import io.finhub.graphql.RoiFetchers;
import io.finhub.realization.RealizationEvents;
import io.finhub.realization.RealizationService;
import io.finhub.realization.ValueRealizationEvent;
import io.finhub.roi.InvestmentRoiQueries;
import io.finhub.roi.RoiCatalog;
import io.finhub.roi.RoiQueries;
import io.finhub.roi.UnitEconomicsQueries;
import io.finhub.revenue.RevenueCatalog;
import io.finhub.revenue.RevenueModels;
import io.finhub.revenue.RevenueQueries;
import io.finhub.store.DerivedTables;
import io.finhub.http.CsFinanceRoutes;
import io.finhub.http.GraphqlWebSocket;
import io.finhub.http.HttpServer;
import io.finhub.http.IngestRoutes;
import io.finhub.ingest.IngestService;
import io.finhub.odata.ODataAccess;
import io.finhub.odata.ODataModule;
import io.finhub.store.Store;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running FinHub: the store, the catalog and every feature wired by hand, behind one HTTP server.
 * {@code App} starts it from the command line; end-to-end tests start it on a free port.
 */
public final class FinhubServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FinhubServer.class);

    private final Store store;
    private final HttpServer http;
    private final AlertService alerts;
    private final GraphqlResponses responses;
    private final ScheduledExecutorService timeoutTimer;
    private final ExecutorService backgroundBuilds;

    private FinhubServer(Store store, HttpServer http, AlertService alerts, GraphqlResponses responses, ScheduledExecutorService timeoutTimer,
            ExecutorService backgroundBuilds) {
        this.store = store;
        this.http = http;
        this.alerts = alerts;
        this.responses = responses;
        this.timeoutTimer = timeoutTimer;
        this.backgroundBuilds = backgroundBuilds;
    }

    /** Wires everything over an open store and starts listening; the server owns the store from here on. */
    public static FinhubServer start(Store store, String host, int port) {
        return start(store, host, port, CacheSettings.defaults(requireNonNull(store, "store is null").config()));
    }

    /** As {@link #start(Store, String, int)}, with the result cache, disk tier and request timeout of {@code cache}. */
    public static FinhubServer start(Store store, String host, int port, CacheSettings cache) {
        return start(store, host, port, cache, AccessScope.PUBLIC);
    }

    /**
     * As {@link #start(Store, String, int, CacheSettings)}, with the caller's access scope (a cache-key component) resolved by {@code scope}.
     * These servers have no authentication (the programmatic and test servers), so they listen on a
     * loopback address only: any other {@code host} is refused. {@code finhub serve} uses {@link #startSecured}.
     */
    public static FinhubServer start(Store store, String host, int port, CacheSettings cache, AccessScope scope) {
        requireNonNull(store, "store is null");
        if (!isLoopback(host)) {
            store.close();
            throw new FinhubException(ErrorCode.FORBIDDEN, ("refusing to serve %s without authentication: a server without security listens on loopback only; "
                    + "use startSecured (finhub serve) with a JWT secret, JWKS URL, public key or API tokens").formatted(host));
        }
        return start(store, host, port, cache, new Edge(scope, OperationGuard.OPEN, WebSocketAccess.OPEN, ODataAccess.unauthenticated(), List.of(), Optional.empty()));
    }

    /**
     * The server {@code finhub serve} runs: every route but health and the GraphiQL page needs a
     * token with the right scope, department-scoped callers see only their departments' rows,
     * requests are rate-limited per token and writes are audited. Refuses a non-loopback
     * {@code host} when nobody could authenticate there (no JWT verification configured and no
     * active API token: the development token works from loopback only).
     */
    public static FinhubServer startSecured(Store store, String host, int port, CacheSettings cache, SecuritySettings security) {
        return startSecured(store, host, port, cache, security, Optional.empty());
    }

    /** As {@link #startSecured(Store, String, int, CacheSettings, SecuritySettings)}, speaking HTTPS and WSS only when {@code tls} is given. */
    public static FinhubServer startSecured(Store store, String host, int port, CacheSettings cache, SecuritySettings security, Optional<TlsSettings> tls) {
        requireNonNull(store, "store is null");
        requireNonNull(security, "security is null");
        requireNonNull(tls, "tls is null");
        ApiTokens tokens = new ApiTokens(store, Clock.systemUTC());
        if (!isLoopback(host) && !security.jwtConfigured() && !tokens.anyActive()) {
            store.close();
            throw new FinhubException(ErrorCode.FORBIDDEN, ("refusing to serve %s unauthenticated: configure a JWT secret, JWKS URL or public key, or create an "
                    + "API token (finhub token create), or listen on 127.0.0.1").formatted(host));
        }
        HttpSecurity http = new HttpSecurity(new Authenticator(store, security, tokens), new RateLimits(security.requestsPerMinute()),
                new AuditLog(store, Clock.systemUTC()), security.devToken(), objectMapper());
        return start(store, host, port, cache, new Edge(http.accessScope(), http.operations(), http.webSocketAccess(), http.odataAccess(), List.of(http), tls));
    }

    /** What stands between a request and the API: open for programmatic servers, {@link HttpSecurity} for {@code serve}. */
    private record Edge(AccessScope scope, OperationGuard operations, WebSocketAccess webSocket, ODataAccess odata, List<HttpModule> modules,
            Optional<TlsSettings> tls) {}

    private static FinhubServer start(Store store, String host, int port, CacheSettings cache, Edge edge) {
        ScheduledExecutorService timeoutTimer = Executors.newSingleThreadScheduledExecutor(daemon("finhub-query-timeouts"));
        QueryTimeouts timeouts = new QueryTimeouts(cache.queryTimeout(), timeoutTimer).install(store.jdbi());
        // One thread rebuilds every derived result in the background, one after the other: side by
        // side, the builds of the l scale ran DuckDB out of memory under its 2 GB limit. A query that
        // needs a result before its turn builds it itself.
        ExecutorService backgroundBuilds = Executors.newSingleThreadExecutor(daemon("finhub-background-builds"));
        AttributionWiring attribution = AttributionWiring.over(store, AttributionSettings.DEFAULTS, backgroundBuilds);
        Api api = api(store, Clock.systemUTC(), attribution, List.of(timeouts));
        GraphqlEngine engine = api.graphql();
        GraphqlResponses responses = GraphqlResponses.cached(engine, objectMapper(), store::dataVersion, Clock.systemUTC(), cache, Optional.of(timeouts));
        ExecutorService cacheMaintenance = Executors.newSingleThreadExecutor(daemon("finhub-cache-maintenance"));
        store.onDataChanged(change -> responses.dataChanged(change.version(), cacheMaintenance));
        IngestRoutes ingest = new IngestRoutes(new IngestService(store, Clock.systemUTC()), objectMapper());
        GraphqlWebSocket webSocket = new GraphqlWebSocket(engine, objectMapper(), Duration.ofSeconds(10), Duration.ofMinutes(10), 256, edge.webSocket());
        List<HttpModule> modules = new ArrayList<>(edge.modules());
        modules.addAll(List.of(attribution.http(), ingest, webSocket, odata(store, api, edge.odata()), new CsFinanceRoutes(engine)));
        HttpServer http = new HttpServer(engine, store, objectMapper(), modules, responses, edge.scope(), edge.operations(), edge.tls())
                .start(host, port);
        attribution.events().subscribe(update -> api.alerts().events().publish(AttributionUpdate.EVENT_NAME, update));
        api.realizationEvents().subscribe(event -> api.alerts().events().publish(ValueRealizationEvent.EVENT_NAME, event));
        api.forecastEvents().subscribe(event -> api.alerts().events().publish(ForecastEvent.EVENT_NAME, event));
        attribution.start();
        api.alerts().start();
        api.derived().refreshInBackground(backgroundBuilds, () -> {
            warmUp(responses);
            api.forecasts().publishHealthSignalsQuietly();
        });
        // The first comparison (remembering only, on a new store) after the builds at start.
        backgroundBuilds.execute(api.forecasts()::publishHealthSignalsQuietly);
        return new FinhubServer(store, http, api.alerts(), responses, timeoutTimer, backgroundBuilds);
    }

    /** The most-asked answers computed again after a change's rebuild (see {@link GraphqlResponses#warmUp()}); a failure only costs their next askers the wait. */
    private static void warmUp(GraphqlResponses responses) {
        try {
            long started = System.nanoTime();
            int computed = responses.warmUp();
            if (computed > 0) {
                LOG.info("{} most-asked answers computed again after the change in {} ms", computed, (System.nanoTime() - started) / 1_000_000);
            }
        }
        catch (RuntimeException e) {
            LOG.warn("warming the most-asked answers after a change failed: {}", e.getMessage());
        }
    }

    /** Whether {@code host} names this machine only (127.0.0.0/8, ::1, localhost). */
    public static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(requireNonNull(host, "host is null")).isLoopbackAddress();
        }
        catch (UnknownHostException e) {
            return false;
        }
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The whole GraphQL API over a store; schema tests use it exactly as the server does. */
    public static GraphqlEngine graphql(Store store, Clock clock) {
        return api(store, clock, AttributionWiring.over(store), List.of()).graphql();
    }

    /** The GraphQL engine and the alert service behind it, over one catalog. */
    private record Api(GraphqlEngine graphql, AlertService alerts, DerivedTables derived, MetricsService metrics, RevenueQueries revenue,
            RealizationEvents realizationEvents, ForecastEvents forecastEvents, RealizationService realization, ForecastService forecasts) {}

    /** The OData feed for BI tools over the same catalog, its access checked by {@code access}. */
    private static ODataModule odata(Store store, Api api, ODataAccess access) {
        return new ODataModule(store, api.metrics(), api.revenue(), api.realization(), api.forecasts(), access);
    }

    private static Api api(Store store, Clock clock, AttributionWiring attribution, List<Instrumentation> instrumentations) {
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
        AlertService alerts = AlertService.create(store, metrics, clock, objectMapper(), AlertSettings.defaults());
        modules.add(new AlertFetchers(alerts));
        RealizationEvents realizationEvents = new RealizationEvents();
        ForecastEvents forecastEvents = new ForecastEvents();
        RealizationService realization = new RealizationService(store, clock, realizationEvents,
                Executors.newSingleThreadExecutor(daemon("realization-changes")));
        ForecastService forecasts = new ForecastService(store, clock, forecastEvents);
        modules.add(new RealizationFetchers(realization, store.calendar()));
        modules.add(new ForecastFetchers(forecasts, new BudgetVarianceForecaster(metrics, store, clock)));
        derived.register("realization", realization::refresh);
        derived.register("forecast", forecasts::refresh);
        AuditLog audit = new AuditLog(store, clock);
        modules.add(new SecurityFetchers(audit));
        List<Instrumentation> chain = new ArrayList<>(List.of(new SecurityInstrumentation(audit, objectMapper())));
        chain.addAll(instrumentations);
        return new Api(new GraphqlEngine(modules, chain), alerts, derived, metrics, revenueQueries, realizationEvents, forecastEvents,
                realization, forecasts);
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

    public AlertService alerts() {
        return alerts;
    }

    /** The cached GraphQL answers: their metrics, and a reset for the benchmark's cold runs. */
    public GraphqlResponses responses() {
        return responses;
    }

    /**
     * Waits until the background builds queued so far have run (each derived result rebuilt after the
     * last change), at most {@code timeout}; false when they had not finished by then.
     */
    public boolean awaitBackgroundBuilds(Duration timeout) throws InterruptedException {
        try {
            backgroundBuilds.submit(() -> {}).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        }
        catch (TimeoutException e) {
            return false;
        }
        catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Stops accepting requests, lets running ones finish, stops the alert threads and the background
     * builds (a build already running is waited for, at most {@link #BUILD_STOP_TIMEOUT}: a build
     * still writing when the store closed could clash with the next process's), then closes the
     * caches and the store.
     */
    @Override
    public void close() {
        try {
            http.close();
            alerts.close();
        }
        finally {
            backgroundBuilds.shutdownNow();
            try {
                if (!backgroundBuilds.awaitTermination(BUILD_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("a background build was still running after {}; closing the store under it", BUILD_STOP_TIMEOUT);
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            responses.close();
            timeoutTimer.shutdownNow();
            store.close();
        }
    }

    private static final Duration BUILD_STOP_TIMEOUT = Duration.ofSeconds(60);
}
