package io.finhub.revenue;

import io.finhub.catalog.Catalog;
import io.finhub.catalog.Fact;
import io.finhub.catalog.Measure;
import io.finhub.catalog.Unit;
import java.util.Map;
import java.util.Optional;

/** Revenue measures: invoiced, recognised, and the flows of MRR (new, expansion, contraction, churn, reactivation). */
public final class RevenueCatalog {
    private static final Map<String, String> CUSTOMER_DIMENSIONS = Map.of(
            "customer", "f.customer_id",
            "segment", "cu.segment",
            "region", "cu.region",
            "industry", "cu.industry",
            "channel", "cu.acquisition_channel_id",
            "currency", "f.currency_code");

    private RevenueCatalog() {}

    public static void register(Catalog catalog, RevenueModels models) {
        catalog.addFact(new Fact("invoices", "Invoices by invoice date.", "fact_invoice f LEFT JOIN dim_customer cu ON cu.customer_id = f.customer_id",
                        "invoice_date", Optional.of("f.amount"), Optional.of("f.currency_code"), CUSTOMER_DIMENSIONS))
                .addFact(new Fact("recognition", "Invoices recognised ratably by day over their service period, by month (derived).",
                        "derived_revenue_schedule f LEFT JOIN dim_customer cu ON cu.customer_id = f.customer_id", "recognition_month",
                        Optional.of("f.reporting_amount"), Optional.of("f.reporting_currency"), withoutCurrency(), Optional.of("invoice_date"),
                        Optional.of(models::refreshSchedule)).inWholeMonths())
                .addFact(new Fact("mrrMovements", "Month-end MRR movements per customer (derived), converted at the month-end rate.",
                        "derived_mrr f LEFT JOIN dim_customer cu ON cu.customer_id = f.customer_id", "month",
                        Optional.of("(f.mrr - f.previous_mrr)"), Optional.of("f.currency_code"), CUSTOMER_DIMENSIONS, Optional.of("month_end"),
                        Optional.of(models::refreshMrr)).inWholeMonths());
        catalog.addMeasure(Measure.base("invoiced", "Invoiced amount by invoice date, in the reporting currency.", Unit.CURRENCY, "invoices", "sum($money)"))
                .addMeasure(Measure.base("recognizedRevenue",
                        "Revenue recognised ratably by day over each invoice's service period (ASC 606 / IFRS 15 over time), converted at the invoice date's rate.",
                        Unit.CURRENCY, "recognition", "sum($money)"))
                .addMeasure(Measure.base("newMrr", "MRR of customers whose first paid subscription started (a free one before it does not count).", Unit.CURRENCY, "mrrMovements", "sum($money)",
                        "f.movement = 'NEW'"))
                .addMeasure(Measure.base("expansionMrr", "MRR added by existing customers.", Unit.CURRENCY, "mrrMovements", "sum($money)",
                        "f.movement = 'EXPANSION'"))
                .addMeasure(Measure.base("contractionMrr", "MRR lost by customers who stay (cancelling one of several subscriptions counts here).",
                        Unit.CURRENCY, "mrrMovements", "-sum($money)", "f.movement = 'CONTRACTION'"))
                .addMeasure(Measure.base("churnedMrr", "MRR of customers whose last active subscription ended.", Unit.CURRENCY, "mrrMovements",
                        "-sum($money)", "f.movement = 'CHURN'"))
                .addMeasure(Measure.base("reactivationMrr", "MRR of former customers who came back.", Unit.CURRENCY, "mrrMovements", "sum($money)",
                        "f.movement = 'REACTIVATION'"))
                .addMeasure(Measure.base("netNewMrr", "New + expansion + reactivation − contraction − churn.", Unit.CURRENCY, "mrrMovements", "sum($money)"));
    }

    private static Map<String, String> withoutCurrency() {
        return Map.of("customer", "f.customer_id", "segment", "cu.segment", "region", "cu.region", "industry", "cu.industry",
                "channel", "cu.acquisition_channel_id");
    }
}
