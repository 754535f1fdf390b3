package io.finhub.budget;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;

/**
 * One line of a budget-against-actual report, amounts in the reporting currency.
 *
 * @param keys breakdown dimension to key (department id, account id, ...)
 * @param labels breakdown dimension to the name a person reads
 * @param variance positive = favourable; null before any actual is booked
 * @param projectedActual actual extrapolated at the period's run rate to its end; equals actual for a closed period
 */
public record BudgetVarianceRow(LocalDate period, LocalDate periodEnd, String periodLabel, Map<String, String> keys, Map<String, String> labels,
        BigDecimal budget, BigDecimal actual, BigDecimal variance, BigDecimal variancePct, Boolean favorable, BigDecimal utilizationPct,
        BigDecimal projectedActual, BigDecimal projectedVariance) {
    public BudgetVarianceRow {
        keys = Map.copyOf(keys);
        labels = Map.copyOf(labels);
    }
}
