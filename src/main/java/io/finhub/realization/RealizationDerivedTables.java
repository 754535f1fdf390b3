package io.finhub.realization;

import static java.util.Objects.requireNonNull;

import io.finhub.store.DataChanged;
import io.finhub.store.DerivedTables;
import io.finhub.store.Store;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/**
 * Tables realization and forecasting derive from the facts, rebuilt when the facts change: kept by
 * {@link DerivedTables}, keyed by default by the facts version: the data version ignoring
 * the changes CS finance records itself (certifications, forecast adjustments), which change no
 * fact, so recording one does not rebuild a model over millions of rows.
 */
public final class RealizationDerivedTables {
    private final Store store;
    private final DerivedTables derived;

    public RealizationDerivedTables(Store store) {
        this.store = requireNonNull(store, "store is null");
        this.derived = new DerivedTables(store);
    }

    /** The latest data version that changed a fact or dimension: not one that only wrote records ({@link DataChanged#RECORDS}). */
    public static long factsVersion(Handle handle) {
        return handle.createQuery("""
                        SELECT coalesce(max(version), 0) FROM finhub_data_version
                        WHERE NOT list_has_all(:records, datasets)""")
                .bindArray("records", String.class, List.copyOf(DataChanged.RECORDS))
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
        return derived.ensureFresh(name, this::factsVersion, build);
    }

    /**
     * As {@link #ensureFresh(String, Consumer)}, but the table reflects the last change of any of
     * {@code inputs} (the datasets its build reads), so other changes leave it as it is.
     *
     * @return the version of the last change to the inputs, which the table reflects
     */
    public long ensureFresh(String name, Collection<String> inputs, Consumer<Handle> build) {
        return derived.ensureFresh(name, inputs, build);
    }
}
