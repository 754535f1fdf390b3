package io.finhub.revenue;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * Revenue recognition for one month, in the reporting currency. Cumulatively, invoiced =
 * recognised + deferred at every month end (a negative deferred balance is unbilled revenue).
 */
public record RecognizedRevenueMonth(LocalDate month, BigDecimal invoiced, BigDecimal recognized, BigDecimal invoicedToDate,
        BigDecimal recognizedToDate, BigDecimal deferredBalance) {}
