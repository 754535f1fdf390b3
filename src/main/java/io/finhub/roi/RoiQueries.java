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
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.store.TimeGrain;
import io.finhub.support.Allocation;
import io.finhub.support.Decimals;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The typed ROI report front-end teams ask for: spend, attributed revenue and customers under a
 * chosen attribution model, ROI, ROAS, CAC, cost per lead, LTV, LTV:CAC and CAC payback. Every
 * number comes from catalog measures, so it equals {@code metrics} and the alert rules.
 */
public final class RoiQueries {
    private static final Set<String> LEAD_DIMENSIONS = Set.of("channel", "channelGroup", "campaign", "department");
    /** Trailing months of MRR and GL history that LTV, ARPA, gross margin and churn are measured over. */
    public static final int UNIT_ECONOMICS_MONTHS = 12;
    private static final String NO_HISTORY = "no paying customer in the unit-economics window";
    private static final String NO_LTV = "no customer churned in the unit-economics window, or no MRR/revenue history";
    private static final String NO_PAYBACK = "CAC is undefined or there is no gross profit per account";

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
        if (request.by().contains(RoiDimension.SEGMENT)) {
            return bySegment(request);
        }
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
            rows.add(byChannelOnly ? channelRow(row, suffix, withLeads, economics) : toRow(row, suffix, withLeads, company, NO_HISTORY));
        }
        return new Page(rows, result.totalCount(), result.dataVersion(), result.currency(), request.model(), company);
    }

    /**
     * ROI by customer segment. Revenue and acquired customers carry the segment of the converting
     * customer; spend carries none, so each campaign's cost (and media cost) in a period is split
     * across segments in proportion to the revenue that campaign is credited with from each segment
     * in that period, to the cent (largest remainder). Cost that cannot follow revenue (no campaign,
     * or a campaign credited with no revenue in the period) stays in a row without a segment, so the
     * rows add up to the total spend. LTV, ARPA and churn are per segment.
     */
    private Page bySegment(Request request) {
        // The catalog queries below read every row; the caller's page is applied here, so it is checked here.
        MetricsRequest.checkPage(request.limit(), request.offset());
        List<RoiDimension> others = request.by().stream().filter(dimension -> dimension != RoiDimension.SEGMENT).toList();
        ReportDimension.Breakdown breakdown = ReportDimension.split(others, "ROI report");
        if (!breakdown.dimensions().isEmpty()) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "break an ROI report by SEGMENT alone or with one of MONTH, QUARTER, YEAR; "
                    + breakdown.dimensions() + " cannot be combined with it, because spend has no segment");
        }
        Optional<TimeGrain> grain = breakdown.grain();
        String suffix = AttributionCatalog.camelCase(request.model());
        String revenueMeasure = "attributedRevenue" + suffix;
        String customersMeasure = "attributedNewCustomers" + suffix;
        MetricsResult spend = metrics.query(new MetricsRequest(List.of("spend", "mediaSpend"), List.of("campaign"), request.filters(), grain,
                request.from(), request.to(), List.of(), MetricsRequest.MAX_LIMIT, 0));
        MetricsResult revenue = metrics.query(new MetricsRequest(List.of(revenueMeasure, customersMeasure), List.of("campaign", "segment"),
                request.filters(), grain, request.from(), request.to(), List.of(), MetricsRequest.MAX_LIMIT, 0));

        Map<SegmentKey, SegmentTotals> totals = new TreeMap<>();
        Map<CampaignKey, Map<String, BigDecimal>> revenueByCampaign = new HashMap<>();
        for (MetricsRow row : revenue.rows()) {
            String segment = row.dimensions().get("segment");
            BigDecimal amount = Decimals.orZero(row.measures().get(revenueMeasure));
            SegmentTotals segmentTotals = totals.computeIfAbsent(new SegmentKey(row.period(), row.periodLabel(), segment), key -> new SegmentTotals());
            segmentTotals.revenue = segmentTotals.revenue.add(amount);
            segmentTotals.customers = segmentTotals.customers.add(Decimals.orZero(row.measures().get(customersMeasure)));
            if (segment != null && amount.signum() > 0) {
                revenueByCampaign.computeIfAbsent(new CampaignKey(row.period(), row.dimensions().get("campaign")), key -> new TreeMap<>())
                        .merge(segment, amount, BigDecimal::add);
            }
        }
        for (MetricsRow row : spend.rows()) {
            String campaign = row.dimensions().get("campaign");
            BigDecimal cost = Decimals.orZero(row.measures().get("spend"));
            BigDecimal media = Decimals.orZero(row.measures().get("mediaSpend"));
            Map<String, BigDecimal> shares = campaign == null ? Map.of() : revenueByCampaign.getOrDefault(new CampaignKey(row.period(), campaign), Map.of());
            if (shares.isEmpty()) {
                totals.computeIfAbsent(new SegmentKey(row.period(), row.periodLabel(), null), key -> new SegmentTotals()).addCost(cost, media);
                continue;
            }
            List<String> segments = List.copyOf(shares.keySet());
            List<BigInteger> weights = segments.stream().map(segment -> shares.get(segment).setScale(Decimals.MONEY_SCALE, RoundingMode.HALF_EVEN).unscaledValue()).toList();
            List<BigDecimal> costs = splitSigned(cost, weights);
            List<BigDecimal> mediaCosts = splitSigned(media, weights);
            for (int index = 0; index < segments.size(); index++) {
                totals.computeIfAbsent(new SegmentKey(row.period(), row.periodLabel(), segments.get(index)), key -> new SegmentTotals())
                        .addCost(costs.get(index), mediaCosts.get(index));
            }
        }

        Map<String, UnitEconomics> economics = unitEconomics.compute(request.asOf(), UNIT_ECONOMICS_MONTHS, Optional.of(CustomerBreakdown.SEGMENT));
        UnitEconomics company = unitEconomics.compute(request.asOf(), UNIT_ECONOMICS_MONTHS, Optional.empty()).get(null);
        List<RoiRow> rows = new ArrayList<>();
        totals.forEach((key, sums) -> rows.add(segmentRow(key, sums, key.segment() == null ? null : economics.get(key.segment()))));
        int from = Math.min(request.offset(), rows.size());
        int to = Math.min(rows.size(), from + request.limit());
        return new Page(rows.subList(from, to), rows.size(), spend.dataVersion(), spend.currency(), request.model(), company);
    }

    private static List<BigDecimal> splitSigned(BigDecimal amount, List<BigInteger> weights) {
        List<BigDecimal> parts = Allocation.split(amount.abs(), weights, Decimals.MONEY_SCALE);
        return amount.signum() < 0 ? parts.stream().map(BigDecimal::negate).toList() : parts;
    }

    /** A period (null without a time grain) and a segment (null: cost no revenue could carry). */
    private record SegmentKey(LocalDate period, String periodLabel, String segment) implements Comparable<SegmentKey> {
        private static final Comparator<SegmentKey> ORDER = Comparator
                .comparing(SegmentKey::period, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(SegmentKey::segment, Comparator.nullsLast(Comparator.naturalOrder()));

        @Override
        public int compareTo(SegmentKey other) {
            return ORDER.compare(this, other);
        }
    }

    private record CampaignKey(LocalDate period, String campaign) {}

    private static final class SegmentTotals {
        private BigDecimal spend;
        private BigDecimal media;
        private BigDecimal revenue = BigDecimal.ZERO;
        private BigDecimal customers = BigDecimal.ZERO;

        void addCost(BigDecimal cost, BigDecimal mediaCost) {
            spend = Decimals.orZero(spend).add(cost);
            media = Decimals.orZero(media).add(mediaCost);
        }
    }

    private static RoiRow segmentRow(SegmentKey key, SegmentTotals sums, UnitEconomics economics) {
        Map<String, String> reasons = new HashMap<>();
        BigDecimal roiPct = sums.spend == null ? null : Decimals.percent(sums.revenue.subtract(sums.spend), sums.spend).orElse(null);
        explainNull(reasons, "roiPct", roiPct, "no cost allocated to this segment");
        BigDecimal roas = Decimals.ratio(sums.revenue, sums.media, Decimals.RATIO_SCALE).orElse(null);
        explainNull(reasons, "roas", roas, "no media cost allocated to this segment");
        BigDecimal cac = Decimals.ratio(sums.spend, sums.customers, Decimals.MONEY_SCALE).orElse(null);
        explainNull(reasons, "cac", cac, sums.spend == null ? "no cost allocated to this segment" : "no customer acquired (attributed) in this segment");
        String noEconomics = key.segment() == null ? "cost without a segment has no customers"
                : "no customer of this segment paid MRR in the unit-economics window";
        BigDecimal ltv = economics == null ? null : economics.ltv().orElse(null);
        explainNull(reasons, "ltv", ltv, economics == null ? noEconomics : NO_LTV);
        BigDecimal ltvToCac = economics == null ? null : economics.ltvToCac(sums.spend, sums.customers).orElse(null);
        explainNull(reasons, "ltvToCac", ltvToCac, "LTV or CAC is undefined");
        BigDecimal payback = economics == null ? null : economics.paybackMonths(sums.spend, sums.customers).orElse(null);
        explainNull(reasons, "paybackMonths", payback, economics == null ? noEconomics : NO_PAYBACK);
        reasons.put("costPerLead", "leads have no segment (they are not customers yet)");
        Map<String, String> keys = key.segment() == null ? Map.of() : Map.of("segment", key.segment());
        return new RoiRow(key.period(), key.periodLabel(), keys, Map.of(), sums.spend, sums.media, sums.revenue, sums.customers, null, roiPct, roas, cac,
                null, ltv, ltvToCac, payback, reasons);
    }

    /**
     * A row of the report by channel alone, with the unit economics of the customers the channel acquired: none
     * (LTV, LTV:CAC and payback null, with the reason) for a channel no paying customer was acquired through, and for
     * spend without a channel, whose customers without an acquisition channel are not customers it acquired.
     */
    private static RoiRow channelRow(MetricsRow row, String suffix, boolean withLeads, Map<String, UnitEconomics> economics) {
        String channel = row.dimensions().get("channel");
        if (channel == null) {
            return toRow(row, suffix, withLeads, null, "spend without a channel has no customers of its own");
        }
        return toRow(row, suffix, withLeads, economics.get(channel), "no customer acquired through this channel paid MRR in the unit-economics window");
    }

    /** {@code noEconomics}: why LTV and payback are null when {@code economics} is. */
    private static RoiRow toRow(MetricsRow row, String suffix, boolean withLeads, UnitEconomics economics, String noEconomics) {
        Map<String, BigDecimal> values = row.measures();
        Map<String, String> reasons = new HashMap<>();
        BigDecimal spend = values.get("spend");
        BigDecimal cac = values.get("cac" + suffix);
        BigDecimal customers = Decimals.orZero(values.get("attributedNewCustomers" + suffix));
        explainNull(reasons, "roiPct", values.get("roiPct" + suffix), "no spend in this group");
        explainNull(reasons, "roas", values.get("roas" + suffix), "no media spend in this group");
        explainNull(reasons, "cac", cac, spend == null ? "no spend in this group" : "no customer acquired (attributed) in this group");
        BigDecimal ltv = economics == null ? null : economics.ltv().orElse(null);
        explainNull(reasons, "ltv", ltv, economics == null ? noEconomics : NO_LTV);
        BigDecimal ltvToCac = economics == null ? null : economics.ltvToCac(spend, customers).orElse(null);
        explainNull(reasons, "ltvToCac", ltvToCac, "LTV or CAC is undefined");
        BigDecimal payback = economics == null ? null : economics.paybackMonths(spend, customers).orElse(null);
        explainNull(reasons, "paybackMonths", payback, economics == null ? noEconomics : NO_PAYBACK);
        BigDecimal costPerLead = withLeads ? values.get("costPerLead") : null;
        explainNull(reasons, "costPerLead", costPerLead, withLeads ? "no new lead in this group" : "leads have no product dimension");
        Map<String, String> keys = row.presentDimensions();
        Map<String, String> labels = row.presentLabels();
        return new RoiRow(row.period(), row.periodLabel(), keys, labels, spend, values.get("mediaSpend"),
                Decimals.orZero(values.get("attributedRevenue" + suffix)), customers,
                withLeads ? Decimals.orZero(values.get("newLeads")) : null, values.get("roiPct" + suffix),
                values.get("roas" + suffix), cac, costPerLead, ltv, ltvToCac, payback, reasons);
    }

    private static void explainNull(Map<String, String> reasons, String field, BigDecimal value, String reason) {
        if (value == null) {
            reasons.put(field, reason);
        }
    }
}
