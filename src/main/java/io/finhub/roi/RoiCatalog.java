package io.finhub.roi;

import static io.finhub.support.Decimals.exactPercent;
import static io.finhub.support.Decimals.exactRatio;

import io.finhub.attribution.AttributionCatalog;
import io.finhub.attribution.AttributionModel;
import io.finhub.catalog.Catalog;
import io.finhub.catalog.Fact;
import io.finhub.catalog.Measure;
import io.finhub.catalog.Unit;
import io.finhub.store.DerivedTables;
import io.finhub.support.ClasspathResources;
import io.finhub.support.Decimals;
import io.finhub.support.SqlScripts;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ROI family over attributed revenue and spend. For each attribution model M there are
 * {@code roiPctM}, {@code roasM} and {@code cacM}; the unsuffixed {@code roiPct}, {@code roas} and
 * {@code cac} use {@link #DEFAULT_MODEL}, so alert rules and BI tools have one stable name. They
 * combine two facts (spend and attribution), so they group by the dimensions both carry: channel,
 * channel group, campaign, product.
 */
public final class RoiCatalog {
    public static final AttributionModel DEFAULT_MODEL = AttributionModel.LAST_TOUCH;
    private static final String LEAD_FIRST_TOUCH_SQL = ClasspathResources.read("io/finhub/roi/lead_first_touch.sql");

    private RoiCatalog() {}

    public static void register(Catalog catalog, DerivedTables derived) {
        Runnable refreshLeads = () -> derived.ensureFresh("lead_first_touch", List.of("fact_touchpoint"), handle -> SqlScripts.execute(handle, LEAD_FIRST_TOUCH_SQL));
        derived.register("lead_first_touch", refreshLeads);
        catalog.addFact(new Fact("leads", "Each lead once, dated and sourced by its first touch (derived).",
                        "derived_lead_first_touch f LEFT JOIN dim_channel ch ON ch.channel_id = f.channel_id "
                                + "LEFT JOIN dim_campaign cp ON cp.campaign_id = f.campaign_id", "first_touched_at",
                        Optional.empty(), Optional.empty(),
                        Map.of("channel", "f.channel_id", "channelGroup", "ch.channel_group", "campaign", "f.campaign_id", "department", "cp.department_id"),
                        Optional.empty(), Optional.of(refreshLeads)))
                .addMeasure(Measure.base("newLeads", "Leads whose first touch fell in the period, credited to that touch's channel and campaign.",
                        Unit.COUNT, "leads", "count(*)"))
                .addMeasure(Measure.derived("costPerLead", "Total cost ÷ new leads.", Unit.CURRENCY, List.of("spend", "newLeads"),
                        inputs -> exactRatio(inputs.get(0), inputs.get(1))));
        for (AttributionModel model : AttributionModel.values()) {
            register(catalog, model, AttributionCatalog.camelCase(model));
        }
        register(catalog, DEFAULT_MODEL, "");
    }

    private static void register(Catalog catalog, AttributionModel model, String suffix) {
        String revenue = "attributedRevenue" + AttributionCatalog.camelCase(model);
        String customers = "attributedNewCustomers" + AttributionCatalog.camelCase(model);
        String modelName = model.name();
        catalog.addMeasure(Measure.derived("roiPct" + suffix,
                        "ROI %% = (attributed revenue − total cost) ÷ total cost × 100, %s attribution.".formatted(modelName),
                        Unit.PERCENT, List.of(revenue, "spend"), RoiCatalog::roiPct))
                .addMeasure(Measure.derived("roas" + suffix, "ROAS = attributed revenue ÷ media spend, %s attribution.".formatted(modelName),
                        Unit.RATIO, List.of(revenue, "mediaSpend"), inputs -> exactRatio(Decimals.orZero(inputs.get(0)), inputs.get(1))))
                .addMeasure(Measure.derived("cac" + suffix,
                        "CAC = total cost ÷ new customers acquired (fractional credit), %s attribution.".formatted(modelName),
                        Unit.CURRENCY, List.of("spend", customers), inputs -> exactRatio(inputs.get(0), inputs.get(1))));
    }

    static Optional<BigDecimal> roiPct(List<BigDecimal> inputs) {
        BigDecimal spend = inputs.get(1);
        if (spend == null) {
            return Optional.empty();
        }
        return exactPercent(Decimals.orZero(inputs.get(0)).subtract(spend), spend);
    }
}
