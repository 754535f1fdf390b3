package io.finhub.catalog;

import static java.util.Map.entry;

import io.finhub.support.Decimals;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The core facts, conformed dimensions and base measures. Feature packages add their own
 * measures to the catalog this returns; nothing here knows about GraphQL or HTTP.
 */
public final class StandardCatalog {
    private StandardCatalog() {}

    public static Catalog create() {
        Catalog catalog = new Catalog();
        dimensions(catalog);
        facts(catalog);
        measures(catalog);
        return catalog;
    }

    private static void dimensions(Catalog catalog) {
        catalog.addDimension(Dimension.labelled("channel", "Marketing channel. For deals and revenue: the customer's acquisition channel (last touch before the first deal).",
                        "dim_channel", "channel_id", "channel_name"))
                .addDimension(Dimension.plain("channelGroup", "Channel group: PAID, OWNED, EARNED, SALES, PARTNER."))
                .addDimension(Dimension.labelled("campaign", "Marketing campaign. For deals and revenue: the customer's acquisition campaign.",
                        "dim_campaign", "campaign_id", "campaign_name"))
                .addDimension(Dimension.labelled("department", "Department / cost centre that owns the spend, budget or GL line, or the campaign of a touch or of an attributed credit.",
                        "dim_department", "department_id", "department_name"))
                .addDimension(Dimension.labelled("product", "Product.", "dim_product", "product_id", "product_name"))
                .addDimension(Dimension.labelled("program", "Customer-success programme.", "dim_cs_program", "program_id", "program_name"))
                .addDimension(Dimension.labelled("account", "General-ledger account.", "dim_gl_account", "account_id", "account_name"))
                .addDimension(Dimension.plain("accountType", "GL account type: REVENUE, EXPENSE or COGS."))
                .addDimension(Dimension.plain("costType", "Cost type: MEDIA, CREATIVE, PERSONNEL, TECHNOLOGY (OTHER for other GL expense)."))
                .addDimension(Dimension.labelled("entity", "Legal entity that booked the GL line.", "dim_entity", "entity_id", "entity_name"))
                .addDimension(Dimension.labelled("customer", "Customer.", "dim_customer", "customer_id", "customer_name"))
                .addDimension(Dimension.plain("segment", "Customer segment: SMB, MID_MARKET, ENTERPRISE."))
                .addDimension(Dimension.plain("industry", "Customer industry."))
                .addDimension(Dimension.plain("region", "Customer region: NA, EMEA, APAC, LATAM."))
                .addDimension(Dimension.plain("dealType", "Deal type: NEW_BUSINESS, EXPANSION, RENEWAL."))
                .addDimension(Dimension.labelled("currency", "Original (transaction) currency, ISO 4217.", "dim_currency", "currency_code", "currency_name"));
    }

    private static void facts(Catalog catalog) {
        catalog.addFact(new Fact("spend", "Marketing, programme and product-development spend by day and cost type.",
                        "fact_spend f LEFT JOIN dim_channel ch ON ch.channel_id = f.channel_id", "spend_date",
                        Optional.of("f.amount"), Optional.of("f.currency_code"), Map.ofEntries(
                                entry("channel", "f.channel_id"),
                                entry("channelGroup", "ch.channel_group"),
                                entry("campaign", "f.campaign_id"),
                                entry("department", "f.department_id"),
                                entry("product", "f.product_id"),
                                entry("program", "f.program_id"),
                                entry("costType", "f.cost_type"),
                                entry("currency", "f.currency_code"))))
                .addFact(new Fact("deals", "Closed deals: new business, expansion and renewal bookings.",
                        "fact_conversion f LEFT JOIN dim_customer cu ON cu.customer_id = f.customer_id "
                                + "LEFT JOIN dim_channel ch ON ch.channel_id = cu.acquisition_channel_id",
                        "converted_at", Optional.of("f.amount"), Optional.of("f.currency_code"), Map.ofEntries(
                                entry("channel", "cu.acquisition_channel_id"),
                                entry("channelGroup", "ch.channel_group"),
                                entry("campaign", "cu.acquisition_campaign_id"),
                                entry("product", "f.product_id"),
                                entry("customer", "f.customer_id"),
                                entry("segment", "cu.segment"),
                                entry("industry", "cu.industry"),
                                entry("region", "cu.region"),
                                entry("dealType", "f.deal_type"),
                                entry("currency", "f.currency_code"))))
                .addFact(new Fact("touchpoints", "Marketing touches of journeys, converting or not.",
                        "fact_touchpoint f LEFT JOIN dim_channel ch ON ch.channel_id = f.channel_id "
                                + "LEFT JOIN dim_campaign cp ON cp.campaign_id = f.campaign_id", "touched_at",
                        Optional.empty(), Optional.empty(), Map.of(
                                "channel", "f.channel_id",
                                "channelGroup", "ch.channel_group",
                                "campaign", "f.campaign_id",
                                // A touch is its campaign's department's (none without a campaign), so the planner restricts it.
                                "department", "cp.department_id")))
                .addFact(new Fact("budget", "Budget lines by month, department and GL account, per budget version.",
                        "fact_budget f JOIN dim_gl_account a ON a.account_id = f.account_id", "budget_month",
                        Optional.of("f.amount"), Optional.of("f.currency_code"), ledgerDimensions()).inWholeMonths())
                .addFact(new Fact("actuals", "General-ledger actuals by posting date, entity, department and account.",
                        "fact_gl_actual f JOIN dim_gl_account a ON a.account_id = f.account_id", "posting_date",
                        Optional.of("f.amount"), Optional.of("f.currency_code"), withEntity(ledgerDimensions())));
    }

    private static Map<String, String> ledgerDimensions() {
        return Map.of(
                "department", "f.department_id",
                "account", "f.account_id",
                "accountType", "a.account_type",
                "costType", "a.cost_type",
                "campaign", "f.campaign_id",
                "product", "f.product_id",
                "currency", "f.currency_code");
    }

    private static Map<String, String> withEntity(Map<String, String> dimensions) {
        var copy = new java.util.HashMap<>(dimensions);
        copy.put("entity", "f.entity_id");
        return copy;
    }

    private static void measures(Catalog catalog) {
        catalog.addMeasure(Measure.base("spend", "Total cost: media + creative + personnel + technology spend, in the reporting currency.",
                        Unit.CURRENCY, "spend", "sum($money)"))
                .addMeasure(Measure.base("mediaSpend", "Media (paid placement) spend, in the reporting currency.",
                        Unit.CURRENCY, "spend", "sum($money)", "f.cost_type = 'MEDIA'"))
                .addMeasure(Measure.base("revenue", "Booked deal value (new business, expansion and renewal), in the reporting currency.",
                        Unit.CURRENCY, "deals", "sum($money)"))
                .addMeasure(Measure.base("newBusinessRevenue", "Booked value of new-business deals, in the reporting currency.",
                        Unit.CURRENCY, "deals", "sum($money)", "f.deal_type = 'NEW_BUSINESS'"))
                .addMeasure(Measure.base("conversions", "Number of closed deals.", Unit.COUNT, "deals", "count(*)"))
                .addMeasure(Measure.base("newCustomers", "Customers whose first (new-business) deal closed in the period.",
                        Unit.COUNT, "deals", "count(DISTINCT f.customer_id)", "f.deal_type = 'NEW_BUSINESS'"))
                .addMeasure(Measure.base("touchpoints", "Number of marketing touches.", Unit.COUNT, "touchpoints", "count(*)"))
                .addMeasure(Measure.base("journeys", "Number of distinct journeys touched.", Unit.COUNT, "touchpoints", "count(DISTINCT f.journey_id)"))
                .addMeasure(Measure.base("budget", "Budget, ORIGINAL version, in the reporting currency.",
                        Unit.CURRENCY, "budget", "sum($money)", "f.budget_version = 'ORIGINAL'"))
                .addMeasure(Measure.base("budgetReforecast", "Budget, REFORECAST version, in the reporting currency.",
                        Unit.CURRENCY, "budget", "sum($money)", "f.budget_version = 'REFORECAST'"))
                .addMeasure(Measure.base("actual", "GL actuals (revenue earned or cost incurred), in the reporting currency.",
                        Unit.CURRENCY, "actuals", "sum($money)"))
                .addMeasure(Measure.derived("averageDealSize", "Booked deal value ÷ number of deals (null without deals).",
                        Unit.CURRENCY, List.of("revenue", "conversions"), StandardCatalog::averageDealSize));
    }

    private static Optional<BigDecimal> averageDealSize(List<BigDecimal> inputs) {
        return Decimals.exactRatio(inputs.get(0), inputs.get(1));
    }
}
