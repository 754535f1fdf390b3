package io.finhub.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.language.OperationDefinition;
import io.finhub.cache.AccessScope;
import io.finhub.cache.GraphqlResponses;
import io.finhub.cache.PersistedQueries.PersistedQueryException;
import io.finhub.cache.PrometheusText;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.graphql.GraphqlEngine;
import io.finhub.graphql.GraphqlRequest;
import io.finhub.store.Store;
import io.finhub.support.ClasspathResources;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.gzip.GzipHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of FinHub: GraphQL over HTTP (POST and GET, following the GraphQL-over-HTTP spec's
 * media types and status codes), GraphiQL served from the jar, and health. Errors from non-GraphQL
 * routes are mapped to statuses here, once.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    static final String GRAPHQL_RESPONSE_JSON = "application/graphql-response+json";
    static final String JSON = "application/json";
    static final String SERVER_TIMING = "Server-Timing";
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

    private final GraphqlEngine engine;
    private final GraphqlResponses responses;
    private final AccessScope scope;
    private final OperationGuard operations;
    private final Store store;
    private final ObjectMapper mapper;
    private final Javalin app;
    private final String graphiqlPage = ClasspathResources.read("public/graphiql.html");
    private volatile String listenHost;
    private volatile int listenPort;

    public HttpServer(GraphqlEngine engine, Store store, ObjectMapper mapper, List<HttpModule> modules) {
        this(engine, store, mapper, modules, GraphqlResponses.uncached(engine, mapper), AccessScope.PUBLIC);
    }

    /** Answers GraphQL through {@code responses} (the result cache), keyed per caller by {@code scope}. */
    public HttpServer(GraphqlEngine engine, Store store, ObjectMapper mapper, List<HttpModule> modules, GraphqlResponses responses, AccessScope scope) {
        this(engine, store, mapper, modules, responses, scope, OperationGuard.OPEN);
    }

    /** As above, with {@code operations} deciding who may run queries and who mutations (403 otherwise). */
    public HttpServer(GraphqlEngine engine, Store store, ObjectMapper mapper, List<HttpModule> modules, GraphqlResponses responses, AccessScope scope,
            OperationGuard operations) {
        this(engine, store, mapper, modules, responses, scope, operations, Optional.empty());
    }

    /** As above, speaking HTTPS (and WSS) only, with {@code tls}'s certificate, when it is given. */
    public HttpServer(GraphqlEngine engine, Store store, ObjectMapper mapper, List<HttpModule> modules, GraphqlResponses responses, AccessScope scope,
            OperationGuard operations, Optional<TlsSettings> tls) {
        requireNonNull(tls, "tls is null");
        this.operations = requireNonNull(operations, "operations is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.responses = requireNonNull(responses, "responses is null");
        this.scope = requireNonNull(scope, "scope is null");
        this.store = requireNonNull(store, "store is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.staticFiles.enableWebjars();
            config.jsonMapper(new JavalinJackson(mapper, false));
            config.jetty.modifyServer(server -> server.setStopTimeout(10_000));
            // Jetty's gzip handler instead of Javalin's compression: it reads Accept-Encoding's qualities (gzip;q=0 is a no) and
            // also compresses what writes to the servlet response itself (the OData feeds and CSV exports BI tools pull).
            config.http.disableCompression();
            config.jetty.modifyServletContextHandler(handler -> handler.insertHandler(gzipHandler()));
            tls.ifPresent(settings -> config.jetty.addConnector((server, httpConfiguration) -> httpsConnector(server, httpConfiguration, settings)));
        });
        routes();
        modules.forEach(module -> module.routes(app));
    }

    private void routes() {
        app.post("/graphql", this::postGraphql);
        app.get("/graphql", this::getGraphql);
        app.get("/graphiql", context -> context.contentType("text/html; charset=utf-8").result(graphiqlPage));
        app.get("/", context -> context.redirect("/graphiql"));
        app.get("/health", context -> health(context, true));
        app.get("/health/ready", context -> health(context, true));
        app.get("/health/live", context -> health(context, false));
        app.get("/metrics", this::metrics);
        app.exception(FinhubException.class, (exception, context) -> error(context, exception.code(), exception.getMessage()));
        app.exception(Exception.class, (exception, context) -> {
            String incident = UUID.randomUUID().toString();
            LOG.error("internal error, incident {}", incident, exception);
            error(context, ErrorCode.INTERNAL, "internal error (incident " + incident + ")");
        });
    }

    /**
     * Where the answer came from and how long the server took to have it (parsing, cache lookup,
     * execution, serialization), in milliseconds: the W3C Server-Timing header, which browsers' developer
     * tools show beside the request's network time.
     */
    private static String serverTiming(GraphqlResponses.Source source, long nanos) {
        return String.format(Locale.ROOT, "cache;desc=\"%s\", answer;dur=%.3f", source.name(), nanos / 1e6);
    }

    /** Gzip for GET and POST answers of at least {@link GraphqlResponses#MIN_GZIP_BYTES} to clients that take it. */
    private static GzipHandler gzipHandler() {
        GzipHandler gzip = new GzipHandler();
        gzip.setIncludedMethods("GET", "POST");
        gzip.setMinGzipSize(GraphqlResponses.MIN_GZIP_BYTES);
        return gzip;
    }

    /** Whether the client takes gzip, as the gzip handler reads Accept-Encoding (a quality of 0 refuses it). */
    private static boolean takesGzip(Context context) {
        Request request = Request.getBaseRequest(context.req());
        return request != null && request.getHttpFields().contains(HttpHeader.ACCEPT_ENCODING, "gzip");
    }

    public HttpServer start(String host, int port) {
        listenHost = host;
        listenPort = port;
        app.start(host, port);
        return this;
    }

    /** The only connector when a certificate is given: plain HTTP to this port fails the TLS handshake. */
    private ServerConnector httpsConnector(Server server, HttpConfiguration httpConfiguration, TlsSettings tls) {
        HttpConfiguration https = new HttpConfiguration(httpConfiguration);
        https.addCustomizer(new SecureRequestCustomizer());
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(tls.sslContextFactory(), HttpVersion.HTTP_1_1.asString()),
                new HttpConnectionFactory(https));
        connector.setHost(listenHost);
        connector.setPort(listenPort);
        return connector;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }

    private void postGraphql(Context context) throws IOException {
        String mediaType = negotiate(context);
        if (mediaType == null) {
            return;
        }
        String contentType = String.valueOf(context.contentType()).toLowerCase();
        if (!contentType.startsWith(JSON) && !contentType.startsWith("application/graphql+json")) {
            requestError(context, HttpStatus.UNSUPPORTED_MEDIA_TYPE, mediaType, "POST /graphql takes Content-Type: application/json");
            return;
        }
        Map<String, Object> body;
        try (InputStream in = context.bodyInputStream()) {
            body = mapper.readValue(in, OBJECT);
        }
        catch (JsonProcessingException e) {
            requestError(context, HttpStatus.BAD_REQUEST, mediaType, "the request body is not a JSON object: " + e.getOriginalMessage());
            return;
        }
        if (body == null) {
            requestError(context, HttpStatus.BAD_REQUEST, mediaType, "the request body is not a JSON object: it is null");
            return;
        }
        execute(context, mediaType, body.get("query"), body.get("operationName"), body.get("variables"), body.get("extensions"), false);
    }

    private void getGraphql(Context context) {
        String mediaType = negotiate(context);
        if (mediaType == null) {
            return;
        }
        Object variables;
        Object extensions;
        try {
            variables = parseJsonParameter(context.queryParam("variables"));
            extensions = parseJsonParameter(context.queryParam("extensions"));
        }
        catch (JsonProcessingException e) {
            requestError(context, HttpStatus.BAD_REQUEST, mediaType, "the variables or extensions parameter is not JSON: " + e.getOriginalMessage());
            return;
        }
        execute(context, mediaType, context.queryParam("query"), context.queryParam("operationName"), variables, extensions, true);
    }

    private Object parseJsonParameter(String value) throws JsonProcessingException {
        return value == null || value.isBlank() ? null : mapper.readValue(value, Object.class);
    }

    @SuppressWarnings("unchecked")
    private void execute(Context context, String mediaType, Object query, Object operationName, Object variables, Object extensions,
            boolean readOnly) {
        if (query != null && !(query instanceof String)) {
            requestError(context, HttpStatus.BAD_REQUEST, mediaType, "'query' must be a string");
            return;
        }
        if (operationName != null && !(operationName instanceof String)) {
            requestError(context, HttpStatus.BAD_REQUEST, mediaType, "'operationName' must be a string");
            return;
        }
        if (variables != null && !(variables instanceof Map)) {
            requestError(context, HttpStatus.BAD_REQUEST, mediaType, "'variables' must be a JSON object");
            return;
        }
        if (extensions != null && !(extensions instanceof Map)) {
            requestError(context, HttpStatus.BAD_REQUEST, mediaType, "'extensions' must be a JSON object");
            return;
        }
        String text;
        try {
            text = responses.persistedQueries().resolve((String) query, (Map<String, Object>) extensions);
        }
        catch (PersistedQueryException e) {
            respond(context, HttpStatus.forStatus(e.httpStatus()), mediaType, Map.of("errors", List.of(Map.of("message", e.getMessage(), "extensions", Map.of("code", e.code())))));
            return;
        }
        if (text == null || text.isBlank()) {
            requestError(context, HttpStatus.BAD_REQUEST, mediaType, "the request has no GraphQL document in 'query'");
            return;
        }
        GraphqlRequest request = new GraphqlRequest(text, (String) operationName, (Map<String, Object>) variables, (Map<String, Object>) extensions);
        OperationDefinition.Operation kind = engine.operationKind(request).orElse(OperationDefinition.Operation.QUERY);
        operations.check(context, kind);
        if (kind == OperationDefinition.Operation.SUBSCRIPTION) {
            // An HTTP response cannot carry the event stream: refuse before it runs rather than fail writing its answer.
            requestError(context, HttpStatus.BAD_REQUEST, mediaType,
                    "subscriptions are not served over HTTP; open a WebSocket to /graphql (graphql-transport-ws) to subscribe");
            return;
        }
        if (readOnly && kind != OperationDefinition.Operation.QUERY) {
            context.header("Allow", "POST");
            requestError(context, HttpStatus.METHOD_NOT_ALLOWED, mediaType, "GET runs queries only; send mutations with POST");
            return;
        }
        long started = System.nanoTime();
        GraphqlResponses.Response response = responses.execute(request, scope.of(context), takesGzip(context));
        context.status(status(response, mediaType)).contentType(mediaType + "; charset=utf-8").header("X-Finhub-Cache", response.source().name())
                .header(SERVER_TIMING, serverTiming(response.source(), System.nanoTime() - started));
        // A cached answer's kept gzip bytes (the gzip handler leaves an encoded body alone); any other it compresses as it is sent.
        response.gzipped().ifPresentOrElse(gzipped -> context.header(Header.CONTENT_ENCODING, "gzip").header(Header.VARY, Header.ACCEPT_ENCODING).result(gzipped),
                () -> context.result(response.body()));
    }

    /** 200, except under application/graphql-response+json a request error (no data) is 400, and a timeout 504. */
    private static HttpStatus status(GraphqlResponses.Response response, String mediaType) {
        if (response.dataPresent() || !mediaType.equals(GRAPHQL_RESPONSE_JSON)) {
            return HttpStatus.OK;
        }
        boolean timedOut = response.errorCode().filter(ErrorCode.TIMEOUT.name()::equals).isPresent();
        return timedOut ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.BAD_REQUEST;
    }

    /**
     * The media type to answer an {@code Accept} header with (RFC 9110 §12.5.1): the one of
     * application/graphql-response+json and application/json with the higher quality, the former on a
     * tie when the client names it; a range naming a type outranks a wildcard for it; {@code q=0} means
     * not acceptable. No header: application/json. Null when neither is acceptable.
     */
    static String mediaType(String accept) {
        if (accept == null || accept.isBlank()) {
            return JSON;
        }
        double graphql = -1;
        double json = -1;
        double wildcard = -1;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].trim().toLowerCase(java.util.Locale.ROOT);
            double quality = 1;
            for (int index = 1; index < parts.length; index++) {
                String parameter = parts[index].trim().toLowerCase(java.util.Locale.ROOT);
                if (parameter.startsWith("q=")) {
                    try {
                        quality = Double.parseDouble(parameter.substring(2).trim());
                    }
                    catch (NumberFormatException e) {
                        quality = 0;
                    }
                }
            }
            switch (type) {
                case GRAPHQL_RESPONSE_JSON -> graphql = Math.max(graphql, quality);
                case JSON -> json = Math.max(json, quality);
                case "*/*", "application/*" -> wildcard = Math.max(wildcard, quality);
                default -> { }
            }
        }
        double jsonQuality = json >= 0 ? json : wildcard;
        double graphqlQuality = graphql >= 0 ? graphql : wildcard;
        if (graphql > 0 && graphql >= jsonQuality) {
            return GRAPHQL_RESPONSE_JSON;
        }
        if (jsonQuality > 0) {
            return JSON;
        }
        return graphqlQuality > 0 ? GRAPHQL_RESPONSE_JSON : null;
    }

    /** Cache hit ratios, sizes and evictions: JSON, or Prometheus text for {@code ?format=prometheus} or {@code Accept: text/plain}. */
    private void metrics(Context context) {
        Map<String, Object> metrics = responses.metrics();
        String accept = String.valueOf(context.header("Accept"));
        if ("prometheus".equals(context.queryParam("format")) || accept.startsWith("text/plain")) {
            context.contentType("text/plain; version=0.0.4; charset=utf-8").result(PrometheusText.format(metrics));
            return;
        }
        context.contentType(JSON).result(json(metrics));
    }

    /** The response media type the client accepts, or null after answering 406. */
    private String negotiate(Context context) {
        String chosen = mediaType(context.header("Accept"));
        if (chosen != null) {
            return chosen;
        }
        context.status(HttpStatus.NOT_ACCEPTABLE).contentType(JSON).result(json(Map.of("errors", List.of(Map.of("message",
                "FinHub answers GraphQL in application/graphql-response+json or application/json", "extensions", Map.of("code", "NOT_ACCEPTABLE"))))));
        return null;
    }

    private void requestError(Context context, HttpStatus status, String mediaType, String message) {
        respond(context, status, mediaType, Map.of("errors", List.of(Map.of("message", message, "extensions", Map.of("code", ErrorCode.BAD_REQUEST.name())))));
    }

    private void respond(Context context, HttpStatus status, String mediaType, Map<String, Object> body) {
        context.status(status).contentType(mediaType + "; charset=utf-8").result(json(body));
    }

    private void health(Context context, boolean checkStore) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "UP");
        if (checkStore) {
            try {
                store.jdbi().withHandle(handle -> handle.createQuery("SELECT 1").mapTo(Integer.class).one());
                body.put("store", "UP");
                body.put("dataVersion", store.dataVersion());
            }
            catch (RuntimeException e) {
                LOG.warn("readiness check failed", e);
                body.put("status", "DOWN");
                body.put("store", "DOWN");
                context.status(HttpStatus.SERVICE_UNAVAILABLE);
            }
        }
        context.contentType(JSON).result(json(body));
    }

    private void error(Context context, ErrorCode code, String message) {
        context.status(code.httpStatus()).contentType(JSON).result(json(Map.of("error", Map.of("code", code.name(), "message", message))));
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        }
        catch (JsonProcessingException e) {
            throw new FinhubException(ErrorCode.INTERNAL, "cannot write the response", e);
        }
    }
}
