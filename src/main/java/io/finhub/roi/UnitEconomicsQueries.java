package io.finhub.roi;

import static java.util.Objects.requireNonNull;

import io.finhub.catalog.MetricsRequest;
import io.finhub.catalog.MetricsResult;
import io.finhub.catalog.MetricsService;
import io.finhub.revenue.CustomerBreakdown;
import io.finhub.revenue.MrrMovement;
import io.finhub.revenue.RevenueQueries;
import io.finhub.support.Decimals;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * LTV inputs over a trailing window of whole months (default 12) ending with the last month that
 * ended on or before {@code asOf} (the month of asOf only when asOf is its last day), so no month-end
 * MRR snapshot, churn or GL posting after asOf counts: ARPA and churn from the MRR bridge, gross
 * margin from GL actuals (revenue and COGS accounts) posted within the window. With a breakdown, ARPA and churn are per group; gross margin stays company-wide,
 * because the ledger has no customer dimension.
 */
public final class UnitEconomicsQueries {
    private final RevenueQueries revenue;
    private final MetricsService metrics;

    public UnitEconomicsQueries(RevenueQueries revenue, MetricsService metrics) {
        this.revenue = requireNonNull(revenue, "revenue is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    /** Unit economics per breakdown group (key null for the whole company). */
    public Map<String, UnitEconomics> compute(LocalDate asOf, int months, Optional<CustomerBreakdown> breakdown) {
        LocalDate windowEnd = lastMonthEndBy(asOf);
        LocalDate windowStart = windowEnd.withDayOfMonth(1).minusMonths(months - 1L);
        BigDecimal[] ledger = revenueAndCogs(windowStart, windowEnd);
        Map<String, Totals> totals = new HashMap<>();
        for (MrrMovement month : revenue.mrrMovements(windowStart, windowEnd, breakdown)) {
            totals.computeIfAbsent(month.group(), group -> new Totals()).add(month);
        }
        Map<String, UnitEconomics> result = new HashMap<>();
        totals.forEach((group, sums) -> result.put(group, new UnitEconomics(windowStart, windowEnd, sums.mrr, sums.customers, sums.churned,
                sums.opening, ledger[0], ledger[1])));
        return result;
    }

    /** The last month end on or before {@code asOf}: asOf itself on a month's last day, else the end of the month before. */
    static LocalDate lastMonthEndBy(LocalDate asOf) {
        LocalDate monthEnd = asOf.withDayOfMonth(asOf.lengthOfMonth());
        return asOf.equals(monthEnd) ? asOf : asOf.withDayOfMonth(1).minusDays(1);
    }

    private static final class Totals {
        private BigDecimal mrr = BigDecimal.ZERO;
        private long customers;
        private long churned;
        private long opening;

        void add(MrrMovement month) {
            mrr = mrr.add(month.closing());
            customers += month.customers();
            churned += month.churnedCustomers();
            opening += month.openingCustomers();
        }
    }

    private BigDecimal[] revenueAndCogs(LocalDate from, LocalDate to) {
        MetricsResult result = metrics.query(MetricsRequest.of(List.of("actual"), List.of("accountType")).withRange(from, to));
        BigDecimal revenueActual = BigDecimal.ZERO;
        BigDecimal cogs = BigDecimal.ZERO;
        for (MetricsResult.MetricsRow row : result.rows()) {
            BigDecimal value = Decimals.orZero(row.measures().get("actual"));
            String type = row.dimensions().get("accountType");
            if ("REVENUE".equals(type)) {
                revenueActual = revenueActual.add(value);
            }
            else if ("COGS".equals(type)) {
                cogs = cogs.add(value);
            }
        }
        return new BigDecimal[] {revenueActual, cogs};
    }
}
