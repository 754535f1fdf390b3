package io.finhub.store;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tables computed from the facts (a revenue schedule, MRR snapshots, model results), rebuilt lazily
 * when the data version they were built on is no longer current. A rebuild runs in one transaction,
 * so readers keep seeing the previous complete table until the new one commits.
 */
public final class DerivedTables {
    private static final Logger LOG = LoggerFactory.getLogger(DerivedTables.class);
    /** How long after a committed change the background rebuild starts. */
    public static final Duration REBUILD_DELAY = Duration.ofMillis(250);
    private final Store store;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final Map<String, Runnable> refreshers = new ConcurrentHashMap<>();
    /** The data version each table was last found or made current at. */
    private final Map<String, Confirmed> currentAt = new ConcurrentHashMap<>();

    public DerivedTables(Store store) {
        this.store = requireNonNull(store, "store is null");
    }

    /** Makes sure {@code name} reflects the current data version, running {@code build} if it does not. */
    public void ensureFresh(String name, Consumer<Handle> build) {
        ensureFresh(name, store::dataVersion, build);
    }

    /**
     * Makes sure {@code name} reflects the last change of any of {@code inputs} (the datasets its
     * build reads), running {@code build} if it does not. A change to other datasets leaves it as it
     * is: importing a ledger line does not rebuild a revenue schedule over a million invoices, and
     * the CPU stays free for the alerts and queries that change is for.
     */
    public long ensureFresh(String name, Collection<String> inputs, Consumer<Handle> build) {
        List<String> datasets = List.copyOf(inputs);
        return ensureFresh(name, () -> store.jdbi().withHandle(handle -> inputsVersion(handle, datasets)), build);
    }

    /** The latest data version that changed one of {@code datasets} (0 when none ever did). */
    public static long inputsVersion(Handle handle, List<String> datasets) {
        return handle.createQuery("SELECT coalesce(max(version), 0) FROM finhub_data_version WHERE list_has_any(datasets, :datasets)")
                .bindArray("datasets", String.class, datasets)
                .mapTo(Long.class)
                .one();
    }

    /**
     * Makes sure {@code name} reflects {@code currentVersion} (a version that moves when what the
     * table reads changes), running {@code build} in one transaction when it does not; readers keep
     * the previous table until the new one commits.
     *
     * @return the version the table reflects
     */
    public long ensureFresh(String name, LongSupplier currentVersion, Consumer<Handle> build) {
        // Once a table is known to be current at a data version, later calls at that version need no
        // query at all: only this process writes the store, and every write moves the data version.
        String table = table(name);
        long dataVersion = store.dataVersion();
        Confirmed confirmed = currentAt.get(table);
        if (confirmed != null && confirmed.name().equals(name) && confirmed.dataVersion() == dataVersion) {
            return confirmed.version();
        }
        long current = currentVersion.getAsLong();
        if (builtVersion(name).filter(version -> version == current).isPresent()) {
            currentAt.put(table, new Confirmed(name, dataVersion, current));
            return current;
        }
        synchronized (locks.computeIfAbsent(table, key -> new Object())) {
            long version = currentVersion.getAsLong();
            if (builtVersion(name).filter(built -> built == version).isPresent()) {
                currentAt.put(table, new Confirmed(name, dataVersion, version));
                return version;
            }
            // Jdbi hands a thread the handle it has open: inside a caller's transaction this build would commit with it,
            // after the lock is released, while another thread builds the same table (a write-write conflict).
            if (store.jdbi().withHandle(Handle::isInTransaction)) {
                throw new IllegalStateException("derived table " + name + " must be built outside an open transaction; bring it up to date first");
            }
            long started = System.nanoTime();
            store.jdbi().useTransaction(handle -> {
                build.accept(handle);
                // The build replaced the physical table: what any other key of it recorded no longer holds.
                handle.createUpdate("DELETE FROM finhub_derived WHERE " + SAME_TABLE).bind("table", table).execute();
                handle.createUpdate("INSERT INTO finhub_derived VALUES (:name, :version, now()::TIMESTAMP, :millis)")
                        .bind("name", name)
                        .bind("version", version)
                        .bind("millis", (System.nanoTime() - started) / 1_000_000)
                        .execute();
            });
            currentAt.put(table, new Confirmed(name, dataVersion, version));
            return version;
        }
    }

    /** A table found or made current at a data version: the key it was built under, and the version it reflects. */
    private record Confirmed(String name, long dataVersion, long version) {}

    /** The entries of finhub_derived naming the physical table {@code :table} (see {@link #table}). */
    private static final String SAME_TABLE = "(derived_name = :table OR starts_with(derived_name, :table || ':') OR starts_with(derived_name, :table || '@'))";

    /**
     * The physical table a key names: its part before the first {@code ':'} or {@code '@'}. Keys
     * {@code revenue_schedule:USD@…} and {@code revenue_schedule:EUR@…} both name
     * {@code revenue_schedule}, which holds the rows of whichever was built last; so building one
     * makes the other stale, and a table built under several keys is current under none of them.
     */
    static String table(String name) {
        int end = name.length();
        for (char separator : new char[] {':', '@'}) {
            int at = name.indexOf(separator);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        return name.substring(0, end);
    }

    /**
     * The key of a table built in one of several variants into the same physical table (a reporting
     * currency): building it under one variant makes the others stale, as the table holds one at a time.
     */
    public static String key(String table, String variant, String definition) {
        return key(table + ":" + variant, definition);
    }

    /**
     * The name a derived table is tracked under: {@code name} and a fingerprint of the SQL that builds
     * it, so a table built by an older definition (an upgraded server on an existing database file)
     * counts as stale and is rebuilt, instead of being read as current.
     */
    public static String key(String name, String definition) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(definition.getBytes(StandardCharsets.UTF_8));
            return name + "@" + HexFormat.of().formatHex(digest, 0, 6);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Registers how to bring one derived table up to date, so {@link #refreshAll()} can rebuild it ahead of the first query. */
    public void register(String name, Runnable refresh) {
        refreshers.put(requireNonNull(name, "name is null"), requireNonNull(refresh, "refresh is null"));
    }

    /** Brings every registered derived table up to date; a query arriving meanwhile waits for the build it needs. */
    public void refreshAll() {
        refreshers.values().forEach(Runnable::run);
    }

    /**
     * Rebuilds every registered table on {@code executor} after each committed change and once now,
     * so the first dashboard query after an import finds its tables built. The rebuild after a change
     * starts {@link #REBUILD_DELAY} after it, so the alert rules that change is evaluated for run
     * first on the two cores instead of queueing behind a rebuild; a query that needs a table before
     * then builds it itself.
     */
    public void refreshInBackground(Executor executor) {
        refreshInBackground(executor, () -> {});
    }

    /** As {@link #refreshInBackground(Executor)}, running {@code afterChange} on {@code executor} after each rebuild that follows a change. */
    public void refreshInBackground(Executor executor, Runnable afterChange) {
        requireNonNull(afterChange, "afterChange is null");
        Executor delayed = CompletableFuture.delayedExecutor(REBUILD_DELAY.toMillis(), TimeUnit.MILLISECONDS,
                executor);
        store.onDataChanged(change -> delayed.execute(() -> {
            refreshQuietly();
            if (!store.isClosed() && !Thread.currentThread().isInterrupted()) {
                afterChange.run();
            }
        }));
        executor.execute(this::refreshQuietly);
    }

    /** Refreshes each registered table in turn; one that fails is logged by name and does not keep the others stale. */
    private void refreshQuietly() {
        for (Map.Entry<String, Runnable> refresher : refreshers.entrySet()) {
            // A closing server interrupts its build thread: stop between tables, as DuckDB does not stop a statement for it.
            if (store.isClosed() || Thread.currentThread().isInterrupted()) {
                return;
            }
            try {
                refresher.getValue().run();
            }
            catch (RuntimeException e) {
                // The query that needs the table rebuilds it and reports the failure to its caller.
                LOG.warn("background refresh of derived table {} failed: {}", refresher.getKey(), e.getMessage());
            }
        }
    }

    /**
     * The version {@code name} was built on, when the table it names holds that build: empty when it
     * was never built, or when another key of the same table was built since (or besides, as stores
     * written before the table was tracked once per physical table may record several).
     */
    public Optional<Long> builtVersion(String name) {
        List<Built> builds = store.jdbi().withHandle(handle -> handle.createQuery("SELECT derived_name, data_version FROM finhub_derived WHERE " + SAME_TABLE)
                .bind("table", table(name))
                .map((row, context) -> new Built(row.getString("derived_name"), row.getLong("data_version")))
                .list());
        if (builds.size() != 1 || !builds.get(0).name().equals(name)) {
            return Optional.empty();
        }
        return Optional.of(builds.get(0).version());
    }

    private record Built(String name, long version) {}
}
