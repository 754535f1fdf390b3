package io.finhub.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.language.OperationDefinition.Operation;
import io.finhub.audit.AuditLog;
import io.finhub.audit.AuditRedaction;
import io.finhub.cache.AccessScope;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.odata.ODataAccess;
import io.finhub.security.Authenticator;
import io.finhub.security.Caller;
import io.finhub.security.RateLimits;
import io.finhub.security.Scope;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authentication, scopes, rate limits and the audit of writes, at the HTTP and WebSocket edge.
 * Every request but health, the GraphiQL page and its static files needs valid credentials (401 with
 * a {@code WWW-Authenticate} challenge otherwise), then the scope its route needs (403):
 *
 * <ul>
 *   <li>{@code /graphql}: queries {@code financial_data.read}, mutations {@code financial_data.write}
 *       (checked per operation by {@link #operations()}); over WebSocket subscriptions need
 *       {@code alerts.subscribe};
 *   <li>{@code /odata}, {@code /metrics} and any other GET: {@code financial_data.read};
 *   <li>{@code /import} and any other write: {@code financial_data.write}, and access to every department.
 * </ul>
 *
 * The caller is then bound to the request's thread ({@link Caller#bind}) for the catalog's
 * department row security, and is part of the result cache's key ({@link #accessScope()}).
 * Department-scoped callers reach only GraphQL and OData, whose SQL is restricted to their rows;
 * the REST routes are refused to them, as they are not.
 */
public final class HttpSecurity implements HttpModule {
    private static final Logger LOG = LoggerFactory.getLogger(HttpSecurity.class);
    static final String CALLER = "finhub.caller";
    private static final Set<String> PUBLIC_PATHS = Set.of("/", "/health", "/health/ready", "/health/live", "/graphiql", "/graphiql/dev-token", "/favicon.ico");

    private final Authenticator authenticator;
    private final RateLimits rateLimits;
    private final AuditLog audit;
    private final Optional<String> devToken;
    private final ObjectMapper mapper;

    public HttpSecurity(Authenticator authenticator, RateLimits rateLimits, AuditLog audit, Optional<String> devToken, ObjectMapper mapper) {
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.rateLimits = requireNonNull(rateLimits, "rateLimits is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.devToken = requireNonNull(devToken, "devToken is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    @Override
    public void routes(Javalin app) {
        app.before(this::authenticate);
        app.after(this::finish);
        app.get("/graphiql/dev-token", this::devTokenForGraphiql);
    }

    private void authenticate(Context context) {
        Caller.unbind();
        if (isPublic(context)) {
            return;
        }
        if (isWebSocketHandshake(context)) {
            // The connection authenticates itself (connection_init, which a browser can send; it cannot set headers).
            // Should the request be answered over HTTP after all, it does so as nobody: no scope, no department.
            Caller.bind(Caller.NOBODY);
            return;
        }
        Caller caller = callerOf(context.header("Authorization"), context.req().getRemoteAddr(), context);
        requireRouteScope(context, caller);
        context.attribute(CALLER, caller);
        Caller.bind(caller);
    }

    private Caller callerOf(String authorization, String remoteAddress, Context context) {
        Caller caller;
        try {
            caller = authenticator.authenticate(authorization, remoteAddress);
        }
        catch (FinhubException e) {
            context.header("WWW-Authenticate", Authenticator.CHALLENGE);
            throw e;
        }
        OptionalLong wait = rateLimits.tryAcquire(caller.rateKey());
        if (wait.isPresent()) {
            context.header("Retry-After", Long.toString(wait.getAsLong()));
            throw new FinhubException(ErrorCode.RATE_LIMITED, "too many requests for this token; retry after %d s".formatted(wait.getAsLong()));
        }
        return caller;
    }

    private static void requireRouteScope(Context context, Caller caller) {
        String path = context.path();
        boolean reads = context.method() == HandlerType.GET || context.method() == HandlerType.HEAD || context.method() == HandlerType.OPTIONS;
        if (path.equals("/graphql")) {
            if (!caller.has(Scope.FINANCIAL_DATA_READ) && !caller.has(Scope.FINANCIAL_DATA_WRITE)) {
                throw forbidden(caller, "GraphQL needs the scope financial_data.read (queries) or financial_data.write (mutations)");
            }
            return;
        }
        if (path.startsWith("/odata") || path.equals("/metrics")) {
            requireScope(caller, Scope.FINANCIAL_DATA_READ, path);
            return;
        }
        requireScope(caller, reads ? Scope.FINANCIAL_DATA_READ : Scope.FINANCIAL_DATA_WRITE, path);
        if (caller.departments().restricted()) {
            throw forbidden(caller, "%s is not restricted to departments, so a department-scoped caller may not use it; use GraphQL or OData".formatted(path));
        }
    }

    private static void requireScope(Caller caller, Scope scope, String what) {
        if (!caller.has(scope)) {
            throw forbidden(caller, "%s needs the scope %s".formatted(what, scope.claim()));
        }
    }

    private static FinhubException forbidden(Caller caller, String message) {
        return new FinhubException(ErrorCode.FORBIDDEN, message + " (" + caller.subject() + " has " + caller.scopes().stream().map(Scope::claim).sorted().toList() + ")");
    }

    /** Writes outside GraphQL (whose mutations are audited field by field) are audited with their caller and status. */
    private void finish(Context context) {
        try {
            Caller caller = context.attribute(CALLER);
            boolean write = context.method() == HandlerType.POST || context.method() == HandlerType.PUT || context.method() == HandlerType.PATCH
                    || context.method() == HandlerType.DELETE;
            if (caller != null && write && !context.path().equals("/graphql")) {
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("status", context.statusCode());
                detail.put("query", AuditRedaction.redactQuery(context.queryString()));
                audit.append(caller.subject(), "http." + context.method().name(), context.path(), json(detail));
            }
        }
        catch (RuntimeException e) {
            LOG.error("could not audit {} {}", context.method(), context.path(), e);
        }
        finally {
            Caller.unbind();
        }
    }

    /**
     * The development token, for the GraphiQL page to send: only to a browser on this machine that
     * asked for this server by a loopback name (so a DNS-rebinding page cannot read it).
     */
    private void devTokenForGraphiql(Context context) {
        String host = Optional.ofNullable(context.header("Host")).orElse("").toLowerCase(Locale.ROOT).replaceFirst(":\\d+$", "");
        boolean loopbackHost = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
        if (devToken.isEmpty() || !loopbackHost || !Authenticator.isLoopback(context.req().getRemoteAddr())) {
            context.status(404).contentType("application/json").result("{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no development token here\"}}");
            return;
        }
        context.header("Cache-Control", "no-store").contentType("application/json").result(json(Map.of("token", devToken.get())));
    }

    private static boolean isPublic(Context context) {
        return PUBLIC_PATHS.contains(context.path()) || context.path().startsWith("/webjars/");
    }

    /**
     * A WebSocket opening handshake to the GraphQL endpoint (RFC 6455 §4.1: an HTTP/1.1 GET with
     * {@code Upgrade: websocket}, {@code Connection: Upgrade} and a {@code Sec-WebSocket-Key}). Only
     * these skip authentication here; any other request naming {@code Upgrade} is authenticated as usual
     * (an HTTP/1.0 POST with the header alone ran as the server itself).
     */
    private static boolean isWebSocketHandshake(Context context) {
        String connection = String.valueOf(context.header("Connection")).toLowerCase(java.util.Locale.ROOT);
        return context.method() == HandlerType.GET && context.path().equals("/graphql") && "HTTP/1.1".equals(context.req().getProtocol())
                && "websocket".equalsIgnoreCase(context.header("Upgrade")) && context.header("Sec-WebSocket-Key") != null
                && java.util.Arrays.stream(connection.split(",")).map(String::trim).anyMatch("upgrade"::equals);
    }

    /** The result cache's scope: callers who see the same departments share answers, nobody else. */
    public AccessScope accessScope() {
        return context -> Caller.current().departments().cacheKey();
    }

    /** Queries need read, mutations write; subscriptions do not run over HTTP. */
    public OperationGuard operations() {
        return (context, kind) -> requireOperationScope(Caller.current(), kind);
    }

    private static void requireOperationScope(Caller caller, Operation kind) {
        switch (kind) {
            case QUERY -> requireScope(caller, Scope.FINANCIAL_DATA_READ, "a GraphQL query");
            case MUTATION -> requireScope(caller, Scope.FINANCIAL_DATA_WRITE, "a GraphQL mutation");
            case SUBSCRIPTION -> requireScope(caller, Scope.ALERTS_SUBSCRIBE, "a GraphQL subscription");
        }
    }

    /** The OData feed's check: the request passed {@link #authenticate} and its caller may read. */
    public ODataAccess odataAccess() {
        return request -> {
            Object caller = request.getAttribute(CALLER);
            if (!(caller instanceof Caller known)) {
                return ODataAccess.Decision.unauthorized("send credentials: Basic with an API token as the password, or a bearer token", Authenticator.CHALLENGE);
            }
            return known.has(Scope.FINANCIAL_DATA_READ) ? ODataAccess.Decision.allow() : ODataAccess.Decision.forbidden("the OData feed needs the scope financial_data.read");
        };
    }

    /** WebSocket: {@code connection_init}'s {@code Authorization} (or the upgrade request's) authenticates the connection. */
    public WebSocketAccess webSocketAccess() {
        return (payload, upgradeAuthorization, remoteAddress) -> {
            Object fromPayload = payload.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase("authorization"))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            String authorization = fromPayload instanceof String text ? text : upgradeAuthorization;
            Caller caller = authenticator.authenticate(authorization, remoteAddress);
            if (!caller.has(Scope.FINANCIAL_DATA_READ) && !caller.has(Scope.ALERTS_SUBSCRIBE) && !caller.has(Scope.FINANCIAL_DATA_WRITE)) {
                throw forbidden(caller, "the WebSocket needs alerts.subscribe, financial_data.read or financial_data.write");
            }
            return new CallerSession(caller);
        };
    }

    private final class CallerSession implements WebSocketAccess.Session {
        private final Caller caller;

        CallerSession(Caller caller) {
            this.caller = caller;
        }

        @Override
        public String scopeKey() {
            return caller.departments().cacheKey();
        }

        @Override
        public void check(Operation kind) {
            requireOperationScope(caller, kind);
            OptionalLong wait = rateLimits.tryAcquire(caller.rateKey());
            if (wait.isPresent()) {
                throw new FinhubException(ErrorCode.RATE_LIMITED, "too many requests for this token; retry after %d s".formatted(wait.getAsLong()));
            }
        }

        @Override
        public <T> T run(Supplier<T> work) {
            try (Caller.Binding binding = Caller.bind(caller)) {
                return work.get();
            }
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
