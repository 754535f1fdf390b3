package io.finhub.store;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/**
 * Tables computed from the facts (a revenue schedule, MRR snapshots, model results), rebuilt lazily
 * when the data version they were built on is no longer current. A rebuild runs in one transaction,
 * so readers keep seeing the previous complete table until the new one commits.
 */
public final class DerivedTables {
    private final Store store;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public DerivedTables(Store store) {
        this.store = requireNonNull(store, "store is null");
    }

    /** Makes sure {@code name} reflects the current data version, running {@code build} if it does not. */
    public void ensureFresh(String name, Consumer<Handle> build) {
        long current = store.dataVersion();
        if (builtVersion(name).filter(version -> version == current).isPresent()) {
            return;
        }
        synchronized (locks.computeIfAbsent(name, key -> new Object())) {
            long version = store.dataVersion();
            if (builtVersion(name).filter(built -> built == version).isPresent()) {
                return;
            }
            long started = System.nanoTime();
            store.jdbi().useTransaction(handle -> {
                build.accept(handle);
                handle.createUpdate("INSERT OR REPLACE INTO finhub_derived VALUES (:name, :version, now()::TIMESTAMP, :millis)")
                        .bind("name", name)
                        .bind("version", version)
                        .bind("millis", (System.nanoTime() - started) / 1_000_000)
                        .execute();
            });
        }
    }

    public Optional<Long> builtVersion(String name) {
        return store.jdbi().withHandle(handle -> handle.createQuery("SELECT data_version FROM finhub_derived WHERE derived_name = :name")
                .bind("name", name)
                .mapTo(Long.class)
                .findOne());
    }
}
