package io.finhub.http;

import graphql.language.OperationDefinition.Operation;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Who may use a GraphQL WebSocket connection. {@code connection_init} authenticates it (its payload's
 * {@code Authorization}, or the upgrade request's header); each {@code subscribe} is then checked for
 * its kind of operation, and runs as the connection's caller. Subscriptions are shared only between
 * connections of the same {@link Session#scopeKey()}.
 */
public interface WebSocketAccess {
    /** Everyone may do everything, as one scope: servers started without security. */
    WebSocketAccess OPEN = (payload, upgradeAuthorization, remoteAddress) -> new Session() {
        @Override
        public String scopeKey() {
            return "public";
        }

        @Override
        public void check(Operation kind) {}

        @Override
        public <T> T run(Supplier<T> work) {
            return work.get();
        }
    };

    /**
     * The session of a connection whose {@code connection_init} carried {@code payload}; throws a
     * {@code FinhubException} (UNAUTHENTICATED or FORBIDDEN) to refuse it.
     *
     * @param upgradeAuthorization the upgrade request's Authorization header, or null
     */
    Session connect(Map<String, Object> payload, String upgradeAuthorization, String remoteAddress);

    /** An authenticated connection. */
    interface Session {
        /** What the connection's caller may see: equal keys may share one subscription stream. */
        String scopeKey();

        /** Throws a {@code FinhubException} (FORBIDDEN, RATE_LIMITED) when the caller may not run an operation of this kind now. */
        void check(Operation kind);

        /** Runs {@code work} as the connection's caller. */
        <T> T run(Supplier<T> work);
    }
}
