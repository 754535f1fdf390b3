package io.finhub.realization;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * Delivery against one commitment on a checkpoint.
 *
 * @param pointInTime true for a rate (judged on its latest value), false for a counter cumulative since the period start
 * @param due what had to be delivered by {@code measuredOn}: the target for a rate, target × elapsed ÷ period days for a counter
 * @param realizationRate delivered ÷ due, 6 decimals; null before the first measurement
 * @param milestonesMet measurements in the period that reached what was due on their date
 */
public record KpiRealization(String commitmentId, String kpi, String unit, boolean pointInTime, BigDecimal target, LocalDate periodStart,
        LocalDate periodEnd, LocalDate measuredOn, BigDecimal delivered, BigDecimal due, BigDecimal realizationRate, int milestonesMet,
        int milestonesDue, DeliveryStatus status) {
    public KpiRealization {
        requireNonNull(commitmentId, "commitmentId is null");
        requireNonNull(kpi, "kpi is null");
        requireNonNull(target, "target is null");
        requireNonNull(status, "status is null");
    }
}
