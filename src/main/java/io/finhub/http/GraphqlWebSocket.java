package io.finhub.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.ExecutionResult;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.graphql.GraphqlEngine;
import io.finhub.graphql.GraphqlRequest;
import io.javalin.Javalin;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsContext;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.WriteCallback;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GraphQL over WebSocket on {@code /graphql}, the {@code graphql-transport-ws} protocol that the
 * {@code graphql-ws} client library speaks: {@code connection_init}/{@code connection_ack},
 * {@code subscribe}, {@code next}, {@code error}, {@code complete}, {@code ping}/{@code pong}, and
 * the protocol's close codes (4400 bad message, 4401 subscribe before ack, 4406 wrong subprotocol,
 * 4408 no init in time, 4409 duplicate operation id, 4429 second init). Queries and mutations are
 * answered with one {@code next} and a {@code complete}.
 *
 * <p>Subscriptions with the same document, operation, variables and extensions share one execution:
 * each event is executed and written to JSON once, then sent to every client of that stream, so a
 * thousand dashboards watching the same alerts cost one execution per alert, not a thousand.
 *
 * <p>Slow clients: writes never block a thread (each connection writes one message at a time,
 * asynchronously). A subscription may have {@code maxBacklog} messages not yet written; when another
 * comes it is ended with an {@code error} whose code is SLOW_SUBSCRIBER, and the others carry on. A
 * connection whose unwritten messages still pile up past four times that is closed with 1008. A
 * dropped client subscribes again and catches up from the history ({@code alerts(since:)}).
 *
 * <p>Lifetime: a connection with an open subscription is kept open however long no event comes: the
 * server sends it a WebSocket ping frame every {@link #keepAliveInterval} (30 s, or a third of
 * {@code idleTimeout} if that is shorter), which every client answers by itself (browsers, the
 * JDK, node's ws), so a dashboard waiting for a rare alert is never dropped as idle. A connection
 * with nothing open closes after {@code idleTimeout} without traffic (1001); a client keeps it with
 * {@code ping} (graphql-ws: the {@code keepAlive} option). When the server stops, every open
 * subscription gets a {@code complete} and every connection closes with 1001 "Server shutting down".
 */
public final class GraphqlWebSocket implements HttpModule {
    public static final String PROTOCOL = "graphql-transport-ws";
    private static final Logger LOG = LoggerFactory.getLogger(GraphqlWebSocket.class);
    private static final Duration MAX_KEEP_ALIVE_INTERVAL = Duration.ofSeconds(30);
    /** How long stopping the server waits for the clients' {@code complete} messages and close frames to be written. */
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(2);
    private static final String SHUTTING_DOWN = "Server shutting down";

    private final GraphqlEngine engine;
    private final ObjectMapper mapper;
    private final Duration initTimeout;
    private final Duration idleTimeout;
    private final Duration keepAliveInterval;
    private final int maxBacklog;
    private final WebSocketAccess access;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final Map<StreamKey, SharedStream> streams = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    public GraphqlWebSocket(GraphqlEngine engine, ObjectMapper mapper) {
        this(engine, mapper, Duration.ofSeconds(10), Duration.ofMinutes(10), 256);
    }

    public GraphqlWebSocket(GraphqlEngine engine, ObjectMapper mapper, Duration initTimeout, Duration idleTimeout, int maxBacklog) {
        this(engine, mapper, initTimeout, idleTimeout, maxBacklog, WebSocketAccess.OPEN);
    }

    /** With {@code access} authenticating {@code connection_init} and checking each operation. */
    public GraphqlWebSocket(GraphqlEngine engine, ObjectMapper mapper, Duration initTimeout, Duration idleTimeout, int maxBacklog, WebSocketAccess access) {
        this.access = requireNonNull(access, "access is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.initTimeout = requireNonNull(initTimeout, "initTimeout is null");
        this.idleTimeout = requireNonNull(idleTimeout, "idleTimeout is null");
        this.keepAliveInterval = keepAliveInterval(idleTimeout);
        if (maxBacklog < 1) {
            throw new IllegalArgumentException("maxBacklog must be positive, was " + maxBacklog);
        }
        this.maxBacklog = maxBacklog;
    }

    /** Well below the idle timeout, so a ping written late still comes before it. */
    static Duration keepAliveInterval(Duration idleTimeout) {
        Duration third = idleTimeout.dividedBy(3);
        return third.compareTo(MAX_KEEP_ALIVE_INTERVAL) < 0 ? third : MAX_KEEP_ALIVE_INTERVAL;
    }

    @Override
    public void routes(Javalin app) {
        app.events(events -> events.serverStopping(this::shutDown));
        app.ws("/graphql", ws -> {
            ws.onConnect(this::connected);
            ws.onMessage(context -> connection(context).ifPresent(connection -> connection.receive(context.message())));
            ws.onClose(this::disconnected);
            ws.onError(this::disconnected);
        });
    }

    /** Open connections. */
    public int connections() {
        return connections.size();
    }

    /** Operations running over all connections (subscriptions, and queries not yet answered). */
    public int operations() {
        return connections.values().stream().mapToInt(connection -> connection.operations.size()).sum();
    }

    /** Distinct subscription executions that clients share. */
    public int sharedStreams() {
        return streams.size();
    }

    /**
     * Completes every open operation and closes every connection with 1001, after what was already
     * queued for it; waits at most {@link #SHUTDOWN_WAIT} for those writes.
     */
    private void shutDown() {
        stopping = true;
        List<CompletableFuture<Void>> closed = connections.values().stream().map(Connection::shutDown).toList();
        try {
            CompletableFuture.allOf(closed.toArray(CompletableFuture[]::new)).get(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException e) {
            LOG.info("{} WebSocket connections were still writing after {}; the server closes them", closed.stream().filter(done -> !done.isDone()).count(),
                    SHUTDOWN_WAIT);
        }
        catch (ExecutionException e) {
            LOG.debug("closing a WebSocket connection failed", e.getCause());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Optional<Connection> connection(WsContext context) {
        return Optional.ofNullable(connections.get(context.sessionId()));
    }

    private void connected(WsConnectContext context) {
        Session session = context.session;
        if (!PROTOCOL.equals(session.getUpgradeResponse().getAcceptedSubProtocol())) {
            session.close(4406, "Subprotocol not acceptable: use " + PROTOCOL);
            return;
        }
        if (stopping) {
            session.close(1001, SHUTTING_DOWN);
            return;
        }
        session.setIdleTimeout(idleTimeout);
        Connection connection = new Connection(context.sessionId(), session);
        connections.put(context.sessionId(), connection);
        CompletableFuture.delayedExecutor(initTimeout.toMillis(), TimeUnit.MILLISECONDS).execute(connection::closeIfNotInitialised);
        connection.scheduleKeepAlive();
    }

    private void disconnected(WsContext context) {
        Connection connection = connections.remove(context.sessionId());
        if (connection != null) {
            connection.release();
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        }
        catch (JsonProcessingException e) {
            throw new FinhubException(ErrorCode.INTERNAL, "cannot write a WebSocket message", e);
        }
    }

    private final class Connection {
        private final String id;
        private final Session session;
        private final Outbox outbox;
        private final Map<String, Operation> operations = new ConcurrentHashMap<>();
        private volatile boolean initialised;
        private volatile WebSocketAccess.Session caller;

        Connection(String id, Session session) {
            this.id = id;
            this.session = session;
            this.outbox = new Outbox(this, maxBacklog * 4);
        }

        void closeIfNotInitialised() {
            if (!initialised) {
                close(4408, "Connection initialisation timeout");
            }
        }

        void scheduleKeepAlive() {
            CompletableFuture.delayedExecutor(keepAliveInterval.toMillis(), TimeUnit.MILLISECONDS).execute(this::keepAlive);
        }

        /** Pings a connection with an open operation and nothing being written, so it is never idle; until it is gone. */
        private void keepAlive() {
            if (connections.get(id) != this) {
                return;
            }
            if (!operations.isEmpty()) {
                outbox.ping();
            }
            scheduleKeepAlive();
        }

        /** Completes every operation and then closes; done when the close was sent or the connection was gone. */
        CompletableFuture<Void> shutDown() {
            List.copyOf(operations.values()).forEach(Operation::complete);
            outbox.close(1001, SHUTTING_DOWN);
            return outbox.discarded();
        }

        /** Jetty calls this for one connection's messages one at a time. */
        void receive(String text) {
            JsonNode message;
            try {
                message = mapper.readTree(text);
            }
            catch (JsonProcessingException e) {
                close(4400, "Invalid message: not JSON");
                return;
            }
            if (message == null || !message.isObject() || !message.path("type").isTextual()) {
                close(4400, "Invalid message: an object with a 'type' is expected");
                return;
            }
            switch (message.get("type").asText()) {
                case "connection_init" -> initialise(message.path("payload"));
                case "ping" -> send(Map.of("type", "pong"));
                case "pong" -> { }
                case "subscribe" -> subscribe(message);
                case "complete" -> complete(message);
                default -> close(4400, "Invalid message type '%s'".formatted(message.get("type").asText()));
            }
        }

        @SuppressWarnings("unchecked")
        private void initialise(JsonNode payload) {
            if (initialised) {
                close(4429, "Too many initialisation requests");
                return;
            }
            Map<String, Object> fields = payload.isObject() ? mapper.convertValue(payload, Map.class) : Map.of();
            try {
                caller = access.connect(fields, session.getUpgradeRequest().getHeader("Authorization"), remoteAddress());
            }
            catch (FinhubException e) {
                close(e.code() == ErrorCode.UNAUTHENTICATED ? 4401 : 4403, (e.code() == ErrorCode.UNAUTHENTICATED ? "Unauthorized: " : "Forbidden: ")
                        + truncate(e.getMessage()));
                return;
            }
            initialised = true;
            send(Map.of("type", "connection_ack"));
        }

        private void subscribe(JsonNode message) {
            if (!initialised) {
                close(4401, "Unauthorized");
                return;
            }
            String operationId = message.path("id").asText("");
            JsonNode payload = message.path("payload");
            if (!message.path("id").isTextual() || operationId.isEmpty() || !payload.isObject() || !payload.path("query").isTextual()) {
                close(4400, "Invalid message: subscribe needs an 'id' and a 'payload' with a 'query'");
                return;
            }
            Optional<GraphqlRequest> request = request(payload);
            if (request.isEmpty()) {
                close(4400, "Invalid message: 'operationName' must be a string, 'variables' and 'extensions' objects");
                return;
            }
            Operation operation = new Operation(this, operationId);
            if (operations.putIfAbsent(operationId, operation) != null) {
                close(4409, "Subscriber for " + operationId + " already exists");
                return;
            }
            try {
                caller.check(engine.operationKind(request.get()).orElse(graphql.language.OperationDefinition.Operation.QUERY));
            }
            catch (FinhubException e) {
                operation.fail(e);
                return;
            }
            execute(operation, request.get());
        }

        @SuppressWarnings("unchecked")
        private Optional<GraphqlRequest> request(JsonNode payload) {
            JsonNode operationName = payload.path("operationName");
            JsonNode variables = payload.path("variables");
            JsonNode extensions = payload.path("extensions");
            boolean nameOk = operationName.isMissingNode() || operationName.isNull() || operationName.isTextual();
            boolean variablesOk = variables.isMissingNode() || variables.isNull() || variables.isObject();
            boolean extensionsOk = extensions.isMissingNode() || extensions.isNull() || extensions.isObject();
            if (!nameOk || !variablesOk || !extensionsOk) {
                return Optional.empty();
            }
            return Optional.of(new GraphqlRequest(payload.get("query").asText(), operationName.isTextual() ? operationName.asText() : null,
                    variables.isObject() ? mapper.convertValue(variables, Map.class) : null,
                    extensions.isObject() ? mapper.convertValue(extensions, Map.class) : null));
        }

        private void execute(Operation operation, GraphqlRequest request) {
            ExecutionResult result;
            try {
                result = caller.run(() -> engine.execute(request));
            }
            catch (RuntimeException e) {
                operation.fail(e);
                return;
            }
            if (!result.isDataPresent()) {
                operations.remove(operation.id, operation);
                send(Map.of("id", operation.id, "type", "error", "payload", GraphqlEngine.specification(result).get("errors")));
            }
            else if (result.getData() instanceof Publisher<?> publisher) {
                @SuppressWarnings("unchecked")
                Publisher<ExecutionResult> results = (Publisher<ExecutionResult>) publisher;
                join(operation, StreamKey.of(request, caller.scopeKey()), results);
            }
            else {
                operations.remove(operation.id, operation);
                send(Map.of("id", operation.id, "type", "next", "payload", GraphqlEngine.specification(result)));
                send(Map.of("id", operation.id, "type", "complete"));
            }
        }

        /** Attaches to the stream of an identical subscription, or starts it with this execution's publisher. */
        private void join(Operation operation, StreamKey key, Publisher<ExecutionResult> results) {
            while (true) {
                SharedStream existing = streams.get(key);
                if (existing != null) {
                    if (existing.attach(operation)) {
                        return;
                    }
                    streams.remove(key, existing);
                    continue;
                }
                SharedStream started = new SharedStream(key);
                started.attach(operation);
                if (streams.putIfAbsent(key, started) == null) {
                    results.subscribe(started);
                    return;
                }
            }
        }

        private void complete(JsonNode message) {
            Operation operation = operations.remove(message.path("id").asText(""));
            if (operation != null) {
                operation.cancel();
            }
        }

        void send(Map<String, Object> message) {
            outbox.send(json(message), null);
        }

        private String remoteAddress() {
            return session.getRemoteAddress() instanceof java.net.InetSocketAddress address && address.getAddress() != null
                    ? address.getAddress().getHostAddress()
                    : "";
        }

        /** A close reason is at most 123 bytes. */
        private static String truncate(String reason) {
            return reason.length() <= 100 ? reason : reason.substring(0, 100);
        }

        /** Closes, then releases: whoever waits for the release ({@link #shutDown()}) knows this close frame is queued first. */
        void close(int code, String reason) {
            if (session.isOpen()) {
                session.close(code, reason);
            }
            release();
        }

        /** Cancels every operation and drops what was not sent. */
        void release() {
            connections.remove(id, this);
            operations.values().forEach(Operation::cancel);
            operations.clear();
            outbox.discard();
        }
    }

    /** What makes two subscriptions the same stream: the same request by callers who see the same rows. */
    private record StreamKey(String query, String operationName, Map<String, Object> variables, Map<String, Object> extensions, String scope) {
        static StreamKey of(GraphqlRequest request, String scope) {
            return new StreamKey(request.query(), request.operationName(), request.variables(), request.extensions(), scope);
        }
    }

    /** One execution of a subscription, its results written to JSON once and sent to every operation attached. */
    private final class SharedStream implements Subscriber<ExecutionResult> {
        private final StreamKey key;
        private final Set<Operation> operations = ConcurrentHashMap.newKeySet();
        private volatile Subscription upstream;
        private boolean ended;

        SharedStream(StreamKey key) {
            this.key = key;
        }

        synchronized boolean attach(Operation operation) {
            if (ended) {
                return false;
            }
            operations.add(operation);
            operation.stream = this;
            return true;
        }

        void detach(Operation operation) {
            boolean last;
            synchronized (this) {
                operations.remove(operation);
                last = operations.isEmpty() && !ended;
                ended |= last;
            }
            if (last) {
                streams.remove(key, this);
                Subscription subscription = upstream;
                if (subscription != null) {
                    subscription.cancel();
                }
            }
        }

        private synchronized void end() {
            ended = true;
            streams.remove(key, this);
        }

        @Override
        public void onSubscribe(Subscription subscription) {
            upstream = subscription;
            synchronized (this) {
                if (ended) {
                    subscription.cancel();
                    return;
                }
            }
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(ExecutionResult result) {
            String payload = json(GraphqlEngine.specification(result));
            for (Operation operation : operations) {
                operation.next(payload);
            }
        }

        @Override
        public void onError(Throwable failure) {
            end();
            for (Operation operation : operations) {
                operation.fail(failure);
            }
        }

        @Override
        public void onComplete() {
            end();
            for (Operation operation : operations) {
                operation.complete();
            }
        }
    }

    /** One subscribe of one client: its results, written in order, with at most {@code maxBacklog} unwritten. */
    private final class Operation {
        private final Connection connection;
        private final String id;
        private final String prefix;
        private final AtomicInteger backlog = new AtomicInteger();
        private volatile SharedStream stream;
        private volatile boolean finished;

        Operation(Connection connection, String id) {
            this.connection = connection;
            this.id = id;
            this.prefix = "{\"id\":" + json(id) + ",\"type\":\"next\",\"payload\":";
        }

        void next(String payload) {
            if (finished) {
                return;
            }
            if (backlog.incrementAndGet() > maxBacklog) {
                fail(new FinhubException(ErrorCode.SLOW_SUBSCRIBER, "subscriber too slow: %d messages were waiting to be sent when another came, so it was dropped; "
                        .formatted(maxBacklog) + "subscribe again and catch up with the history"));
                return;
            }
            connection.outbox.send(prefix + payload + "}", backlog::decrementAndGet);
        }

        void fail(Throwable failure) {
            if (end()) {
                connection.send(Map.of("id", id, "type", "error", "payload", List.of(error(failure))));
            }
        }

        void complete() {
            if (end()) {
                connection.send(Map.of("id", id, "type", "complete"));
            }
        }

        /** The client completed it, or its connection is gone: nothing more is sent. */
        void cancel() {
            finished = true;
            detach();
        }

        private boolean end() {
            if (finished) {
                return false;
            }
            finished = true;
            detach();
            return connection.operations.remove(id, this);
        }

        private void detach() {
            SharedStream current = stream;
            if (current != null) {
                current.detach(this);
            }
        }

        private static Map<String, Object> error(Throwable failure) {
            Map<String, Object> error = new LinkedHashMap<>();
            if (failure instanceof FinhubException finhub && finhub.code() != ErrorCode.INTERNAL) {
                error.put("message", finhub.getMessage());
                error.put("extensions", Map.of("code", finhub.code().name()));
                return error;
            }
            String incident = UUID.randomUUID().toString();
            LOG.error("subscription failed, incident {}", incident, failure);
            error.put("message", "internal error (incident " + incident + ")");
            error.put("extensions", Map.of("code", ErrorCode.INTERNAL.name()));
            return error;
        }
    }

    /** A connection's messages, written one at a time with Jetty's asynchronous send. */
    private static final class Outbox {
        private final Connection connection;
        private final int maxUnsent;
        private final ArrayDeque<Pending> queue = new ArrayDeque<>();
        private final CompletableFuture<Void> discarded = new CompletableFuture<>();
        private boolean writing;

        Outbox(Connection connection, int maxUnsent) {
            this.connection = connection;
            this.maxUnsent = maxUnsent;
        }

        private enum Frame {
            TEXT,
            PING,
            /** Closes the connection once everything before it is written; {@code text} is the reason. */
            CLOSE
        }

        private record Pending(Frame frame, String text, int closeCode, Runnable onWritten) {}

        void send(String text, Runnable onWritten) {
            enqueue(new Pending(Frame.TEXT, text, 0, onWritten));
        }

        /** A ping frame, unless something is being written already (a client that does not read should time out). */
        void ping() {
            synchronized (this) {
                if (writing || !queue.isEmpty()) {
                    return;
                }
            }
            enqueue(new Pending(Frame.PING, "", 0, null));
        }

        void close(int code, String reason) {
            enqueue(new Pending(Frame.CLOSE, reason, code, null));
        }

        /** Completes when the connection was released: closed, failed or gone. */
        CompletableFuture<Void> discarded() {
            return discarded;
        }

        private void enqueue(Pending pending) {
            boolean overflow;
            synchronized (this) {
                if (discarded.isDone()) {
                    return;
                }
                overflow = queue.size() >= maxUnsent;
                if (!overflow) {
                    queue.add(pending);
                }
            }
            if (overflow) {
                LOG.warn("closing a WebSocket connection that left {} messages unread", maxUnsent);
                connection.close(1008, "Slow consumer: " + maxUnsent + " messages unsent");
                return;
            }
            pump();
        }

        synchronized void discard() {
            queue.clear();
            discarded.complete(null);
        }

        private void pump() {
            while (true) {
                Pending next;
                synchronized (this) {
                    if (writing || discarded.isDone() || queue.isEmpty()) {
                        return;
                    }
                    next = queue.poll();
                    writing = true;
                }
                if (next.frame() == Frame.CLOSE) {
                    connection.close(next.closeCode(), next.text());
                    return;
                }
                Write write = new Write(next);
                try {
                    if (next.frame() == Frame.PING) {
                        connection.session.getRemote().sendPing(ByteBuffer.allocate(0), write);
                    }
                    else {
                        connection.session.getRemote().sendString(next.text(), write);
                    }
                }
                catch (RuntimeException e) {
                    write.writeFailed(e);
                }
                if (!write.returnedAfterCompletion()) {
                    return;
                }
            }
        }

        /** Whichever of "sendString returned" and "the write completed" comes second moves on to the next message. */
        private final class Write implements WriteCallback {
            private final Pending pending;
            private final AtomicInteger arrivals = new AtomicInteger();

            Write(Pending pending) {
                this.pending = pending;
            }

            boolean returnedAfterCompletion() {
                return arrivals.incrementAndGet() == 2;
            }

            @Override
            public void writeSuccess() {
                synchronized (Outbox.this) {
                    writing = false;
                }
                if (pending.onWritten() != null) {
                    pending.onWritten().run();
                }
                if (arrivals.incrementAndGet() == 2) {
                    pump();
                }
            }

            @Override
            public void writeFailed(Throwable failure) {
                synchronized (Outbox.this) {
                    writing = false;
                }
                LOG.debug("WebSocket write failed; releasing the connection", failure);
                connection.release();
                arrivals.incrementAndGet();
            }
        }
    }
}
