package io.finhub.attribution;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * Customer-success attribution for a period: what the programmes earned (expansion credited by
 * health uplift, churn-protection value, recorded outcomes), what they cost, and the lines that
 * reconcile the credited figures to the booked ones. Amounts are in the reporting currency.
 *
 * @param expansionRevenue every expansion deal booked in the period
 * @param expansionAttributed expansion credited to programmes, computed and recorded
 * @param expansionUnattributed booked expansion no programme is credited with
 * @param outcomeValue expansion attributed + churn protection
 * @param csCost programme spend in the period (fact_spend rows with a programme)
 * @param roi outcome value ÷ CS cost, four decimals; null without cost
 */
public record AttributionCsPortfolio(String period, LocalDate from, LocalDate to, String currency, long dataVersion, BigDecimal expansionRevenue,
        BigDecimal expansionAttributed, BigDecimal expansionUnattributed, BigDecimal churnProtectionValue, BigDecimal outcomeValue, BigDecimal csCost,
        BigDecimal roi, List<Programme> programmes, List<Baseline> baselines, List<ReconciliationLine> reconciliation) {
    public AttributionCsPortfolio {
        requireNonNull(period, "period is null");
        programmes = List.copyOf(programmes);
        baselines = List.copyOf(baselines);
        reconciliation = List.copyOf(reconciliation);
    }

    /** One programme's outcome, cost and ROI (outcome ÷ cost, null without cost). */
    public record Programme(String programId, String programName, String activityType, BigDecimal expansion, BigDecimal churnProtection,
            BigDecimal outcomeValue, BigDecimal cost, BigDecimal roi) {}

    /** The baseline renewal probability of a risk band: renewed ÷ closed among renewals without intervention (all history). */
    public record Baseline(String riskBand, long renewed, long closed, BigDecimal renewalProbability) {}

    /** A check that ties credited figures to booked ones: variance = actual − expected (zero when they tie out). */
    public record ReconciliationLine(String item, BigDecimal expected, BigDecimal actual, BigDecimal variance, String explanation) {}
}
