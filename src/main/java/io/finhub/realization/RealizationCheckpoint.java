package io.finhub.realization;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * A contract's realization on one day: the end of a fiscal quarter (or of the contract, or the
 * day asked for). Money is in the reporting currency, exact to the cent.
 *
 * @param realizationRate mean over measured commitments of min(commitment rate, 1), 6 decimals
 * @param utilizationPct seats used ÷ seats licensed × 100 at the latest reading on or before {@code asOf}
 * @param unusedLicenseValue committed value × unused seats ÷ licensed seats
 * @param valueToDate cumulative KPIs × their value per unit
 * @param paidToDate committed value × elapsed share of the term, on the day value was last measured
 * @param roi valueToDate ÷ paidToDate − 1, 6 decimals
 */
public record RealizationCheckpoint(LocalDate asOf, String quarterLabel, int commitments, int measuredCommitments, BigDecimal realizationRate,
        DeliveryStatus status, boolean atRisk, int milestonesMet, int milestonesDue, LocalDate utilizationMeasuredOn, Integer seatsUsed,
        Integer seatsLicensed, BigDecimal utilizationPct, BigDecimal featureAdoptionPct, BigDecimal unusedLicenseValue, BigDecimal valueToDate,
        LocalDate valuedOn, BigDecimal paidToDate, BigDecimal roi, BigDecimal projectedValueAtEnd) {
    public RealizationCheckpoint {
        requireNonNull(asOf, "asOf is null");
        requireNonNull(status, "status is null");
    }
}
