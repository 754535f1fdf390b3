package io.finhub.revenue;

import static java.util.Objects.requireNonNull;

import io.finhub.catalog.CurrencyConversion;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.store.Store;
import io.finhub.support.Decimals;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/** MRR movements, recognised and deferred revenue, and retention, exact to the cent in the reporting currency. */
public final class RevenueQueries {
    private static final BigDecimal TWELVE = BigDecimal.valueOf(12);

    private final Store store;
    private final RevenueModels models;

    public RevenueQueries(Store store, RevenueModels models) {
        this.store = requireNonNull(store, "store is null");
        this.models = requireNonNull(models, "models is null");
    }

    /**
     * Month-by-month MRR bridge for the months that end within [{@code from}, {@code to}]: a month's movements
     * are measured on its last day, so a month the range stops in the middle of is not counted.
     */
    public List<MrrMovement> mrrMovements(LocalDate from, LocalDate to, Optional<CustomerBreakdown> breakdown) {
        requireRange(from, to);
        refresh(models::refreshMrrRollup);
        String sql = """
                SELECT month, grp,
                       coalesce(sum(%s), 0) AS opening,
                       coalesce(sum(%s) FILTER (WHERE movement = 'NEW'), 0) AS new_mrr,
                       coalesce(sum(%s) FILTER (WHERE movement = 'EXPANSION'), 0) AS expansion,
                       coalesce(sum(%s) FILTER (WHERE movement = 'REACTIVATION'), 0) AS reactivation,
                       coalesce(-sum(%s) FILTER (WHERE movement = 'CONTRACTION'), 0) AS contraction,
                       coalesce(-sum(%s) FILTER (WHERE movement = 'CHURN'), 0) AS churn,
                       coalesce(sum(%s), 0) AS closing,
                       coalesce(sum(customers), 0) AS customers,
                       coalesce(sum(opening_customers), 0) AS opening_customers,
                       coalesce(sum(movers) FILTER (WHERE movement = 'NEW'), 0) AS new_customers,
                       coalesce(sum(movers) FILTER (WHERE movement = 'CHURN'), 0) AS churned_customers
                FROM derived_mrr_rollup
                WHERE breakdown = :breakdown AND month >= :from_month AND month < :to_month_exclusive
                GROUP BY ALL
                ORDER BY month, grp NULLS LAST
                """.formatted(rolledUp("opening", "missing_opening_rate_on"), rolledUp("delta", "missing_rate_on"), rolledUp("delta", "missing_rate_on"),
                rolledUp("delta", "missing_rate_on"), rolledUp("delta", "missing_rate_on"), rolledUp("delta", "missing_rate_on"),
                rolledUp("closing", "missing_rate_on"));
        return run(handle -> handle.createQuery(sql)
                .bind("breakdown", breakdown.map(CustomerBreakdown::name).orElse("NONE"))
                .bind("from_month", firstMonthEndingWithin(from))
                .bind("to_month_exclusive", firstMonthEndingAfter(to))
                .bind("reporting_currency", store.config().reportingCurrency())
                .map((resultSet, context) -> movement(resultSet))
                .list());
    }

    /** A pre-converted amount of {@code derived_mrr_rollup}, or the missing-rate error when a rate it needed was not loaded. */
    private static String rolledUp(String amount, String missingRateOn) {
        return CurrencyConversion.requireConverted(amount, missingRateOn, "currency_code");
    }

    private static MrrMovement movement(ResultSet row) throws SQLException {
        BigDecimal opening = row.getBigDecimal("opening");
        BigDecimal newMrr = row.getBigDecimal("new_mrr");
        BigDecimal expansion = row.getBigDecimal("expansion");
        BigDecimal reactivation = row.getBigDecimal("reactivation");
        BigDecimal contraction = row.getBigDecimal("contraction");
        BigDecimal churn = row.getBigDecimal("churn");
        BigDecimal closing = row.getBigDecimal("closing");
        BigDecimal fxImpact = closing.subtract(opening).subtract(newMrr).subtract(expansion).subtract(reactivation).add(contraction).add(churn);
        BigDecimal lost = churn.add(contraction);
        BigDecimal netLost = lost.subtract(expansion).subtract(reactivation);
        return new MrrMovement(row.getObject("month", LocalDate.class), row.getString("grp"), opening, newMrr, expansion, reactivation, contraction,
                churn, fxImpact, closing, closing.multiply(TWELVE), row.getLong("opening_customers"), row.getLong("customers"), row.getLong("new_customers"), row.getLong("churned_customers"),
                Decimals.percent(lost, opening).orElse(null), Decimals.percent(netLost, opening).orElse(null),
                Decimals.percent(BigDecimal.valueOf(row.getLong("churned_customers")), BigDecimal.valueOf(row.getLong("opening_customers"))).orElse(null));
    }

    /**
     * Invoiced and recognised revenue per month that ends within [{@code from}, {@code to}], with the deferred
     * balance at each month end counted from the first invoice ever (not from {@code from}).
     */
    public List<RecognizedRevenueMonth> recognizedRevenue(LocalDate from, LocalDate to) {
        requireRange(from, to);
        refresh(models::refreshSchedule);
        String sql = """
                WITH running AS (
                    SELECT month, invoiced, recognized,
                           sum(invoiced) OVER (ORDER BY month) AS invoiced_to_date,
                           sum(recognized) OVER (ORDER BY month) AS recognized_to_date
                    FROM derived_revenue_month
                )
                SELECT * FROM running WHERE month >= :from_month AND month < :to_month_exclusive ORDER BY month
                """;
        return run(handle -> handle.createQuery(sql)
                .bind("from_month", firstMonthEndingWithin(from))
                .bind("to_month_exclusive", firstMonthEndingAfter(to))
                .map((row, context) -> new RecognizedRevenueMonth(row.getObject("month", LocalDate.class), row.getBigDecimal("invoiced"),
                        row.getBigDecimal("recognized"), row.getBigDecimal("invoiced_to_date"), row.getBigDecimal("recognized_to_date"),
                        row.getBigDecimal("invoiced_to_date").subtract(row.getBigDecimal("recognized_to_date"))))
                .list());
    }

    /** Net and gross revenue retention of the customers paying at the end of {@code startMonth}, at the end of {@code endMonth}. */
    public List<Retention> retention(LocalDate startMonth, LocalDate endMonth, Optional<CustomerBreakdown> breakdown) {
        LocalDate start = startMonth.withDayOfMonth(1);
        LocalDate end = endMonth.withDayOfMonth(1);
        if (!end.isAfter(start)) {
            throw new FinhubException(ErrorCode.INVALID_DATE_RANGE, "retention needs an end month (%s) after the start month (%s)".formatted(end, start));
        }
        refresh(models::refreshMrr);
        requireCovered(end);
        String group = breakdown.map(CustomerBreakdown::column).orElse("NULL::VARCHAR");
        LocalDate rateDate = start.plusMonths(1).minusDays(1);
        // Customers are matched on the customer alone, so one that changed billing currency in between
        // is retained, and GRR caps each customer's total, not each of its currencies.
        String sql = """
                WITH starting AS (%s),
                ending AS (%s)
                SELECT %s AS grp, count(*) AS customers, count(e.customer_id) AS retained,
                       sum(s.mrr) AS start_mrr, sum(coalesce(e.mrr, 0)) AS end_mrr, sum(least(s.mrr, coalesce(e.mrr, 0))) AS capped_mrr
                FROM starting s
                LEFT JOIN ending e ON e.customer_id = s.customer_id
                LEFT JOIN dim_customer cu ON cu.customer_id = s.customer_id
                GROUP BY ALL
                ORDER BY grp NULLS LAST
                """.formatted(customerMrr(":start", "TRUE"), customerMrr(":end", "m.customer_id IN (SELECT customer_id FROM starting)"), group);
        return run(handle -> handle.createQuery(sql)
                .bind("start", start)
                .bind("end", end)
                .bind("rate_date", rateDate)
                .bind("reporting_currency", store.config().reportingCurrency())
                .map((row, context) -> new Retention(start, end, row.getString("grp"), row.getLong("customers"), row.getLong("retained"),
                        row.getBigDecimal("start_mrr"), row.getBigDecimal("end_mrr"), row.getBigDecimal("capped_mrr"),
                        Decimals.percent(row.getBigDecimal("end_mrr"), row.getBigDecimal("start_mrr")).orElse(null),
                        Decimals.percent(row.getBigDecimal("capped_mrr"), row.getBigDecimal("start_mrr")).orElse(null)))
                .list());
    }

    /** A month past the data has no MRR rows at all, which read as every customer lost (0 % NRR) rather than as unknown. */
    private void requireCovered(LocalDate month) {
        Optional<LocalDate> lastMonth = run(handle -> handle.createQuery("SELECT max(month) FROM derived_mrr").mapTo(LocalDate.class).findOne());
        lastMonth.filter(month::isAfter).ifPresent(last -> {
            throw new FinhubException(ErrorCode.INVALID_DATE_RANGE,
                    "retention's end month %s is after %s, the last month the data covers".formatted(month, last));
        });
    }

    /**
     * Each paying customer's MRR at the end of the month bound as {@code month}, over all its currencies,
     * converted at the rate of {@code :rate_date}, for the customers that meet {@code condition}.
     */
    private static String customerMrr(String month, String condition) {
        return """
                SELECT m.customer_id, sum(%s) AS mrr
                FROM derived_mrr m
                %s
                WHERE m.month = %s AND m.mrr > 0 AND %s
                GROUP BY ALL""".formatted(CurrencyConversion.convertedAmount("m.mrr", "m.currency_code", ":rate_date", "fx"),
                CurrencyConversion.join("m.currency_code", ":rate_date", "fx"), month, condition);
    }

    private static void refresh(Runnable refresh) {
        try {
            refresh.run();
        }
        catch (RuntimeException e) {
            throw CurrencyConversion.translate(e);
        }
    }

    private <T> T run(Function<Handle, T> query) {
        try {
            return store.jdbi().withHandle(query::apply);
        }
        catch (RuntimeException e) {
            throw CurrencyConversion.translate(e);
        }
    }

    /** The first month (dated the 1st) whose last day is on or after {@code from}: the month {@code from} falls in. */
    private static LocalDate firstMonthEndingWithin(LocalDate from) {
        return from.withDayOfMonth(1);
    }

    /** The first month (dated the 1st) whose last day is after {@code to}: the month of the day after {@code to}. */
    private static LocalDate firstMonthEndingAfter(LocalDate to) {
        return to.plusDays(1).withDayOfMonth(1);
    }

    private static void requireRange(LocalDate from, LocalDate to) {
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        if (from.isAfter(to)) {
            throw new FinhubException(ErrorCode.INVALID_DATE_RANGE, "the period starts (%s) after it ends (%s)".formatted(from, to));
        }
    }
}
