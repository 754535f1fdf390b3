package io.finhub.realization;

import static java.util.Objects.requireNonNull;

import io.finhub.store.DerivedTables;
import io.finhub.store.Store;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Handle;

/**
 * Tables realization and forecasting derive from the facts, rebuilt when the facts change. Like
 * {@link DerivedTables}, but keyed by the facts version: the data version ignoring
 * the changes CS finance records itself (certifications, forecast adjustments), which change no
 * fact, so recording one does not rebuild a model over millions of rows.
 */
public final class RealizationDerivedTables {
    /** Datasets CS finance writes itself. */
    public static final List<String> OWN_DATASETS = List.of("realization_certification", "forecast_adjustment");

    private final Store store;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final Map<String, Confirmed> currentAt = new ConcurrentHashMap<>();

    public RealizationDerivedTables(Store store) {
        this.store = requireNonNull(store, "store is null");
    }

    /** The latest data version that changed a fact or dimension. */
    public static long factsVersion(Handle handle) {
        return handle.createQuery("""
                        SELECT coalesce(max(version), 0) FROM finhub_data_version
                        WHERE NOT list_has_all(['realization_certification', 'forecast_adjustment'], datasets)""")
                .mapTo(Long.class)
                .one();
    }

    public long factsVersion() {
        return store.jdbi().withHandle(RealizationDerivedTables::factsVersion);
    }

    /**
     * Makes sure {@code name} reflects the current facts version, running {@code build} in one
     * transaction when it does not; readers keep the previous table until the new one commits.
     *
     * @return the facts version the table reflects
     */
    public long ensureFresh(String name, Consumer<Handle> build) {
        return ensureFresh(name, this::factsVersion, build);
    }

    /**
     * As {@link #ensureFresh(String, Consumer)}, but the table reflects the last change of any of
     * {@code inputs} (the datasets its build reads), so other changes leave it as it is.
     *
     * @return the version of the last change to the inputs, which the table reflects
     */
    public long ensureFresh(String name, Collection<String> inputs, Consumer<Handle> build) {
        List<String> datasets = List.copyOf(inputs);
        return ensureFresh(name, () -> store.jdbi().withHandle(handle -> DerivedTables.inputsVersion(handle, datasets)), build);
    }

    private long ensureFresh(String name, LongSupplier currentVersion, Consumer<Handle> build) {
        // Known current at this data version: no query (only this process writes, and every write moves the data version).
        long dataVersion = store.dataVersion();
        Confirmed confirmed = currentAt.get(name);
        if (confirmed != null && confirmed.dataVersion() == dataVersion) {
            return confirmed.version();
        }
        long current = currentVersion.getAsLong();
        if (builtVersion(name).filter(version -> version == current).isPresent()) {
            currentAt.put(name, new Confirmed(dataVersion, current));
            return current;
        }
        synchronized (locks.computeIfAbsent(name, key -> new Object())) {
            long version = currentVersion.getAsLong();
            if (builtVersion(name).filter(built -> built == version).isPresent()) {
                currentAt.put(name, new Confirmed(dataVersion, version));
                return version;
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
            currentAt.put(name, new Confirmed(dataVersion, version));
            return version;
        }
    }

    /** A table found or made current at a data version, and the facts version it reflects. */
    private record Confirmed(long dataVersion, long version) {}

    Optional<Long> builtVersion(String name) {
        return store.jdbi().withHandle(handle -> handle.createQuery("SELECT data_version FROM finhub_derived WHERE derived_name = :name")
                .bind("name", name)
                .mapTo(Long.class)
                .findOne());
    }
}
