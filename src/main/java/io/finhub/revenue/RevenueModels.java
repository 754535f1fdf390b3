package io.finhub.revenue;

import static java.util.Objects.requireNonNull;

import io.finhub.store.DerivedTables;
import io.finhub.store.Store;
import io.finhub.support.ClasspathResources;
import io.finhub.support.SqlScripts;
import java.util.List;

/**
 * The revenue tables derived from subscriptions and invoices: the ratable recognition schedule and
 * month-end MRR with its movements. Each is rebuilt, in one transaction, the first time it is read
 * after the data changed.
 */
public final class RevenueModels {
    private static final String SCHEDULE_SQL = ClasspathResources.read("io/finhub/revenue/revenue_schedule.sql");
    private static final String MRR_SQL = ClasspathResources.read("io/finhub/revenue/mrr_snapshots.sql");
    private static final String MRR_ROLLUP_SQL = ClasspathResources.read("io/finhub/revenue/mrr_rollup.sql");

    /** What each table's build reads: a change to anything else leaves it as it is. */
    private static final List<String> SCHEDULE_INPUTS = List.of("fact_invoice", "fact_fx_rate");
    /** The movement of a customer that changes billing currency is classified at the month end's rate. */
    private static final List<String> MRR_INPUTS = List.of("fact_subscription", "fact_invoice", "fact_fx_rate");
    private static final List<String> MRR_ROLLUP_INPUTS = List.of("fact_subscription", "fact_invoice", "dim_customer", "fact_fx_rate");

    private final Store store;
    private final DerivedTables derived;

    public RevenueModels(Store store, DerivedTables derived) {
        this.store = requireNonNull(store, "store is null");
        this.derived = requireNonNull(derived, "derived is null");
        derived.register("revenue_schedule", this::refreshSchedule);
        derived.register("mrr", this::refreshMrr);
        derived.register("mrr_rollup", this::refreshMrrRollup);
    }

    /** Brings {@code derived_revenue_schedule} up to date (its reporting amounts are in the configured currency). */
    public void refreshSchedule() {
        String currency = store.config().reportingCurrency();
        derived.ensureFresh(DerivedTables.key("revenue_schedule", currency, SCHEDULE_SQL), SCHEDULE_INPUTS, handle -> {
            handle.execute("SET VARIABLE reporting_currency = '" + currency + "'");
            SqlScripts.execute(handle, SCHEDULE_SQL);
        });
    }

    /** Brings {@code derived_mrr} up to date (its movements are classified in the configured currency). */
    public void refreshMrr() {
        String currency = store.config().reportingCurrency();
        derived.ensureFresh(DerivedTables.key("mrr", currency, MRR_SQL), MRR_INPUTS, handle -> {
            handle.execute("SET VARIABLE reporting_currency = '" + currency + "'");
            SqlScripts.execute(handle, MRR_SQL);
        });
    }

    /** Brings {@code derived_mrr_rollup}, the bridge pre-added in the configured currency, up to date (and {@code derived_mrr} first). */
    public void refreshMrrRollup() {
        refreshMrr();
        String currency = store.config().reportingCurrency();
        derived.ensureFresh(DerivedTables.key("mrr_rollup", currency, MRR_ROLLUP_SQL), MRR_ROLLUP_INPUTS, handle -> {
            handle.execute("SET VARIABLE reporting_currency = '" + currency + "'");
            SqlScripts.execute(handle, MRR_ROLLUP_SQL);
        });
    }
}
