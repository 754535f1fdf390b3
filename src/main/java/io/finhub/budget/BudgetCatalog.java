package io.finhub.budget;

import static io.finhub.support.Decimals.exactPercent;

import io.finhub.catalog.Catalog;
import io.finhub.catalog.Measure;
import io.finhub.catalog.Unit;
import io.finhub.support.Decimals;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * Budget-against-actual measures. Finance's sign convention: a positive variance is always
 * favourable, so for revenue accounts variance = actual − budget and for cost accounts (EXPENSE,
 * COGS) variance = budget − actual. Both follow from one rule: take every amount with the sign it
 * has in profit (revenue +, cost −) and subtract budget from actual. Summed over mixed accounts the
 * variance is therefore the variance of profit, which is what finance reads at department level.
 */
public final class BudgetCatalog {
    static final String PROFIT_SIGNED = "sum(CASE WHEN a.account_type = 'REVENUE' THEN $money ELSE -($money) END)";
    /**
     * An actual line whose department and month the REFORECAST budget has a line for: a reforecast is made for some
     * months (the rest of a year), and the actuals of the months it does not cover have nothing to be compared with
     * (a quarter or a year half covered compared all its actuals with half a reforecast).
     */
    static final String REFORECAST_COVERS = "EXISTS (SELECT 1 FROM fact_budget rb WHERE rb.budget_version = 'REFORECAST' "
            + "AND rb.department_id = f.department_id AND rb.budget_month = CAST(date_trunc('month', f.posting_date) AS DATE))";

    private BudgetCatalog() {}

    public static void register(Catalog catalog) {
        catalog.addMeasure(Measure.base("budgetProfitSigned", "ORIGINAL budget with the sign it has in profit: revenue positive, cost negative.",
                        Unit.CURRENCY, "budget", PROFIT_SIGNED, "f.budget_version = 'ORIGINAL'"))
                .addMeasure(Measure.base("reforecastProfitSigned", "REFORECAST budget with the sign it has in profit: revenue positive, cost negative.",
                        Unit.CURRENCY, "budget", PROFIT_SIGNED, "f.budget_version = 'REFORECAST'"))
                .addMeasure(Measure.base("actualProfitSigned", "GL actuals with the sign they have in profit: revenue positive, cost negative.",
                        Unit.CURRENCY, "actuals", PROFIT_SIGNED))
                .addMeasure(Measure.derived("budgetVariance",
                        "Variance against the ORIGINAL budget, positive = favourable (revenue: actual − budget; cost: budget − actual). Null without actuals.",
                        Unit.CURRENCY, List.of("actualProfitSigned", "budgetProfitSigned"), BudgetCatalog::variance))
                .addMeasure(Measure.derived("budgetVariancePct", "Budget variance ÷ |budget| × 100, positive = favourable. Null without budget.",
                        Unit.PERCENT, List.of("budgetVariance", "budgetProfitSigned"), BudgetCatalog::variancePercent))
                .addMeasure(Measure.base("reforecastCoveredActual",
                        "GL actuals of the department-months the REFORECAST budget covers (has a line for), in the reporting currency.",
                        Unit.CURRENCY, "actuals", "sum($money)", REFORECAST_COVERS))
                .addMeasure(Measure.base("reforecastCoveredActualProfitSigned",
                        "GL actuals with their sign in profit, of the department-months the REFORECAST budget covers (has a line for).",
                        Unit.CURRENCY, "actuals", PROFIT_SIGNED, REFORECAST_COVERS))
                .addMeasure(Measure.derived("reforecastVariance",
                        "Variance against the REFORECAST budget, positive = favourable, over the department-months the reforecast covers. "
                                + "Null without a reforecast or without actuals.",
                        Unit.CURRENCY, List.of("reforecastCoveredActualProfitSigned", "reforecastProfitSigned"), BudgetCatalog::reforecastVariance))
                .addMeasure(Measure.derived("reforecastVariancePct", "Reforecast variance ÷ |reforecast| × 100, positive = favourable.",
                        Unit.PERCENT, List.of("reforecastVariance", "reforecastProfitSigned"), BudgetCatalog::variancePercent))
                .addMeasure(Measure.derived("budgetUtilizationPct", "Actual ÷ ORIGINAL budget × 100.",
                        Unit.PERCENT, List.of("actual", "budget"), inputs -> exactPercent(inputs.get(0), inputs.get(1))));
    }

    /** actual − budget in profit signs; empty without actuals (a month not yet booked has no variance). */
    static Optional<BigDecimal> variance(List<BigDecimal> inputs) {
        BigDecimal actual = inputs.get(0);
        if (actual == null) {
            return Optional.empty();
        }
        return Optional.of(actual.subtract(Decimals.orZero(inputs.get(1))));
    }

    /**
     * actual − reforecast in profit signs; empty without actuals or without a reforecast: a reforecast is made for some
     * months (the rest of a year), and a month it does not cover has nothing to compare with, where an ORIGINAL budget
     * missing means the actual was not budgeted (a variance of the whole actual).
     */
    static Optional<BigDecimal> reforecastVariance(List<BigDecimal> inputs) {
        return inputs.get(1) == null ? Optional.empty() : variance(inputs);
    }

    static Optional<BigDecimal> variancePercent(List<BigDecimal> inputs) {
        BigDecimal budget = inputs.get(1);
        return exactPercent(inputs.get(0), budget == null ? null : budget.abs());
    }
}
