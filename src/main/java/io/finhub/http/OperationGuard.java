package io.finhub.http;

import graphql.language.OperationDefinition.Operation;
import io.javalin.http.Context;

/**
 * Who may run which kind of GraphQL operation over HTTP, checked before it runs: a denial is a
 * {@code FinhubException} (FORBIDDEN, 403). The security module supplies the real check (queries
 * need {@code financial_data.read}, mutations {@code financial_data.write}); {@link #OPEN} lets
 * everything through, for servers started without security.
 */
@FunctionalInterface
public interface OperationGuard {
    OperationGuard OPEN = (context, kind) -> { };

    void check(Context context, Operation kind);
}
