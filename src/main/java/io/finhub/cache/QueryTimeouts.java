package io.finhub.cache;

import static java.util.Objects.requireNonNull;

import graphql.ErrorType;
import graphql.ExecutionResult;
import graphql.GraphqlErrorBuilder;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationCreateStateParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.language.OperationDefinition;
import graphql.schema.DataFetcher;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.support.StatementDeadlines;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A per-request timeout that really stops the work: every JDBC statement a query or mutation runs on
 * its request thread is tracked, and when the deadline passes each running one is cancelled in
 * DuckDB ({@link PreparedStatement#cancel()}: DuckDB's JDBC driver interrupts the statement's connection), later
 * ones are refused, and the request answers one {@code TIMEOUT} error. Subscriptions are not timed.
 *
 * <p>It is both a graphql-java instrumentation (one deadline per execution) and a Jdbi statement
 * customizer ({@link #install(Jdbi)}); a statement made outside Jdbi on the handle's JDBC connection
 * is timed by running it through {@link #track(Statement, StatementWork)}. Statements a fetcher runs
 * on another thread, or that a background build runs, are not the request's and are not cancelled.
 */
public final class QueryTimeouts extends SimplePerformantInstrumentation implements StatementCustomizer {
    private static final Logger LOG = LoggerFactory.getLogger(QueryTimeouts.class);

    private final Duration timeout;
    private final ScheduledExecutorService timer;
    private final AtomicLong timedOut = new AtomicLong();
    private final AtomicLong cancelledStatements = new AtomicLong();

    /** Deadlines fire on {@code timer}, which the caller owns. */
    public QueryTimeouts(Duration timeout, ScheduledExecutorService timer) {
        this.timeout = requireNonNull(timeout, "timeout is null");
        this.timer = requireNonNull(timer, "timer is null");
    }

    /** Tracks the statements of every request that runs through {@code jdbi}. */
    public QueryTimeouts install(Jdbi jdbi) {
        jdbi.addCustomizer(this);
        return this;
    }

    public Duration timeout() {
        return timeout;
    }

    /** One request's deadline and the statements it has running. */
    private final class Deadline implements InstrumentationState, StatementDeadlines.Deadline {
        private final Map<Statement, Connection> running = new ConcurrentHashMap<>();
        private volatile boolean expired;
        private volatile ScheduledFuture<?> alarm;

        void start() {
            alarm = timer.schedule(this::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        void finish() {
            ScheduledFuture<?> scheduled = alarm;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }

        private void expire() {
            expired = true;
            timedOut.incrementAndGet();
            running.forEach(this::cancel);
        }

        private void cancel(Statement statement, Connection connection) {
            try {
                statement.cancel();
                cancelledStatements.incrementAndGet();
            }
            catch (SQLException | RuntimeException e) {
                LOG.warn("could not cancel a statement of a timed-out request on {}", connection, e);
            }
        }

        @Override
        public void register(Statement statement, Connection connection) throws SQLException {
            if (expired) {
                throw new SQLException("the request ran out of time before this statement");
            }
            running.put(statement, connection);
            if (expired) {
                cancel(statement, connection);
            }
        }

        @Override
        public void unregister(Statement statement) {
            running.remove(statement);
        }

        FinhubException timeoutException() {
            return new FinhubException(ErrorCode.TIMEOUT, "the request ran longer than its %d ms limit and was cancelled".formatted(timeout.toMillis()));
        }
    }

    @Override
    public CompletableFuture<InstrumentationState> createStateAsync(InstrumentationCreateStateParameters parameters) {
        return CompletableFuture.completedFuture(new Deadline());
    }

    @Override
    public InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters parameters, InstrumentationState state) {
        if (parameters.getExecutionContext().getOperationDefinition().getOperation() == OperationDefinition.Operation.SUBSCRIPTION) {
            return SimpleInstrumentationContext.noOp();
        }
        Deadline deadline = (Deadline) state;
        deadline.start();
        return SimpleInstrumentationContext.whenCompleted((result, failure) -> deadline.finish());
    }

    @Override
    public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> fetcher, InstrumentationFieldFetchParameters parameters, InstrumentationState state) {
        if (parameters.isTrivialDataFetcher()) {
            return fetcher;
        }
        Deadline deadline = (Deadline) state;
        return environment -> {
            if (deadline.expired) {
                throw deadline.timeoutException();
            }
            StatementDeadlines.Deadline outer = StatementDeadlines.bind(deadline);
            try {
                return fetcher.get(environment);
            }
            catch (Exception e) {
                if (deadline.expired) {
                    throw deadline.timeoutException();
                }
                throw e;
            }
            finally {
                StatementDeadlines.bind(outer);
            }
        };
    }

    @Override
    public CompletableFuture<ExecutionResult> instrumentExecutionResult(ExecutionResult result, InstrumentationExecutionParameters parameters,
            InstrumentationState state) {
        Deadline deadline = (Deadline) state;
        if (!deadline.expired) {
            return CompletableFuture.completedFuture(result);
        }
        FinhubException timeout = deadline.timeoutException();
        return CompletableFuture.completedFuture(ExecutionResult.newExecutionResult()
                .addError(GraphqlErrorBuilder.newError()
                        .message(timeout.getMessage())
                        .errorType(ErrorType.ExecutionAborted)
                        .extensions(Map.of("code", timeout.code().name()))
                        .build())
                .build());
    }

    @Override
    public void beforeExecution(PreparedStatement statement, StatementContext context) throws SQLException {
        StatementDeadlines.Deadline deadline = StatementDeadlines.current();
        if (deadline != null) {
            deadline.register(statement, context.getConnection());
        }
    }

    @Override
    public void afterExecution(PreparedStatement statement, StatementContext context) {
        StatementDeadlines.Deadline deadline = StatementDeadlines.current();
        if (deadline != null) {
            deadline.unregister(statement);
        }
    }

    /** Requests that ran out of time, and statements cancelled in DuckDB because of it. */
    public long timedOutRequests() {
        return timedOut.get();
    }

    public long cancelledStatements() {
        return cancelledStatements.get();
    }
}
