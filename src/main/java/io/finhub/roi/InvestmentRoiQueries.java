package io.finhub.roi;

import static java.util.Objects.requireNonNull;

import io.finhub.catalog.CurrencyConversion;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.store.Store;
import io.finhub.support.Decimals;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * ROI of investments that are not acquisition campaigns: product development (development cost
 * against the product's bookings since launch) and retention campaigns (retention spend against
 * the renewal revenue they saved, measured as uplift over customers the campaign did not touch).
 */
public final class InvestmentRoiQueries {
    private final Store store;

    public InvestmentRoiQueries(Store store) {
        this.store = requireNonNull(store, "store is null");
    }

    /**
     * @param developmentCost spend booked to the product by product departments, up to {@code asOf}
     * @param revenueSinceLaunch deal value of the product from its launch date up to {@code asOf}
     */
    public record ProductRoi(String productId, String productName, LocalDate launchDate, BigDecimal developmentCost, BigDecimal revenueSinceLaunch,
            BigDecimal roiPct) {}

    /**
     * @param renewals renewal decisions (won or lost) of customers this campaign touched within the lookback before the decision
     * @param renewalRatePct share of those renewals won
     * @param baselineRenewalRatePct share won among renewals no retention campaign touched
     * @param revenueSaved (renewal rate − baseline rate) × the renewal value at stake; negative when touched customers renewed less
     */
    public record RetentionRoi(String campaignId, String campaignName, BigDecimal spend, long renewals, long renewed, BigDecimal renewalValue,
            BigDecimal renewalRatePct, BigDecimal baselineRenewalRatePct, BigDecimal revenueSaved, BigDecimal roiPct) {}

    public List<ProductRoi> productRoi(LocalDate asOf) {
        String spend = CurrencyConversion.convertedAmount("f.amount", "f.currency_code", "f.spend_date", "fx");
        String deals = CurrencyConversion.convertedAmount("c.amount", "c.currency_code", "c.converted_at", "fx");
        String sql = """
                WITH cost AS (
                    SELECT f.product_id, sum(%s) AS development_cost
                    FROM fact_spend f JOIN dim_department d ON d.department_id = f.department_id %s
                    WHERE f.product_id IS NOT NULL AND d.function_area = 'PRODUCT' AND f.spend_date <= :as_of
                    GROUP BY ALL
                ),
                revenue AS (
                    SELECT c.product_id, sum(%s) AS revenue
                    FROM fact_conversion c JOIN dim_product p ON p.product_id = c.product_id %s
                    WHERE c.converted_at >= p.launch_date AND CAST(c.converted_at AS DATE) <= :as_of
                    GROUP BY ALL
                )
                SELECT p.product_id, p.product_name, p.launch_date, coalesce(cost.development_cost, 0) AS development_cost,
                       coalesce(revenue.revenue, 0) AS revenue
                FROM dim_product p LEFT JOIN cost USING (product_id) LEFT JOIN revenue USING (product_id)
                ORDER BY p.product_id
                """.formatted(spend, CurrencyConversion.join("f.currency_code", "f.spend_date"), deals,
                CurrencyConversion.join("c.currency_code", "c.converted_at"));
        return run(handle -> handle.createQuery(sql)
                .bind("as_of", asOf)
                .bind("reporting_currency", store.config().reportingCurrency())
                .map((row, context) -> {
                    BigDecimal cost = row.getBigDecimal("development_cost");
                    BigDecimal revenue = row.getBigDecimal("revenue");
                    return new ProductRoi(row.getString("product_id"), row.getString("product_name"), row.getObject("launch_date", LocalDate.class),
                            cost, revenue, Decimals.percent(revenue.subtract(cost), cost).orElse(null));
                })
                .list());
    }

    public List<RetentionRoi> retentionRoi(LocalDate from, LocalDate to, int lookbackDays) {
        if (from.isAfter(to)) {
            throw new FinhubException(ErrorCode.INVALID_DATE_RANGE, "the period starts (%s) after it ends (%s)".formatted(from, to));
        }
        if (lookbackDays < 1 || lookbackDays > 730) {
            throw new FinhubException(ErrorCode.BAD_REQUEST, "lookbackDays must be 1..730, was " + lookbackDays);
        }
        String renewalValue = CurrencyConversion.convertedAmount("r.amount", "r.currency_code", "r.closed_on", "fx");
        String spend = CurrencyConversion.convertedAmount("s.amount", "s.currency_code", "s.spend_date", "fx");
        String sql = """
                WITH renewals AS (
                    SELECT r.opportunity_id, r.customer_id, r.closed_on, r.stage = 'CLOSED_WON' AS renewed, %s AS value
                    FROM fact_renewal_pipeline r %s
                    WHERE r.kind = 'RENEWAL' AND r.stage IN ('CLOSED_WON', 'CLOSED_LOST') AND r.closed_on BETWEEN :from AND :to
                ),
                touched AS (
                    SELECT DISTINCT rn.opportunity_id, t.campaign_id
                    FROM renewals rn
                    JOIN fact_touchpoint t ON t.customer_id = rn.customer_id
                    JOIN dim_campaign c ON c.campaign_id = t.campaign_id AND c.objective = 'RETENTION'
                    WHERE t.touched_at >= rn.closed_on - to_days(:lookback_days) AND CAST(t.touched_at AS DATE) <= rn.closed_on
                ),
                per_campaign AS (
                    SELECT t.campaign_id, count(*) AS renewals, count(*) FILTER (WHERE rn.renewed) AS renewed,
                           sum(rn.value) AS renewal_value
                    FROM touched t JOIN renewals rn USING (opportunity_id)
                    GROUP BY ALL
                ),
                baseline AS (
                    SELECT count(*) AS renewals, count(*) FILTER (WHERE renewed) AS renewed
                    FROM renewals WHERE opportunity_id NOT IN (SELECT opportunity_id FROM touched)
                ),
                retention_spend AS (
                    SELECT s.campaign_id, sum(%s) AS spend
                    FROM fact_spend s JOIN dim_campaign c ON c.campaign_id = s.campaign_id AND c.objective = 'RETENTION' %s
                    WHERE s.spend_date BETWEEN :from AND :to
                    GROUP BY ALL
                )
                SELECT c.campaign_id, c.campaign_name, coalesce(rs.spend, 0) AS spend, coalesce(pc.renewals, 0) AS renewals,
                       coalesce(pc.renewed, 0) AS renewed, coalesce(pc.renewal_value, 0) AS renewal_value,
                       b.renewals AS baseline_renewals, b.renewed AS baseline_renewed
                FROM dim_campaign c
                LEFT JOIN retention_spend rs USING (campaign_id)
                LEFT JOIN per_campaign pc USING (campaign_id)
                CROSS JOIN baseline b
                WHERE c.objective = 'RETENTION' AND (rs.spend IS NOT NULL OR pc.renewals IS NOT NULL)
                ORDER BY c.campaign_id
                """.formatted(renewalValue, CurrencyConversion.join("r.currency_code", "r.closed_on"), spend,
                CurrencyConversion.join("s.currency_code", "s.spend_date"));
        return run(handle -> {
            List<RetentionRoi> result = new ArrayList<>();
            handle.createQuery(sql)
                    .bind("from", from)
                    .bind("to", to)
                    .bind("lookback_days", lookbackDays)
                    .bind("reporting_currency", store.config().reportingCurrency())
                    .map((row, context) -> {
                        long renewals = row.getLong("renewals");
                        long renewed = row.getLong("renewed");
                        BigDecimal value = row.getBigDecimal("renewal_value");
                        BigDecimal spendAmount = row.getBigDecimal("spend");
                        BigDecimal rate = Decimals.ratio(BigDecimal.valueOf(renewed), BigDecimal.valueOf(renewals), 10).orElse(null);
                        BigDecimal baseline = Decimals.ratio(BigDecimal.valueOf(row.getLong("baseline_renewed")),
                                BigDecimal.valueOf(row.getLong("baseline_renewals")), 10).orElse(null);
                        BigDecimal saved = rate == null || baseline == null ? null
                                : rate.subtract(baseline).multiply(value).setScale(Decimals.MONEY_SCALE, RoundingMode.HALF_EVEN);
                        return new RetentionRoi(row.getString("campaign_id"), row.getString("campaign_name"), spendAmount, renewals, renewed, value,
                                percentOf(rate), percentOf(baseline), saved,
                                saved == null ? null : Decimals.percent(saved.subtract(spendAmount), spendAmount).orElse(null));
                    })
                    .forEach(result::add);
            return result;
        });
    }

    private static BigDecimal percentOf(BigDecimal fraction) {
        return fraction == null ? null : fraction.movePointRight(2).setScale(Decimals.RATIO_SCALE, RoundingMode.HALF_EVEN);
    }

    private <T> T run(Function<Handle, T> query) {
        try {
            return store.jdbi().withHandle(query::apply);
        }
        catch (RuntimeException e) {
            throw CurrencyConversion.translate(e);
        }
    }
}
