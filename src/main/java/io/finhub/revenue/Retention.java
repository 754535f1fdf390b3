package io.finhub.revenue;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * Revenue retention of the customers paying at the end of {@code startMonth}, measured at the end of
 * {@code endMonth}, in constant currency (both ends at the start month's closing rate, so exchange
 * rates do not move retention). NRR = end MRR ÷ start MRR; GRR counts each customer at most at its
 * start MRR, so expansion cannot hide losses.
 */
public record Retention(LocalDate startMonth, LocalDate endMonth, String group, long customers, long retainedCustomers, BigDecimal startMrr,
        BigDecimal endMrr, BigDecimal retainedMrrCapped, BigDecimal nrrPct, BigDecimal grrPct) {}
