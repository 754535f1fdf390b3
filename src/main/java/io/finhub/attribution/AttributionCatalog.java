package io.finhub.attribution;

import static java.util.Map.entry;

import io.finhub.catalog.Catalog;
import io.finhub.catalog.Dimension;
import io.finhub.catalog.Fact;
import io.finhub.catalog.Measure;
import io.finhub.catalog.Unit;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The attribution results in the catalog: the fact {@code attribution} (one row per credited touch
 * of a conversion per model, dated by the conversion), the dimension {@code model}, and the measures
 * {@code attributedRevenue}, {@code attributedConversions} and {@code attributedNewCustomers}, plus
 * one revenue and one new-customer measure per model (e.g. {@code attributedRevenueLinear}) for
 * combining with measures of other facts, such as spend, which have no {@code model} dimension.
 *
 * <p>The generic measures add up every model's credit, so always filter or group them by
 * {@code model}. Amounts are already in the reporting currency, split to the cent per conversion.
 */
public final class AttributionCatalog {
    public static final String FACT = "attribution";
    public static final String MODEL_DIMENSION = "model";

    private AttributionCatalog() {}

    /** Adds the attribution fact and measures; the catalog reads the stored results as they are. */
    public static void register(Catalog catalog) {
        register(catalog, Optional.empty());
    }

    /** As {@link #register(Catalog)}, bringing the results to the current data version before every read. */
    public static void register(Catalog catalog, AttributionService attribution) {
        register(catalog, Optional.of(attribution::refresh));
    }

    private static void register(Catalog catalog, Optional<Runnable> refresh) {
        catalog.addDimension(Dimension.plain(MODEL_DIMENSION,
                "Attribution model: FIRST_TOUCH, LAST_TOUCH, LINEAR, TIME_DECAY, POSITION_BASED, MARKOV or SHAPLEY."));
        catalog.addFact(new Fact(FACT, "Attributed conversions and revenue: each credited touch of a conversion, per model, dated by the conversion.",
                "(SELECT * FROM attribution_fact WHERE build_id = '" + AttributionBuilds.DEFAULT_BUILD + "') f "
                        + "LEFT JOIN dim_channel ch ON ch.channel_id = f.channel_id "
                        + "LEFT JOIN dim_customer cu ON cu.customer_id = f.customer_id "
                        + "LEFT JOIN dim_campaign cp ON cp.campaign_id = f.campaign_id",
                "converted_at", Optional.of("f.attributed_amount"), Optional.of("f.reporting_currency"), Map.ofEntries(
                        entry(MODEL_DIMENSION, "f.model"),
                        entry("channel", "f.channel_id"),
                        entry("channelGroup", "ch.channel_group"),
                        entry("campaign", "f.campaign_id"),
                        // The department that runs the credited touch's campaign (none for a touch without one).
                        entry("department", "cp.department_id"),
                        entry("product", "f.product_id"),
                        entry("customer", "f.customer_id"),
                        entry("segment", "cu.segment"),
                        entry("industry", "cu.industry"),
                        entry("region", "cu.region"),
                        entry("dealType", "f.deal_type"),
                        entry("currency", "f.original_currency")),
                Optional.empty(), refresh));
        // Every model credits the same revenue: these must be grouped by model or filtered to one (a sum over the seven was seven times it).
        catalog.addMeasure(Measure.base("attributedRevenue",
                        "Converted revenue credited to touches by an attribution model, in the reporting currency; group by model or filter it to one.",
                        Unit.CURRENCY, FACT, "sum($money)").byOneValueOf(MODEL_DIMENSION))
                .addMeasure(Measure.base("attributedConversions",
                        "Conversions credited to touches by an attribution model (fractions of a conversion); group by model or filter it to one.",
                        Unit.COUNT, FACT, "sum(f.credit)").byOneValueOf(MODEL_DIMENSION))
                .addMeasure(Measure.base("attributedNewCustomers",
                        "New-business conversions (acquired customers) credited by an attribution model; group by model or filter it to one.",
                        Unit.COUNT, FACT, "sum(f.credit)", "f.deal_type = 'NEW_BUSINESS'").byOneValueOf(MODEL_DIMENSION));
        for (AttributionModel model : AttributionModel.values()) {
            String suffix = camelCase(model);
            catalog.addMeasure(Measure.base("attributedRevenue" + suffix,
                            "Converted revenue credited by the %s model, in the reporting currency.".formatted(model), Unit.CURRENCY, FACT, "sum($money)",
                            "f.model = '%s'".formatted(model.name())))
                    .addMeasure(Measure.base("attributedNewCustomers" + suffix,
                            "New-business conversions (acquired customers) credited by the %s model.".formatted(model), Unit.COUNT, FACT, "sum(f.credit)",
                            "f.model = '%s' AND f.deal_type = 'NEW_BUSINESS'".formatted(model.name())));
        }
    }

    /** {@code TIME_DECAY} → {@code TimeDecay}: the suffix of the per-model measure names. */
    public static String camelCase(AttributionModel model) {
        StringBuilder name = new StringBuilder();
        for (String part : model.name().toLowerCase(Locale.ROOT).split("_")) {
            name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return name.toString();
    }
}
