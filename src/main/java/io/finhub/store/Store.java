package io.finhub.store;

import static java.util.Objects.requireNonNull;

import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.duckdb.DuckDBConnection;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded DuckDB store. One database per process: DuckDB lets a single process write a
 * file, so every component shares this instance and gets its own connection per unit of work.
 */
public final class Store implements AutoCloseable {
    static final String ENCRYPTED_CATALOG = "finhub";
    /** The in-memory catalog for {@link #scratchCatalog()}; another name if the database file itself has this one. */
    static final String SCRATCH_CATALOG = "finhub_scratch";
    static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(Store.class);
    private final StoreConfig config;
    private final DuckDBConnection root;
    private final Jdbi jdbi;
    private final FiscalCalendar calendar;
    private final AtomicLong dataVersion = new AtomicLong();
    private final Map<Long, DataChanged> pendingChanges = new ConcurrentHashMap<>();
    private final List<Consumer<DataChanged>> listeners = new CopyOnWriteArrayList<>();
    /** Guards {@link #openConnections} and {@link #closing}. */
    private final Object connections = new Object();
    private int openConnections;
    private boolean closing;
    private volatile String scratchCatalog;

    private Store(StoreConfig config, DuckDBConnection root) {
        this.config = config;
        this.root = root;
        this.jdbi = Jdbi.create(this::connection);
        this.calendar = new FiscalCalendar(config.fiscalStartMonth());
    }

    /** Opens (creating if needed) the database, applies pending migrations and refreshes {@code dim_date}. */
    public static Store open(StoreConfig config) {
        requireNonNull(config, "config is null");
        Store store = new Store(config, connect(config));
        try {
            store.configure();
            new Migrations(store.jdbi).apply();
            store.dataVersion.set(store.readDataVersion());
            if (store.jdbi.withHandle(store.calendar::differsFromStored)) {
                // Every fiscal bucket moves: a change of dim_date, so derived tables built on the old calendar are rebuilt and cached answers not reused.
                store.write("calendar:fiscal-start-month", List.of("dim_date"), store.calendar::refreshDateDimension);
            }
            else {
                store.jdbi.useHandle(store.calendar::refreshDateDimension);
            }
            return store;
        }
        catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * A connection of its own on the shared instance; on an encrypted store it works in the attached
     * file, as the root does. It is counted until closed, so {@link #close()} can wait for it.
     */
    private Connection connection() throws SQLException {
        synchronized (connections) {
            if (closing) {
                throw new SQLException("the store is closed");
            }
            openConnections++;
        }
        try {
            return counted(duplicate());
        }
        catch (SQLException | RuntimeException e) {
            released();
            throw e;
        }
    }

    private void released() {
        synchronized (connections) {
            openConnections--;
            connections.notifyAll();
        }
    }

    /** {@code connection}, reporting its close (the first one) to {@link #released()}. */
    private Connection counted(Connection connection) {
        AtomicBoolean closed = new AtomicBoolean();
        InvocationHandler handler = (proxy, method, arguments) -> {
            if (method.getName().equals("close") && method.getParameterCount() == 0) {
                try {
                    connection.close();
                }
                finally {
                    if (closed.compareAndSet(false, true)) {
                        released();
                    }
                }
                return null;
            }
            try {
                return method.invoke(connection, arguments);
            }
            catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Connection) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
    }

    private Connection duplicate() throws SQLException {
        Connection connection = root.duplicate();
        if (config.key().isPresent()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("USE " + ENCRYPTED_CATALOG);
            }
            catch (SQLException e) {
                connection.close();
                throw e;
            }
        }
        return connection;
    }

    private static DuckDBConnection connect(StoreConfig config) {
        if (config.key().isPresent()) {
            return EncryptedFile.attach(config.path().orElseThrow(), config.key().get());
        }
        String url = config.path().map(path -> "jdbc:duckdb:" + path.toAbsolutePath()).orElse("jdbc:duckdb:");
        try {
            if (config.path().isPresent()) {
                Path parent = config.path().get().toAbsolutePath().getParent();
                Files.createDirectories(parent);
            }
            Class.forName("org.duckdb.DuckDBDriver");
            Connection connection = DriverManager.getConnection(url, connectionProperties());
            return connection.unwrap(DuckDBConnection.class);
        }
        catch (SQLException e) {
            throw translateOpenFailure(config, e);
        }
        catch (ReflectiveOperationException | java.io.IOException e) {
            throw new FinhubException(ErrorCode.INTERNAL, "cannot open the DuckDB store: " + e.getMessage(), e);
        }
    }

    /**
     * A database file created by this server is written in DuckDB's newest storage format, whose
     * string compression (dictionary with FSST) is cheaper to write: a bulk import of 5 million
     * touchpoints spends 1.9 s instead of 2.6 s compressing, and the file is 8 % smaller. The format
     * is fixed when the file is created, so a file an older FinHub created keeps its format; a file
     * in the new format needs DuckDB 1.4 or newer to open outside FinHub.
     */
    static Properties connectionProperties() {
        Properties properties = new Properties();
        properties.setProperty("storage_compatibility_version", "latest");
        return properties;
    }

    private static FinhubException translateOpenFailure(StoreConfig config, SQLException e) {
        String message = String.valueOf(e.getMessage());
        FinhubException encrypted = config.path().map(path -> EncryptedFile.withoutKey(path, e)).orElse(null);
        if (encrypted != null) {
            return encrypted;
        }
        if (message.contains("lock")) {
            return new FinhubException(ErrorCode.DATABASE_IN_USE,
                    "the database " + config.path().orElseThrow() + " is in use by another FinHub process; "
                            + "stop it (an import can instead be sent to that server with --server URL)", e);
        }
        return new FinhubException(ErrorCode.INTERNAL, "cannot open the DuckDB store: " + message, e);
    }

    private void configure() {
        jdbi.useHandle(handle -> {
            handle.execute("SET memory_limit = '" + config.memoryLimit().replace("'", "") + "'");
            if (config.threads() > 0) {
                handle.execute("SET threads = " + config.threads());
            }
            handle.execute("SET preserve_insertion_order = false");
            String database = handle.createQuery("SELECT current_database()").mapTo(String.class).one();
            String scratch = database.equals(SCRATCH_CATALOG) ? SCRATCH_CATALOG + "_1" : SCRATCH_CATALOG;
            handle.execute("ATTACH ':memory:' AS " + scratch);
            scratchCatalog = scratch;
        });
    }

    /**
     * An in-memory catalog of this instance, shared by all its connections, for tables that are
     * worth keeping while the server runs but not worth writing to the file: writing 200,000 cases
     * there takes a fifth of the time a table in the file takes (no compression, no disk, no WAL).
     * Its data counts against the memory limit and spills to DuckDB's temporary directory beyond it;
     * it is gone when the store closes. A transaction that writes to it writes to nothing else but
     * temporary tables (DuckDB writes to one attached database per transaction).
     */
    public String scratchCatalog() {
        return scratchCatalog;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public StoreConfig config() {
        return config;
    }

    public FiscalCalendar calendar() {
        return calendar;
    }

    /** The version of the data every answer is computed on; it grows with each committed change. */
    public long dataVersion() {
        return dataVersion.get();
    }

    /**
     * Runs {@code work} in one transaction, records it as a change of {@code datasets} and, once it
     * has committed, moves the data version and tells every listener. If {@code work} throws,
     * nothing is written and nobody is told.
     *
     * @return the new data version
     */
    public long write(String source, List<String> datasets, Consumer<Handle> work) {
        long version = jdbi.inTransaction(handle -> {
            work.accept(handle);
            return recordChange(handle, source, datasets);
        });
        publishCommitted(version);
        return version;
    }

    /** Adds a listener called, on the committing thread, after every committed change. Hand heavy work to an executor. */
    public void onDataChanged(Consumer<DataChanged> listener) {
        listeners.add(requireNonNull(listener, "listener is null"));
    }

    /**
     * Records a change inside the caller's transaction and returns the new data version. Call
     * {@link #publishCommitted(long)} after the commit: the in-memory version moves only then, so no
     * reader ever keys a cache entry on uncommitted data. Prefer {@link #write}, which does both.
     */
    public long recordChange(Handle handle, String source, List<String> datasets) {
        long next = handle.createQuery("SELECT coalesce(max(version), 0) + 1 FROM finhub_data_version")
                .mapTo(Long.class)
                .one();
        handle.createUpdate("INSERT INTO finhub_data_version VALUES (:version, now()::TIMESTAMP, :source, :datasets)")
                .bind("version", next)
                .bind("source", source)
                .bindArray("datasets", String.class, datasets)
                .execute();
        pendingChanges.put(next, new DataChanged(next, source, datasets, Instant.now()));
        return next;
    }

    /** Makes a committed change visible: moves the data version and notifies the listeners. */
    public void publishCommitted(long version) {
        dataVersion.accumulateAndGet(version, Math::max);
        DataChanged change = pendingChanges.remove(version);
        if (change != null) {
            listeners.forEach(listener -> listener.accept(change));
        }
    }

    private long readDataVersion() {
        return jdbi.withHandle(Store::committedVersion);
    }

    /**
     * The data version {@code handle} sees: in a transaction, the one its snapshot holds, which can be
     * newer than {@link #dataVersion()} for the moment between a change's commit and its publication.
     */
    public static long committedVersion(Handle handle) {
        return handle.createQuery("SELECT coalesce(max(version), 0) FROM finhub_data_version")
                .mapTo(Long.class)
                .one();
    }

    /** True once {@link #close()} ran: background work that finds the store closed stops quietly. */
    public boolean isClosed() {
        synchronized (connections) {
            if (closing) {
                return true;
            }
        }
        try {
            return root.isClosed();
        }
        catch (SQLException e) {
            return true;
        }
    }

    /**
     * Closes the database once the connections in use are closed, waiting at most
     * {@link #CLOSE_WAIT} for background work (a rebuild, an evaluation) to finish its statement; no
     * new connection is handed out meanwhile. Closing DuckDB under a running statement can corrupt
     * native memory that other databases in the process share.
     */
    @Override
    public void close() {
        synchronized (connections) {
            closing = true;
            long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
            long left;
            while (openConnections > 0 && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(connections, left);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (openConnections > 0) {
                LOG.warn("closing the store with {} connections still in use after {} s", openConnections, CLOSE_WAIT.toSeconds());
            }
        }
        try {
            root.close();
        }
        catch (SQLException e) {
            throw new FinhubException(ErrorCode.INTERNAL, "cannot close the DuckDB store", e);
        }
    }
}
