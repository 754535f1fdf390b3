package io.finhub.forecast;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One contract's renewal as the model sees it: decided (with its outcome) by the as-of date, or to
 * forecast, with the signals known on its snapshot day (NaN when unknown).
 *
 * @param renewed the outcome when {@code decided}, else null
 * @param amount the renewal value in the reporting currency, at the snapshot day rate
 * @param crmProbability the open renewal opportunity's probability in the CRM, NaN when there is none
 */
record RenewalCase(String contractId, String customerId, String segment, LocalDate endDate, LocalDate snapshot, LocalDate closedOn,
        boolean decided, Boolean renewed, BigDecimal amount, double crmProbability, double healthScore, double healthTrend,
        double seatUtilization, double featureAdoption, double tenureYears, double escalations, double successProgramme) {
    RenewalCase {
        requireNonNull(contractId, "contractId is null");
        requireNonNull(customerId, "customerId is null");
        requireNonNull(endDate, "endDate is null");
        requireNonNull(amount, "amount is null");
    }

    double[] factors(int healthShift) {
        RenewalFactor[] all = RenewalFactor.values();
        double[] values = new double[all.length];
        for (RenewalFactor factor : all) {
            values[factor.ordinal()] = factor.value(this, healthShift);
        }
        return values;
    }
}
