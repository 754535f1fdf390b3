package io.finhub.roi;

import static java.util.Objects.requireNonNull;

import io.finhub.attribution.AttributionCatalog;
import io.finhub.attribution.AttributionModel;
import io.finhub.catalog.MetricsRequest;
import io.finhub.catalog.MetricsRequest.Filter;
import io.finhub.catalog.MetricsResult;
import io.finhub.catalog.MetricsResult.MetricsRow;
import io.finhub.catalog.MetricsService;
import io.finhub.catalog.ReportDimension;
import io.finhub.revenue.CustomerBreakdown;
import io.finhub.store.TimeGrain;
import io.finhub.support.Decimals;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The typed ROI report front-end teams ask for: spend, attributed revenue and customers under a
 * chosen attribution model, ROI, ROAS, CAC, cost per lead, LTV, LTV:CAC and CAC payback. Every
 * number comes from catalog measures, so it equals {@code metrics} and the alert rules.
 */
public final class RoiQueries {
    private static final Set<String> LEAD_DIMENSIONS = Set.of("channel", "channelGroup", "campaign", "department");
    /** Trailing months of MRR and GL history that LTV, ARPA, gross margin and churn are measured over. */
    public static final int UNIT_ECONOMICS_MONTHS = 12;

    private final MetricsService metrics;
    private final UnitEconomicsQueries unitEconomics;

    public RoiQueries(MetricsService metrics, UnitEconomicsQueries unitEconomics) {
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.unitEconomics = requireNonNull(unitEconomics, "unitEconomics is null");
    }

    public record Request(List<RoiDimension> by, Optional<LocalDate> from, Optional<LocalDate> to, AttributionModel model, List<Filter> filters,
            LocalDate asOf, int limit, int offset) {
        public Request {
            by = List.copyOf(requireNonNull(by, "by is null"));
            requireNonNull(from, "from is null");
            requireNonNull(to, "to is null");
            requireNonNull(model, "model is null");
            filters = List.copyOf(requireNonNull(filters, "filters is null"));
            requireNonNull(asOf, "asOf is null");
        }
    }

    public record Page(List<RoiRow> rows, long totalCount, long dataVersion, String currency, AttributionModel model, UnitEconomics unitEconomics) {}

    public Page roi(Request request) {
        ReportDimension.Breakdown breakdown = ReportDimension.split(request.by(), "ROI report");
        List<String> dimensions = breakdown.dimensions();
        Optional<TimeGrain> grain = breakdown.grain();
        String suffix = AttributionCatalog.camelCase(request.model());
        boolean withLeads = LEAD_DIMENSIONS.containsAll(dimensions);
        List<String> measures = new ArrayList<>(List.of("spend", "mediaSpend", "attributedRevenue" + suffix, "attributedNewCustomers" + suffix,
                "roiPct" + suffix, "roas" + suffix, "cac" + suffix));
        if (withLeads) {
            measures.addAll(List.of("newLeads", "costPerLead"));
        }
        MetricsResult result = metrics.query(new MetricsRequest(measures, dimensions, request.filters(), grain, request.from(), request.to(),
                List.of(), request.limit(), request.offset()));

        boolean byChannelOnly = dimensions.equals(List.of("channel"));
        Map<String, UnitEconomics> economics = unitEconomics.compute(request.asOf(), UNIT_ECONOMICS_MONTHS,
                byChannelOnly ? Optional.of(CustomerBreakdown.CHANNEL) : Optional.empty());
        UnitEconomics company = byChannelOnly
                ? unitEconomics.compute(request.asOf(), UNIT_ECONOMICS_MONTHS, Optional.empty()).get(null)
                : economics.get(null);
        List<RoiRow> rows = new ArrayList<>();
        for (MetricsRow row : result.rows()) {
            UnitEconomics rowEconomics = byChannelOnly ? economics.getOrDefault(row.dimensions().get("channel"), company) : company;
            rows.add(toRow(row, suffix, withLeads, rowEconomics));
        }
        return new Page(rows, result.totalCount(), result.dataVersion(), result.currency(), request.model(), company);
    }

    private static RoiRow toRow(MetricsRow row, String suffix, boolean withLeads, UnitEconomics economics) {
        Map<String, BigDecimal> values = row.measures();
        Map<String, String> reasons = new HashMap<>();
        BigDecimal spend = values.get("spend");
        BigDecimal cac = values.get("cac" + suffix);
        explainNull(reasons, "roiPct", values.get("roiPct" + suffix), "no spend in this group");
        explainNull(reasons, "roas", values.get("roas" + suffix), "no media spend in this group");
        explainNull(reasons, "cac", cac, spend == null ? "no spend in this group" : "no customer acquired (attributed) in this group");
        BigDecimal ltv = economics == null ? null : economics.ltv().orElse(null);
        explainNull(reasons, "ltv", ltv, "no customer churned in the unit-economics window, or no MRR/revenue history");
        BigDecimal ltvToCac = ltv == null ? null : Decimals.ratio(ltv, cac, Decimals.RATIO_SCALE).orElse(null);
        explainNull(reasons, "ltvToCac", ltvToCac, "LTV or CAC is undefined");
        BigDecimal payback = economics == null || cac == null ? null : economics.paybackMonths(cac).orElse(null);
        explainNull(reasons, "paybackMonths", payback, "CAC is undefined or there is no gross profit per account");
        BigDecimal costPerLead = withLeads ? values.get("costPerLead") : null;
        explainNull(reasons, "costPerLead", costPerLead, withLeads ? "no new lead in this group" : "leads have no product dimension");
        Map<String, String> keys = row.presentDimensions();
        Map<String, String> labels = row.presentLabels();
        return new RoiRow(row.period(), row.periodLabel(), keys, labels, spend, values.get("mediaSpend"),
                Decimals.orZero(values.get("attributedRevenue" + suffix)), Decimals.orZero(values.get("attributedNewCustomers" + suffix)),
                withLeads ? Decimals.orZero(values.get("newLeads")) : null, values.get("roiPct" + suffix),
                values.get("roas" + suffix), cac, costPerLead, ltv, ltvToCac, payback, reasons);
    }

    private static void explainNull(Map<String, String> reasons, String field, BigDecimal value, String reason) {
        if (value == null) {
            reasons.put(field, reason);
        }
    }
}
