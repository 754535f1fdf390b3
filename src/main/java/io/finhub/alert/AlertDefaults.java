package io.finhub.alert;

import io.finhub.alert.AlertCondition.Comparison;
import io.finhub.catalog.MetricsRequest.Filter;
import io.finhub.catalog.MetricsRequest.Operator;
import io.finhub.store.TimeGrain;
import java.util.List;
import java.util.Optional;

/**
 * The automated financial alerts of the design documents ("Cross-Domain Financial Integration",
 * Automated Financial Alerts), on by default. They are installed once; after that they are ordinary
 * rules a user may change or disable. Rules naming {@code roiPct} or {@code cac} wait, with status
 * UNAVAILABLE, until the ROI feature registers those measures.
 *
 * <p>Rolling windows count from today. A rule over the period still running (cost rules) fires as
 * soon as the month-to-date figure is past the threshold; a rule that would be breached by a period
 * merely being unfinished (revenue against target, ROI, CAC) watches closed periods only.
 */
public final class AlertDefaults {
    public static final String BUDGET_VARIANCE = "budget-variance";
    public static final String REVENUE_TARGET = "revenue-target";
    public static final String COST_INCREASE = "cost-increase";
    public static final String CAMPAIGN_ROI = "campaign-roi";
    public static final String CAC_TARGET = "cac-target";
    public static final String PRODUCT_DEVELOPMENT_COST = "product-development-cost";

    private static final Filter COST_ACCOUNTS = new Filter("accountType", Operator.IN, List.of("EXPENSE", "COGS"));
    private static final Filter REVENUE_ACCOUNTS = new Filter("accountType", Operator.EQ, List.of("REVENUE"));

    private AlertDefaults() {}

    public static List<AlertRule> rules() {
        return List.of(
                rule(BUDGET_VARIANCE, "Budget variance over 10%",
                        "A department's cost (expense and COGS accounts) more than 10% over its ORIGINAL budget in a month: "
                                + "budgetVariancePct is positive when favourable, so an overrun is below -10.",
                        "budgetVariancePct", List.of("department"), List.of(COST_ACCOUNTS), TimeGrain.MONTH, AlertWindow.rolling(3, true),
                        AlertCondition.value(Comparison.BELOW, "-10"), AlertSeverity.WARNING),
                rule(REVENUE_TARGET, "Revenue below target by more than 5%",
                        "Revenue booked in the ledger (REVENUE accounts) more than 5% below its budget, per closed month.",
                        "actual", List.of(), List.of(REVENUE_ACCOUNTS), TimeGrain.MONTH, AlertWindow.rolling(3, false),
                        AlertCondition.againstMeasure(Comparison.BELOW, "-5", "budget"), AlertSeverity.CRITICAL),
                rule(COST_INCREASE, "Cost increase over 15%",
                        "A department's cost (expense and COGS accounts) more than 15% above the previous month's.",
                        "actual", List.of("department"), List.of(COST_ACCOUNTS), TimeGrain.MONTH, AlertWindow.rolling(3, true),
                        AlertCondition.againstPreviousPeriod(Comparison.ABOVE, "15"), AlertSeverity.WARNING),
                rule(CAMPAIGN_ROI, "Campaign ROI below 200%",
                        "A campaign's ROI (attributed revenue less cost, over cost) below 200% in a closed fiscal quarter.",
                        "roiPct", List.of("campaign"), List.of(), TimeGrain.QUARTER, AlertWindow.rolling(2, false),
                        AlertCondition.value(Comparison.BELOW, "200"), AlertSeverity.WARNING),
                rule(CAC_TARGET, "CAC above target by more than 20%",
                        "A channel's customer acquisition cost more than 20% above the CAC target in a closed fiscal quarter. "
                                + "The target is a fixed amount in the reporting currency: set targetValue to your own.",
                        "cac", List.of("channel"), List.of(), TimeGrain.QUARTER, AlertWindow.rolling(2, false),
                        AlertCondition.againstValue(Comparison.ABOVE, "20", "1500.00"), AlertSeverity.WARNING),
                rule(PRODUCT_DEVELOPMENT_COST, "Product development cost over budget by more than 25%",
                        "A product's cost (expense and COGS lines booked to it) more than 25% above its ORIGINAL budget in a month.",
                        "actual", List.of("product"), List.of(COST_ACCOUNTS), TimeGrain.MONTH, AlertWindow.rolling(3, true),
                        AlertCondition.againstMeasure(Comparison.ABOVE, "25", "budget"), AlertSeverity.CRITICAL));
    }

    private static AlertRule rule(String id, String name, String description, String measure, List<String> dimensions, List<Filter> filters,
            TimeGrain grain, AlertWindow window, AlertCondition condition, AlertSeverity severity) {
        return new AlertRule(id, name, Optional.of(description), measure, dimensions, filters, grain, window, condition, severity, true, true);
    }
}
