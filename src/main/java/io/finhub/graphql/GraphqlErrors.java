package io.finhub.graphql;

import graphql.ErrorClassification;
import graphql.ErrorType;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.DataFetcherExceptionHandlerParameters;
import graphql.execution.DataFetcherExceptionHandlerResult;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a failure in a fetcher becomes a GraphQL error: a {@link FinhubException} keeps its
 * message and code in {@code extensions.code}; anything else is logged with an incident id and the
 * client sees only {@code INTERNAL} and that id, never a stack trace or SQL.
 */
final class GraphqlErrors implements DataFetcherExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(GraphqlErrors.class);

    @Override
    public CompletableFuture<DataFetcherExceptionHandlerResult> handleException(DataFetcherExceptionHandlerParameters parameters) {
        Throwable exception = unwrap(parameters.getException());
        GraphQLError error = GraphqlErrorBuilder.newError(parameters.getDataFetchingEnvironment())
                .message(message(exception))
                .errorType(classification(exception))
                .extensions(Map.of("code", code(exception).name()))
                .build();
        return CompletableFuture.completedFuture(DataFetcherExceptionHandlerResult.newResult(error).build());
    }

    static Throwable unwrap(Throwable exception) {
        Throwable current = exception;
        while (current instanceof CompletionException && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    static ErrorCode code(Throwable exception) {
        return exception instanceof FinhubException finhub ? finhub.code() : ErrorCode.INTERNAL;
    }

    static String message(Throwable exception) {
        if (exception instanceof FinhubException finhub && finhub.code() != ErrorCode.INTERNAL) {
            return finhub.getMessage();
        }
        String incident = UUID.randomUUID().toString();
        LOG.error("internal error, incident {}", incident, exception);
        return "internal error (incident " + incident + ")";
    }

    private static ErrorClassification classification(Throwable exception) {
        return code(exception).httpStatus() < 500 ? ErrorType.ValidationError : ErrorType.DataFetchingException;
    }
}
