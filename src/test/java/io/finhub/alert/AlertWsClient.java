package io.finhub.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A graphql-transport-ws client over the JDK's WebSocket: sends messages, and waits for each one received. */
final class AlertWsClient implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private volatile String closeReason;
    private final WebSocket socket;
    private volatile boolean paused;
    private volatile boolean demandOwed;

    private AlertWsClient(HttpClient client, int port, String protocol) {
        // Browsers send Accept-Encoding on the handshake too: the server's gzip handler must leave the upgraded connection alone.
        this.socket = client.newWebSocketBuilder()
                .header("Accept-Encoding", "gzip, deflate, br")
                .subprotocols(protocol)
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/graphql"), new Listener())
                .join();
    }

    static AlertWsClient connect(HttpClient client, int port) {
        return new AlertWsClient(client, port, "graphql-transport-ws");
    }

    static AlertWsClient connect(HttpClient client, int port, String protocol) {
        return new AlertWsClient(client, port, protocol);
    }

    /** Connects and completes the connection_init / connection_ack handshake. */
    static AlertWsClient initialised(HttpClient client, int port) {
        AlertWsClient connection = connect(client, port);
        connection.send(Map.of("type", "connection_init"));
        connection.expect("connection_ack");
        return connection;
    }

    void send(Map<String, Object> message) {
        try {
            socket.sendText(JSON.writeValueAsString(message), true).join();
        }
        catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    void sendRaw(String text) {
        socket.sendText(text, true).join();
    }

    void subscribe(String id, String query, Map<String, Object> variables) {
        send(Map.of("type", "subscribe", "id", id, "payload", Map.of("query", query, "variables", variables)));
    }

    /** A ping answered by a pong: every message sent before it has been handled by the server. */
    void roundTrip() {
        send(Map.of("type", "ping"));
        expect("pong");
    }

    /** As {@link #roundTrip()}, passing over events of subscription {@code id} that arrive before the pong. */
    void roundTripIgnoring(String id) {
        send(Map.of("type", "ping"));
        JsonNode message = next();
        while (message.path("type").asText().equals("next") && message.path("id").asText().equals(id)) {
            message = next();
        }
        if (!message.path("type").asText().equals("pong")) {
            throw new AssertionError("expected a pong message, got " + message);
        }
    }

    JsonNode next() {
        try {
            JsonNode message = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                throw new AssertionError("no message within " + WAIT);
            }
            return message;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    JsonNode expect(String type) {
        JsonNode message = next();
        if (!message.path("type").asText().equals(type)) {
            throw new AssertionError("expected a " + type + " message, got " + message);
        }
        return message;
    }

    /** Stops reading: nothing more is taken off the socket, so the server's writes back up. */
    void pause() {
        paused = true;
    }

    void resume() {
        paused = false;
        if (demandOwed) {
            demandOwed = false;
            socket.request(1);
        }
    }

    int closeCode() {
        return closeCode.orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /** The reason of the server's close frame; call after {@link #closeCode()}. */
    String closeReason() {
        return closeReason;
    }

    /** Whether the server has closed the connection (or it failed). */
    boolean closed() {
        return closeCode.isDone();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    received.add(JSON.readTree(text.toString()));
                }
                catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                text.setLength(0);
            }
            if (paused) {
                demandOwed = true;
            }
            else {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeReason = reason;
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.completeExceptionally(error);
        }
    }
}
