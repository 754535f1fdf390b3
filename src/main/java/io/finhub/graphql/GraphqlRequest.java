package io.finhub.graphql;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * One GraphQL-over-HTTP request: document, optional operation name, variables and extensions. A blank
 * operation name is no name, as graphql-java executes it (the document's only operation).
 */
public record GraphqlRequest(String query, String operationName, Map<String, Object> variables, Map<String, Object> extensions) {
    public GraphqlRequest {
        requireNonNull(query, "query is null");
        operationName = operationName == null || operationName.isBlank() ? null : operationName;
        variables = variables == null ? Map.of() : variables;
        extensions = extensions == null ? Map.of() : extensions;
    }
}
