package io.finhub.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finhub.FinhubServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A real HTTP client of one started server, speaking GraphQL over HTTP as a dashboard would. */
final class CacheClient {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String GRAPHQL_RESPONSE_JSON = "application/graphql-response+json";
    private final HttpClient client = HttpClient.newHttpClient();
    private final FinhubServer server;

    CacheClient(FinhubServer server) {
        this.server = server;
    }

    /** An answer: status, body, and where it came from ({@code X-Finhub-Cache}). */
    record Answer(int status, String body, String cache, String serverTiming) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String errorCode() {
            return json().at("/errors/0/extensions/code").asText();
        }
    }

    Answer post(String query) {
        return post(request(query, null, null), Map.of());
    }

    Answer post(String query, Map<String, Object> variables) {
        return post(request(query, variables, null), Map.of());
    }

    Answer post(Map<String, Object> body, Map<String, String> headers) {
        return send(graphqlPost(body, headers).header("Accept", GRAPHQL_RESPONSE_JSON).build());
    }

    Answer get(Map<String, Object> parameters) {
        StringBuilder query = new StringBuilder();
        try {
            for (Map.Entry<String, Object> parameter : parameters.entrySet()) {
                String value = parameter.getValue() instanceof String text ? text : JSON.writeValueAsString(parameter.getValue());
                query.append(query.isEmpty() ? "" : "&").append(parameter.getKey()).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return send(HttpRequest.newBuilder(uri("/graphql?" + query)).header("Accept", GRAPHQL_RESPONSE_JSON).build());
    }

    JsonNode metrics() {
        return send(HttpRequest.newBuilder(uri("/metrics")).build()).json();
    }

    String prometheusMetrics() {
        return send(HttpRequest.newBuilder(uri("/metrics?format=prometheus")).build()).body();
    }

    static Map<String, Object> request(String query, Map<String, Object> variables, Map<String, Object> extensions) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (query != null) {
            body.put("query", query);
        }
        if (variables != null) {
            body.put("variables", variables);
        }
        if (extensions != null) {
            body.put("extensions", extensions);
        }
        return body;
    }

    /** POST {@code body} with {@code headers}, the answer's bytes exactly as sent (this client does not decompress). */
    HttpResponse<byte[]> postRaw(Map<String, Object> body, Map<String, String> headers) {
        return send(graphqlPost(body, headers).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest.Builder graphqlPost(Map<String, Object> body, Map<String, String> headers) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri("/graphql"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            headers.forEach(request::header);
            return request;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Answer send(HttpRequest request) {
        HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body(), response.headers().firstValue("X-Finhub-Cache").orElse(""),
                response.headers().firstValue("Server-Timing").orElse(""));
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
        try {
            return client.send(request, body);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
