package io.finhub.realization;

import io.finhub.catalog.CurrencyConversion;
import io.finhub.support.ClasspathResources;
import java.util.Map;

/**
 * The realization SQL: the {@code .sql} files next to this class, with their placeholders filled
 * from trusted fragments (table names, exact ratios, currency conversion), never from user input.
 */
final class RealizationSql {
    static final String CHECKPOINTS_ALL = ClasspathResources.read("io/finhub/realization/checkpoints_all.sql");
    static final String KPI_CHECKPOINTS = ClasspathResources.read("io/finhub/realization/kpi_checkpoints.sql");
    static final String CONTRACT_CHECKPOINTS = ClasspathResources.read("io/finhub/realization/contract_checkpoints.sql");

    private RealizationSql() {}

    /**
     * SQL for the rate numerator ÷ denominator, 6 decimals; NULL when either is NULL or the
     * denominator is not positive. A rate is not money: it is divided in double precision (exact
     * decimal division is far too slow in DuckDB for millions of rows) and rounded, so it may differ
     * from the exact quotient by one unit in the sixth decimal on a tie. Thresholds (at risk, on
     * track) are decided on the exact values, never on the rounded rate.
     */
    static String rate(String numerator, String denominator) {
        return "CASE WHEN (%1$s) IS NULL OR (%2$s) IS NULL OR (%2$s) <= 0 THEN NULL ELSE CAST(round(CAST(%1$s AS DOUBLE) / CAST(%2$s AS DOUBLE), 6) AS DECIMAL(18, 6)) END"
                .formatted(numerator, denominator);
    }

    /**
     * SQL for the money {@code amount} × {@code numerator} ÷ {@code denominator} (two non-negative
     * whole numbers, such as days or seats), exact to the cent: integer arithmetic on cents, rounded
     * half up. NULL when the denominator is not positive.
     */
    static String share(String amount, String numerator, String denominator) {
        return ("CASE WHEN (%1$s) IS NULL OR (%3$s) IS NULL OR (%3$s) <= 0 THEN NULL "
                + "ELSE CAST((CAST(round((%1$s) * 100) AS BIGINT) * CAST(%2$s AS BIGINT) * 2 + CAST(%3$s AS BIGINT)) // (2 * CAST(%3$s AS BIGINT)) AS DECIMAL(18, 0)) "
                + "* CAST(0.01 AS DECIMAL(3, 2)) END")
                .formatted(amount, numerator, denominator);
    }

    /** Every contract's checkpoints, as a relation for {@link #kpiCheckpoints} and {@link #contractCheckpoints}. */
    static String allCheckpoints() {
        return "(" + CHECKPOINTS_ALL + ")";
    }

    /**
     * The KPI statement reading the {@code checkpoints} relation (contract_id, quarter_start, as_of) and
     * writing {@code kpiTable} ({@code temp} for a one-off computation).
     */
    static String kpiCheckpoints(String checkpoints, String kpiTable, boolean temp) {
        return fill(KPI_CHECKPOINTS, Map.of(
                "{checkpoints}", checkpoints,
                "{temp}", temp ? "TEMP" : "",
                "{kpi_table}", kpiTable,
                "{due_value}", "CAST(round(CAST(target_value * elapsed_days AS DOUBLE) / period_days, 4) AS DECIMAL(18, 4))",
                "{realization_rate}", rate("rate_numerator", "rate_denominator")));
    }

    /** The contract statement reading {@code checkpoints} and {@code kpiTable}, writing {@code contractTable}. */
    static String contractCheckpoints(String checkpoints, String kpiTable, String contractTable, boolean temp) {
        return fill(CONTRACT_CHECKPOINTS, Map.ofEntries(
                Map.entry("{checkpoints}", checkpoints),
                Map.entry("{temp}", temp ? "TEMP" : ""),
                Map.entry("{kpi_table}", kpiTable),
                Map.entry("{contract_table}", contractTable),
                Map.entry("{delivered_value_money}", CurrencyConversion.convertedAmount("round(k.delivered_value * k.value_per_unit, 2)",
                        "k.value_currency", "k.measured_on", "fxv")),
                Map.entry("{value_fx_join}", CurrencyConversion.join("k.value_currency", "k.measured_on", "fxv")),
                Map.entry("{committed_money}", CurrencyConversion.convertedAmount("c.committed_value", "c.currency_code", "c.start_date", "fxc")),
                Map.entry("{committed_fx_join}", CurrencyConversion.join("c.currency_code", "c.start_date", "fxc")),
                Map.entry("{contract_rate}", rate("p.capped_rate_sum", "p.measured_commitments")),
                Map.entry("{unused_value}", share("c.committed_value_reporting", "greatest(0, u.seats_licensed - u.seats_used)", "u.seats_licensed")),
                Map.entry("{paid_to_date}", share("c.committed_value_reporting", "least(c.term_days, datediff('day', c.start_date, v.valued_on) + 1)",
                        "c.term_days")),
                Map.entry("{projected_value}", share("v.value_to_date", "c.term_days",
                        "least(c.term_days, datediff('day', c.start_date, v.valued_on) + 1)"))));
    }

    private static String fill(String template, Map<String, String> parts) {
        String sql = template;
        for (Map.Entry<String, String> part : parts.entrySet()) {
            sql = sql.replace(part.getKey(), part.getValue());
        }
        return sql;
    }
}
