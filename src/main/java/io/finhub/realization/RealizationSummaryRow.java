package io.finhub.realization;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * Realization of a group of contracts in one fiscal quarter, each contract as of the quarter end
 * (or its own end, when earlier). Money in the reporting currency.
 *
 * @param realizationPct committed-value-weighted mean of the measured contracts' realization rates × 100, 4 decimals
 * @param utilizationPct seats used ÷ seats licensed × 100 over the contracts with a reading
 * @param roiPct (value to date ÷ paid to date − 1) × 100 over the contracts with valued outcomes
 */
public record RealizationSummaryRow(LocalDate quarterStart, String quarterLabel, String key, String label, long contracts, long measuredContracts,
        BigDecimal committedValue, BigDecimal realizationPct, long milestonesMet, long milestonesDue, long atRiskContracts, long seatsUsed,
        long seatsLicensed, BigDecimal utilizationPct, BigDecimal unusedLicenseValue, BigDecimal valueToDate, BigDecimal paidToDate,
        BigDecimal roiPct) {
    public RealizationSummaryRow {
        requireNonNull(quarterStart, "quarterStart is null");
        requireNonNull(quarterLabel, "quarterLabel is null");
    }
}
