package io.finhub.catalog;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * A fact table as the planner sees it: where its rows come from, which column dates them, which
 * columns carry which dimensions, and, for money facts, the amount and its currency.
 *
 * @param from SQL {@code FROM} clause with alias {@code f} and any dimension joins (trusted text)
 * @param dateColumn DATE or TIMESTAMP column used for time grains and period filters
 * @param amountColumn money amount in the original currency, if this is a money fact
 * @param currencyColumn ISO 4217 currency of {@code amountColumn}
 * @param dimensionColumns dimension name to SQL expression over {@code from}
 * @param rateDateColumn the date whose FX rate converts the amount, when it is not {@code dateColumn}
 *        (recognised revenue converts at its invoice's date, MRR at the month end)
 * @param refresh brings a derived fact's table up to the current data version before it is read
 * @param wholeMonths rows are dated the first of a month and stand for the whole month (a budget, a
 *        month's recognised revenue, its month-end MRR): a date range counts a month when the month
 *        ends within it, as it counts general-ledger actuals, which post at month end
 */
public record Fact(String name, String description, String from, String dateColumn, Optional<String> amountColumn,
        Optional<String> currencyColumn, Map<String, String> dimensionColumns, Optional<String> rateDateColumn, Optional<Runnable> refresh,
        boolean wholeMonths) {
    public Fact(String name, String description, String from, String dateColumn, Optional<String> amountColumn, Optional<String> currencyColumn,
            Map<String, String> dimensionColumns) {
        this(name, description, from, dateColumn, amountColumn, currencyColumn, dimensionColumns, Optional.empty(), Optional.empty());
    }

    public Fact(String name, String description, String from, String dateColumn, Optional<String> amountColumn, Optional<String> currencyColumn,
            Map<String, String> dimensionColumns, Optional<String> rateDateColumn, Optional<Runnable> refresh) {
        this(name, description, from, dateColumn, amountColumn, currencyColumn, dimensionColumns, rateDateColumn, refresh, false);
    }

    /** This fact with rows that stand for whole months (see {@code wholeMonths}). */
    public Fact inWholeMonths() {
        return new Fact(name, description, from, dateColumn, amountColumn, currencyColumn, dimensionColumns, rateDateColumn, refresh, true);
    }

    public Fact {
        requireNonNull(rateDateColumn, "rateDateColumn is null");
        requireNonNull(refresh, "refresh is null");
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(from, "from is null");
        requireNonNull(dateColumn, "dateColumn is null");
        requireNonNull(amountColumn, "amountColumn is null");
        requireNonNull(currencyColumn, "currencyColumn is null");
        dimensionColumns = Map.copyOf(requireNonNull(dimensionColumns, "dimensionColumns is null"));
        if (amountColumn.isPresent() != currencyColumn.isPresent()) {
            throw new IllegalArgumentException("fact " + name + ": an amount needs its currency column");
        }
    }

    /**
     * SQL for the day a row counts on in a time grain: its date, or for a fact in whole months its
     * month's last day, where the month closes (a budget by week sits in the week of its month's end,
     * as that month's GL actuals do).
     */
    public String periodDate() {
        return wholeMonths ? "last_day(f." + dateColumn + ")" : "f." + dateColumn;
    }

    /** Column whose date picks the FX rate. */
    public String rateDate() {
        return rateDateColumn.orElse(dateColumn);
    }

    public boolean hasDimension(String dimension) {
        return dimensionColumns.containsKey(dimension);
    }
}
