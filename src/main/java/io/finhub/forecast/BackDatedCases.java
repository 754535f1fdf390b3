package io.finhub.forecast;

import static java.util.Objects.requireNonNull;

import io.finhub.cache.PersistedQueries;
import io.finhub.store.Store;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The renewal cases of back-dated days, staged once per day and facts version and kept for the
 * {@link #MAX_DAYS} most recently used days, so an analyst's further questions about a day (other
 * groupings, scenarios, customers, the lines) do not stage its cases again.
 *
 * <p>The tables live in the store's in-memory {@linkplain Store#scratchCatalog() scratch catalog}, not
 * in the file: writing a day's 200,000 cases to the file and committing them took 0.4 to 0.5 s of a new
 * day's 1.2 s on the m scale; in memory a table is written in a fifth of the time. A restarted server stages a day again
 * when asked a new question about it (the answers it gave are on the result cache's disk tier). Tables
 * an older release kept in the file are dropped.
 *
 * <p>A day's table is named after the reporting currency, the day, the facts version and a hash of
 * the SQL that stages it ({@code forecast_case_day_usd_20250630_v42_1a2b3c4d}), and is created in the
 * transaction that stages it: a table of that name holds exactly those cases, and another forecast
 * service on the same store adopts it. Tables of other facts versions or definitions are dropped.
 *
 * <p>A forecast reads its day's table under a {@link Lease}; a table evicted meanwhile is dropped when
 * no lease is open. One instance per store (the server has one forecast service).
 */
final class BackDatedCases {
    static final int MAX_DAYS = 8;
    private static final String PREFIX = "forecast_case_day_";
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    private static final Logger LOG = LoggerFactory.getLogger(BackDatedCases.class);

    /** Open while a forecast reads a kept table: closing it drops tables evicted meanwhile once no forecast reads any. */
    interface Lease extends AutoCloseable {
        Lease NONE = () -> {};

        @Override
        void close();
    }

    private final Store store;
    /** Where the tables are: {@code <scratch catalog>.main.}. */
    private final String schema;
    private final String prefix;
    private final String definition;
    /** Table names by day and facts version, least recently used first; guarded by itself. */
    private final LinkedHashMap<String, String> recent = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, Object> staging = new ConcurrentHashMap<>();
    private final ReentrantReadWriteLock reading = new ReentrantReadWriteLock();
    private final Set<String> doomed = ConcurrentHashMap.newKeySet();
    private volatile boolean adopted;

    /**
     * @param definition what the tables' content depends on besides the facts (the staging SQL): a
     *     table staged under another definition is not reused
     */
    BackDatedCases(Store store, String currency, String definition) {
        this.store = requireNonNull(store, "store is null");
        this.schema = schemaOf(store);
        ForecastModels.casesTable(currency); // an ISO 4217 code, checked
        this.prefix = PREFIX + currency.toLowerCase(Locale.ROOT) + "_";
        this.definition = PersistedQueries.sha256(requireNonNull(definition, "definition is null")).substring(0, 8);
    }

    /** The qualified name of the table with the cases of {@code day} at {@code factsVersion}. */
    String table(LocalDate day, long factsVersion) {
        return schema + prefix + DAY.format(day) + "_v" + factsVersion + "_" + definition;
    }

    /** Opens a lease: no kept table is dropped until it is closed (by the same thread). */
    Lease lease() {
        reading.readLock().lock();
        return () -> {
            reading.readLock().unlock();
            dropDoomed();
        };
    }

    /**
     * The table with the cases of {@code day} at {@code factsVersion}: kept, adopted from the store, or
     * staged by {@code stage} (which returns the name of the table it created, with the facts version
     * it read). At most one thread stages a given day; others wait for it. Call under a {@link #lease}.
     */
    String get(Handle handle, LocalDate day, long factsVersion, Supplier<String> stage) {
        adoptOnce(handle, factsVersion);
        String key = day + "|" + factsVersion;
        String kept = kept(key);
        if (kept != null) {
            return kept;
        }
        Object lock = staging.computeIfAbsent(key, any -> new Object());
        try {
            synchronized (lock) {
                kept = kept(key);
                if (kept != null) {
                    return kept;
                }
                String table = stage.get();
                // Keyed by the version the table was staged at, which a change of the facts meanwhile makes newer than asked.
                keep(day + "|" + version(table), table);
                sweep(handle, table);
                return table;
            }
        }
        finally {
            staging.remove(key, lock);
        }
    }

    private String kept(String key) {
        synchronized (recent) {
            return recent.get(key);
        }
    }

    /** Keeps {@code table}; the tables of older facts versions are dropped, and beyond the cap the least recently used. */
    private void keep(String key, String table) {
        synchronized (recent) {
            long version = version(table);
            recent.values().removeIf(kept -> version(kept) < version && doomed.add(kept));
            recent.put(key, table);
            while (recent.size() > MAX_DAYS) {
                Map.Entry<String, String> eldest = recent.entrySet().iterator().next();
                recent.remove(eldest.getKey());
                doomed.add(eldest.getValue());
            }
        }
    }

    /**
     * Once per service: the scratch tables of the current facts version and definition (another service
     * on this store staged them) are kept, the others dropped, and so are the tables an older release
     * kept in the file.
     */
    private void adoptOnce(Handle handle, long factsVersion) {
        if (adopted) {
            return;
        }
        synchronized (recent) {
            if (adopted) {
                return;
            }
            String suffix = "_v" + factsVersion + "_" + definition;
            for (String table : stored(handle)) {
                String name = table.substring(schema.length());
                if (name.endsWith(suffix) && name.length() == prefix.length() + 8 + suffix.length()) {
                    LocalDate day = LocalDate.parse(name.substring(prefix.length(), prefix.length() + 8), DAY);
                    keep(day + "|" + factsVersion, table);
                }
                else {
                    doomed.add(table);
                }
            }
            inFile(handle).stream().filter(table -> table.contains(prefix)).forEach(doomed::add);
            adopted = true;
        }
    }

    /** After staging {@code table}: every other table of this currency that is not kept is dropped (older facts versions, evicted days). */
    private void sweep(Handle handle, String table) {
        List<String> kept;
        synchronized (recent) {
            kept = new ArrayList<>(recent.values());
        }
        for (String stored : stored(handle)) {
            if (!stored.equals(table) && !kept.contains(stored)) {
                doomed.add(stored);
            }
        }
    }

    /** Whether the store has {@code table} (a kept day's, or one staged under a newer facts version than a request asked for). */
    boolean exists(Handle handle, String table) {
        return stored(handle).contains(table);
    }

    /** This service's tables in the scratch catalog, by qualified name. */
    private List<String> stored(Handle handle) {
        return inScratch(store, handle, prefix);
    }

    /** The kept cases of every back-dated day, of every currency, by qualified name: in the scratch catalog, and those an older release kept in the file. */
    static List<String> storedTables(Store store, Handle handle) {
        List<String> tables = new ArrayList<>(inScratch(store, handle, PREFIX));
        tables.addAll(inFile(handle));
        return tables;
    }

    /** The tables of the store's scratch catalog whose names start with {@code prefix}, by qualified name. */
    private static List<String> inScratch(Store store, Handle handle, String prefix) {
        return handle.createQuery("SELECT table_name FROM duckdb_tables() WHERE database_name = :catalog AND schema_name = 'main' AND starts_with(table_name, :prefix)")
                .bind("catalog", store.scratchCatalog())
                .bind("prefix", prefix)
                .mapTo(String.class)
                .map(name -> schemaOf(store) + name)
                .list();
    }

    private static String schemaOf(Store store) {
        return store.scratchCatalog() + ".main.";
    }

    /** The day tables an older release kept in the database file, of every currency. */
    private static List<String> inFile(Handle handle) {
        return handle.createQuery("""
                        SELECT '"' || replace(database_name, '"', '""') || '"."' || schema_name || '"."' || table_name || '"' FROM duckdb_tables()
                        WHERE database_name = current_database() AND NOT temporary AND starts_with(table_name, :prefix)""")
                .bind("prefix", PREFIX)
                .mapTo(String.class)
                .list();
    }

    /** The comment of a table this class named; empty without one. */
    static Optional<String> comment(Handle handle, String table) {
        int dot = table.indexOf('.');
        return handle.createQuery("SELECT comment FROM duckdb_tables() WHERE database_name = :catalog AND schema_name = 'main' AND table_name = :name")
                .bind("catalog", table.substring(0, dot))
                .bind("name", table.substring(table.lastIndexOf('.') + 1))
                .mapTo(String.class)
                .findOne();
    }

    /** The facts version a table of this class was staged at, from its name. */
    static long version(String table) {
        int from = table.lastIndexOf("_v") + 2;
        return Long.parseLong(table.substring(from, table.indexOf('_', from)));
    }

    /** Drops the evicted tables when no forecast reads a kept table; else the next lease to close does. */
    private void dropDoomed() {
        if (doomed.isEmpty() || !reading.writeLock().tryLock()) {
            return;
        }
        try {
            store.jdbi().useHandle(handle -> {
                for (String table : List.copyOf(doomed)) {
                    handle.execute("DROP TABLE IF EXISTS " + table);
                    doomed.remove(table);
                    LOG.debug("dropped the back-dated cases {}", table);
                }
            });
        }
        catch (RuntimeException e) {
            // A write-write conflict with a concurrent build, or a closing store: the next lease tries again.
            LOG.warn("dropping back-dated cases failed; retried later: {}", e.getMessage());
        }
        finally {
            reading.writeLock().unlock();
        }
    }
}
