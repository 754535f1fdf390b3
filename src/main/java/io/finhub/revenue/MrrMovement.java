package io.finhub.revenue;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One month of MRR, in the reporting currency: opening + new + expansion + reactivation −
 * contraction − churn + fxImpact = closing, exactly. Opening converts at the previous month end's
 * rate, closing and the movements at this month end's; fxImpact is what the rate change moved
 * (plus per-row cent rounding), so the bridge always ties.
 *
 * @param group the breakdown value (a segment, region, ...) or null for the whole company
 */
public record MrrMovement(LocalDate month, String group, BigDecimal opening, BigDecimal newMrr, BigDecimal expansion, BigDecimal reactivation,
        BigDecimal contraction, BigDecimal churn, BigDecimal fxImpact, BigDecimal closing, BigDecimal arr, long openingCustomers, long customers, long newCustomers,
        long churnedCustomers, BigDecimal grossMrrChurnPct, BigDecimal netMrrChurnPct, BigDecimal customerChurnPct) {}
