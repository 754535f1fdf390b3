package io.finhub.support;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The deadline of the request the current thread answers, as statements see it: the per-request
 * timeout ({@code cache.QueryTimeouts}) binds its deadline here while a data fetcher runs, and
 * every statement registers with it, Jdbi's through a statement customizer and those made outside
 * Jdbi through {@link #track}, so that the deadline can cancel them in DuckDB. Here, below both, so
 * that the SQL helpers do not depend on the cache that times requests.
 */
public final class StatementDeadlines {
    /** A request's deadline: refuses statements once it has passed, cancels those registered when it passes. */
    public interface Deadline {
        void register(Statement statement, Connection connection) throws SQLException;

        void unregister(Statement statement);
    }

    /** What runs on a statement {@link #track} times. */
    @FunctionalInterface
    public interface StatementWork<T> {
        T run(Statement statement) throws SQLException;
    }

    private static final ThreadLocal<Deadline> CURRENT = new ThreadLocal<>();

    private StatementDeadlines() {}

    /** The deadline bound to this thread; null on a thread that answers no timed request (a background build). */
    public static Deadline current() {
        return CURRENT.get();
    }

    /** Binds {@code deadline} (null: none) to this thread and returns the one bound before, to be bound again after. */
    public static Deadline bind(Deadline deadline) {
        Deadline outer = CURRENT.get();
        if (deadline == null) {
            CURRENT.remove();
        }
        else {
            CURRENT.set(deadline);
        }
        return outer;
    }

    /**
     * Runs {@code work} on {@code statement}, a JDBC statement made outside Jdbi (DuckDB SQL that Jdbi's
     * parser would misread, or rows read by position), under the deadline of the request this thread
     * is answering, as Jdbi's own statements are: refused once the deadline has passed, cancelled in
     * DuckDB when it passes meanwhile, including while {@code work} reads the rows. On a thread that
     * answers no timed request it just runs.
     */
    public static <T> T track(Statement statement, StatementWork<T> work) throws SQLException {
        requireNonNull(work, "work is null");
        Deadline deadline = CURRENT.get();
        if (deadline == null) {
            return work.run(statement);
        }
        deadline.register(statement, statement.getConnection());
        try {
            return work.run(statement);
        }
        finally {
            deadline.unregister(statement);
        }
    }
}
